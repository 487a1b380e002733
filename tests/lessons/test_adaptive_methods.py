"""Lesson 08 (08_adaptive_methods.ipynb): every number its prose states is what the course computes; its
figures show what the prose says; its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import JUNK, printed, verdict_of
from .prose import NUM, assert_rounds, markdown, solution_code, stated

NB = "08_adaptive_methods"
L8 = sv.lessons.adaptive_methods


def test_check_rmsprop_rule(capsys):
    from .test_rule_check import rmsprop

    assert checks.check_rmsprop_rule(rmsprop) is True
    space = {"np": np}
    exec(solution_code(NB, "rmsprop_step"), space)
    assert checks.check_rmsprop_rule(space["rmsprop_step"]) is True

    def placeholder(theta, s, grad, lr, rho, eps):
        return ..., ...
    assert checks.check_rmsprop_rule(placeholder) is False
    printed(capsys)


def test_rmsprop_first_step_check(capsys):
    start, lr = np.array(L8.FIRST_STEP_START), L8.FIRST_STEP_LR
    g = sv.Rosenbrock().grad(start)
    by_hand = start - lr * g / (np.sqrt(0.01 * g * g) + 1e-8)
    np.testing.assert_allclose(checks.rmsprop_first_step("rosenbrock", start, lr), by_hand)
    assert verdict_of(capsys, checks.check_rmsprop_first_step, [-1.1, 1.1], "rosenbrock", start, lr)[0]
    ok, out = verdict_of(capsys, checks.check_rmsprop_first_step, [-1.19, 1.01], "rosenbrock", start, lr)
    assert not ok and "Adam" in out
    ok, out = verdict_of(capsys, checks.check_rmsprop_first_step, [-1.3, 0.9], "rosenbrock", start, lr)
    assert not ok and "direction" in out
    ok, out = verdict_of(capsys, checks.check_rmsprop_first_step, [0.1, 0.1], "rosenbrock", start, lr)
    assert not ok and "step" in out
    for junk in JUNK + [0.1, [1.0], [np.inf, 1.0]]:
        assert not verdict_of(capsys, checks.check_rmsprop_first_step, junk, "rosenbrock", start, lr)[0]


def test_first_step_prose():
    g = sv.Rosenbrock().grad(np.array(L8.FIRST_STEP_START))
    assert stated(NB, rf"where \$\\nabla J\(\\theta_0\) = \(({NUM}),") == pytest.approx(g[0])
    assert stated(NB, rf"take one RMSprop step with\s+\$\\alpha = ({NUM})\$") == L8.FIRST_STEP_LR
    theta1 = checks.rmsprop_first_step("rosenbrock", L8.FIRST_STEP_START, L8.FIRST_STEP_LR)
    assert_rounds(NB, rf"= \(({NUM}),\\ 1.1\)\$\. The first", theta1[0])
    assert_rounds(NB, rf"= \(-1.1,\\ ({NUM})\)\$\. The first", theta1[1])
    assert_rounds(NB, rf"1/\\sqrt{{1 - \\rho}} = ({NUM})\$ times", 1 / np.sqrt(1 - 0.99))


def test_effective_steps_figure_and_the_correction_of_the_article():
    fig = sv.viz.plot_effective_steps(L8.effective_step_methods(), L8.bowl(), steps=150)
    (_, rms_tr), (ada, rms) = fig.trajectories, fig.effective
    assert np.all(ada[:, 1] < ada[:, 0]) and np.all(rms[:, 1] < rms[:, 0])   # theta_2 (steep) gets the smaller step
    assert np.all(np.diff(ada, axis=0) <= 1e-15)                              # Adagrad's only shrinks
    assert_rounds(NB, rf"for \$\\theta_1\$ from ({NUM}) to", rms[0, 0])
    assert_rounds(NB, rf"for \$\\theta_1\$ from {NUM} to\s+({NUM}) over 150 steps", rms[-1, 0])
    assert_rounds(NB, rf"factor for \$\\theta_1\$ grows from ({NUM}) to", rms[0, 0])
    assert_rounds(NB, rf"grows from {NUM} to ({NUM}) while the distance", rms[-1, 0])
    d = rms_tr.distance_to_minimum()
    assert_rounds(NB, rf"falls from ({NUM}) to \$10\^", d[0])
    assert stated(NB, rf"to \$10\^{{({NUM})}}\$\. Where") == np.floor(np.log10(d[-1])) + 1 or \
        stated(NB, rf"to \$10\^{{({NUM})}}\$\. Where") == np.round(np.log10(d[-1]))
    assert [ax.get_title() for ax in fig.axes[0]] == ["Adagrad, α = 0.5", "RMSprop, α = 0.05"]


def test_preconditioning_numbers_and_figure():
    fig = sv.viz.plot_preconditioning(L8.preconditioning_methods(), curvatures=L8.BOWL_CURVATURES,
                                      angles=L8.PRECONDITIONING_ANGLES, steps=L8.PRECONDITIONING_STEPS)
    k = {angle: {opt.name: n for opt, (_, n) in runs.items()} for angle, runs in fig.runs.items()}
    aligned, turned = k[0.0], k[45.0]
    assert stated(NB, rf"gradient descent at its best step ({NUM}) in both") == aligned["GD"] == turned["GD"]
    assert stated(NB, rf"the heavy ball at\s+its optimum ({NUM}) in both") == aligned["Momentum"] == turned["Momentum"]
    assert stated(NB, rf"Adagrad ({NUM}) aligned") == aligned["Adagrad"]
    assert stated(NB, rf"Adagrad {NUM} aligned and ({NUM}) turned") == turned["Adagrad"]
    assert stated(NB, rf"RMSprop ({NUM}) aligned") == aligned["RMSprop"]
    assert stated(NB, rf"RMSprop {NUM} aligned and ({NUM}) turned") == turned["RMSprop"]
    assert stated(NB, rf"turned by ({NUM})°") == 45
    gd0, gd45 = [r[next(o for o in r if o.name == "GD")][0] for r in fig.runs.values()]
    np.testing.assert_allclose(gd0.gap(), gd45.gap(), rtol=1e-9, atol=1e-14)   # GD: the same run, turned
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any(t.startswith("RMSprop, α = 0.05: 256 steps") for t in legend)


def test_explorer_answer_and_think_numbers():
    ros = sv.Rosenbrock()
    lrs = np.geomspace(1e-4, 0.02, 300)
    tr = sv.run(sv.GD(lrs), ros, steps=400)
    assert_rounds(NB, rf"GD diverges from about α = ({NUM}) on", lrs[tr.diverged].min())
    stall = sv.run(sv.RMSprop(lr=0.01), ros, steps=3000).gap()[-200:]
    assert_rounds(NB, rf"stalls with the loss between ({NUM}) and", stall.min())
    assert_rounds(NB, rf"between {NUM} and ({NUM}) over its last 200 steps", stall.max())
    assert_rounds(NB, rf"Does it settle below the constant step's ({NUM})\?", stall[-1])


def test_exercise_answers():
    ros = sv.Rosenbrock()
    slow = sv.run(sv.RMSprop(lr=sv.inverse_time(0.01, 0.003)), ros, steps=3000).gap()[-1]
    fast = sv.run(sv.RMSprop(lr=sv.inverse_time(0.01, 0.01)), ros, steps=3000).gap()[-1]
    const = sv.run(sv.RMSprop(lr=0.01), ros, steps=3000).gap()[-1]
    assert "With decay 0.003 it ends at $5.2 \\times 10^{-4}$" in markdown(NB) and f"{slow:.1e}" == "5.2e-04"
    assert stated(NB, rf"\$5.2 \\times 10\^{{-4}}\$, ({NUM}) times lower") == pytest.approx(const / slow, rel=0.1)
    assert_rounds(NB, rf"With decay 0.01 it ends at ({NUM}),", fast)
    assert fast > const
    rho9 = sv.analysis.effective_steps(sv.RMSprop(lr=0.05, rho=0.9), L8.bowl(), steps=150)[1]
    rho99 = sv.analysis.effective_steps(sv.RMSprop(lr=0.05, rho=0.99), L8.bowl(), steps=150)[1]
    assert rho9[-1, 0] / rho9[0, 0] > rho99[-1, 0] / rho99[0, 0]   # "grow faster as the gradients shrink"


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


def test_explorer_try_this_answer():
    ros = sv.Rosenbrock()
    for lr, pattern in ((0.01, rf"RMSprop with α = 0.01 is at loss ({NUM}),"), (0.001, rf"with α = 0.001 still at ({NUM}):")):
        assert_rounds(NB, pattern, float(sv.run(sv.RMSprop(lr=lr), ros, steps=400).gap()[-1]))
    assert L8.EXPLORER_LR == 0.01
