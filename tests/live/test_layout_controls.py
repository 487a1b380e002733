"""Progressive controls (issue 16 item 4): an explorer shows first what its lesson uses (by default the step size,
Play and the iteration), the others behind a 'more controls' toggle; lessons name theirs in their lesson module.
And the browser's text fitting (js/scene.js fitText), run by node: a title shrinks to 11 px, then wraps, never cut."""
from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

import stepviz as sv
from stepviz.live.panel import FIRST, split

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "stepviz" / "live" / "js"


def names_in(box, controls) -> set:
    """The names of the controls inside ``box``."""
    name = {id(w): n for n, w in controls.items()}
    out, todo = set(), [box]
    while todo:
        w = todo.pop()
        if id(w) in name:
            out.add(name[id(w)])
        todo += list(getattr(w, "children", ()))
    return out


def test_the_step_size_play_and_the_iteration_come_first_the_rest_behind_more_controls():
    e = sv.live.explore("bowl", "GD", steps=30)
    first, more = e.panel.children
    assert names_in(first, e.controls) == {"lr", "play", "iteration"}
    assert names_in(more, e.controls) == set(e.controls) - {"lr", "play", "iteration"}
    assert more.layout.display == "none" and e.panel.toggle.description == "more controls"
    e.panel.toggle.value = True  # as a click in the browser sets it
    assert more.layout.display == "" and e.panel.toggle.description == "fewer controls"
    assert e.panel.toggle in e.canvas.controls["kernel"]  # disabled with the other kernel controls without a kernel
    e.close()


def test_show_first_moves_a_lessons_controls_up_and_refuses_unknown_names():
    before = len(_instances)
    e = sv.live.momentum_explorer("bowl", "Momentum", steps=30)
    assert e.show_first("momentum", "preset") is e
    first, more = e.panel.children
    assert names_in(first, e.controls) == {"lr", "play", "iteration", "momentum", "preset"}
    assert "momentum" not in names_in(more, e.controls) and "optimizer" in names_in(more, e.controls)
    assert e.note in first.children  # a note is shown with the controls it explains
    with pytest.raises(ValueError, match=r"show_first takes names of this explorer's controls.*'nope'"):
        e.show_first("nope")
    e.close()
    assert len(_instances) == before  # the first panel's boxes were closed too


def test_split_keeps_the_column_order_and_splits_rows():
    note = widgets.HTML()
    shown, rest = split([["a", "lr", "b"], ["c", ["play", "d"], note]], FIRST)
    assert shown == ["lr", "play", note] and rest == [["a", "b"], ["c", "d"]]


LESSONS = ["the_update_rule", "too_big_too_small", "curved_valleys_and_saddles", "schedules", "momentum", "nesterov",
           "adaptive_methods", "stochastic_gradients", "summary"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lessons_first_controls_are_shown_first_by_its_notebook(lesson):
    """The names a lesson module keeps are passed to show_first by its notebook (nbval runs the call)."""
    module = __import__(f"stepviz.lessons.{lesson}", fromlist=["x"])
    constants = [n for n in vars(module) if n.endswith("_FIRST")]
    assert constants
    notebook = next((ROOT / "notebooks").glob(f"[0-9][0-9]_{lesson}.ipynb"))
    code = "\n".join("".join(c["source"]) for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code")
    for name in constants:
        assert f".show_first(*lesson.{name})" in code, (lesson, name)
        assert all(isinstance(n, str) for n in getattr(module, name))


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_fit_text_shrinks_to_11_px_then_wraps_never_cuts():
    script = f"""
import {{ fitText }} from {json.dumps((JS / 'scene.js').as_uri())};
const perChar = (px) => 0.6 * px;  // a monospace measure: 0.6 em per character
const text = "Momentum, α = 1.64e-4, decay 0.058, γ = 0.55 on bowl";
const measure = (px) => perChar(px) * text.length;
console.log(JSON.stringify([fitText(measure, text, 13, 1000), fitText(measure, text, 13, 380),
                            fitText(measure, text, 13, 200), fitText(measure, "x".repeat(80), 13, 200)]));
"""
    out = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    whole, shrunk, wrapped, one_word = json.loads(out)
    text = "Momentum, α = 1.64e-4, decay 0.058, γ = 0.55 on bowl"
    assert whole == {"size": 13, "lines": [text]}
    assert 11 <= shrunk["size"] < 13 and shrunk["lines"] == [text] and 0.6 * shrunk["size"] * len(text) <= 380
    assert wrapped["size"] == 11 and " ".join(wrapped["lines"]) == text and len(wrapped["lines"]) == 2
    assert all(0.6 * 11 * len(line) <= 200 for line in wrapped["lines"])
    assert one_word == {"size": 11, "lines": ["x" * 80]}  # nothing to wrap at: the smallest size, whole
