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


def to_number(text: str) -> float:
    """'1,745' -> 1745.0, '−0.5' -> -0.5, '2.3e-4' -> 0.00023."""
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
