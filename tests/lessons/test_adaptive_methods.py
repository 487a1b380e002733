"""Lesson 08 (08_adaptive_methods.ipynb): every number its prose states is what the course computes; its
figures show what the prose says; its self-checks accept right answers, name typical mistakes, never raise."""
import inspect

import numpy as np
import pytest

import stepviz as sv
from stepviz import checks
from stepviz.analysis.adaptive import turned

from .answers import JUNK, printed, verdict_of
from .prose import NUM, TEX, agrees, assert_rounds, markdown, solution_code, stated, stated_text, to_number

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
    assert_rounds(NB, rf"falls from ({NUM}) to\s+\$", d[0])
    assert agrees(stated_text(NB, rf"falls from {NUM} to\s+\$({TEX})\$ \(section 4"), float(d[-1]))
    assert [ax.get_title() for ax in fig.axes[0]] == ["Adagrad, α = 0.5", "RMSprop, α = 0.05"]


def _preconditioning_figure():
    return sv.viz.plot_preconditioning(L8.preconditioning_methods(), curvatures=L8.BOWL_CURVATURES,
                                       angles=L8.PRECONDITIONING_ANGLES, steps=L8.PRECONDITIONING_STEPS)


def test_preconditioning_numbers_and_figure():
    """The counts are where the gap stays below 1e-6 (steps_to); the turned RMSprop run never stays (issue 17.1, 17.3)."""
    fig = _preconditioning_figure()
    tol = to_number(stated_text(NB, rf"The legend gives the step from which \$J - J\^\*\$ stays below \$({TEX})\$"))
    assert tol == inspect.signature(sv.viz.plot_preconditioning).parameters["tol"].default
    k = {angle: {opt.name: n for opt, (_, n) in runs.items()} for angle, runs in fig.runs.items()}
    aligned, turned = k[0.0], k[45.0]
    assert stated(NB, rf"gradient descent at its best\s+step ({NUM}) in both") == aligned["GD"] == turned["GD"]
    assert stated(NB, rf"the heavy ball at its optimum ({NUM}) in both") == aligned["Momentum"] == turned["Momentum"]
    assert stated(NB, rf"Adagrad ({NUM}) aligned") == aligned["Adagrad"]
    assert stated(NB, rf"Adagrad {NUM} aligned and ({NUM}) turned") == turned["Adagrad"]
    assert stated(NB, rf"RMSprop ({NUM}) aligned, and") == aligned["RMSprop"]
    assert stated(NB, rf"turned not within the ({NUM}) steps") == L8.PRECONDITIONING_STEPS and turned["RMSprop"] == -1
    assert stated(NB, rf"turned by ({NUM})°") == 45
    gd0, gd45 = [r[next(o for o in r if o.name == "GD")][0] for r in fig.runs.values()]
    np.testing.assert_allclose(gd0.gap(), gd45.gap(), rtol=1e-9, atol=1e-14)   # GD: the same run, turned
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any(t.startswith("RMSprop, α = 0.05: not in 600") for t in legend) and '("not in 600")' in markdown(NB)
    rms = fig.runs[45.0][next(o for o in fig.runs[45.0] if o.name == "RMSprop")][0].gap()
    low = int(np.argmin(rms))
    assert stated(NB, rf"first dips below \$10\^{{-6}}\$ at step ({NUM})") == int(np.argmax(rms <= 1e-6))
    assert agrees(stated_text(NB, rf"reaches\s+\$({TEX})\$ at step {NUM}, then bounces"), rms[low])
    assert stated(NB, rf"reaches\s+\$(?:{TEX})\$ at step ({NUM}), then bounces") == low
    assert_rounds(NB, rf"bounces back up to ({NUM}) at step", rms[low:].max())
    assert stated(NB, rf"bounces back up to {NUM} at step ({NUM})") == low + int(np.argmax(rms[low:]))


def test_momentum_is_no_cure_either():
    """08 no longer calls momentum a cure for ill-conditioning (issue 17 item 9): its count is the same on both bowls,
    at the rate (sqrt(kappa) - 1)/(sqrt(kappa) + 1), which still depends on kappa."""
    fig = _preconditioning_figure()
    counts = {angle: n for angle, runs in fig.runs.items() for opt, (_, n) in runs.items() if opt.name == "Momentum"}
    assert stated(NB, rf"the heavy ball takes ({NUM}) steps on both") == counts[0.0] == counts[45.0]
    kappa = L8.bowl().condition_number
    lr, g = sv.theory.optimal_momentum(L8.bowl())
    assert np.sqrt(g) == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) and np.sqrt(g) > 0.5
    text = markdown(NB)
    assert "momentum is (06)" not in text and "neither is momentum" in text


def test_constant_step_rmsprop_does_not_converge_it_ends_in_a_cycle():
    lr = L8.RMSPROP_LR
    assert stated(NB, rf"\\pm\\alpha/2 = \\pm ({NUM})\$") == lr / 2
    steps = 4000   # 'run long enough': the cycle is reached (within 1e-3) by step 2,800 of either run
    bowl45, start45 = L8.turned_bowl()
    runs = {"aligned": sv.analysis.effective_steps(sv.RMSprop(lr=lr), L8.bowl(), steps=steps),
            "turned": sv.analysis.effective_steps(sv.RMSprop(lr=lr), bowl45, start=start45, steps=steps)}
    within = stated(NB, rf"every coordinate stays within ({NUM}) % of\s+\$\\pm\\alpha/2\$ only from") / 100
    for name, (tr, eff) in runs.items():
        # 'from about step N on': the step from which every coordinate stays within 1 % of +-alpha/2, to 2 digits
        near = np.all(np.isclose(np.abs(tr.points), lr / 2, rtol=within, atol=0), axis=1)
        entered = int(np.flatnonzero(~near)[-1]) + 1
        assert near[-1] and entered < steps - 1000
        said = {"aligned": rf"from about step ({NUM}) \(aligned\)", "turned": rf"\(aligned\) and ({NUM}) \(turned\) on"}
        assert stated(NB, said[name]) == float(f"{entered:.2g}"), (name, entered)
        last = tr.points[-2:]
        np.testing.assert_allclose(np.abs(last), lr / 2, rtol=1e-3)               # +-alpha/2 in each coordinate
        np.testing.assert_allclose(last[0], -last[1], rtol=1e-3)                   # a two-step cycle
        np.testing.assert_allclose(np.abs(np.diff(tr.points[-10:], axis=0)), lr, rtol=1e-3)   # steps of exactly alpha
        assert int(tr.steps_to(1e-6)) == -1
    assert_rounds(NB, rf"at loss ({NUM}) aligned", float(runs["aligned"][0].gap()[-1]))
    assert_rounds(NB, rf"at loss {NUM} aligned and ({NUM})\s+turned", float(runs["turned"][0].gap()[-1]))
    tr, eff = runs["aligned"]
    np.testing.assert_allclose(eff[-1], 2 / np.array(L8.BOWL_CURVATURES), rtol=1e-3)   # at each direction's limit
    assert (eff[:, 0] > 2 / L8.BOWL_CURVATURES[0]).any()                                # it passed 2/lambda on the way
    assert stated(NB, rf"the aligned run's \"({NUM})\" holds only\s+within ({NUM}) steps") == \
        int(sv.run(sv.RMSprop(lr=lr), L8.bowl(), steps=L8.PRECONDITIONING_STEPS).steps_to(1e-6))
    assert stated(NB, rf"the aligned run's \"{NUM}\" holds only\s+within ({NUM}) steps") == L8.PRECONDITIONING_STEPS


def test_the_three_fixes():
    bowl45, start45 = L8.turned_bowl()
    assert bowl45.angle == 45 and np.allclose(start45, turned(L8.PRECONDITIONING_START, 45))
    assert stated(NB, rf"the constant step, \$\\alpha_t = ({NUM})/\(1 \+") == L8.RMSPROP_LR
    assert stated(NB, rf"Below, the turned bowl for ({NUM}) steps") == L8.PRECONDITIONING_STEPS
    text = markdown(NB)
    for formula in (r"grows until it passes $2/\lambda$", r"it passes $2/\lambda$, and RMSprop does",
                    r"never passes $\alpha/\epsilon$; below $2/L$"):
        assert formula in text, formula
    assert stated(NB, rf"/\(1 \+ ({NUM})t\)\$, and \$\\epsilon") == L8.FIX_DECAY
    assert stated(NB, rf"and \$\\epsilon = ({NUM})\$\n") == L8.FIX_EPS
    assert_rounds(NB, rf"\(\$\\alpha/\\epsilon = ({NUM}) < 2/L", L8.RMSPROP_LR / L8.FIX_EPS)
    assert_rounds(NB, rf"< 2/L = ({NUM})\$\)", 2 / bowl45.L)
    fig = sv.viz.plot_comparison(bowl45, L8.rmsprop_fixes(), labels=L8.RMSPROP_FIX_LABELS, start=start45,
                                 steps=L8.PRECONDITIONING_STEPS)
    const, decay, eps = fig.trajectories
    assert const.optimizer.lr == L8.RMSPROP_LR and eps.optimizer.eps == L8.FIX_EPS
    np.testing.assert_allclose(decay.lrs[:, ...].ravel()[:3], L8.RMSPROP_LR / (1 + L8.FIX_DECAY * np.arange(3)))
    assert stated(NB, rf"The decaying step stays below \$10\^{{-6}}\$ from step ({NUM}) on") == int(decay.steps_to(1e-6))
    assert stated(NB, rf"\$\\epsilon = 2\$ from step ({NUM}) on") == int(eps.steps_to(1e-6))
    assert int(const.steps_to(1e-6)) == -1
    assert agrees(stated_text(NB, rf"the constant step ends at\s+\$({TEX})\$"), float(const.gap()[-1]))
    n = int(stated(NB, rf"the mean of its last ({NUM}) iterates is at"))
    mean = const.points[-n:].mean(axis=0)
    assert agrees(stated_text(NB, rf"iterates is at \$({TEX})\$"), float(bowl45.value(mean)))
    assert_rounds(NB, rf"climb to ({NUM}) in those steps", float(const.gap()[-n:].max()))
    assert fig.labels == list(L8.RMSPROP_FIX_LABELS)
    assert "constant α = 0.05" in fig.labels[0] and "0.05 / (1 + 0.01 t)" in fig.labels[1] and "ε = 2" in fig.labels[2]


def test_rosenbrock_stall_is_the_cycle():
    lr = stated(NB, rf"`sv.run\(sv.RMSprop\(lr=({NUM})\), sv.Rosenbrock\(\), steps={NUM}\)` stalls")
    steps = int(stated(NB, rf"`sv.run\(sv.RMSprop\(lr={NUM}\), sv.Rosenbrock\(\), steps=({NUM})\)` stalls"))
    tr = sv.run(sv.RMSprop(lr=lr), sv.Rosenbrock(), steps=steps)
    assert stated(NB, rf"each coordinate moves by \$\\alpha = ({NUM})\$ per step") == lr
    steps_taken = np.abs(np.diff(tr.points[-200:], axis=0))
    assert_rounds(NB, rf"per step to within ({NUM}) %", 100 * np.abs(steps_taken / lr - 1).max())
    near = tr.points[-200:].mean(axis=0)
    assert stated(NB, rf"near\s+\$\\theta = \(({NUM}), {NUM}\)\$") == pytest.approx(near[0], abs=0.005)
    assert stated(NB, rf"near\s+\$\\theta = \({NUM}, ({NUM})\)\$") == pytest.approx(near[1], abs=0.005)
    d = tr.distance_to_minimum()[-200:]
    assert_rounds(NB, rf"\$, ({NUM}) from the minimum", float(np.median(d)))
    creep = np.linalg.norm(tr.points[-1] - tr.points[-3])
    assert agrees(stated_text(NB, rf"creeps by\s+only \$({TEX})\$ per two steps"), creep)
    n = int(stated(NB, rf"the mean of the last\s+({NUM}) iterates is at loss"))
    mean_loss = float(sv.Rosenbrock().value(tr.points[-n:].mean(axis=0)))
    assert agrees(stated_text(NB, rf"iterates is at loss \$({TEX})\$"), mean_loss)
    assert stated(NB, rf"iterates is at loss \$(?:{TEX})\$, ({NUM}) times lower") == pytest.approx(tr.gap()[-1] / mean_loss,
                                                                                                 rel=0.1)


def test_newton_and_the_best_diagonal():
    text = markdown(NB)
    out = {}
    for angle in L8.PRECONDITIONING_ANGLES:
        b = sv.QuadraticBowl(curvatures=L8.BOWL_CURVATURES, angle=angle)
        H = b.hessian(np.zeros(2))
        D_half = np.diag(1 / np.sqrt(np.diag(H)))
        out[angle] = (np.diag(H), np.linalg.cond(H), np.linalg.cond(D_half @ H @ D_half))
        for start in (b.start, np.array([0.3, -2.0])):   # Newton's step lands on the minimum from anywhere
            np.testing.assert_allclose(start - np.linalg.solve(H, b.grad(start)), b.minima[0], atol=1e-12)
    assert stated(NB, rf"evens out the aligned bowl \(\$\\kappa\$ from ({NUM}) to") == round(out[0.0][1])
    assert stated(NB, rf"\$\\kappa\$ from {NUM} to ({NUM})\)") == round(out[0.0][2])
    assert stated(NB, rf"leaves the turned one at ({NUM})") == round(out[45.0][2]) == round(out[45.0][1])
    assert stated(NB, rf"diagonal entries of its \$H\$ are ({NUM})") == pytest.approx(out[45.0][0][0]) == out[45.0][0][1]
    assert "$d^2$ numbers and about $d^3$ operations" in text
    for formula in (r"$\theta \leftarrow \theta - H^{-1}\nabla J(\theta)$ lands on the minimum in one step",
                    r"$D = \operatorname{diag}(H)^{-1}$", r"Practice approximates $H^{-1}$ instead",
                    r"and $g \to 0$ near a minimum"):
        assert formula in text, formula


def test_explorer_answer_and_think_numbers():
    ros = sv.Rosenbrock()
    lrs = np.geomspace(1e-4, 0.02, 300)
    tr = sv.run(sv.GD(lrs), ros, steps=400)
    assert_rounds(NB, rf"GD diverges from about α = ({NUM}) on", lrs[tr.diverged].min())
    stall = sv.run(sv.RMSprop(lr=0.01), ros, steps=3000).gap()[-200:]
    assert_rounds(NB, rf"stalls with the loss between ({NUM})\s+and", stall.min())
    assert_rounds(NB, rf"between {NUM}\s+and ({NUM}) over its last 200 steps", stall.max())
    assert_rounds(NB, rf"Does it settle below the constant step's ({NUM})\?", stall[-1])


def test_exercise_answers():
    ros = sv.Rosenbrock()
    d_slow = stated(NB, rf"`sv.RMSprop\(lr=sv.inverse_time\(0.01, ({NUM})\)\)`")
    d_fast = stated(NB, rf"Then try the decay ({NUM}) instead of")
    lr0 = stated(NB, rf"`sv.RMSprop\(lr=sv.inverse_time\(({NUM}), {NUM}\)\)`")
    steps = int(stated(NB, rf"inverse_time\({NUM}, {NUM}\)\)`, for ({NUM}) steps"))
    slow = sv.run(sv.RMSprop(lr=sv.inverse_time(lr0, d_slow)), ros, steps=steps).gap()[-1]
    fast = sv.run(sv.RMSprop(lr=sv.inverse_time(lr0, d_fast)), ros, steps=steps).gap()[-1]
    const = sv.run(sv.RMSprop(lr=lr0), ros, steps=steps).gap()[-1]
    assert stated(NB, rf"With decay ({NUM}) it ends at") == d_slow
    assert agrees(stated_text(NB, rf"With decay {NUM} it ends at \$({TEX})\$"), slow)
    assert stated(NB, rf"\$5.2 \\times 10\^{{-4}}\$, ({NUM}) times lower") == pytest.approx(const / slow, rel=0.1)
    assert stated(NB, rf"With decay ({NUM}) it ends at {NUM},") == d_fast
    assert_rounds(NB, rf"With decay {NUM} it ends at ({NUM}),", fast)
    assert fast > const


def test_exercise_1_rho_09_grows_past_the_limit_and_ends_in_the_cycle():
    rho = stated(NB, rf"`sv.RMSprop\(lr={NUM}, rho=({NUM})\)` in `plot_effective_steps`")
    assert stated(NB, rf"RMSprop with \$\\rho = ({NUM})\$ instead of") == rho == stated(NB, rf"1\. With \$\\rho = ({NUM})\$ the")
    assert stated(NB, rf"\$\\rho = {NUM}\$ instead of ({NUM}):") == sv.RMSprop(lr=1.0).rho   # section 2's default
    lr = stated(NB, rf"`sv.RMSprop\(lr=({NUM}), rho={NUM}\)` in `plot_effective_steps`")
    steps = int(stated(NB, rf"on `bowl`, ({NUM})\s+steps\. How does"))
    fig = sv.viz.plot_effective_steps(sv.RMSprop(lr=lr, rho=rho), L8.bowl(), steps=steps)
    (tr,), (eff,) = fig.trajectories, fig.effective
    assert stated(NB, rf"forgets within about ({NUM}) steps instead of") == round(1 / (1 - rho))
    assert stated(NB, rf"instead of ({NUM}), so the effective") == round(1 / (1 - 0.99))
    assert_rounds(NB, rf"\$\\theta_1\$'s from ({NUM}) to", eff[0, 0])
    assert_rounds(NB, rf"\$\\theta_1\$'s from {NUM} to ({NUM}) at step", eff[:, 0].max())
    assert stated(NB, rf"to {NUM} at step ({NUM}), far past") == int(np.argmax(eff[:, 0])) + 1   # the figure's t axis
    assert stated(NB, rf"far past \$2/\\lambda_1 = ({NUM})\$") == 2 / L8.BOWL_CURVATURES[0]
    gap = tr.gap()
    low = int(np.argmin(gap))
    assert agrees(stated_text(NB, rf"The loss\s+falls to \$({TEX})\$ at step"), gap[low])
    assert stated(NB, rf"falls to \$(?:{TEX})\$ at step ({NUM}), then") == low
    assert agrees(stated_text(NB, rf"grow back, to \$({TEX})\$ at step {NUM}\."), gap[120])
    assert stated(NB, rf"grow back, to \$(?:{TEX})\$ at step ({NUM})\.") == 120
    assert_rounds(NB, rf"\\theta = \\pm\(({NUM}), {NUM}\)\$, loss", abs(tr.points[-1, 0]))
    assert_rounds(NB, rf"\\theta = \\pm\({NUM}, ({NUM})\)\$, loss", abs(tr.points[-1, 1]))
    np.testing.assert_allclose(np.abs(tr.points[-2:]), lr / 2, rtol=1e-3)
    assert_rounds(NB, rf"\)\$, loss ({NUM}), where each", float(gap[-1]))
    np.testing.assert_allclose(eff[-1], 2 / np.array(L8.BOWL_CURVATURES), rtol=1e-3)
    assert stated(NB, rf"at its direction's limit: ({NUM}) for") == 2 / L8.BOWL_CURVATURES[0]
    assert stated(NB, rf"for \$\\theta_1\$ and ({NUM}) for \$\\theta_2\$") == 2 / L8.BOWL_CURVATURES[1]


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


def test_explorer_try_this_answer():
    ros = sv.Rosenbrock()
    for lr, pattern in ((0.01, rf"RMSprop with α = 0.01 is at loss ({NUM}),"), (0.001, rf"with α = 0.001 still at ({NUM}):")):
        assert_rounds(NB, pattern, float(sv.run(sv.RMSprop(lr=lr), ros, steps=400).gap()[-1]))
    assert L8.EXPLORER_LR == 0.01


# --- issue 21: the questions' parameters, the worked answers and the cross-references, read from the prose ------

import re  # noqa: E402

from .prose import call_arguments, cells  # noqa: E402
from .worked import assert_chain, exercise, notebook_named, section_heading, title  # noqa: E402


def test_bowl_of_section_2_and_the_steep_gradient():
    bowl = L8.bowl()
    assert (stated(NB, rf"axis-aligned bowl with curvatures ({NUM}) \(\$\\theta_1\$\)"),
            stated(NB, rf"and ({NUM}) \(\$\\theta_2\$\)\. Top")) == tuple(bowl.curvatures) == L8.BOWL_CURVATURES
    slope = stated(NB, rf"its gradient \$({NUM})\\,\\theta_2\$ is large")
    assert bowl.grad(np.array([0.0, 1.0]))[1] == pytest.approx(slope) and bowl.angle == 0


def test_rmsprop_first_step_question_is_the_checks_and_its_worked_answer():
    start = (stated(NB, rf"On Rosenbrock from \$\\theta_0 = \(({NUM}),"), stated(NB, rf"from \$\\theta_0 = \({NUM},\\ ({NUM})\)\$, where"))
    g = sv.Rosenbrock().grad(np.array(start))
    assert start == L8.FIRST_STEP_START
    assert stated(NB, rf"\\nabla J\(\\theta_0\) = \({NUM},\\ ({NUM})\)\$, take") == pytest.approx(g[1])
    lr = stated(NB, rf"take one RMSprop step with\s+\$\\alpha = ({NUM})\$")
    rho = stated(NB, rf"take one RMSprop step with\s+\$\\alpha = {NUM}\$, \$\\rho = ({NUM})\$")
    eps = to_number(stated_text(NB, rf"\$\\rho = {NUM}\$, \$\\epsilon = ({TEX})\$, starting from"))
    s0 = stated(NB, rf"starting from \$s = ({NUM})\$\. What is")
    rms = sv.RMSprop(lr=lr)
    assert (rho, eps) == (rms.rho, rms.eps) and "rho" not in call_arguments(NB, "check_rmsprop_first_step")
    assert np.all(np.asarray(rms.init(np.array(start))["s"]) == s0)
    assert stated(NB, rf"because \$s\$ starts at ({NUM}): Adam's bias") == s0
    # the worked answer, from the question's numbers: s = (1 - rho) g^2 = 0.01 g^2, sqrt(s) = 0.1|g|, 10 alpha
    assert stated(NB, rf"\$s = \(1 - \\rho\)\\, g\^2 = ({NUM})\\, g\^2\$") == pytest.approx(1 - rho)
    assert stated(NB, rf"so \$\\sqrt{{s}} = ({NUM})\\,\|g\|\$") == pytest.approx(np.sqrt(1 - rho))
    assert stated(NB, rf"\\alpha\\, g/\(({NUM})\\,\|g\|\) =") == pytest.approx(np.sqrt(1 - rho))
    assert stated(NB, rf"\|g\|\) =\s*({NUM})\\,\\alpha\\,\\operatorname") == pytest.approx(1 / np.sqrt(1 - rho))
    sums = re.search(rf"\$\\theta_1 = \(({NUM}) \+ ({NUM}),\\ ({NUM}) \+ ({NUM})\) = ", markdown(NB))
    a, da, b, db = (to_number(t) for t in sums.groups())
    assert (a, b) == start and [da, db] == pytest.approx(list(-np.sign(g) * lr / np.sqrt(1 - rho)))
    theta1 = sv.checks.rmsprop_first_step("rosenbrock", start, lr)
    np.testing.assert_allclose(theta1, [a + da, b + db], atol=1e-6)


def test_cross_references():
    """'As in 06' (the gradient function), '(Adam, 09)', '(a schedule, 05)', '(exercise 2)' twice."""
    for nb in (stated(NB, rf"As in ({NUM}), `grad` is the\s+gradient function"),):
        name = notebook_named(nb)
        assert name != NB and re.search(r"def \w+_step\(theta, \w+, grad,", "\n".join(cells(name, "code")))
    assert title(notebook_named(stated(NB, rf"RMSprop \(and Adam, ({NUM})\) \*\*does not converge"))).split(" · ")[1].startswith("Adam")
    assert "Schedules" in title(notebook_named(stated(NB, rf"\*\*decay α\*\* \(a schedule, ({NUM})\)")))
    for n in (stated(NB, rf"too fast a decay stops the run early \(exercise ({NUM})\)"),
              stated(NB, rf"A decaying \$\\alpha\$ fixes it \(exercise ({NUM})\)")):
        assert "inverse_time" in exercise(NB, n), n   # the exercise that decays RMSprop's step
    assert "does not converge" in section_heading(NB, 4)


def test_explorer_try_this_parameters_are_the_answers():
    ros = sv.Rosenbrock()
    lr_a, steps, lr_b = (stated(NB, rf"With RMSprop, set α = ({NUM}) and {NUM} steps, then {NUM}:"),
                         stated(NB, rf"With RMSprop, set α = {NUM} and ({NUM}) steps, then {NUM}:"),
                         stated(NB, rf"With RMSprop, set α = {NUM} and {NUM} steps, then ({NUM}):"))
    assert stated(NB, rf"After ({NUM}) steps RMSprop with α = ") == steps
    assert stated(NB, rf"steps RMSprop with α = ({NUM}) is at loss") == lr_a
    assert stated(NB, rf"is at loss {NUM}, with α = ({NUM}) still at") == lr_b
    assert_rounds(NB, rf"RMSprop with α = {NUM} is at loss ({NUM}),", float(sv.run(sv.RMSprop(lr=lr_a), ros, steps=int(steps)).gap()[-1]))
    assert_rounds(NB, rf"with α = {NUM} still at ({NUM}):", float(sv.run(sv.RMSprop(lr=lr_b), ros, steps=int(steps)).gap()[-1]))


def test_summary_first_step_factor():
    rho = stated(NB, rf"per coordinate, {NUM} \$\\alpha\$ for \$\\rho = ({NUM})\$")
    assert rho == sv.RMSprop(lr=1.0).rho
    assert stated(NB, rf"per coordinate, ({NUM}) \$\\alpha\$ for") == pytest.approx(1 / np.sqrt(1 - rho))


def test_run_lengths_and_windows_are_the_questions():
    """The answers' run lengths and windows are the ones their questions set: exercise 2 compares with the Think!'s
    3000-step constant run, its answer's mean over the Think!'s window, exercise 1's answer at the question's 300 steps."""
    think_steps = stated(NB, rf"`sv.run\(sv.RMSprop\(lr={NUM}\), sv.Rosenbrock\(\), steps=({NUM})\)` stalls")
    window = stated(NB, rf"and {NUM} over its last ({NUM}) steps\. Is that")
    assert stated(NB, rf"the mean of the last\s+({NUM}) iterates is at loss") == window
    assert stated(NB, rf"inverse_time\({NUM}, {NUM}\)\)`, for ({NUM}) steps") == think_steps   # 'the constant step's 0.023'
    assert stated(NB, rf"Does it settle below the constant step's {NUM}\? Then try the decay {NUM} instead of ({NUM})\.") == \
        stated(NB, rf"`sv.RMSprop\(lr=sv.inverse_time\({NUM}, ({NUM})\)\)`")
    steps = stated(NB, rf"on `bowl`, ({NUM})\s+steps\. How does")
    assert stated(NB, rf"By step ({NUM}) the run is in the two-step cycle") == steps
    tr = sv.run(sv.RMSprop(lr=0.05, rho=0.9), L8.bowl(), steps=int(steps))
    np.testing.assert_allclose(np.abs(tr.points[-2:]), 0.025, rtol=1e-3)


def test_ratios_rounded_to_one_digit():
    """'40 times lower' and '30 times lower': the ratios to one significant digit."""
    ros = sv.Rosenbrock()
    const = sv.run(sv.RMSprop(lr=0.01), ros, steps=3000)
    slow = sv.run(sv.RMSprop(lr=sv.inverse_time(0.01, 0.003)), ros, steps=3000).gap()[-1]
    assert stated(NB, rf"\$5.2 \\times 10\^{{-4}}\$, ({NUM}) times lower") == float(f"{const.gap()[-1] / slow:.1g}")
    mean_loss = ros.value(const.points[-200:].mean(axis=0))
    assert stated(NB, rf"iterates is at loss \$(?:{TEX})\$, ({NUM}) times lower") == float(f"{const.gap()[-1] / mean_loss:.1g}")


def test_this_lessons_formulas_are_what_stepviz_computes():
    """Issue 21: the formulas tests/lessons/formulas.py's COURSE does not hold (tests/lessons/formulas_05_09.py),
    evaluated at random points against stepviz; a changed digit of any of them fails."""
    from .formulas_05_09 import check

    check(NB, {"Adagrad's and RMSprop's scale 1/(sqrt s + eps) of a coordinate's step",
               "RMSprop's first step 1/sqrt(1 - rho) in units of alpha",
         "RMSprop's first step alpha/sqrt(1 - rho)",
         "RMSprop's weight 1 - rho of the new g^2"})
