"""Lesson 02 (02_too_big_too_small.ipynb): its self-checks accept right answers, name typical mistakes, never raise;
every number its prose states is recomputed."""
import contextlib
import io
import re

import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)
from stepviz.lessons import too_big_too_small as lesson

from .prose import NUM, TEX, agrees, call_arguments, markdown, stated, to_number, written
from .answers import JUNK, verdict_of


def test_converges(capsys):
    bowl = sv.QuadraticBowl((1.0, 10.0))
    for lr in (0.01, 0.15, 0.199, 0.2, 0.21, 1.5):
        truth = bool(not sv.run(sv.GD(lr), bowl, steps=3000).diverged) and lr < 0.2
        assert verdict_of(capsys, checks.check_converges, truth, bowl, lr)[0]
        assert not verdict_of(capsys, checks.check_converges, not truth, bowl, lr)[0]
        assert verdict_of(capsys, checks.check_converges, np.bool_(truth), bowl, lr)[0]
    ok, out = verdict_of(capsys, checks.check_converges, True, bowl, 0.5)
    assert not ok and "steep" in out
    for junk in JUNK + ["yes", 1, 0]:
        assert not verdict_of(capsys, checks.check_converges, junk, bowl, 0.1)[0]


def test_converges_measured_on_the_bowl():
    bowl = sv.QuadraticBowl((1.0, 10.0))
    tr = sv.run(sv.GD(np.array([0.199, 0.201])), bowl, steps=3000)
    assert tr.gap()[-1, 0] < 1e-6 and tr.diverged[1]


@pytest.mark.parametrize("curv", [(1.0, 10.0), (2.0, 50.0), (3.0, 3.0)])
def test_optimal_rate(capsys, curv):
    bowl = sv.QuadraticBowl(curv)
    kappa = bowl.condition_number
    rate = (kappa - 1) / (kappa + 1)
    measured = float(sv.run(sv.GD(sv.theory.optimal_lr(bowl)), bowl, steps=300).rate()) if kappa > 1 else 0.0
    assert np.isclose(measured, rate, atol=1e-3)
    assert verdict_of(capsys, checks.check_optimal_rate, rate, bowl)[0]
    assert not verdict_of(capsys, checks.check_optimal_rate, rate + 0.05, bowl)[0]
    if kappa > 1:
        ok, out = verdict_of(capsys, checks.check_optimal_rate, kappa, bowl)
        assert not ok and "κ itself" in out
        ok, out = verdict_of(capsys, checks.check_optimal_rate, 1 - 1 / kappa, bowl)
        assert not ok and "1/L" in out
    for junk in JUNK:
        assert not verdict_of(capsys, checks.check_optimal_rate, junk, bowl)[0]
    assert not verdict_of(capsys, checks.check_optimal_rate, 0.5, "bowl")[0]


# --- claims of the notebook's prose, recomputed (issue 10: claims are tests) -----------------------------

NB = "02_too_big_too_small"
BOWL = sv.QuadraticBowl(curvatures=lesson.BOWL_CURVATURES)


def test_the_default_bowl():
    assert (BOWL.mu, BOWL.L, BOWL.condition_number) == (
        stated(NB, rf"the default bowl has \$\\mu = ({NUM})\$"), stated(NB, rf"\$L = ({NUM})\$, so"),
        stated(NB, rf"so \$\\kappa = ({NUM})\$"))
    assert re.search(r"as soon\s+as \$\\alpha > 1/L\$", markdown(NB)) and 1 - (1.01 / BOWL.L) * BOWL.L < 0


def test_explorer_try_this_answers():
    assert stated(NB, rf"Start at α = ({NUM}) \(zig-zag\)") == lesson.ZIGZAG_LR > 1 / BOWL.L
    low = stated(NB, rf"Drag α down to ({NUM}): the zig-zag goes")  # the question's step, read from it
    assert stated(NB, rf"1\. At α = ({NUM}) both factors are positive") == low
    slow = sv.run(sv.GD(lr=low), BOWL, steps=lesson.EXPLORER_STEPS)
    assert stated(NB, rf"\$1 - ({NUM}) = {NUM}\$ and") == low * BOWL.mu
    assert agrees(written(NB, rf"\$1 - {NUM} = ({NUM})\$ and"), 1 - low * BOWL.mu)
    assert stated(NB, rf"and \$1 - ({NUM}) = {NUM}\$\)") == pytest.approx(low * BOWL.L)
    assert agrees(written(NB, rf"and \$1 - {NUM} = ({NUM})\$\)"), 1 - low * BOWL.L)
    assert stated(NB, rf"after ({NUM}) steps\.\n2\. At") == lesson.EXPLORER_STEPS
    assert agrees(written(NB, rf"\$J - J\^\* = ({NUM})\$ after 60 steps"), slow.gap()[-1])
    ratios = slow.gap()[31:] / slow.gap()[30:-1]
    assert np.allclose(ratios, 0.95 ** 2, rtol=1e-3)  # "a straight line on the log axis"
    assert agrees(written(NB, rf"At \$2/\(\\mu \+ L\) = ({NUM})\$ the measured rate"), sv.theory.optimal_lr(BOWL))
    assert agrees(written(NB, rf"optimal-step line \(≈ ({NUM})\)"), sv.theory.optimal_lr(BOWL))
    best = sv.run(sv.GD(lr=sv.theory.optimal_lr(BOWL)), BOWL, steps=lesson.EXPLORER_STEPS)
    assert agrees(written(NB, rf"the measured rate is \$9/11 = ({NUM})\$"), best.rate())
    assert stated(NB, rf"past the limit line at ({NUM}), to") == sv.theory.lr_limit(BOWL)
    past = stated(NB, rf"past the limit line at {NUM}, to ({NUM}):")
    assert stated(NB, rf"3\. At ({NUM}) the run diverges") == past
    assert stated(NB, rf"At {NUM} the run diverges at step ({NUM})") == sv.run(sv.GD(lr=past), BOWL, steps=60).diverged_at
    barely = sv.run(sv.GD(lr=stated(NB, rf"say ({NUM}), it grows so slowly")), BOWL, steps=60)
    assert not barely.diverged and barely.gap()[-1] > barely.gap()[0]  # "does not carry it out ... does not converge"
    m = re.search(rf"From \$\(({NUM}), ({NUM})\)\$, ({NUM}) steps: with α = ({NUM}), \$J - J\^\*\$ stays below \$10\^{{-6}}\$ from step "
                  rf"({NUM}) on; α = ({NUM}) bounces forever;\s+α = ({NUM}) diverges at step ({NUM})", markdown(NB))
    assert m, "Try this 4's answer changed"
    x0, y0, steps, below, k, edge, above, k_div = (to_number(t) for t in m.groups())
    line = dict(start=(x0, y0), steps=int(steps))
    assert y0 == 0 and edge == 2 / BOWL.mu and below < edge < above
    assert k == sv.run(sv.GD(lr=below), BOWL, **line).steps_to(1e-6)
    bounce = sv.run(sv.GD(lr=edge), BOWL, **line)
    assert np.allclose(np.abs(bounce.points[:, 0]), abs(x0)) and np.all(bounce.points[:, 1] == 0)  # "bounces forever"
    assert k_div == sv.run(sv.GD(lr=above), BOWL, **line).diverged_at
    assert f"sv.run(sv.GD(lr={above:g}), bowl, start=({x0:g}, {y0:.1f}), steps={steps:g}).summary()" in markdown(NB)
    assert stated(NB, rf"Up to \$2/\\mu = ({NUM})\$") == 2 / BOWL.mu


def test_replay_theta2_flips_while_theta1_creeps():
    z = sv.run(sv.GD(lr=lesson.ZIGZAG_LR), BOWL, steps=40).points
    assert np.all(np.sign(z[1:, 1]) == -np.sign(z[:-1, 1]))
    assert np.all(np.diff(np.abs(z[:, 0])) < 0) and np.all(np.sign(z[:, 0]) == np.sign(z[0, 0]))


def test_converges_solution():
    bowl = sv.QuadraticBowl(curvatures=lesson.CHECK_BOWL)
    assert stated(NB, rf"the limit is \$2/25 = ({NUM})\$") == sv.theory.lr_limit(bowl)
    assert stated(NB, rf"1 - 0.09\\cdot 25 = ({NUM})\$") == pytest.approx(1 - 0.09 * bowl.L)
    assert stated(NB, rf"\(The flat direction, factor \$({NUM})\$") == pytest.approx(1 - 0.09 * bowl.mu)


def test_around_the_limit_think_and_figure():
    limit = sv.theory.lr_limit(BOWL)
    m = re.search(rf"({NUM}) %, ({NUM}) %, ({NUM}) % and ({NUM}) % of the limit", markdown(NB))
    assert m and [to_number(t) / 100 for t in m.groups()] == list(lesson.AROUND_THE_LIMIT)
    runs = {f: sv.run(sv.GD(lr=f * limit), BOWL, steps=100) for f in lesson.AROUND_THE_LIMIT}
    assert agrees(written(NB, rf"1 - 0.198 \\cdot 10 = ({NUM})\$"), 1 - 0.99 * limit * BOWL.L)
    assert stated(NB, rf"loses only ({NUM}) % per\s+step") == round(100 * (1 - abs(1 - 0.99 * limit * BOWL.L)))
    assert agrees(written(NB, rf"still at \$J - J\^\* = ({NUM})\$"), runs[0.99].gap()[-1])
    m = re.search(rf"while with ({NUM}) % it stays below \$10\^{{-6}}\$ from step ({NUM}) on and with ({NUM}) % from step ({NUM})\.",
                  markdown(NB))
    assert m, "the Think! answer changed"
    for share, k in ((m.group(1), m.group(2)), (m.group(3), m.group(4))):
        f = to_number(share) / 100
        assert f in runs and to_number(k) == runs[f].steps_to(1e-6)
        assert np.all(runs[f].gap()[int(to_number(k)):] <= 1e-6) and runs[f].gap()[int(to_number(k)) - 1] > 1e-6
    converging = [f for f in lesson.AROUND_THE_LIMIT if not runs[f].diverged]
    assert max(converging, key=lambda f: runs[f].gap()[-1]) == 0.99  # the slowest of the three
    # the reading below the figure: just below, theta_2 bounces almost undamped; just above, the bounce grows
    y = np.abs(runs[0.99].points[:, 1])
    assert np.allclose(y[1:30] / y[:29], 0.98, atol=1e-9)
    assert runs[1.05].diverged and np.all(np.abs(runs[1.05].points[1:20, 1]) > np.abs(runs[1.05].points[:19, 1]))


def test_best_constant_step_and_rate_figure():
    assert agrees(written(NB, rf"minimum is at \$2/\(\\mu\+L\) \\approx ({NUM})\$"), sv.theory.optimal_lr(BOWL))
    assert agrees(written(NB, rf"\$9/11 \\approx ({NUM})\$"), (BOWL.condition_number - 1) / (BOWL.condition_number + 1))
    assert agrees(written(NB, rf"about ({NUM}) steps per factor of 10"), np.log(10) / -np.log(9 / 11))
    lrs, measured, diverged = sv.analysis.rate_vs_lr(BOWL)
    ok = ~diverged
    predicted = sv.theory.gd_rate(BOWL, lrs[ok])
    assert np.max(np.abs(measured[ok] - predicted)) < 1e-3  # "The measured points sit on the predicted curve"
    assert abs(lrs[ok][np.argmin(measured[ok])] / sv.theory.optimal_lr(BOWL) - 1) < 0.05  # the V's bottom
    kappas = (1.5, 2, 4, 8, 16, 32, 64, 128)
    assert stated(NB, rf"with \$\\kappa\$ from ({NUM}) to") == kappas[0] and stated(NB, rf"from {NUM} to ({NUM}):") == kappas[-1]
    rates = sv.analysis.rate_vs_kappa(kappas)
    np.testing.assert_allclose(rates, [(k - 1) / (k + 1) for k in kappas], atol=1e-4)
    assert abs((128 - 1) / (128 + 1) - (1 - 2 / 128)) < 1e-3  # "For large kappa the rate is about 1 - 2/kappa"


def test_optimal_rate_solution():
    bowl = sv.QuadraticBowl(curvatures=lesson.RATE_BOWL)
    assert stated(NB, rf"\$\\kappa = 18/2 = ({NUM})\$") == bowl.condition_number
    assert stated(NB, rf"the rate is \$\(9 - 1\)/\(9 \+ 1\) = ({NUM})\$") == sv.run(sv.GD(0.1), bowl, steps=200).rate().round(6)
    assert stated(NB, rf"\\alpha\^\* = 2/\(2 \+ 18\) = ({NUM})\$") == sv.theory.optimal_lr(bowl)


def test_exercise_answers():
    m = re.search(rf"sv\.live\.explore\(sv\.QuadraticBowl\(\(({NUM}), ({NUM})\)\)\)", markdown(NB))
    assert m, "exercise 1's question changed"
    mu, L = (to_number(t) for t in m.groups())
    round_bowl = sv.QuadraticBowl((mu, L))
    sv.live.explore(round_bowl).close()  # the call the question gives works
    assert round_bowl.condition_number == stated(NB, rf"1\. \$\\kappa = ({NUM})\$: the best step")
    m = re.search(rf"the best step is \$2/\(({NUM}) \+ ({NUM})\) = 1/({NUM})\$", markdown(NB))
    assert m and (to_number(m.group(1)), to_number(m.group(2))) == (mu, L)
    assert to_number(m.group(3)) == pytest.approx(1 / sv.theory.optimal_lr(round_bowl))
    assert re.search(rf"both factors are\s+\$1 - \\tfrac1{int(to_number(m.group(3)))} \\cdot {L:g} = 0\$", markdown(NB))
    one = sv.run(sv.GD(lr=sv.theory.optimal_lr(round_bowl)), round_bowl, steps=3)
    assert one.gap()[1] < 1e-20 and one.steps_to(1e-20) == 1  # "One step lands exactly on the minimum"
    lrs = np.linspace(0.1, 0.2, 2001)
    assert stated(NB, rf"over ({NUM}) step sizes from 0.1 to 0.2") == lrs.size
    best = {}
    for steps in (20, 50, 100, 200):
        final = sv.run(sv.GD(lr=lrs), BOWL, steps=steps).final_loss
        best[steps] = (lrs[np.nanargmin(final)], np.nanmin(final))
    assert agrees(written(NB, rf"after 50 steps is at ({NUM})"), best[50][0])
    assert agrees(written(NB, rf"after 50 steps is at {NUM} \(\$({TEX})\$"), best[50][1])
    at_opt = sv.run(sv.GD(lr=sv.theory.optimal_lr(BOWL)), BOWL, steps=50).final_loss
    assert agrees(written(NB, rf"against\s+\$({TEX})\$ at \$2/\(\\mu\+L\)"), at_opt)
    assert agrees(written(NB, rf"at \$2/\(\\mu\+L\) = ({NUM})\$\)"), sv.theory.optimal_lr(BOWL))
    for steps in (20, 100, 200):
        assert agrees(written(NB, rf"({NUM}) after {steps}\b"), best[steps][0])


def test_self_check_questions_are_what_the_checks_check():
    conv = call_arguments(NB, "check_converges")
    m = re.search(rf"the bowl with curvatures \$\(({NUM}), ({NUM})\)\$ and \$\\alpha = ({NUM})\$", markdown(NB))
    assert m and (to_number(m.group(1)), to_number(m.group(2))) == lesson.CHECK_BOWL and to_number(m.group(3)) == conv["lr"]
    m = re.search(rf"For the bowl with curvatures \$\(({NUM}), ({NUM})\)\$, what rate", markdown(NB))
    assert m and (to_number(m.group(1)), to_number(m.group(2))) == lesson.RATE_BOWL
    assert stated(NB, rf"the default bowl has \$\\mu = ({NUM})\$") == lesson.BOWL_CURVATURES[0]
    assert stated(NB, rf"The same zig-zag at \$\\alpha = ({NUM})\$") == lesson.ZIGZAG_LR


def test_rate_figure_uses_the_stated_number_of_step_sizes():
    lrs, _, _ = sv.analysis.rate_vs_lr(BOWL)
    assert stated(NB, rf"one batched run over ({NUM}) step sizes") == lrs.size


def test_the_explorer_slider_reaches_past_the_flat_directions_limit():
    """Try this 4 needs alpha beyond 2/mu = 2: the explorer's range covers it, and there the run from theta_2 = 0
    converges just below 2 and diverges just above (as the answer says)."""
    assert "slider goes up to 3" in markdown(NB) and lesson.EXPLORER_LR_RANGE[1] >= 3.0 > 2.0
    ex = sv.live.explore(sv.QuadraticBowl(lesson.BOWL_CURVATURES), "GD", lr=lesson.ZIGZAG_LR,
                         steps=lesson.EXPLORER_STEPS, lr_range=lesson.EXPLORER_LR_RANGE, start=(-1.5, 0.0))
    ex.controls["lr"].value = 1.9
    assert not ex.trajectory.diverged
    ex.controls["lr"].value = 2.1
    assert ex.trajectory.diverged
    ex.close()


# --- issue 21: the remaining numbers of the prose, read and recomputed ------------------------------------------

from .formulas import evaluate  # noqa: E402


def test_try_this_worked_numbers_read_from_their_questions():
    assert stated(NB, rf"happily take α up to \$2/\\mu = ({NUM})\$") == 2 / BOWL.mu
    assert evaluate(re.search(r"happily take α up to \$(2/\\mu) =", markdown(NB)).group(1))({"mu": BOWL.mu}) == 2 / BOWL.mu
    theta2 = stated(NB, rf"Set \*\*start θ₂\*\* to ({NUM}) \(or click")
    assert stated(NB, rf"with \$\\theta_2 = ({NUM})\$ the steep factor multiplies zero") == theta2 == 0
    assert stated(NB, rf"From \$\({NUM}, ({NUM})\)\$, {NUM} steps") == theta2
    low = stated(NB, rf"Drag α down to ({NUM}): the zig-zag goes")
    assert agrees(written(NB, rf"The flat one, ({NUM}) per step"), sv.analysis.step_factor(low, BOWL.mu))
    edge, barely = stated(NB, rf"\(Just above ({NUM}), say"), stated(NB, rf"say ({NUM}), it grows so slowly")
    window = stated(NB, rf"it grows so slowly that ({NUM}) steps do not carry it")
    assert edge == sv.theory.lr_limit(BOWL) < barely and window == lesson.EXPLORER_STEPS
    slow = sv.run(sv.GD(lr=barely), BOWL, steps=int(window))
    assert not slow.diverged and slow.gap()[-1] > slow.gap()[0]
    assert sv.run(sv.GD(lr=barely), BOWL, steps=int(window) * 20).diverged  # it does leave, much later


def test_convergence_condition_and_the_edge():
    text = markdown(NB)
    assert stated(NB, rf"both factors need \$\|1 - \\alpha\\lambda_i\| < ({NUM})\$") == 1
    for zero in [to_number(t) for t in re.findall(rf"(?:\\iff|converges iff \$)\s*({NUM}) < \\alpha < ", text)]:
        assert zero == 0
    assert len(re.findall(rf"(?:\\iff|converges iff \$)\s*({NUM}) < \\alpha < ", text)) == 2
    limit = sv.theory.lr_limit(BOWL)
    assert all(not sv.run(sv.GD(lr=f * limit), BOWL, steps=400).diverged for f in (0.01, 0.5, 0.99))
    near = stated(NB, rf"Just below the limit the steep factor is close to ({NUM})")
    assert sv.analysis.step_factor(0.999 * limit, BOWL.L) == pytest.approx(near, abs=0.01)


def test_converges_solution_reads_the_question():
    bowl = sv.QuadraticBowl(curvatures=lesson.CHECK_BOWL)
    lr = call_arguments(NB, "check_converges")["lr"]
    m = re.search(rf"\$L = ({NUM})\$, so the limit is \$2/({NUM}) = {NUM}\$ and \$\\alpha = ({NUM})\$ is above it: the steep direction's "
                  rf"factor is\s+\$1 - ({NUM})\\cdot ({NUM}) = ", markdown(NB))
    L, L2, alpha, alpha2, L3 = map(to_number, m.groups())
    assert L == L2 == L3 == bowl.L and alpha == alpha2 == lr > sv.theory.lr_limit(bowl)


def test_around_the_limit_answer_reads_its_percentages():
    text = markdown(NB)
    slowest = stated(NB, rf"The one at ({NUM}) % of the limit")
    lr = slowest / 100 * sv.theory.lr_limit(BOWL)
    m = re.search(rf"steep factor is \$1 - ({NUM}) \\cdot ({NUM}) = ({NUM})\$, so \$\\theta_2\$ loses only ({NUM}) % per", text)
    a, L, f, loss = map(to_number, m.groups())
    assert (a, L) == (pytest.approx(lr), BOWL.L) and loss == pytest.approx(100 * (1 - abs(f)))
    steps = stated(NB, rf"step\. After ({NUM}) steps it is still at")
    assert steps == call_arguments(NB, "compare")["steps"]
    runs = {p: sv.run(sv.GD(lr=p / 100 * sv.theory.lr_limit(BOWL)), BOWL, steps=int(steps)) for p in (99, 90, 50)}
    assert agrees(written(NB, rf"it is still at \$J - J\^\* = ({NUM})\$"), runs[slowest].gap()[-1])
    for p in (90, 50):
        assert runs[p].gap()[-1] < runs[slowest].gap()[-1]  # the 99 % run is the slowest of the three


def test_rate_solution_check_snippet_runs():
    code = re.search(r"Check it yourself: `(sv\.run\(.*?\)\.rate\(\))`", markdown(NB)).group(1)
    rate = eval(code, {"sv": sv, "bowl_c": sv.QuadraticBowl(curvatures=lesson.RATE_BOWL)})
    assert agrees(written(NB, rf"`my_rate = ({NUM})`"), rate) and stated(NB, rf"`my_rate = ({NUM})`") == \
        stated(NB, rf"the rate is \$\(9 - 1\)/\(9 \+ 1\) = ({NUM})\$")
    assert to_number(re.search(rf"sv\.GD\(({NUM})\)", code).group(1)) == sv.theory.optimal_lr(sv.QuadraticBowl(lesson.RATE_BOWL))


def test_large_kappa_rate():
    term = re.search(r"For large \$\\kappa\$ the rate is about \$([^$]+)\$", markdown(NB)).group(1)
    for kappa in (1e3, 1e5):
        bowl = sv.QuadraticBowl((1.0, kappa))
        exact = sv.theory.gd_rate(bowl, sv.theory.optimal_lr(bowl))
        assert evaluate(term)({"kappa": kappa}) == pytest.approx(exact, abs=3 / kappa ** 2)


def test_exercises_read_their_questions():
    text = markdown(NB)
    # Exercise 1 opens the explorer at its default step: the best step, found with the slider (its tick 2/(mu+L)
    # marks it), lies on the slider, and there the rate is the answer's.
    call = re.search(rf"`(sv\.live\.explore\(sv\.QuadraticBowl\(\({NUM}, {NUM}\)\)\))`", text).group(1)
    ex = eval(call, {"sv": sv})
    try:
        best = sv.theory.optimal_lr(ex.surface)
        assert ex.lr_range[0] < best < ex.lr_range[1]
        assert {m["label"]: m["value"] for m in ex.controls["lr"].marks}["2/(μ+L)"] == pytest.approx(best)
        assert stated(NB, rf"with rate ({NUM})\. One step") == sv.theory.gd_rate(ex.surface, best)
    finally:
        ex.close()
    steps = stated(NB, rf"find the step size at which the loss after ({NUM}) steps is lowest")
    assert stated(NB, rf"the lowest loss after ({NUM}) steps is at") == steps
    code = "\n".join(line.strip() for line in re.search(r"```python\n\s*(lrs = np\.linspace.*?)```", text, re.S).group(1).splitlines())
    m = re.search(rf"np\.linspace\(({NUM}), ({NUM}), ({NUM})\)", code)
    lo, hi, n = map(to_number, m.groups())
    assert (lo, hi, n) == (stated(NB, rf"step sizes from ({NUM}) to"), stated(NB, rf"step sizes from {NUM} to ({NUM}), the lowest"),
                           stated(NB, rf"over ({NUM}) step sizes from"))
    assert to_number(re.search(rf"steps=({NUM})\)\.final_loss", code).group(1)) == steps
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {"np": np, "sv": sv, "bowl": BOWL})
    assert agrees(written(NB, rf"after {int(steps)} steps is at ({NUM})"), float(out.getvalue()))
    m = re.search(rf"Is it\s+\$({NUM})/\(\\mu\+L\)\$\?", text)
    assert evaluate(f"{m.group(1)}/(\\mu+L)")({"mu": BOWL.mu, "L": BOWL.L}) == sv.theory.optimal_lr(BOWL)


def test_just_above_the_limit_is_the_next_number_at_its_precision():
    text = written(NB, rf"say ({NUM}), it grows so slowly")
    decimals = len(text.split(".")[1])
    assert to_number(text) == round(sv.theory.lr_limit(BOWL) + 10 ** -decimals, decimals)  # "just above": one unit up
