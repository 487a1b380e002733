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
