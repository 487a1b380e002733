"""Read what a notebook says, so tests can hold its prose to the numbers the course computes.

``stated(notebook, pattern)`` finds a number in the notebook's markdown (solutions in ``<details>`` blocks
included) by a regular expression with one group around the number; a test then compares it with the value
recomputed from stepviz. When the text changes so that the pattern no longer matches, the test fails and
says which sentence it was looking for: prose and code cannot drift apart silently.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

_NUMBER = re.compile(r"[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-−+]?\d+)?")


@lru_cache(maxsize=None)
def cells(notebook: str, kind: str = "markdown") -> tuple:
    """The sources of the notebook's cells of one kind ('markdown' or 'code'), in order. ``notebook`` is the
    file name with or without '.ipynb', e.g. '02_too_big_too_small'."""
    path = NOTEBOOKS / (notebook if notebook.endswith(".ipynb") else notebook + ".ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    return tuple("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind)


def markdown(notebook: str) -> str:
    """All the notebook's prose, one string (cells separated by blank lines)."""
    return "\n\n".join(cells(notebook, "markdown"))


_TEX_POWER = re.compile(r"^(?:(.+?)\s*\\times\s*)?10\^\{?([-−+]?\d+)\}?$")


def to_number(text: str) -> float:
    """'1,745' -> 1745.0, '−0.5' -> -0.5, '2.3e-4' -> 0.00023; LaTeX powers too: '5.5\\times10^{-5}',
    '10^{-14}'."""
    text = text.strip().strip("$").strip()
    m = _TEX_POWER.match(text)
    if m:
        mantissa = to_number(m.group(1)) if m.group(1) else 1.0
        return mantissa * 10.0 ** int(m.group(2).replace("−", "-"))
    return float(text.replace(",", "").replace("−", "-"))


def stated(notebook: str, pattern: str, *, flags=re.S) -> float:
    """The number the notebook's markdown states where ``pattern`` matches; the pattern's first group
    must capture the number (e.g. r"limit 2/L = (\\S+)" or rf"needs ({NUM}) steps")."""
    text = markdown(notebook)
    m = re.search(pattern, text, flags)
    if m is None:
        raise AssertionError(f"{notebook}: no sentence matches {pattern!r}; did the prose change?")
    return to_number(m.group(1))


def stated_all(notebook: str, pattern: str, *, flags=re.S) -> list:
    """Every number the pattern's first group captures, in order."""
    return [to_number(g if isinstance(g, str) else g[0]) for g in re.findall(pattern, markdown(notebook), flags)]


#: A number as it is written in the prose (for building patterns): 0.2, 1,745, 2.3e-4, −1.
NUM = _NUMBER.pattern
#: A number as LaTeX writes it, with or without a power of ten: 0.011, 5.5\times10^{-5}, 10^{-14}.
TEX = rf"(?:(?:{NUM})\s*\\times\s*)?10\^\{{[-−+]?\d+\}}|{NUM}"



def stated_text(notebook: str, pattern: str, *, flags=re.S) -> str:
    """The text of the number the pattern's first group captures (e.g. '0.0614'), for :func:`assert_rounds`."""
    m = re.search(pattern, markdown(notebook), flags)
    if m is None:
        raise AssertionError(f"{notebook}: no sentence matches {pattern!r}; did the prose change?")
    return m.group(1)


def assert_rounds(notebook: str, pattern: str, value: float) -> None:
    """The number the prose states where ``pattern`` matches is ``value`` rounded to the digits written:
    '0.0614' holds for 0.06140 (|0.0614 - value| <= 0.00005), '82' only for 82 (integers exactly)."""
    text = stated_text(notebook, pattern)
    assert agrees(text, value), f"{notebook} states {text} where {pattern!r} matches; the course computes {value!r}"


def solution_code(notebook: str, function: str) -> str:
    """The code of a collapsed solution that defines ``function`` (a ```python block in the markdown)."""
    for block in re.findall(r"```python\n(.*?)```", markdown(notebook), re.S):
        if f"def {function}(" in block:
            return block
    raise AssertionError(f"{notebook}: no solution block defines {function}()")


#: stated_text under a shorter name (the content tests of lessons 00-05 use it).
written = stated_text


def agrees(text: str, value: float) -> bool:
    """Does ``value``, rounded to the digits ``text`` shows, give ``text``? '0.011' agrees with 0.0107,
    '7,901' with 7901, '2.3e-4' with 2.34e-4, '5.5\\times10^{-5}' with 5.48e-5; a bare power '10^{-14}' with
    anything whose order of magnitude rounds to -14."""
    import math

    t = text.strip().strip("$").strip()
    m = _TEX_POWER.match(t)
    if m and not m.group(1):
        return value > 0 and round(math.log10(value)) == int(m.group(2).replace("−", "-"))
    mantissa, exponent = (m.group(1), int(m.group(2).replace("−", "-"))) if m else (t, 0)
    if re.search(r"[eE]", mantissa):
        mantissa, e = re.split(r"[eE]", mantissa)
        exponent += int(e.replace("−", "-"))
    mantissa = mantissa.replace(",", "")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    half = 0.5 * 10.0 ** (exponent - decimals)
    return abs(value - to_number(text)) <= half * (1 + 1e-9)


def call_arguments(notebook: str, function: str) -> dict:
    """The literal keyword arguments of the first call to ``function`` (e.g. 'check_iterate') in the notebook's
    code cells, so a test can hold a self-check's question in the prose to the call that checks it."""
    import ast

    for source in cells(notebook, "code"):
        lines = [line for line in source.splitlines() if not line.lstrip().startswith("%")]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == function:
                out = {}
                for kw in node.keywords:
                    try:
                        out[kw.arg] = ast.literal_eval(kw.value)
                    except ValueError:
                        pass
                return out
    raise AssertionError(f"{notebook}: no code cell calls {function}()")
