"""Worked arithmetic in the prose, checked: a chain such as ``\\alpha L = 0.07 \\cdot 50 = 3.5`` or
``\\sqrt{10^{-4}/0.1} = \\sqrt{10^{-3}} \\approx 0.0316`` must hold link by link, so that changing any number of it
(a question's parameter copied into its answer, or the result) breaks the chain.

``tex_value`` evaluates the numeric LaTeX the course writes (\\cdot, \\times, powers, \\sqrt, \\frac, fractions);
``assert_chain`` reads a chain from a notebook's markdown (through prose.py, like every lesson test) and checks it:
exact links (``=``) to 1e-9, rounded links (``\\approx``) to the digits written.
"""
from __future__ import annotations

import math
import re

from .prose import NUM, TEX, agrees, stated_text


def tex_value(tex: str) -> float:
    """'0.07 \\cdot 50' -> 3.5, '\\sqrt{10^{-4}/0.1}' -> 0.0316..., '4 / 12^2' -> 0.0277..., '3.8/(2.8 \\cdot 50)'."""
    s = tex.strip().strip("$").replace("−", "-")
    s = re.sub(r"\\[,;!: ]|\\quad|\\left|\\right|\\big|\\Big", " ", s)
    s = re.sub(r"\\[dt]?frac", r"\\frac", s)
    for _ in range(5):   # \frac{a}{b} -> ((a)/(b)), innermost braces first
        s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"((\1)/(\2))", s)
    s = s.replace(r"\cdot", "*").replace(r"\times", "*").replace("^", "**")
    s = re.sub(r"\\sqrt\s*\{", "sqrt(", s)
    s = re.sub(r"\\sqrt\s*(\d+(?:\.\d+)?)", r"sqrt(\1)", s)
    s = s.replace("{", "(").replace("}", ")").replace(",", "")
    if not re.fullmatch(r"[\d.\s()+\-*/sqrt]*", s):
        raise ValueError(f"not a numeric expression: {tex!r} ({s!r})")
    return float(eval(s, {"__builtins__": {}}, {"sqrt": math.sqrt}))


def chain_links(text: str) -> list:
    """'a = b \\approx c' -> [('=', a), ('=', b), ('approx', c)] (the relation before each part; the first is '=')."""
    parts = re.split(r"\s*(=|\\approx)\s*", text)
    out = [("=", parts[0])]
    out += [("approx" if rel == r"\approx" else "=", p) for rel, p in zip(parts[1::2], parts[2::2])]
    return out


def assert_chain(notebook: str, pattern: str, value: float | None = None) -> list:
    """The chain that ``pattern``'s group 1 captures holds: every part is the first part's value, exactly for '=',
    to the digits written for '\\approx'; with ``value``, the first part is that value too. Returns the values."""
    text = stated_text(notebook, pattern)
    links = chain_links(text)
    values = [tex_value(p) for _, p in links]
    exact = values[0] if value is None else value
    for (rel, part), v in zip(links, values):
        literal = re.fullmatch(rf"{NUM}|{TEX}", part.strip())   # a written result: right to the digits shown
        ok = agrees(part.strip(), exact) if rel == "approx" or literal else math.isclose(v, exact, rel_tol=1e-9)
        assert ok, f"{notebook}: in {text!r}, {part!r} = {v!r} is not {exact!r}"
    return values


def notebook_named(number: float) -> str:
    """The notebook whose file name starts with the two digits of ``number`` (6 -> '06_momentum')."""
    from .prose import NOTEBOOKS

    found = sorted(p.stem for p in NOTEBOOKS.glob(f"{number:02.0f}_*.ipynb"))
    assert len(found) == 1 and float(number).is_integer(), f"no notebook {number!r}"
    return found[0]


def section_heading(notebook: str, number: float) -> str:
    """The title of section ``number`` ('## 4. With a constant α, ...') of a notebook."""
    from .prose import markdown

    m = re.search(rf"^## {number:g}\. (.*)$", markdown(notebook), re.M)
    assert m, f"{notebook} has no section {number!r}"
    return m.group(1)


def exercise(notebook: str, number: float) -> str:
    """The text of exercise ``number`` (its item under '## Exercises' or '### Going further'), up to the next item."""
    from .prose import markdown

    text = markdown(notebook).split("## Exercises", 1)[1]
    m = re.search(rf"^{number:g}\. (.*?)(?=^\d+\. |<details>|\Z)", text, re.M | re.S)
    assert m, f"{notebook} has no exercise {number!r}"
    return m.group(1)


def title(notebook: str) -> str:
    """The notebook's title line ('05 · Schedules: changing the step size during a run')."""
    from .prose import cells

    return cells(notebook)[0].splitlines()[0].lstrip("# ")
