"""Try this of notebooks 03-05 done with the real mouse and keys in JupyterLab (issue 15 item 7), each compared
with what the notebook's current text says will be seen (read with tests/lessons/prose.py).

03: the valley explorer's Try this 1-3 (alpha raised by Shift+arrow from 0.001 to 0.003, alpha = 0.02 typed,
    alpha ~ 0.0019 with 5000 steps) and the saddle explorer's Try this 1-3 (the stable-line box, offsets 1e-8 and
    1e-2 typed, alpha = 1.0 and 1.2).
04: Try this 1-2 (the range-test suggestion -> the grid-search answer, -> the range test's minimum).
05: Try this 1-2 of section 2 (decay 0, 0.05, 0.3; the four schedules) and the warmup Try this (alpha_0 = 0.3).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
from scenario import Notebook
from test_actions import no_kernel_errors, page  # noqa: F401  (the page fixture)
from test_try_this_00_02 import diverged_at, settled_step

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.lessons.prose import NUM, TEX, agrees, stated, written  # noqa: E402

NB3 = "03_curved_valleys_and_saddles"


def final_gap(ex) -> float:
    return float(re.search(r"final loss − J\* = (\S+)", ex.readout()).group(1))


def above_count(ex) -> int:
    return int(re.search(r"α above the local limit at (\d+) of", ex.readout()).group(1))


def test_03_valley_and_saddle_try_this(page, lab):
    nb = Notebook.open(page, lab, NB3 + ".ipynb")
    ex = nb.explorer("valley")
    low = stated(NB3, rf"Raise \$\\alpha\$ slowly from \$({NUM})\$ to")
    high = stated(NB3, rf"slowly from \${NUM}\$ to \$({NUM})\$\.")
    assert ex.py("ex.controls['lr'].value") == low
    # 1: raise alpha slowly (Shift+arrow, one small step each) from 0.001 to 0.003; up to ~0.0025 only the first
    # iterates lie above the local-limit curve, at 0.003 most of the path's end does.
    upto = stated(NB3, rf"Up to \$\\alpha \\approx ({NUM})\$ only the first iterates")
    handle = ex.root.locator(".stepviz-lr input[type=range]")
    handle.focus()
    seen = []
    while ex.py("ex.controls['lr'].value") < high * 0.99 and len(seen) < 60:
        ex.arm()
        page.keyboard.press("Shift+ArrowRight")
        ex.settle(timeout_ms=5_000)
        lr = ex.py("ex.controls['lr'].value")
        seen.append((lr, above_count(ex)))
    ratios = [b / a for (a, _), (b, _) in zip(seen, seen[1:])]
    assert len(seen) > 10 and max(ratios) < 1.1, "Shift+arrow is one small step"  # ~25 presses, not 3
    assert all(n < 20 for lr, n in seen if lr <= upto) and seen[-1][1] > 100, seen
    above = ex.py("__import__('numpy').nonzero(ex.controls['lr'].value > __import__('stepviz').analysis"
                  ".local_limits(ex.trajectory))[0].tolist()")
    assert above and max(above) > 20
    ex.type_step_size(high)
    first = stated(NB3, rf"first crosses the curve near step ({NUM})")
    d = ex.py(f"ex.trajectory.distance_to_minimum()[{int(first)}:].tolist()")
    assert agrees(written(NB3, rf"between ({NUM}) and {NUM} away from"), min(d))
    assert agrees(written(NB3, rf"between {NUM} and ({NUM}) away from"), max(d))
    # 2: alpha = 0.02 typed: diverged at once (the answer's step); the start's local limit is the slider's tick.
    ex.type_step_size(stated(NB3, rf"Set \$\\alpha = ({NUM})\$: the run diverges at once"))
    assert diverged_at(ex) == stated(NB3, rf"It diverges at step ({NUM})")
    ticks = {m["label"]: m["value"] for m in ex.py("ex.controls['lr'].marks")}
    assert agrees(written(NB3, rf"at the start the local limit is only \$({NUM})\$"), ticks["limit at start"])
    # 3: alpha ~ 0.0019 and 5000 steps (both typed): how close to (1, 1)?
    ex.type_step_size(stated(NB3, rf"With \$\\alpha \\approx ({NUM})\$ and {NUM} steps"))
    ex.type_into("steps", f"{stated(NB3, rf'and ({NUM}) steps, how close'):.0f}")
    assert agrees(written(NB3, rf"from the minimum, with \$J - J\^\* = ({TEX})\$"), final_gap(ex))
    end = ex.py("ex.trajectory.points[-1].tolist()")
    assert agrees(written(NB3, rf"To \$\(({NUM}), {NUM}\)\$"), end[0])
    assert agrees(written(NB3, rf"To \$\({NUM}, ({NUM})\)\$"), end[1])

    sd = nb.explorer("saddle_demo")
    # 1: tick 'start exactly on the stable line': the path ends at the saddle point, loss 0.
    sd.tick("start exactly on the stable line")
    assert "never escapes" in sd.readout() and sd.py("ex.controls['on_line'].value") is True
    assert max(abs(v) for v in sd.py("ex.trajectory.points[-1].tolist()")) < 1e-6
    assert abs(sd.py("float(ex.trajectory.losses[-1])")) < 1e-12
    # 2: untick, offset 1e-8 typed (steps raised until it escapes): about 186 steps, against 41 at 1e-2.
    sd.tick("start exactly on the stable line")
    sd.type_into("start θ₂", "1e-8")
    assert sd.py("ex.controls['offset'].value") == 1e-8
    sd.type_into("steps", "300")
    about = stated(NB3, rf"About ({NUM}) steps, against")
    k = int(re.search(r"escaped at step (\d+)", sd.readout()).group(1))
    assert abs(k - about) <= 5 and f"= {about:.1f} steps" in sd.readout(), sd.readout()
    sd.type_into("start θ₂", "1e-2")
    k = int(re.search(r"escaped at step (\d+)", sd.readout()).group(1))
    against = stated(NB3, rf"against ({NUM}) for \$10\^{{-2}}\$")
    assert abs(k - against) <= 3 and f"= {against:.1f} steps" in sd.readout(), sd.readout()
    # 3: alpha = 1.0, then 1.2 (the cell's offset and steps): no longer settles into the minimum.
    sd.type_into("start θ₂", "1e-3")
    sd.type_into("steps", "150")
    sd.type_step_size(1)
    tail = sd.py("ex.trajectory.points[-10:, 1].tolist()")
    assert agrees(written(NB3, rf"still bounces between ({NUM}) and"), min(tail))
    assert agrees(written(NB3, rf"still bounces between {NUM} and ({NUM})"), max(tail))
    sd.type_step_size(1.2)
    tail = sd.py("ex.trajectory.points[-10:, 1].tolist()")
    assert agrees(written(NB3, rf"a bounce between ({NUM}) and"), min(tail))
    assert agrees(written(NB3, rf"a bounce between {NUM} and ({NUM})"), max(tail))
    losses = sd.py("ex.trajectory.losses[-10:].tolist()")
    assert agrees(written(NB3, rf"the loss alternating between \$({NUM})\$"), min(losses))
    assert "escaped at step" in sd.readout() and "diverged" not in sd.readout()
    no_kernel_errors(nb)


NB4 = "04_choosing_a_step_size"


def test_04_try_this(page, lab):
    nb = Notebook.open(page, lab, NB4 + ".ipynb")
    ex = nb.explorer("explorer")
    start = stated(NB4, rf"The explorer starts at ({NUM}) \(the suggestion")
    assert ex.py("ex.controls['lr'].value") == start
    assert settled_step(ex) == stated(NB4, rf"stays below \$10\^{{-6}}\$ from step ({NUM}) on; at")
    # 1: to the grid-search answer (about 0.18): so many steps fewer.
    ex.type_step_size(stated(NB4, rf"to the grid-search answer \(about ({NUM})\)\. How many fewer steps"))
    fewer = stated(NB4, rf"so\s+({NUM}) steps fewer")
    at = stated(NB4, rf"at {NUM} from step ({NUM}), so")
    assert settled_step(ex) == at and settled_step(ex) + fewer == stated(
        NB4, rf"stays below \$10\^{{-6}}\$ from step ({NUM}) on; at")
    # 2: to the range test's minimum (about 0.69): diverged at the answer's step.
    ex.type_step_size(stated(NB4, rf"minimum of the range-test curve \(about ({NUM})\)"))
    assert diverged_at(ex) == stated(NB4, rf"the run diverges at step ({NUM})")
    no_kernel_errors(nb)


NB5 = "05_schedules"


def parts(ex):
    """The readout's two halves: (schedule, constant alpha_0)."""
    text = ex.readout()
    m = re.match(r"schedule: (.*) · constant α₀: (.*)", text.strip())
    assert m, text
    return m.group(1), m.group(2)


def test_05_try_this_and_warmup(page, lab):
    nb = Notebook.open(page, lab, NB5 + ".ipynb")
    ex = nb.explorer("sched_demo")
    # 1: decay 0 (typed): the schedule's curve lies on the constant step's, the readout's two halves agree.
    ex.type_into("decay", "0")
    sched, const = parts(ex)
    assert sched == const
    keep = {}
    for decay in ("0.05", "0.3"):
        ex.type_into("decay", decay)
        keep[decay] = ex.py("float(abs(ex.trajectory.points[-1, 0] / ex.trajectory.points[0, 0]))")
    assert "not within" in parts(ex)[0]  # a fast decay stops short
    assert agrees(written(NB5, rf"keeps about \$e\^{{-1.4}} \\approx ({NUM})\\,\\%\$"), 100 * keep["0.3"])
    assert agrees(written(NB5, rf"and \$\\theta_1\$ keeps ({NUM}) % of its start"), 100 * keep["0.05"])
    # 2: the other schedules at decay 0.05: cosine keeps up best (one step after the constant one); the others in
    # the order of their sums, 1/t, step, exponential.
    ex.type_into("decay", "0.05")
    final = {"inverse_time": float(re.search(r"final loss − J\* (\S+),", parts(ex)[0]).group(1))}
    for kind in ("step_decay", "exponential", "cosine"):
        ex.choose("schedule", kind)
        final[kind] = float(re.search(r"final loss − J\* (\S+),", parts(ex)[0]).group(1))
    k_cos = int(re.search(r"from step (\d+) on", parts(ex)[0]).group(1))
    k_const = int(re.search(r"from step (\d+) on", parts(ex)[1]).group(1))
    said = stated(NB5, rf"so it stays below \$10\^{{-3}}\$ from step ({NUM}) on,\s+one step after")
    assert k_cos == said == k_const + 1
    assert final["cosine"] < final["inverse_time"] < final["step_decay"] < final["exponential"]
    # Warmup Try this: alpha_0 = 0.3 and decay 0.05 with 1/t: out of the window and back; alpha_t above 2/L
    # for the first 10 steps; |theta_2| peaks at 42 at step 10; below 1e-6 from step 36 on.
    ex.choose("schedule", "inverse_time")
    ex.type_step_size(stated(NB5, rf"set \$\\alpha_0 = ({NUM})\$ \(above"))
    decay = stated(NB5, rf"\(above \$2/L = {NUM}\$!\) and decay \$({NUM})\$")
    ex.type_into("decay", f"{decay:g}")
    sched, const = parts(ex)
    assert "diverged" not in sched and "diverged at step" in const
    limit = stated(NB5, rf"set \$\\alpha_0 = {NUM}\$ \(above \$2/L = ({NUM})\$!\)")
    over = ex.py(f"int((ex.trajectory.lrs > {limit}).sum())")
    assert over == stated(NB5, rf"above \$2/L\$ for the first ({NUM}) steps")
    y = np.abs(ex.py("ex.trajectory.points[:, 1].tolist()"))
    assert agrees(written(NB5, rf"\|\\theta_2\|\$ grows to ({NUM}) \(the window"), y.max()) and y.max() > 2
    assert stated(NB5, rf"grows to {NUM} \(the window is ±2\) at step ({NUM})") == int(np.argmax(y))
    assert ex.py("int(ex.trajectory.steps_to(1e-6))") == stated(
        NB5, rf"shrinks, and \$J - J\^\*\$ stays below \$10\^{{-6}}\$ from step ({NUM}) on")
    no_kernel_errors(nb)
