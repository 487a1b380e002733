"""Every Try this and exercise of notebooks 00-02 that asks for an action in an explorer, done as the text says
with the real mouse and keys in JupyterLab (issue 15 item 7); what the text says will be seen is read from the
notebook's current markdown (tests/lessons/prose.py) and compared with what the page shows (the readout, the
controls' values, the aria-label) and, where the text makes a claim about the run, with what the kernel holds.

00: Try this 1-4 (drag alpha, past the limit, Play and the iteration slider, a click on the contours) and
    exercises 1-3 (the zig-zag threshold, the largest step that reaches the centre, the surface switch).
01: Try this 1-3 (drag alpha along the factor curve, alpha typed exactly to 1, lambda dragged at alpha = 0.8).
02: Try this 1-4 (alpha down, the optimal-step tick, past the limit, a start on the flat axis) and exercise 1
    (a round bowl's explorer).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from scenario import Notebook
from test_actions import no_kernel_errors, page  # noqa: F401  (the page fixture)

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.lessons.prose import NUM, agrees, cells, stated, written  # noqa: E402


def zigzags(ex) -> int:
    """How often the run shown crosses the valley: sign flips of its steep-direction component."""
    return ex.py("(lambda np: int((np.diff(np.sign((ex.trajectory.points - ex.surface.minima[0]) "
                 "@ np.linalg.eigh(ex.surface.H)[1][:, -1])) != 0).sum()))(__import__('numpy'))")


def diverged_at(ex) -> int:
    m = re.search(r"diverged at step (\d+)", ex.readout())
    assert m, ex.readout()
    return int(m.group(1))


def settled_step(ex, tol="1e-6") -> int:
    """The step the readout says the run stays within ``tol`` (as the readout writes it) from."""
    m = re.search(rf"within {re.escape(tol)} from step (\d+) on", ex.readout())
    assert m, ex.readout()
    return int(m.group(1))


# --- 00 · Start here -------------------------------------------------------------------------------------
NB0 = "00_start_here"


def test_00_try_this_and_exercises(page, lab):
    nb = Notebook.open(page, lab, NB0 + ".ipynb")
    ex = nb.explorer("explorer")
    glide = stated(NB0, rf"Below about\s+α = ({NUM}) the path glides")
    # Try this 1: drag alpha to the right: the path and the text change; below `glide` it glides, above it zig-zags.
    first = ex.readout()
    ex.drag_step_size_to(ex.tick_fraction("1/L") - 0.06)
    below = ex.py("ex.controls['lr'].value")
    assert ex.py("ex.controls['lr'].value") < glide and ex.readout() != first and zigzags(ex) == 0
    ex.drag_step_size_to(ex.tick_fraction("1/L") + 0.06)
    assert ex.py("ex.controls['lr'].value") > glide > below and zigzags(ex) > 10  # exercise 1: about glide
    # Try this 2: past the solid limit line (2/L, stated), to about 0.6: 'diverged at step ...' (exercise 2's step).
    limit = stated(NB0, rf"solid limit line in the bottom-right strip \(α = ({NUM})\)")
    assert {m["label"]: m["value"] for m in ex.py("ex.controls['lr'].marks")}["2/L"] == limit
    past = stated(NB0, rf"to about ({NUM})\. The text now says")
    ex.type_step_size(past)
    assert ex.shown_value("step size α") == f"{past:g}"
    assert diverged_at(ex) == stated(NB0, rf"the run diverges \(at {NUM}, at step ({NUM})\)")
    # Exercise 2: just below the limit the path still reaches the centre; at the limit it bounces forever.
    ex.type_step_size(round(limit * 0.96, 2))
    assert "diverged" not in ex.readout() and settled_step(ex) > 0
    ex.type_step_size(limit)
    assert "diverged" not in ex.readout() and "not within 1e-6" in ex.readout()
    # Try this 3: Play grows the path step by step; the iteration slider, dragged, shows an earlier iterate.
    steps = ex.py("ex.controls['steps'].value")
    ex.root.locator(".stepviz-play button").first.click()
    page.wait_for_timeout(1200)
    during = int(ex.shown_value("iteration"))
    page.wait_for_function("(el) => el.querySelector('.stepviz-play button').innerText.endsWith('Play')",
                           arg=ex.root.element_handle(), timeout=20_000)
    assert 0 < during < steps and int(ex.shown_value("iteration")) == steps
    ex.drag_slider_to("iteration", 0.3)
    shown = int(ex.shown_value("iteration"))
    assert 0.15 * steps < shown < 0.45 * steps and ex.py("ex.controls['iteration'].value") == shown
    # Try this 4: a click on the contour plot starts the path there.
    ex.type_step_size(stated(NB0, rf"on the bowl α = ({NUM}) stays below"))
    ex.click_axes(0, 0.5, -1.25)
    x0, y0 = ex.py("[ex.controls['x0'].value, ex.controls['y0'].value]")
    assert abs(x0 - 0.5) <= 0.015 and abs(y0 + 1.25) <= 0.015  # a pixel of the picture is 0.017 here
    assert ex.py("ex.trajectory.points[0].tolist()") == pytest.approx([x0, y0], abs=1e-12)
    assert ex.shown_value("start θ₁") == f"{x0:.2f}" and ex.shown_value("start θ₂") == f"{y0:.2f}"
    assert f"from ({x0:.2f}, {y0:.2f})" in ex.label()
    # Exercise 3: on the bowl alpha = 0.1 stays below 1e-6 from step 33 on (from the lesson's start) ...
    ex.type_into("start θ₁", f"{ex.py('ex.surface.start[0]'):.2f}")
    ex.type_into("start θ₂", f"{ex.py('ex.surface.start[1]'):.2f}")
    assert settled_step(ex) == stated(NB0, rf"on the bowl α = {NUM} stays below \$10\^{{-6}}\$ from step ({NUM}) on")
    # ... the surface dropdown to rosenbrock: everything follows, and alpha = 0.1 diverges at step 2.
    ex.choose("surface", "rosenbrock")
    assert ex.py("[ex.controls['x0'].value, ex.controls['y0'].value]") == [-1.2, 1.0]
    assert ex.py("ex.trajectory.points[0].tolist()") == [-1.2, 1.0]
    assert ex.shown_value("start θ₁") == "-1.20" and ex.shown_value("start θ₂") == "1.00"
    assert "Contour plot of rosenbrock" in ex.label() and "from (-1.20, 1.00)" in ex.label()
    assert ex.label() == ex.py("ex.alt")
    assert diverged_at(ex) == stated(NB0, rf"α = {NUM} diverges at step ({NUM}) on Rosenbrock")
    # A step size that settles, typed, with the slider's longest run (typed into the steps readout).
    ex.type_step_size(stated(NB0, rf"with α = ({NUM}), even the"))
    ex.type_into("steps", f"{stated(NB0, rf'even the ({NUM}) steps of the slider'):.0f}")
    assert ex.py("ex.controls['steps'].value") == ex.py("ex.controls['steps'].max")
    final = re.search(r"final loss − J\* = (\S+)", ex.readout()).group(1)
    assert agrees(written(NB0, rf"leave the loss at ({NUM}) and"), float(final))
    no_kernel_errors(nb)


# --- 01 · The update rule ----------------------------------------------------------------------------------
NB1 = "01_the_update_rule"


def regime(ex) -> str:
    return ex.readout().split(" ·")[0].split(" ")[0]


def test_01_try_this(page, lab):
    nb = Notebook.open(page, lab, NB1 + ".ipynb")
    ex = nb.explorer("ur")
    assert ex.shown_value("curvature λ") == "1.00" and ex.py("ex.controls['lam'].value") == 1.0
    # Try this 1: dragged from the left end to the right end, alpha passes 1/lambda (factor 0) and 2/lambda.
    marks = {m["label"]: m["value"] for m in ex.py("ex.controls['lr'].marks")}
    assert marks == {"1/λ": 1.0, "2/λ": 2.0}
    ex.drag_step_size_to(0.0)
    assert ex.py("ex.controls['lr'].value") == ex.py("ex.controls['lr'].min")
    ex.drag_step_size_to(ex.tick_fraction("1/λ") + 0.003)  # onto the tick: the drag snaps to it
    assert ex.py("ex.controls['lr'].value") == 1.0 and ex.py("ex.trajectory.points[1, 0]") == 0.0
    ex.drag_step_size_to(ex.tick_fraction("2/λ") + 0.05)
    assert ex.py("ex.controls['lr'].value") > 2 and regime(ex) == "diverging"
    # Try this 2: alpha typed exactly to 1: one step (the answer: theta_1 = 0).
    ex.type_step_size(1)
    assert ex.py("ex.controls['lr'].value") == 1.0 and ex.py("ex.trajectory.points[1, 0]") == 0.0
    assert re.search(r"2\. One: the factor", "\n".join(cells(NB1)))
    assert "|θ| within 1e-6 from step 1 on" in ex.readout() and regime(ex) == "smooth"
    # Try this 3: alpha = 0.8 typed, lambda dragged from 0.5 to 3: smooth, then oscillating past 1/0.8, diverging
    # from 2/0.8 on (the answer's lambdas, read from it).
    ex.type_step_size(0.8)
    ex.type_into("curvature λ", "0.5")
    assert regime(ex) == "smooth"
    osc, div = stated(NB1, rf"past 1 at \$\\lambda = ({NUM})\$"), stated(NB1, rf"to 2 at \$\\lambda = ({NUM})\$")
    lam_min, lam_max = ex.py("[ex.controls['lam'].min, ex.controls['lam'].max]")
    ex.drag_slider_to("curvature λ", ((osc + div) / 2 - lam_min) / (lam_max - lam_min))
    lam = ex.py("ex.controls['lam'].value")
    assert osc < lam < div and regime(ex) == "oscillating", (lam, ex.readout())
    ex.drag_slider_to("curvature λ", 1.0)
    assert ex.py("ex.controls['lam'].value") >= div and regime(ex) == "diverging"
    # the ticks follow lambda
    assert {m["label"]: m["value"] for m in ex.py("ex.controls['lr'].marks")} == pytest.approx(
        {"1/λ": 1 / lam_max, "2/λ": 2 / lam_max})
    no_kernel_errors(nb)


# --- 02 · Too big, too small --------------------------------------------------------------------------------
NB2 = "02_too_big_too_small"


def test_02_try_this_and_exercise_1(page, lab):
    nb = Notebook.open(page, lab, NB2 + ".ipynb")
    ex = nb.explorer("ex")
    assert ex.py("ex.controls['lr'].value") == stated(NB2, rf"Start at α = ({NUM}) \(zig-zag\)") and zigzags(ex) > 10
    # 1: down to 0.05: no zig-zag; the flat factor 0.95 sets the pace (the answer's numbers).
    low = stated(NB2, rf"Drag α down to ({NUM}): the zig-zag goes")
    ex.type_step_size(low)
    flat = stated(NB2, rf"\$1 - {NUM} = ({NUM})\$ and")
    assert zigzags(ex) == 0 and f"measured {flat:.3f}, predicted {flat:.3f}" in ex.readout()
    # 2: drag alpha up to the optimal-step line: the drag snaps to the tick 2/(mu+L); the measured rate 9/11.
    ex.drag_step_size_to(ex.tick_fraction("2/(μ+L)") + 0.004)
    assert ex.py("ex.controls['lr'].value") == pytest.approx(2 / 11, rel=1e-12)
    rate = stated(NB2, rf"the measured rate is \$9/11 = ({NUM})\$")
    assert f"measured {rate:.3f}, predicted {rate:.3f}" in ex.readout()
    # 3: past the limit line (0.2), to 0.22: diverged at the step the answer names.
    limit = stated(NB2, rf"past the limit line at ({NUM}), to")
    assert {m["label"]: m["value"] for m in ex.py("ex.controls['lr'].marks")}["2/L"] == limit
    ex.type_step_size(stated(NB2, rf"past the limit line at {NUM}, to ({NUM})"))
    assert diverged_at(ex) == stated(NB2, rf"At {NUM} the run diverges at step ({NUM})")
    # 4: start theta_2 = 0 (typed into its readout): up to 2/mu = 2 it converges, above it diverges; the readout
    # says which rate applies.
    ex.type_into("start θ₂", "0")
    assert ex.py("ex.controls['y0'].value") == 0.0
    ex.type_step_size(1.9)
    assert "diverged" not in ex.readout() and "start lies on the μ axis" in ex.readout()
    assert "rate does not apply" in ex.readout()
    ex.type_step_size(2.1)
    assert re.search(r"diverged at step \d+", ex.readout())
    no_kernel_errors(nb)


def test_02_exercise_1_a_round_bowl_lands_in_one_step_at_one_third(page, lab):
    call = re.search(r"1\. Switch to a round bowl: `(sv\.live\.explore\(.*?\))`\.", "\n".join(cells(NB2))).group(1)  # the question's
    nb = Notebook.scratch(page, lab, "round.ipynb", [f"import stepviz as sv\nex = {call}\nex"])
    ex = nb.explorer("ex")
    marks = {m["label"]: m["value"] for m in ex.py("ex.controls['lr'].marks")}
    assert marks["2/(μ+L)"] == pytest.approx(1 / 3)
    ex.drag_step_size_to(ex.tick_fraction("2/(μ+L)") + 0.004)
    assert ex.py("ex.controls['lr'].value") == pytest.approx(1 / 3, rel=1e-12)
    assert "from step 1 on" in ex.readout(), ex.readout()
    assert ex.py("float(abs(ex.trajectory.points[1]).max())") < 1e-15
    no_kernel_errors(nb)
