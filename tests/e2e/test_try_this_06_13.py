"""Try this of notebooks 06, 07, 08, 10 and 13 done with the real mouse and keys in JupyterLab (issue 15 item 7),
each compared with what the notebook's current text says will be seen (read with tests/lessons/prose.py).

06: gamma raised from 0 in small steps at alpha = 0.02 (arrow keys), gamma 0.6 -> the slider's end at alpha = 0.01,
    the heavy-ball-optimum button (the note and the readout print the same rate).
07: the iteration slider dragged (look-ahead points far, then close), the optimizer switched Momentum <-> Nesterov.
08: GD's largest alpha found with Shift+arrow, back to RMSprop; RMSprop at alpha = 0.01 and 0.001 with 400 steps.
10: alpha 0.1 -> 0.3 -> 0.02, batch 1 -> 200 (Home/End), batch 1 with alpha = 0.5.
13: the cheat sheet's heavy ball typed into the capstone's explorer, and the solution's two roundings.
(09, 11, 12 ask for code, not for an action in an explorer.)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from scenario import Notebook
from test_actions import no_kernel_errors, page  # noqa: F401  (the page fixture)
from test_try_this_00_02 import diverged_at, settled_step

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.lessons.prose import NUM, TEX, agrees, stated, written  # noqa: E402

# Sign changes of the run's error along each eigen-direction (flat, steep): overshoots; parts below 1e-9 are 0.
FLIPS = ("(lambda np: [int((lambda s: (s[1:] != s[:-1]).sum())(np.sign(e[abs(e) > 1e-9]))) for e in "
         "((ex.trajectory.points - ex.surface.minima[0]) @ np.linalg.eigh(ex.surface.H)[1]).T])(__import__('numpy'))")


def rates(ex):
    m = re.search(r"measured (\d\.\d{3}), predicted (\d\.\d{3})", ex.readout())
    assert m, ex.readout()
    return float(m.group(1)), float(m.group(2))


NB6 = "06_momentum"


def test_06_try_this(page, lab):
    nb = Notebook.open(page, lab, NB6 + ".ipynb")
    ex = nb.explorer("explorer")
    # 1: alpha = 0.02, gamma raised from 0 in small steps (arrow keys: 0.01 each): across the valley the path
    # overshoots for every gamma > 0; along it only from (1 - sqrt(alpha mu))^2 = 0.74 on.
    assert ex.py("ex.controls['lr'].value") == 0.02
    ex.type_into("momentum γ", "0")
    flat, steep = ex.py(FLIPS)
    assert steep == 0 and flat == 0
    ex.slide_with_keys("momentum γ", "ArrowRight", "ArrowRight")
    assert ex.py("ex.controls['momentum'].value") == 0.02 and ex.shown_value("momentum γ") == "0.02"
    flat, steep = ex.py(FLIPS)
    assert steep > 0 and flat == 0
    edge = stated(NB6, rf"once \$\\gamma > \(1 - \\sqrt{{\\alpha\\mu}}\)\^2 = ({NUM})\$ at")
    ex.type_into("momentum γ", f"{edge - 0.01:.2f}")
    assert ex.py(FLIPS)[0] == 0
    ex.type_into("momentum γ", f"{edge + 0.06:.2f}")
    assert ex.py(FLIPS)[0] > 0
    # 2: alpha = 0.01, gamma from 0.6 to its largest value (the slider's end): from a smooth descent to waves (the
    # loss rises again and again).
    lo = stated(NB6, rf"move \$\\gamma\$ from ({NUM}) to its largest value, {NUM}:")
    hi = stated(NB6, rf"move \$\\gamma\$ from {NUM} to its largest value, ({NUM}):")
    assert hi == ex.py("ex.controls['momentum'].max")
    ex.type_step_size(0.01)
    rises = "int((__import__('numpy').diff(ex.trajectory.losses) > 0).sum())"
    ex.type_into("momentum γ", f"{lo:g}")
    calm = ex.py(rises)
    ex.type_into("momentum γ", f"{hi:g}")
    assert ex.py(rises) > 5 * max(calm, 1)
    # 3: the heavy-ball optimum button: the readout's rate is about 0.75, and the note prints the readout's number.
    ex.click_button("heavy-ball optimum")
    measured, predicted = rates(ex)
    assert agrees(written(NB6, rf"At the optimum the readout shows a rate of about ({NUM})"), predicted)
    note = ex.py("ex.note.value")
    assert f"predicted rate {predicted:.3f} for these values" in note
    assert f"predicted rate {predicted:.3f} for these values" in ex.text()  # the note as the page shows it
    gamma = ex.py("ex.controls['momentum'].value")
    assert ex.shown_value("momentum γ") == f"{gamma:.2f}" and f"γ = {gamma:g}" in note
    no_kernel_errors(nb)


NB7 = "07_nesterov"


def test_07_try_this(page, lab):
    nb = Notebook.open(page, lab, NB7 + ".ipynb")
    ex = nb.explorer("explorer")
    # 1: the iteration slider dragged: look-ahead points far from the path early, close near the minimum.
    gap = ("(lambda np: float(np.linalg.norm(ex.lookahead()[-1] - "
           "ex.trajectory.points[len(ex.lookahead()) - 1])))(__import__('numpy'))")
    ex.drag_slider_to("iteration", 0.04)
    early = ex.py(gap)
    ex.drag_slider_to("iteration", 0.9)
    late = ex.py(gap)
    assert early > 100 * late, (early, late)
    # 2: the same alpha and gamma, Momentum against Nesterov: the readout counts from where each stays below 1e-6.
    heavy = stated(NB7, rf"the 200 steps: from step ({NUM}) for the\s+heavy ball")
    nesterov = stated(NB7, rf"and from step ({NUM}) for Nesterov\.")
    assert settled_step(ex) == nesterov
    ex.choose("optimizer", "Momentum")
    assert settled_step(ex) == heavy
    assert "Momentum" in ex.label() and ex.py("ex.controls['optimizer'].value") == "Momentum"
    ex.choose("optimizer", "Nesterov")
    assert settled_step(ex) == nesterov
    no_kernel_errors(nb)


NB8 = "08_adaptive_methods"


def test_08_try_this(page, lab):
    nb = Notebook.open(page, lab, NB8 + ".ipynb")
    ex = nb.explorer("explorer")
    # 1: GD's largest alpha that does not diverge, found with Shift+arrow from below; back to RMSprop with it.
    edge = stated(NB8, rf"GD diverges from about α = ({NUM}) on")
    ex.choose("optimizer", "GD")
    ex.type_step_size(round(edge * 0.8, 4))
    assert "diverged" not in ex.readout()
    handle = ex.root.locator(".stepviz-lr input[type=range]")
    handle.focus()
    for _ in range(20):
        ex.arm()
        page.keyboard.press("Shift+ArrowRight")
        ex.settle(timeout_ms=5_000)
        if "diverged" in ex.readout():
            break
    first_bad = ex.py("ex.controls['lr'].value")
    assert "diverged" in ex.readout() and agrees(f"{edge:g}", first_bad), first_bad
    page.keyboard.press("Shift+ArrowLeft")
    ex.settle(timeout_ms=5_000)
    largest = ex.py("ex.controls['lr'].value")
    ex.choose("optimizer", "RMSprop")
    assert ex.py("ex.controls['lr'].value") == largest and "diverged" not in ex.readout()
    assert ex.py("float(ex.trajectory.losses[-1] / ex.trajectory.losses[0])") < 0.5  # "moves at once"
    # 2: RMSprop, 400 steps, alpha = 0.01 and then 0.001: the larger step ends lower (the answer's losses).
    ex.type_into("steps", "400")
    ex.type_step_size(0.01)
    final = float(re.search(r"final loss − J\* = (\S+)", ex.readout()).group(1))
    assert agrees(written(NB8, rf"RMSprop with α = 0.01 is at loss ({NUM})"), final)
    ex.type_step_size(0.001)
    final = float(re.search(r"final loss − J\* = (\S+)", ex.readout()).group(1))
    assert agrees(written(NB8, rf"with α = 0.001 still at ({NUM})"), final)
    no_kernel_errors(nb)


NB10 = "10_stochastic_gradients"


def floor_and_mean(ex):
    text = ex.readout()
    mean = float(re.search(r"mean J − J\* over the second half: (\S+)", text).group(1))
    floor = float(re.search(r"predicted floor for constant α = \S+: (\S+)", text).group(1))
    return floor, mean


def test_10_try_this(page, lab):
    nb = Notebook.open(page, lab, NB10 + ".ipynb")
    ex = nb.explorer("sgd")
    # 1: alpha 0.1 -> 0.3: the ball grows (floor 0.062, the mean on it); -> 0.02: floor 0.002, the runs not arrived.
    base = stated(NB10, rf"Raise \$\\alpha\$ from ({NUM}) to")
    assert ex.py("ex.controls['lr'].value") == base
    ex.type_step_size(stated(NB10, rf"Raise \$\\alpha\$ from {NUM} to ({NUM}): the ball grows"))
    floor, mean = floor_and_mean(ex)
    assert agrees(written(NB10, rf"the readout's predicted floor is ({NUM}), five times"), floor)
    assert agrees(written(NB10, rf"the runs' mean over the second half, ({NUM}), sits on it"), mean)
    ex.type_step_size(stated(NB10, rf"Lower it to ({NUM}): the ball shrinks"))
    floor, mean = floor_and_mean(ex)
    assert agrees(written(NB10, rf"\$\\alpha = 0.02\$ the floor is ({NUM}), but"), floor)
    assert agrees(written(NB10, rf"after 300 steps the mean is still ({NUM})"), mean)
    assert "not settled" in ex.readout()  # the readout says the runs have not arrived at the floor
    # 2: alpha = 0.1, the batch size from 1 to 200 (Home, End on its slider): the floor falls to 0, SGD is GD.
    ex.type_step_size(base)
    ex.slide_with_keys("batch size", "Home")
    assert ex.py("ex.controls['batch_size'].value") == 1
    assert agrees(written(NB10, rf"The floor falls from ({NUM}) at batch 1"), floor_and_mean(ex)[0])
    ex.slide_with_keys("batch size", "End")
    assert ex.py("ex.controls['batch_size'].value") == 200 and ex.shown_value("batch size") == "200"
    floor, mean = floor_and_mean(ex)
    assert floor == 0 and agrees(written(NB10, rf"second half is \$({TEX})\$ and still falling"), mean)
    # 3: batch 1 and alpha = 0.5: every run diverges, the first at step 21.
    ex.slide_with_keys("batch size", "Home")
    ex.type_step_size(stated(NB10, rf"3\. Batch 1 and \$\\alpha = ({NUM})\$"))
    assert diverged_at(ex) == stated(NB10, rf"the first at step ({NUM}), although")
    assert "5 of 5 runs left the window" in ex.readout()
    no_kernel_errors(nb)


NB13 = "13_summary"


def test_13_try_this_the_cheat_sheets_heavy_ball_in_the_capstone_explorer(page, lab):
    nb = Notebook.open(page, lab, NB13 + ".ipynb")
    ex = nb.explorer("lab")
    ex.choose("optimizer", "Momentum")
    # The cheat sheet's heavy ball for the start's eigenvalues, typed: about 106 steps, "just too many".
    lr = stated(NB13, rf"heavy ball for\s+those, \$\\alpha \\approx ({NUM})\$")
    gamma = stated(NB13, rf"those, \$\\alpha \\approx {NUM}\$ and \$\\gamma \\approx ({NUM})\$")
    ex.type_step_size(lr)
    ex.type_into("momentum γ", f"{gamma:.2f}")
    tol = "1e-8"
    assert ex.py("ex.tol") == float(tol)
    k = settled_step(ex, tol)
    about = stated(NB13, rf"\\gamma \\approx {NUM}\$, needs ({NUM}) steps")
    assert abs(k - about) <= 3 and k > ex.py("__import__('stepviz').lessons.summary.MYSTERY_TARGET")
    # The solution: rounded down (0.05, 0.63) passes in 58; typed as 0.054 it needs 224.
    ex.type_into("momentum γ", "0.63")
    ex.type_step_size(0.05)
    assert settled_step(ex, tol) == stated(NB13, rf"\\alpha = 0.05, \\gamma = 0.63\$ takes ({NUM})")
    ex.type_step_size(0.054)
    assert settled_step(ex, tol) == stated(NB13, rf"the same answer needs ({NUM}) steps and fails")
    no_kernel_errors(nb)
