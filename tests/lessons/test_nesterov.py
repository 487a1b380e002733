"""Lesson 07 (07_nesterov.ipynb): every number its prose states is what the course computes; its figures show
what the prose says; its self-checks accept right answers, name typical mistakes and never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import JUNK, printed, verdict_of
from .prose import NUM, TEX, agrees, assert_rounds, cells, markdown, solution_code, stated, stated_text, to_number

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
    """Counts are where the gap stays below 1e-6 to the end (steps_to), in the explorer's readout as in the figure."""
    bowl = L7.bowl()
    assert L7.EXPLORER_LR == 1 / bowl.L
    assert (stated(NB, rf"same \$\(\\alpha, \\gamma\) = \(({NUM}), 0.9\)\$"), stated(NB, rf"= \(0.02, ({NUM})\)\$ Nesterov")) \
        == (L7.EXPLORER_LR, L7.EXPLORER_MOMENTUM)
    assert stated(NB, rf"to the end of the ({NUM}) steps") == L7.EXPLORER_STEPS
    assert agrees(stated_text(NB, rf"stays below \$({TEX})\$ to the end of the"), 1e-6)
    explorer = sv.live.momentum_explorer(bowl, "Nesterov", lr=L7.EXPLORER_LR, momentum=L7.EXPLORER_MOMENTUM,
                                         steps=L7.EXPLORER_STEPS, show_lookahead=True)
    readout = {"Nesterov": explorer.readout.value}
    explorer.controls["optimizer"].value = "Momentum"
    readout["Momentum"] = explorer.readout.value
    hb, nag = stated(NB, rf"from step ({NUM}) for the\s+heavy ball"), stated(NB, rf"and from step ({NUM}) for Nesterov\.")
    assert f"from step {hb:.0f} on" in readout["Momentum"] and f"from step {nag:.0f} on" in readout["Nesterov"], readout

    steps = stated(NB, rf"\$\\gamma = 0.9\$ for ({NUM}) steps\. The loss gap")
    lr, gamma = stated(NB, rf"Below, both methods at \$\\alpha = ({NUM})\$"), stated(NB, rf"both methods at \$\\alpha = {NUM}\$, \$\\gamma = ({NUM})\$")
    assert steps == L7.COMPARISON_STEPS and (lr, gamma) == (L7.EXPLORER_LR, L7.EXPLORER_MOMENTUM)
    cell = next(c for c in cells(NB, "code") if "COMPARISON_STEPS" in c)   # the figure's code runs what the prose says
    assert cell.count(f"lr={lr:g}, momentum={gamma:g}") == 2
    runs = {name: sv.run(sv.make_optimizer(name, lr=lr, momentum=gamma), bowl, steps=int(steps))
            for name in ("Momentum", "Nesterov")}
    tol = to_number(stated_text(NB, rf"The loss gap stays below \$({TEX})\$ from step"))
    assert tol == to_number(stated_text(NB, rf"Both dip below \$({TEX})\$ earlier")) == 1e-6
    settled = {name: int(tr.steps_to(tol)) for name, tr in runs.items()}
    assert stated(NB, rf"stays below \$10\^{{-6}}\$ from step ({NUM}) on\s+for the heavy ball") == settled["Momentum"] == hb
    assert stated(NB, rf"and from step ({NUM}) on for Nesterov") == settled["Nesterov"] == nag
    assert_rounds(NB, rf"for Nesterov: ({NUM}) times sooner", settled["Momentum"] / settled["Nesterov"])
    assert settled == {"Momentum": 173, "Nesterov": 101}   # the counts are robust: a longer run gives the same
    assert [int(sv.run(sv.make_optimizer(n, lr=0.02, momentum=0.9), bowl, steps=2000).steps_to(1e-6))
            for n in ("Momentum", "Nesterov")] == [173, 101]
    gap = runs["Nesterov"].gap()
    assert stated(NB, rf"\(Nesterov first at step ({NUM}),") == int(np.argmax(gap <= 1e-6)) < settled["Nesterov"]
    assert agrees(stated_text(NB, rf"yet its gap is \$({TEX})\$ at step 100"), float(gap[100])) and gap[100] > 1e-6
    assert "reaches $10^{-6}$ at step" not in markdown(NB) and "settles in about" not in markdown(NB)
    fig = sv.viz.plot_comparison(bowl, [sv.Momentum(0.02, momentum=0.9), sv.Nesterov(0.02, momentum=0.9)],
                                 steps=L7.COMPARISON_STEPS)
    assert [int(t.steps_to(1e-6)) for t in fig.trajectories] == [settled["Momentum"], settled["Nesterov"]]
    assert fig.labels == ["Momentum, α = 0.02, γ = 0.9", "Nesterov, α = 0.02, γ = 0.9"]
    assert fig.ax_path.get_legend() is None and fig.figure.legends   # the legend sits under the panels


def _torch_sgd_nesterov(grad, theta0, lr, momentum, steps):
    """torch.optim.SGD(nesterov=True)'s documented algorithm, transcribed line by line (dampening 0):
    g_t = grad(theta_{t-1}); b_t = g_t if t == 1 else mu b_{t-1} + g_t; g_t = g_t + mu b_t; theta_t = theta_{t-1} - lr g_t."""
    theta, points, b = np.array(theta0, float), [np.array(theta0, float)], None
    for t in range(1, steps + 1):
        g = grad(theta)
        b = g.copy() if t == 1 else momentum * b + g
        theta = theta - lr * (g + momentum * b)
        points.append(theta)
    return np.array(points)


def test_pytorch_nesterov_is_the_documented_update_and_lives_at_our_lookahead_points():
    bowl = L7.bowl()
    assert stated(NB, rf"at \$\\alpha = 0.02\$, \$\\gamma = 0.9\$ for ({NUM}) steps\.\n") == L7.PYTORCH_STEPS
    ours = sv.run(sv.Nesterov(0.02, momentum=0.9), bowl, steps=L7.PYTORCH_STEPS)
    pytorch = sv.run(L7.PyTorchNesterov(0.02, momentum=0.9), bowl, steps=L7.PYTORCH_STEPS)
    np.testing.assert_allclose(pytorch.points, _torch_sgd_nesterov(bowl.grad, bowl.start, 0.02, 0.9, L7.PYTORCH_STEPS),
                               rtol=1e-13, atol=1e-15)
    agree = np.abs(pytorch.points[:-1] - sv.analysis.lookahead_points(ours)).max()
    assert agree < 1e-15 and agrees(stated_text(NB, rf"agree to rounding \(\$({TEX})\$\)"), max(agree, 1e-16))
    distance = np.linalg.norm(pytorch.points - ours.points, axis=-1)
    assert_rounds(NB, rf"first step they are ({NUM}) apart", distance[1])
    assert_rounds(NB, rf"\$1 \+ \\gamma = ({NUM})\$ times as long", np.linalg.norm(pytorch.points[1] - bowl.start)
                  / np.linalg.norm(ours.points[1] - bowl.start))
    assert_rounds(NB, rf"to ({NUM}) after step 2", distance[2])
    assert agrees(stated_text(NB, rf"and \$({TEX})\$ after step 150"), distance[-1])
    assert_rounds(NB, rf"\(({NUM}) after the first step here\)", distance[1])
    assert stated(NB, rf"Both runs stay below\s+\$10\^{{-6}}\$ from step ({NUM}) on") == int(ours.steps_to(1e-6)) \
        == int(pytorch.steps_to(1e-6))
    assert sv.run(L7.PyTorchNesterov(0.02, momentum=0.9), bowl, steps=2).points.shape == (3, 2)


def test_the_look_ahead_form_of_our_update_is_pytorchs_line():
    """phi = theta - gamma v obeys phi <- phi - gamma^2 v - (1 + gamma) alpha grad(phi); PyTorch's b starts at 0."""
    text = markdown(NB)
    assert r"\phi \leftarrow \phi - \gamma^2 v - (1 + \gamma)\,\alpha \nabla J(\phi)" in text
    assert stated(NB, rf"with a buffer \$b\$ that starts at ({NUM})") == 0
    bowl, a, g = L7.bowl(), 0.02, 0.9
    ours = sv.run(sv.Nesterov(a, momentum=g), bowl, steps=30)
    v = sv.analysis.velocities(ours)
    phi = ours.points - g * v
    np.testing.assert_allclose(phi[1:], phi[:-1] - g ** 2 * v[:-1] - (1 + g) * a * bowl.grad(phi[:-1]), atol=1e-13)
    p = np.array(bowl.start, float)
    assert np.all(L7.PyTorchNesterov(a, momentum=g).init(p)["v"] == 0)


def test_the_pytorch_form_written_by_a_learner_is_named(capsys):
    from .test_rule_check import nag_bengio, nag_pytorch

    for step in (nag_pytorch, nag_bengio):
        assert checks.check_nesterov_rule(step) is False
        assert "PyTorch (Bengio et al. 2013)" in capsys.readouterr().out


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
    """The answers use the step sizes and run lengths the questions state."""
    bowl = L7.bowl()
    below, above = stated(NB, rf"at \$\\alpha = ({NUM})\$ and\s+\${NUM}\$"), stated(NB, rf"at \$\\alpha = {NUM}\$ and\s+\$({NUM})\$")
    run_below, run_above = _exercise_1_runs(below), _exercise_1_runs(above)
    assert stated(NB, rf"At \$\\alpha = ({NUM})\$ the loss gap stays below") == below
    assert stated(NB, rf"stays below \$10\^{{-6}}\$ from step ({NUM}) on; \$\\alpha") == int(run_below.steps_to(1e-6))
    assert stated(NB, rf"on; \$\\alpha = ({NUM})\$ diverges") == above and run_above.diverged
    assert_rounds(NB, rf"diverges \(its rate is ({NUM})\)", float(sv.theory.nesterov_rate(bowl, above, 0.9)))
    lr = stated(NB, rf"at \$\\gamma = 0.9\$ and \$\\alpha = ({NUM})\$, just below")
    assert lr < float(sv.theory.nesterov_lr_limit(bowl, 0.9))
    tol = to_number(stated_text(NB, rf"from which step does each\s+one stay below \$({TEX})\$"))
    assert stated(NB, rf"\(`trajectory.steps_to\(({NUM})\)` gives {NUM} if a run ends above it\)") == tol
    steps = 1000   # 'long enough': twice as long gives the same counts (below)
    hb = sv.run(sv.Momentum(lr, momentum=0.9), bowl, steps=steps)
    nag = sv.run(sv.Nesterov(lr, momentum=0.9), bowl, steps=steps)
    assert stated(NB, rf"The heavy ball stays below from step ({NUM})") == int(hb.steps_to(tol))
    assert stated(NB, rf"Nesterov only from step ({NUM})") == int(nag.steps_to(tol))
    for opt, n in ((sv.Momentum(lr, momentum=0.9), hb.steps_to(tol)), (sv.Nesterov(lr, momentum=0.9), nag.steps_to(tol))):
        assert sv.run(opt, bowl, steps=2 * steps).steps_to(tol) == n
        short = stated(NB, rf"\(`trajectory.steps_to\({NUM}\)` gives ({NUM}) if a run ends above it\)")
        assert int(sv.run(opt, bowl, steps=int(n) - 1).steps_to(tol)) == short   # one step short: it ends above
    assert_rounds(NB, rf"the heavy ball stays at \$\\sqrt{{({NUM})}} = {NUM}\$", 0.9)
    assert_rounds(NB, rf"the heavy ball stays at \$\\sqrt{{0.9}} = ({NUM})\$", float(sv.theory.momentum_rate(bowl, lr, 0.9)))
    assert_rounds(NB, rf"zig-zags at rate ({NUM})", float(sv.theory.nesterov_rate(bowl, lr, 0.9)))
    assert sv.analysis.quadratic.momentum_regime(lr * bowl.L, 0.9) == 1   # the heavy ball still ripples there


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


def test_summary_states_the_ratio_of_the_counts():
    bowl = L7.bowl()
    hb, nag = (int(sv.run(sv.make_optimizer(n, lr=0.02, momentum=0.9), bowl, steps=L7.COMPARISON_STEPS).steps_to(1e-6))
               for n in ("Momentum", "Nesterov"))
    assert_rounds(NB, rf"stays within \$10\^{{-6}}\$ ({NUM}) times sooner than the heavy ball", hb / nag)


# --- issue 21: the questions' parameters, the stated facts and the cross-references, read from the prose --------

import re  # noqa: E402

from .prose import call_arguments  # noqa: E402
from .worked import assert_chain, notebook_named  # noqa: E402


def test_cross_references_to_06():
    """'as `momentum_step` in 06', 'the heavy ball of 06', 'the same derivation as in 06'."""
    nb = stated(NB, rf"with the same arguments as `momentum_step` in ({NUM})\.")
    assert "def momentum_step(theta, v, grad, lr, momentum)" in "\n".join(cells(notebook_named(nb), "code"))
    heavy = notebook_named(stated(NB, rf"this is the heavy ball of ({NUM})\."))
    assert "Momentum" in heavy.title() and "Polyak's heavy ball" in markdown(heavy)
    derivation = notebook_named(stated(NB, rf"The same derivation as in ({NUM}), with the gradient"))
    assert r"z^2 - (1 + \gamma - \alpha\lambda)\, z + \gamma = 0" in markdown(derivation)


def test_alpha_one_over_L_and_the_root_at_minus_one():
    """At alpha = 1/L the steepest direction has 1 - alpha L = 0 and both roots 0; at the limit a root is -1."""
    bowl, gamma = L7.bowl(), 0.9

    def roots(a_lam, g):
        return np.roots([1, -(1 + g) * (1 - a_lam), g * (1 - a_lam)])

    assert stated(NB, rf"has \$1 - \\alpha L = ({NUM})\$: both roots") == 1 - (1 / bowl.L) * bowl.L
    assert np.all(roots(1.0, gamma) == stated(NB, rf"both roots are ({NUM}) and its error is gone"))
    limit = float(sv.theory.nesterov_lr_limit(bowl, gamma)) * bowl.L
    assert min(roots(limit, gamma).real) == pytest.approx(stated(NB, rf"the polynomial has a root at \$({NUM})\$ when"))


def test_rates_figure_and_self_check_parameters():
    gamma = stated(NB, rf"rate per step against \$\\alpha\$ at\s+\$\\gamma = ({NUM})\$ \(dots")
    assert gamma == call_arguments(NB, "plot_rates_vs_theory")["momentum"]
    g, L = stated(NB, rf"step size of Nesterov with \$\\gamma = ({NUM})\$ on `bowl`"), stated(NB, rf"on `bowl` \(\$L = ({NUM})\$\)\?")
    assert g == call_arguments(NB, "check_nesterov_limit")["momentum"] and L == L7.bowl().L
    # the worked answer from the question's numbers: (2 + 2 gamma)/((1 + 2 gamma) L) = 3.8 / (2.8 * 50) ~ 0.0271
    assert_chain(NB, rf"\(\(1 \+ 2\\gamma\) L\) = ({NUM} / \({NUM} \\cdot {NUM}\) \\approx {NUM})\$",
                 (2 + 2 * g) / ((1 + 2 * g) * L))


def test_think_and_summary_parameters():
    assert stated(NB, rf"You train with momentum ({NUM}) and cut the step size tenfold") == L7.FORMS_MOMENTUM
    assert L7.forms_schedule()(L7.FORMS_CUT) == pytest.approx(L7.FORMS_LR / 10)   # 'tenfold'
    gamma = stated(NB, rf"\$1.36/L\$ at \$\\gamma = ({NUM})\$ against")
    assert_rounds(NB, rf"\(1 \+ 2\\gamma\)\$, \$({NUM})/L\$ at", (2 + 2 * gamma) / (1 + 2 * gamma))
    assert_rounds(NB, rf"at \$\\gamma = {NUM}\$ against \$({NUM})/L\$ for the heavy ball", 2 + 2 * gamma)


def _exercise_1_runs(lr):
    """Exercise 1's call as the question writes it, with ``lr`` for its '...'."""
    code = stated_text(NB, r"Check Nesterov's limit with `(sv\.run\(sv\.Nesterov\(lr=\.\.\., .*?\))` at")
    return eval(code.replace("lr=...", f"lr={lr!r}"), {"sv": sv, "bowl": L7.bowl()})


def test_exercise_1_momentum_is_the_questions():
    gamma = stated(NB, rf"`sv.run\(sv.Nesterov\(lr=\.\.\., momentum=({NUM})\), bowl\)`")
    below = stated(NB, rf"At \$\\alpha = ({NUM})\$ the loss gap stays below")
    tr = _exercise_1_runs(below)
    assert tr.optimizer.momentum == gamma
    assert stated(NB, rf"stays below \$10\^{{-6}}\$ from step ({NUM}) on; \$\\alpha") == int(tr.steps_to(1e-6))
    assert_rounds(NB, rf"diverges \(its rate is ({NUM})\)",
                  float(sv.theory.nesterov_rate(L7.bowl(), stated(NB, rf"on; \$\\alpha = ({NUM})\$ diverges"), gamma)))


def test_this_lessons_formulas_are_what_stepviz_computes():
    """Issue 21: the formulas tests/lessons/formulas.py's COURSE does not hold (tests/lessons/formulas_05_09.py),
    evaluated at random points against stepviz; a changed digit of any of them fails."""
    from .formulas_05_09 import check

    check(NB, {"Nesterov's characteristic polynomial det(z I - M)",
         "Nesterov's limit (2 + 2 gamma)/((1 + 2 gamma) L)"})


def test_the_characteristic_equation_holds_at_the_eigenvalues_of_nesterovs_step():
    from .formulas_05_09 import _nesterov_matrix

    rhs = stated(NB, rf"\\gamma \(1 - \\alpha\\lambda\) = ({NUM}) \.\$\$")
    for a, g, lam in ((0.02, 0.9, 50.0), (0.02, 0.9, 1.0), (0.3, 0.5, 2.0)):
        for z in np.linalg.eigvals(_nesterov_matrix(a, g, lam)):
            assert z ** 2 - (1 + g) * (1 - a * lam) * z + g * (1 - a * lam) == pytest.approx(rhs, abs=1e-12)
