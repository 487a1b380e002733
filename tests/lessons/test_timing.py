"""Every notebook fits 30 minutes, exercises included, by the course's counting model (timing.py), and its
header states a time within 5 minutes of that model, which INSTRUCTORS.md repeats."""
import re
from pathlib import Path

import pytest

from .prose import NOTEBOOKS
from .timing import breakdown, minutes, stated_minutes

ALL = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("notebook", ALL)
def test_fits_30_minutes_by_the_counting_model(notebook):
    parts = {k: round(v, 1) for k, v in breakdown(notebook).items()}
    assert minutes(notebook) <= 30, f"{notebook}: {minutes(notebook):.1f} min by the model {parts}"


@pytest.mark.parametrize("notebook", ALL)
def test_stated_time_agrees_with_the_model_and_the_instructor_guide(notebook):
    low, high = stated_minutes(notebook)
    assert high <= 30
    assert abs(high - minutes(notebook)) <= 5, f"{notebook} states {high} min, the model gives {minutes(notebook):.1f}"
    guide = (Path(NOTEBOOKS).parent / "INSTRUCTORS.md").read_text(encoding="utf-8")
    row = re.search(rf"^\| `{notebook}` \| ([\d–]+) \|", guide, re.M)
    assert row, f"INSTRUCTORS.md has no row for {notebook}"
    assert row.group(1) == (f"{low}–{high}" if low != high else f"{low}"), notebook


def test_optional_sections_are_left_out():
    """The model skips a section whose heading says (optional), up to the next heading of its level."""
    from . import timing

    cells = [("markdown", "## 1. Core\n" + "word " * 240), ("markdown", "## 2. Extra (optional)\n" + "word " * 1200),
             ("code", "x = 1"), ("markdown", "### deeper\n" + "word " * 120), ("markdown", "## 3. Back\n" + "word " * 120)]
    original = timing._cells
    timing._cells = lambda _nb: cells
    try:
        b = timing.breakdown("fake")
    finally:
        timing._cells = original
    assert b["code"] == 0  # the code cell sits in the optional section
    assert b["prose"] == pytest.approx((241 + 121) / 120)  # "Core" + 240 words, "Back" + 120 words


def test_prompts_are_counted_where_they_are_prompts_not_where_prose_names_them():
    """00's how-to says what a *Try this* and a *Think!* are; only a line that starts with **Try this** opens
    bullets to count, and only a bold **Think!** is a prompt."""
    from . import timing

    cells = [("markdown", "## How to use\n- Each section ends with **Try this** (a slider).\n- *Think!* prompts ask first.\n"
                          "- Questions in *Try this* have answers."),
             ("markdown", "**Try this**\n1. Drag it.\n2. Press Play.\n\n**Think!** Why?")]
    original = timing._cells
    timing._cells = lambda _nb: cells
    try:
        b = timing.breakdown("fake")
    finally:
        timing._cells = original
    assert b["try"] == 2 * timing.COSTS["try"] and b["think"] == timing.COSTS["think"]
