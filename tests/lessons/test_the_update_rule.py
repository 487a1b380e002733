"""Lesson 01 (01_the_update_rule.ipynb): its self-checks accept right answers, name typical mistakes, never raise;
the learner's rule cell and its solution; every number its prose states is recomputed."""
import re

import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

from .prose import NUM, agrees, call_arguments, cells, markdown, stated, to_number, written
from .answers import JUNK, verdict_of


@pytest.mark.parametrize("lam, lr, theta0, k", [(1.0, 0.5, 2.0, 3), (4.0, 0.4, 1.0, 5), (2.0, 0.5, 1.5, 2)])
def test_iterate(capsys, lam, lr, theta0, k):
    expected = (1 - lr * lam) ** k * theta0
    ref = sv.analysis.iterates(lam, lr, theta0, k)[-1]
    assert np.isclose(expected, ref)
    assert verdict_of(capsys, checks.check_iterate, expected, lam, lr, theta0, k)[0]
    assert verdict_of(capsys, checks.check_iterate, float(ref), lam, lr, theta0, k)[0]
    assert not verdict_of(capsys, checks.check_iterate, expected + 0.1, lam, lr, theta0, k)[0]
    ok, out = verdict_of(capsys, checks.check_iterate, (1 - lr * lam) * theta0 if expected else 1.0, lam, lr, theta0, k)
    assert not ok
    if expected:
        assert "after one step" in out
    ok, out = verdict_of(capsys, checks.check_iterate, (1 + lr * lam) ** k * theta0, lam, lr, theta0, k)
    assert not ok and "subtracts" in out
    for junk in JUNK:
        assert not verdict_of(capsys, checks.check_iterate, junk, lam, lr, theta0, k)[0]


@pytest.mark.parametrize("lam", [0.5, 1.0, 4.0, 25.0])
def test_largest_stable_step(capsys, lam):
    assert verdict_of(capsys, checks.check_largest_stable_step, 2 / lam, lam)[0]
    assert verdict_of(capsys, checks.check_largest_stable_step, np.float64(2 / lam) * (1 + 1e-4), lam)[0]
    ok, out = verdict_of(capsys, checks.check_largest_stable_step, 1 / lam, lam)
    assert not ok and "1/λ" in out
    if lam not in (1.0,):
        ok, out = verdict_of(capsys, checks.check_largest_stable_step, 2 * lam, lam)
        assert not ok and "divide" in out
    for wrong in (0.0, -2 / lam, 3 / lam, 1.9 / lam):
        assert not verdict_of(capsys, checks.check_largest_stable_step, wrong, lam)[0]
    for junk in JUNK:
        assert not verdict_of(capsys, checks.check_largest_stable_step, junk, lam)[0]


@pytest.mark.parametrize("lam", [0.5, 1.0, 4.0, 8.0, 25.0])
def test_largest_stable_step_names_the_coefficient_trap(capsys, lam):
    """Issue 17 item 6: J = (lam/2) theta^2 read as lambda = lam/2 gives 2/(lam/2); the hint names that mistake."""
    ok, out = verdict_of(capsys, checks.check_largest_stable_step, 4 / lam, lam)
    assert not ok and "coefficient of θ² as λ" in out and f"λ = {lam:g}" in out


def test_the_self_checks_trap_is_the_one_the_prose_warns_about(capsys):
    coefficient = stated(NB, rf"For \$J\(\\theta\) = ({NUM})\\theta\^2\$")
    assert "Careful: write $J$ in the form $\\lambda\\theta^2/2$ first." in markdown(NB)
    lam = call_arguments(NB, "check_largest_stable_step")["lam"]
    ok, out = verdict_of(capsys, checks.check_largest_stable_step, 2 / coefficient, lam)  # 0.5, the lambda = 4 trap
    assert not ok and "coefficient of θ² as λ" in out


def test_largest_stable_step_is_the_measured_edge():
    lam = 4.0
    th = sv.analysis.iterates(lam, np.array([0.99, 1.01]) * 2 / lam, 1.0, 400)
    assert abs(th[-1, 0]) < 1e-1 and not np.isfinite(th[-1, 1])


@pytest.mark.parametrize("lr, lam, name", [(0.05, 1.0, "creeping"), (0.3, 1.0, "smooth"), (0.25, 4.0, "smooth"),
                                           (1.5, 1.0, "oscillating"), (0.7, 3.0, "diverging"), (2.0, 1.0, "diverging")])
def test_regime(capsys, lr, lam, name):
    assert sv.analysis.regime(lr, lam) == name
    assert verdict_of(capsys, checks.check_regime, name, lr, lam)[0]
    assert verdict_of(capsys, checks.check_regime, name.upper() + " ", lr, lam)[0]
    for other in checks.REGIME_NAMES:
        if other != name:
            assert not verdict_of(capsys, checks.check_regime, other, lr, lam)[0]
    for junk in JUNK + ["fast", 1]:
        assert not verdict_of(capsys, checks.check_regime, junk, lr, lam)[0]


def test_exported():
    for name in ("check_gd_step", "check_iterate", "check_largest_stable_step", "check_regime", "check_converges",
                 "check_optimal_rate"):
        assert callable(getattr(sv.checks, name))


def test_check_gd_rule(capsys):
    from .test_rule_check import gd

    assert checks.check_gd_rule(gd) is True
    assert checks.check_gd_rule(lambda theta, grad, lr: theta + lr * grad(theta)) is False
    assert "uphill" in capsys.readouterr().out


# --- the learner's rule in the notebook, and the claims of its prose (issue 10) ---------------------------

NB = "01_the_update_rule"


def _rule_cells():
    """The code cell the learner completes, and the solution's code from the markdown."""
    cell = next(c for c in cells(NB, "code") if "def gd_step" in c)
    solution = re.search(r"```python\n(def gd_step.*?)```", markdown(NB), re.S).group(1)
    return cell, solution


def _defined(source):
    namespace = {"sv": sv, "np": np}
    exec(source.split("sv.checks.check_gd_rule")[0], namespace)
    return namespace["gd_step"]


def test_placeholder_says_not_yet_and_the_solution_passes(capsys):
    cell, solution = _rule_cells()
    assert "sv.checks.check_gd_rule(gd_step)" in cell
    ok, out = verdict_of(capsys, checks.check_gd_rule, _defined(cell))  # the unfinished cell, as nbval runs it
    assert not ok and "returns θ unchanged" in out
    ok, out = verdict_of(capsys, checks.check_gd_rule, _defined(solution))
    assert ok and "Rosenbrock" in out


def test_gd_rule_names_a_gradient_that_is_not_called(capsys):
    ok, out = verdict_of(capsys, checks.check_gd_rule, lambda theta, grad, lr: theta - lr * grad)
    assert not ok and "grad is a function: call it, grad(theta)" in out


def test_loop_and_iterate_solution():
    assert np.allclose(sv.analysis.iterates(1.0, 0.5, 2.0, 5), 2.0 * 0.5 ** np.arange(6))  # "Each step halves θ"
    assert stated(NB, rf"the factor is \$1 - \\alpha\\lambda = ({NUM})\$\.") == 1 - 0.5 * 1.0
    assert stated(NB, rf"\$1 - \\alpha\\lambda = 1 - 0.4 = ({NUM})\$") == pytest.approx(1 - 0.1 * 4.0)
    assert stated(NB, rf"so \$\\theta_3 = 0.6\^3 \\cdot 1 = ({NUM})\$") == pytest.approx(sv.analysis.iterates(4.0, 0.1, 1.0, 3)[-1])


def test_think_which_step_sizes_flip_and_leave_the_plot():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    sv.viz.plot_iterates(lam=1.0, lrs=[0.05, 0.5, 1.6, 2.1], theta0=1.5, steps=20, ax=ax)
    top = ax.get_ylim()[1]
    plt.close(fig)
    assert agrees(written(NB, rf"its \$\\theta\$-axis ends at ±({NUM})"), top)
    assert stated(NB, rf"\$\\alpha = 1.6\$ \(factor \$({NUM})\$\)") == pytest.approx(1 - 1.6)
    assert stated(NB, rf"\$\\alpha = 2.1\$ \(factor \$({NUM})\$\)") == pytest.approx(1 - 2.1)
    wild = sv.analysis.iterates(1.0, 2.1, 1.5, 20)
    leaves = int(np.argmax(np.abs(wild) > top))
    assert stated(NB, rf"leaves the plot .*? at step ({NUM})") == leaves
    assert agrees(written(NB, rf"\|\\theta_3\| = ({NUM})\$"), abs(wild[3]))
    for lr in (1.6, 2.1):
        th = sv.analysis.iterates(1.0, lr, 1.5, 20)
        assert np.all(np.sign(th[1:]) == -np.sign(th[:-1]))  # both flip the sign at every step
    assert np.all(np.diff(np.abs(sv.analysis.iterates(1.0, 1.6, 1.5, 20))) < 0)  # 1.6 shrinks
    assert sv.analysis.regime(0.05, 1.0) == "creeping"  # "0.05 creeps"
    assert np.allclose(sv.analysis.iterates(1.0, 0.5, 1.5, 5)[1:] / sv.analysis.iterates(1.0, 0.5, 1.5, 5)[:-1], 0.5)


def test_explorer_answers():
    assert sv.analysis.iterates(1.0, 1.0, 1.5, 1)[-1] == 0.0  # "One: the factor is 0"
    assert agrees(written(NB, rf"\\alpha\\lambda\$ goes from ({NUM}) \(smooth\)"), 0.8 * 0.5)
    assert sv.analysis.regime(0.8, 0.5) == "smooth"
    assert stated(NB, rf"past 1 at \$\\lambda = ({NUM})\$") == 1 / 0.8
    assert sv.analysis.regime(0.8, 1.3) == "oscillating"
    assert stated(NB, rf"to 2 at \$\\lambda = ({NUM})\$") == 2 / 0.8
    assert sv.analysis.regime(0.8, 2.5) == "diverging"


def test_regimes_prose_and_table_agree_with_the_factor():
    assert stated(NB, rf"at \$\\alpha = 1.6/\\lambda\$ the factor is \$({NUM})\$") == pytest.approx(1 - 1.6)
    assert stated(NB, rf"\\alpha = 0.3/\\lambda\$ \(factor ({NUM})\)") == pytest.approx(1 - 0.3)
    for lr, name in ((0.05, "creeping"), (0.5, "smooth"), (1.0, "smooth"), (1.6, "oscillating"), (2.0, "diverging")):
        assert sv.analysis.regime(lr, 1.0) == name
    assert stated(NB, rf"\\alpha\\lambda = 0.7 \\cdot 2.5 = ({NUM})\$") == pytest.approx(1.75)
    assert stated(NB, rf"the factor is \$({NUM})\$, so the iterates") == pytest.approx(1 - 1.75)


def test_limit_demo_and_solution():
    lam = 4.0
    below, above = (sv.analysis.iterates(lam, f * 2 / lam, 1.0, 200) for f in (0.99, 1.01))
    assert abs(below[-1]) < 1 < abs(above[-1])  # 1 % below converges, 1 % above grows
    assert stated(NB, rf"with \$\\lambda = ({NUM})\$ \(the second derivative of \$4\\theta\^2\$") == 8
    assert stated(NB, rf"\$2/\\lambda = ({NUM})\$: every") == 2 / 8
    edge = sv.analysis.iterates(8.0, 0.25, 1.0, 10)
    assert np.allclose(np.abs(edge), 1.0)  # "the iterates bounce between ±theta_0 forever"


def test_exercise_answer():
    assert agrees(written(NB, rf"\\log\(0.99\) = ({NUM})\$"), np.log(1e-3) / np.log(0.99))
    k = int(np.ceil(np.log(1e-3) / np.log(0.99)))
    assert stated(NB, rf"so ({NUM}) steps; at") == k
    assert abs(sv.analysis.iterates(1.0, 0.01, 1.0, k)[-1]) <= 1e-3 < abs(sv.analysis.iterates(1.0, 0.01, 1.0, k - 1)[-1])
    assert agrees(written(NB, rf"gives \$k = ({NUM})\$, so"), np.log(1e-3) / np.log(0.5))
    assert stated(NB, rf"\$k = {NUM}\$, so ({NUM}) steps\.") == np.ceil(np.log(1e-3) / np.log(0.5))
    assert stated(NB, rf"\$\\alpha = ({NUM})\$\s+has the factor") == 1.5 and stated(NB, rf"has the factor \$({NUM})\$") == 1 - 1.5


def test_self_check_questions_are_what_the_checks_check():
    it = call_arguments(NB, "check_iterate")
    m = re.search(rf"With \$\\lambda = ({NUM})\$, \$\\alpha = ({NUM})\$ and \$\\theta_0 = ({NUM})\$, what is \$\\theta_(\d)\$",
                  markdown(NB))
    assert m and [to_number(t) for t in m.groups()] == [it["lam"], it["lr"], it["theta0"], it["k"]]
    reg = call_arguments(NB, "check_regime")
    assert (stated(NB, rf"On a parabola with \$\\lambda = ({NUM})\$, which regime"), stated(NB, rf"which regime is \$\\alpha = ({NUM})\$")) \
        == (reg["lam"], reg["lr"])
    assert call_arguments(NB, "check_largest_stable_step")["lam"] == 2 * stated(NB, rf"For \$J\(\\theta\) = ({NUM})\\theta\^2\$")
    assert stated(NB, rf"a plain loop: \$\\lambda = ({NUM})\$") == 1.0  # the loop cell's lam, alpha, theta
    assert "lam, alpha, theta = 1.0, 0.5, 2.0" in cells(NB, "code")[1]


# --- issue 21: every number of the prose read and recomputed (cases, table, Try this, exercises) ---------------

from .formulas import evaluate  # noqa: E402


def _factor_case_holds(lo, hi, what, lam=1.0):
    """Step sizes whose factor lies in (lo, hi) behave as ``what`` says, on iterates from stepviz."""
    for f in np.linspace(lo, hi, 7)[1:-1]:
        th = sv.analysis.iterates(lam, (1 - f) / lam, 1.0, 6)
        if what == "shrinks, keeps its sign":
            assert np.all(th > 0) and np.all(np.diff(th) < 0), (lo, hi, f)
        elif what == "flips, shrinks":
            assert np.all(np.sign(th[1:]) == -np.sign(th[:-1])) and np.all(np.diff(np.abs(th)) < 0), (lo, hi, f)


def test_the_four_cases_of_the_factor():
    text = markdown(NB)
    m = re.search(rf"- \$({NUM}) < 1 - \\alpha\\lambda < ({NUM})\$: \$\\theta_k\$ shrinks towards ({NUM}) and keeps its sign;\n"
                  rf"- \$1 - \\alpha\\lambda = ({NUM})\$: one step lands exactly on the minimum;\n"
                  rf"- \$({NUM}) < 1 - \\alpha\\lambda < ({NUM})\$: \$\\theta_k\$ flips sign every step but still shrinks;\n"
                  rf"- \$\|1 - \\alpha\\lambda\| \\ge ({NUM})\$: \$\|\\theta_k\|\$ never shrinks", text)
    assert m, "the four cases of section 2 changed"
    lo1, hi1, towards, lands, lo3, hi3, never = map(to_number, m.groups())
    minimum = sv.analysis.parabola.parabola(1.0).minima[0][0]
    assert towards == minimum == lands * 0 + minimum
    _factor_case_holds(lo1, hi1, "shrinks, keeps its sign")
    assert lo1 == 0 and hi1 == 1  # wider and the sign flips or theta grows
    assert sv.analysis.iterates(1.0, (1 - lands) / 1.0, 1.0, 1)[-1] == minimum  # factor 0: on the minimum at once
    _factor_case_holds(lo3, hi3, "flips, shrinks")
    assert (lo3, hi3) == (-1, 0)
    for f in (-never, -1.2, -1.5):  # |factor| >= 1 (a positive step makes it <= -1): |theta| never shrinks
        th = sv.analysis.iterates(1.0, (1 - f), 1.0, 6)
        assert np.all(np.diff(np.abs(th[np.isfinite(th)])) >= 0)
    assert never == 1


def test_the_regime_table_is_the_codes():
    text = markdown(NB)
    rows = re.findall(r"^\| (creeping|smooth|oscillating|diverging) \| (\$[^|]*\$) \| ([^|]*) \|", text, re.M)
    assert [r[0] for r in rows] == list(sv.analysis.parabola.REGIMES)
    lam = 2.0
    for name, steps, factors in rows:
        bounds = [evaluate(t)({"lambda": lam}) for t in re.findall(r"[\d.]+/\\lambda", steps)]
        lo, hi = sv.analysis.regime_bounds(lam, (0.0, np.inf))[name]
        assert bounds == ([hi] if name == "creeping" else [lo] if name == "diverging" else [lo, hi]), name
        stated = [to_number(t) for t in re.findall(NUM, factors.replace("−", "-"))]
        factor = sorted(sv.analysis.step_factor([lo, hi], lam).tolist())
        if name == "diverging":
            assert stated == [factor[1]] and "\\le" in factors
        else:
            assert stated == [round(f, 12) for f in factor], (name, stated, factor)
    m = re.search(rf"where it is ({NUM}) and where it is ({NUM})\); the line between \*creeping\* and \*smooth\* at "
                  rf"\$\\alpha\\lambda = ({NUM})\$", text.replace("−", "-"))
    assert m and [to_number(g) for g in m.groups()] == [sv.analysis.step_factor(1 / lam, lam), sv.analysis.step_factor(2 / lam, lam),
                                                      sv.analysis.parabola.CREEP_LIMIT]
    m = re.search(rf"bounded by \$\\alpha\\lambda = ({NUM})\$ \(a convention\), \$({NUM})\$ and \$({NUM})\$", text)
    edges = sv.analysis.regime_bounds(1.0, (0.0, np.inf))
    assert m and [to_number(g) for g in m.groups()] == [edges["creeping"][1], edges["smooth"][1], edges["oscillating"][1]]


def test_the_plotted_step_sizes_and_their_answer():
    args = call_arguments(NB, "plot_iterates")
    assert stated(NB, rf"Here are four step sizes on \$\\lambda = ({NUM})\$") == args["lam"]
    m = re.search(rf"\$\\alpha = ({NUM})\$ \(factor \${NUM}\$\) and \$\\alpha = ({NUM})\$ \(factor", markdown(NB))
    shrinks, grows = stated(NB, rf"both flip the sign at every step\. \$({NUM})\$ shrinks"), stated(NB, rf"shrinks; \$({NUM})\$ grows by")
    creeps, halves = stated(NB, rf"\$\\alpha = ({NUM})\$ creeps"), stated(NB, rf"creeps, \$\\alpha = ({NUM})\$\s+halves")
    assert sorted([creeps, halves, shrinks, grows]) == sorted(args["lrs"]) and m and [to_number(g) for g in m.groups()] == [shrinks, grows]
    lam = args["lam"]
    assert agrees(written(NB, rf"grows by ({NUM}) per\s+step"), abs(sv.analysis.step_factor(grows, lam)))
    assert sv.analysis.regime(creeps, lam) == "creeping" and sv.analysis.step_factor(halves, lam) == 0.5
    assert abs(sv.analysis.step_factor(shrinks, lam)) < 1 < abs(sv.analysis.step_factor(grows, lam))


def test_try_this_of_the_update_rule_explorer():
    from stepviz.live import update_rule

    text = markdown(NB)
    # 1: from the slider's left end past the ticks it names: the step-size slider has them, at those multiples of 1/lam,
    # and both lie inside the slider, right of its left end (so the drag crosses both lines).
    ticks = re.search(rf"drag \*\*step size α\*\* from the left end of its slider past its ticks ({NUM})/λ and ({NUM})/λ:", text)
    assert ticks, "Try this 1 changed"
    ex = update_rule.explore_update_rule(**call_arguments(NB, "explore_update_rule"))
    try:
        lam_shown, lr = ex.controls["lam"].value, ex.controls["lr"]
        marks = {m["label"]: m["value"] for m in lr.marks}
        assert lr.min == update_rule.LR_RANGE[0] and lr.max == update_rule.LR_RANGE[1]
    finally:
        ex.close()
    for k in ticks.groups():
        assert marks[f"{k}/λ"] == to_number(k) / lam_shown and lr.min < to_number(k) / lam_shown < lr.max
    down, up = stated(NB, rf"down the factor curve to ({NUM}) at"), stated(NB, rf"and back up to ({NUM}) at \$\\alpha = 2/\\lambda\$")
    assert (down, up) == (abs(sv.analysis.step_factor(1.0, 1.0)), abs(sv.analysis.step_factor(2.0, 1.0)))
    exact = stated(NB, rf"Set α exactly to ({NUM}) \(type it")
    lam = call_arguments(NB, "explore_update_rule")["lam"]
    m = re.search(rf"the factor is \$({NUM}) - ({NUM}) \\cdot ({NUM}) = {NUM}\$, so \$\\theta_1 = ({NUM})\$", text)
    assert m and [to_number(g) for g in m.groups()][1:3] == [exact, lam] and to_number(m.group(1)) == 1
    assert sv.analysis.iterates(lam, exact, 1.5, 1)[-1] == to_number(m.group(4))
    keep = stated(NB, rf"Type α = ({NUM}) and drag")
    lam_lo, lam_hi = stated(NB, rf"\*\*curvature λ\*\* from ({NUM}) to"), stated(NB, rf"\*\*curvature λ\*\* from {NUM} to ({NUM})\.")
    assert update_rule.LAM_RANGE[0] <= lam_lo and lam_hi <= update_rule.LAM_RANGE[1]
    assert agrees(written(NB, rf"\\alpha\\lambda\$ goes from ({NUM}) \(smooth\)"), keep * lam_lo)
    assert sv.analysis.regime(keep, lam_lo) == "smooth" and sv.analysis.regime(keep, lam_hi) == "diverging"
    assert stated(NB, rf"past 1 at \$\\lambda = ({NUM})\$") == 1 / keep and stated(NB, rf"to 2 at \$\\lambda = ({NUM})\$") == 2 / keep


def test_loop_cell_is_the_one_the_prose_describes():
    lam, alpha, theta0 = (stated(NB, rf"a plain loop: \$\\lambda = ({NUM})\$"), stated(NB, rf"\$\\alpha = ({NUM})\$, \$\\theta_0 = {NUM}\$\."),
                          stated(NB, rf"\$\\theta_0 = ({NUM})\$\.\s"))
    assert f"lam, alpha, theta = {lam!r}, {alpha!r}, {theta0!r}" in cells(NB, "code")[1]
    assert stated(NB, rf"with curvature \$\\lambda > ({NUM})\$") == 0
    with pytest.raises(ValueError):
        sv.analysis.parabola.parabola(-1.0)  # lambda must be > 0
    assert stated(NB, rf"The minimum is at \$\\theta = ({NUM})\$") == sv.analysis.parabola.parabola(1.0).minima[0][0]


def test_the_limit_demo_is_the_cell():
    below = stated(NB, rf"({NUM}) % below and {NUM} % above \$2/\\lambda\$")
    above = stated(NB, rf"{NUM} % below and ({NUM}) % above \$2/\\lambda\$")
    lam = stated(NB, rf"above \$2/\\lambda\$ for\s+\$\\lambda = ({NUM})\$")
    steps, theta0 = stated(NB, rf"({NUM}) steps from \$\\theta_0"), stated(NB, rf"steps from \$\\theta_0 = ({NUM})\$")
    cell = cells(NB, "code")[8]
    assert f"lam = {lam!r}" in cell and f"theta0={theta0!r}, steps={int(steps)}" in cell
    assert f"[{1 - below / 100:g} * 2 / lam, {1 + above / 100:g} * 2 / lam]" in cell
    assert stated(NB, rf"converges exactly when \$\|1 - \\alpha\\lambda\| < ({NUM})\$") == 1
    assert stated(NB, rf"\$\$({NUM}) < \\alpha < \\frac\{{2\}}\{{\\lambda\}}\.\$\$") == 0
    assert sv.analysis.regime(1e-6, lam) == "creeping"  # any alpha > 0 below 2/lam converges


def test_limit_self_check_answer():
    coefficient = stated(NB, rf"\$({NUM})\\theta\^2 = \\lambda\\theta\^2/2\$")
    lam = stated(NB, rf"the second derivative of \$4\\theta\^2\$ is ({NUM})\)")
    assert lam == 2 * coefficient == stated(NB, rf"with \$\\lambda = ({NUM})\$ \(the second")
    limit = sv.theory.lr_limit(sv.analysis.parabola.parabola(lam))
    assert stated(NB, rf"every \$\\alpha < ({NUM})\$ converges") == limit == stated(NB, rf"at \$\\alpha = ({NUM})\$ the iterates bounce")


def test_exercise_is_answered_for_the_question_asked():
    text = markdown(NB)
    alpha, factor, lam = (stated(NB, rf"How many steps does \$\\alpha = ({NUM})\$ need"), stated(NB, rf"by a factor of ({NUM}) when"),
                          stated(NB, rf"factor of {NUM} when \$\\lambda = ({NUM})\$\?"))
    m = re.search(rf"\(Hint:\s+\$({NUM})\^k = (10)\^\{{({NUM})\}}\$\.\) And \$\\alpha = ({NUM})\$\? Which other step size is exactly "
                  rf"as fast as \$\\alpha = ({NUM})\$\?", text)
    assert m, "the exercise's hint changed"
    base, ten, exponent, second, same = map(to_number, m.groups())
    assert base == sv.analysis.step_factor(alpha, lam) and ten ** exponent == pytest.approx(1 / factor) and second == same
    a = re.search(rf"\$k = \\log\((10)\^\{{({NUM})\}}\)/\\log\(({NUM})\) = {NUM}\$, so {NUM} steps; at \$\\alpha = ({NUM})\$, "
                  rf"\$({NUM})\^k = (10)\^\{{({NUM})\}}\$ gives", text)
    assert a, "the exercise's answer changed"
    t1, e1, b1, a2, b2, t2, e2 = map(to_number, a.groups())
    assert (t1 ** e1, b1, a2, b2, t2 ** e2) == (pytest.approx(1 / factor), base, second,
                                                sv.analysis.step_factor(second, lam), pytest.approx(1 / factor))
    other = stated(NB, rf"\$\\alpha = ({NUM})\$\s+has the factor")
    assert other != second and sv.analysis.step_factor(other, lam) == -sv.analysis.step_factor(second, lam)
    snippet = re.search(r"Check: `(abs\(sv\.analysis\.iterates\(.*?\)\[-1\]\))`", text).group(1)
    k = stated(NB, rf"so ({NUM}) steps; at")
    assert snippet == f"abs(sv.analysis.iterates({lam!r}, {alpha!r}, 1.0, {int(k)})[-1])"
    assert eval(snippet, {"sv": sv}) <= 1 / factor < abs(sv.analysis.iterates(lam, alpha, 1.0, int(k) - 1)[-1])


def test_regime_self_check_answer_names_the_oscillating_band():
    lo, hi = stated(NB, rf"= {NUM}\$, between ({NUM}) and {NUM}: the factor"), stated(NB, rf"= {NUM}\$, between {NUM} and ({NUM}): the factor")
    edges = sv.analysis.regime_bounds(1.0, (0.0, np.inf))["oscillating"]  # in units of alpha * lambda
    assert (lo, hi) == edges
