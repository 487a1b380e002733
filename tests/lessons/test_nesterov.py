"""Lesson 07 (07_nesterov.ipynb): every number its prose states is what the course computes; its figures show
what the prose says; its self-checks accept right answers, name typical mistakes and never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import JUNK, printed, verdict_of
from .prose import NUM, assert_rounds, markdown, solution_code, stated

NB = "07_nesterov"
L7 = sv.lessons.nesterov


def test_check_nesterov_rule(capsys):
    from .test_rule_check import momentum, nesterov

    assert checks.check_nesterov_rule(nesterov) is True
    assert checks.check_nesterov_rule(momentum) is False
    assert "looks ahead first" in capsys.readouterr().out
    space = {"np": np}
    exec(solution_code(NB, "nesterov_step"), space)
    assert checks.check_nesterov_rule(space["nesterov_step"]) is True
    assert checks.check_nesterov_rule(lambda theta, v, grad, lr, momentum: (..., ...)) is False
    printed(capsys)


def test_nesterov_limit_check(capsys):
    bowl = L7.bowl()
    limit = 3.8 / (2.8 * 50)
    assert verdict_of(capsys, checks.check_nesterov_limit, limit, bowl, 0.9)[0]
    assert verdict_of(capsys, checks.check_nesterov_limit, 0.0271, bowl, 0.9)[0]
    ok, out = verdict_of(capsys, checks.check_nesterov_limit, 0.076, bowl, 0.9)
    assert not ok and "heavy ball" in out
    ok, out = verdict_of(capsys, checks.check_nesterov_limit, 0.04, bowl, 0.9)
    assert not ok and "2/L" in out
    assert not verdict_of(capsys, checks.check_nesterov_limit, 0.03, bowl, 0.9)[0]
    for junk in JUNK + [True, "0.027"]:
        assert not verdict_of(capsys, checks.check_nesterov_limit, junk, bowl, 0.9)[0]


def test_the_limit_is_where_runs_start_to_diverge():
    bowl = L7.bowl()
    limit = float(sv.theory.nesterov_lr_limit(bowl, 0.9))
    tr = sv.run(sv.Nesterov(np.array([0.98, 1.02]) * limit, momentum=0.9), bowl, steps=3000)
    assert not tr.diverged[0] and tr.diverged[1]


def test_explorer_answer_and_comparison_numbers():
    bowl = L7.bowl()
    assert L7.EXPLORER_LR == 1 / bowl.L
    steps = {}
    for name in ("Momentum", "Nesterov"):
        steps[name] = int(sv.run(sv.make_optimizer(name, lr=0.02, momentum=0.9), bowl, steps=150).steps_to(1e-6))
    assert stated(NB, rf"the heavy ball reaches \$10\^{{-6}}\$ at step ({NUM})") == steps["Momentum"]
    assert stated(NB, rf"Nesterov at step ({NUM})") == steps["Nesterov"]
    assert abs(stated(NB, rf"swings across the\s+valley for about ({NUM}) steps") - steps["Momentum"]) <= 5
    assert abs(stated(NB, rf"Nesterov settles in about ({NUM})") - steps["Nesterov"]) <= 5
    fig = sv.viz.plot_comparison(bowl, [sv.Momentum(0.02, momentum=0.9), sv.Nesterov(0.02, momentum=0.9)], steps=150)
    assert [int(t.steps_to(1e-6)) for t in fig.trajectories] == [steps["Momentum"], steps["Nesterov"]]
    assert fig.labels == ["Momentum, α = 0.02, γ = 0.9", "Nesterov, α = 0.02, γ = 0.9"]
    assert fig.ax_path.get_legend() is None and fig.figure.legends   # the legend sits under the panels


def test_best_case_and_limit_numbers():
    bowl = L7.bowl()
    steep = sv.QuadraticBowl((bowl.L, bowl.L))
    assert float(sv.theory.nesterov_rate(steep, 1 / bowl.L, 0.9)) == 0.0   # gone after one step
    tr = sv.run(sv.Nesterov(1 / bowl.L, momentum=0.9), steep, start=[1.0, 0.0], steps=3)
    assert abs(tr.points[1, 0]) < 1e-12
    flat = sv.QuadraticBowl((bowl.mu, bowl.mu))
    assert_rounds(NB, rf"only the flat direction is left, at rate ({NUM})", float(sv.theory.nesterov_rate(flat, 0.02, 0.9)))
    assert_rounds(NB, rf"against the heavy ball's \$\\sqrt{{0.9}} = ({NUM})\$", np.sqrt(0.9))
    assert_rounds(NB, rf"\$({NUM})/L\$ at \$\\gamma = 0.9\$, against", 3.8 / 2.8)
    assert_rounds(NB, rf"against the heavy ball's \$({NUM})/L\$", 3.8)
    assert_rounds(NB, rf"3.8 / \(2.8 \\cdot 50\) \\approx ({NUM})\$", float(sv.theory.nesterov_lr_limit(bowl, 0.9)))
    assert_rounds(NB, rf"goes up to\s+\$3.8/50 = ({NUM})\$", float(sv.theory.momentum_lr_limit(bowl, 0.9)))
    assert_rounds(NB, rf"= 0.076\$, ({NUM}) times further", 2.8)


def test_rates_figure_measured_against_theory():
    bowl = L7.bowl()
    out = sv.viz.plot_rates_vs_theory(bowl, ["Momentum", "Nesterov"], momentum=0.9)
    for name, cmp in out.items():
        ok = np.isfinite(cmp.measured[0])
        assert np.nanmax(np.abs(cmp.measured[0][ok] - cmp.predicted[0][ok])) < 0.03
        limit = {"Momentum": sv.theory.momentum_lr_limit, "Nesterov": sv.theory.nesterov_lr_limit}[name](bowl, 0.9)
        assert np.all(cmp.predicted[0][cmp.lrs < limit] < 1) and np.all(cmp.predicted[0][cmp.lrs > limit * 1.01] > 1)
    assert stated(NB, rf"one batched run of ({NUM}) step sizes each") == out["Nesterov"].lrs.size


def test_velocity_forms_numbers_and_figure():
    bowl = L7.bowl()
    assert stated(NB, rf"Below, \$\\alpha = ({NUM})\$, \$\\gamma = 0.9\$, and a step decay") == L7.FORMS_LR
    assert stated(NB, rf"a step decay to ({NUM}) at\s+step") == pytest.approx(L7.FORMS_LR / 10)
    assert stated(NB, rf"to 0.002 at\s+step ({NUM})") == L7.FORMS_CUT
    fig = sv.viz.plot_velocity_forms(bowl, lr=L7.FORMS_LR, momentum=L7.FORMS_MOMENTUM, schedule=L7.forms_schedule(),
                                     steps=L7.FORMS_STEPS)
    const, sched = fig.runs["constant"], fig.runs["schedule"]
    np.testing.assert_allclose(const["ours"].points, const["pytorch"].points, atol=1e-12)   # the same path
    assert np.abs(sched["ours"].points - sched["pytorch"].points).max() > 0.1               # not under a schedule
    cut = L7.FORMS_CUT
    ours, torch = sv.viz.step_lengths(sched["ours"]), sv.viz.step_lengths(sched["pytorch"])
    assert_rounds(NB, rf"the first step after the cut is ({NUM}) long with PyTorch", torch[cut])
    assert_rounds(NB, rf"and still ({NUM}) with ours", ours[cut])
    assert_rounds(NB, rf"\(({NUM}) here, against", torch[cut])
    assert_rounds(NB, rf"here, against ({NUM}) with ours\)", ours[cut])
    end = L7.FORMS_STEPS
    assert stated(NB, rf"at step ({NUM}) the loss is") == end
    assert_rounds(NB, rf"the loss is ({NUM}) with our form", float(sched["ours"].gap()[end]))
    assert_rounds(NB, rf"with our form and\s+({NUM}) with PyTorch's", float(sched["pytorch"].gap()[end]))
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), sv.viz.step_lengths(const["ours"]))


def test_exercise_answers():
    bowl = L7.bowl()
    for lr in (0.026, 0.028):
        assert stated(NB, rf"at \$\\alpha = 0.026\$ and\s+\$({NUM})\$") in (0.028,)
    below = sv.run(sv.Nesterov(0.026, momentum=0.9), bowl, steps=1000)
    above = sv.run(sv.Nesterov(0.028, momentum=0.9), bowl, steps=1000)
    assert stated(NB, rf"\$\\alpha = 0.026\$ reaches \$10\^{{-6}}\$ at step ({NUM})") == int(below.steps_to(1e-6))
    assert above.diverged
    assert_rounds(NB, rf"diverges \(its rate is ({NUM})\)", float(sv.theory.nesterov_rate(bowl, 0.028, 0.9)))
    hb = sv.run(sv.Momentum(0.027, momentum=0.9), bowl, steps=1000)
    nag = sv.run(sv.Nesterov(0.027, momentum=0.9), bowl, steps=1000)
    assert stated(NB, rf"The heavy ball: ({NUM}) steps against") == int(hb.steps_to(1e-6))
    assert stated(NB, rf"against Nesterov's ({NUM})") == int(nag.steps_to(1e-6))
    assert_rounds(NB, rf"zig-zags at rate ({NUM})", float(sv.theory.nesterov_rate(bowl, 0.027, 0.9)))
    assert sv.analysis.quadratic.momentum_regime(0.027 * bowl.L, 0.9) == 1   # the heavy ball still ripples there


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]
