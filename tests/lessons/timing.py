"""The course's counting model of a notebook's time: how long a learner needs for the parts that are not
optional, exercises included. Every notebook states its time in its header ("**Time:** about N minutes,
exercises included."); tests/lessons/test_timing.py holds each notebook to at most 30 minutes by this model
and the stated time to it.

The model (minutes), chosen to be explicit rather than precise:
- prose: words / 120 (a careful read of technical text; formulas and code excluded; solutions in <details>
  count at a quarter, since most learners read only some of them);
- each code cell: 0.5 (run it, look at the output);
- each 'Try this' bullet: 1.5 (an action in an explorer and a look), under a line that starts with **Try this**;
- each bold **Think!** prompt: 1.5 (prose that only names the prompts, as 00's how-to does, is not a prompt);
- each self-check (a code cell that calls a check): 2;
- each learner-written function (a cell with `def ...` and `...` placeholder): 5;
- each numbered end-of-notebook exercise: 3.
A section whose heading says "(optional)" is left out, with everything under it until the next heading of
the same or a higher level (a heading counts where it is the first line of a markdown cell).
"""
from __future__ import annotations

import re

from .prose import NOTEBOOKS

WORDS_PER_MINUTE = 120
COSTS = {"code": 0.5, "try": 1.5, "think": 1.5, "check": 2.0, "write": 5.0, "exercise": 3.0}


def _cells(notebook: str):
    import json

    path = NOTEBOOKS / (notebook if notebook.endswith(".ipynb") else notebook + ".ipynb")
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


def _required(notebook: str):
    """The cells that are not in an optional section."""
    skip_level = None
    for kind, src in _cells(notebook):
        if kind == "markdown":
            m = re.match(r"^(#+)\s+(.*)", src.lstrip())
            if m:
                level = len(m.group(1))
                if skip_level is not None and level <= skip_level:
                    skip_level = None
                if skip_level is None and re.search(r"\(optional\)", m.group(2), re.I):
                    skip_level = level
        if skip_level is None:
            yield kind, src


def _words(text: str) -> int:
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`|```.*?```", " ", text, flags=re.S)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))


def breakdown(notebook: str) -> dict:
    """Minutes per part of the model for the notebook's required cells."""
    out = dict.fromkeys(("prose", *COSTS), 0.0)
    exercises = False
    for kind, src in _required(notebook):
        if kind == "code":
            out["code"] += COSTS["code"]
            if re.search(r"\bcheck_\w+\(|\bsv\.checks\.", src):
                out["check"] += COSTS["check"]
            if re.search(r"^def \w+\(", src, re.M) and "..." in src:
                out["write"] += COSTS["write"]
            continue
        solutions = " ".join(re.findall(r"<details>.*?</details>", src, flags=re.S))
        body = re.sub(r"<details>.*?</details>", " ", src, flags=re.S)
        out["prose"] += (_words(body) + _words(solutions) / 4) / WORDS_PER_MINUTE
        in_try = False
        for line in body.splitlines():
            if re.match(r"^#+\s+Exercises", line):
                exercises = True
            if exercises and re.match(r"^\d+\.\s", line):
                out["exercise"] += COSTS["exercise"]
                continue
            if re.match(r"\*\*Try this\b", line):
                in_try = True
                if not re.match(r"^\s*(?:[-*]|\d+\.)\s", line):
                    continue
            if in_try and re.match(r"^\s*(?:[-*]|\d+\.)\s", line):
                out["try"] += COSTS["try"]
            elif in_try and line.strip() == "":
                continue
            elif in_try and not re.match(r"^\s", line):
                in_try = False
        out["think"] += COSTS["think"] * len(re.findall(r"\*\*Think!\*\*", body))
    return out


def minutes(notebook: str) -> float:
    """The model's time for the notebook, in minutes."""
    return sum(breakdown(notebook).values())


def stated_minutes(notebook: str) -> tuple[int, int]:
    """(low, high) of the header's "**Time:** about N(–M) minutes, exercises included."."""
    for kind, src in _cells(notebook):
        m = kind == "markdown" and re.search(r"\*\*Time:\*\* about (\d+)(?:–(\d+))? minutes", src)
        if m:
            return int(m.group(1)), int(m.group(2) or m.group(1))
    raise AssertionError(f"{notebook}: no '**Time:** about N minutes' line in its header")
