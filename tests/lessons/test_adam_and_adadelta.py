"""Lesson 09 (09_adam_and_adadelta.ipynb): every number its prose states is what the course computes; its
figures show what the prose says; its self-checks accept right answers, name typical mistakes, never raise."""
import re

import numpy as np
import pytest

import stepviz as sv
from stepviz.checks import adam_first_step, check_adam_first_step

from .answers import JUNK, printed, verdict_of
from .prose import NUM, TEX, agrees, assert_rounds, cells, markdown, solution_code, stated, stated_text, to_number

NB = "09_adam_and_adadelta"
L9 = sv.lessons.adam_and_adadelta

START = np.array([-1.2, 1.0])


def test_adam_first_step_by_hand(capsys):
    surface = sv.Rosenbrock()
    g = surface.grad(START)  # (-215.6, -88)
    lr = 0.1
    m_hat, s_hat = g, g * g  # after bias correction at k = 1
    by_hand = START - lr * m_hat / (np.sqrt(s_hat) + 1e-8)
    np.testing.assert_allclose(adam_first_step(surface, START, lr), by_hand)
    assert check_adam_first_step(by_hand, surface, START, lr) is True
    assert "Correct." in printed(capsys)
    assert check_adam_first_step([-1.1, 1.1], "rosenbrock", START, lr) is True  # rounded is fine
    printed(capsys)
    assert check_adam_first_step((-1.1, 1.1), "rosenbrock", [-1.2, 1.0], lr) is True
    printed(capsys)


@pytest.mark.parametrize("wrong,word", [
    ([0.1, 0.1], "step"),                    # the step, not the new point
    ([-1.3, 0.9], "direction"),              # uphill
    ([-1.2 + 0.1 * 0.1 / np.sqrt(0.001) * 1, 1.0 + 0.1 * 0.1 / np.sqrt(0.001)], "bias"),
    ([-1.2 + 0.1 * 215.6, 1.0 + 0.1 * 88.0], "GD"),
    ([-1.0, 1.2], "Not yet"),
])
def test_adam_first_step_rejects_wrong(capsys, wrong, word):
    assert check_adam_first_step(wrong, "rosenbrock", START, 0.1) is False
    out = printed(capsys)
    assert "Not yet." in out and word in out


@pytest.mark.parametrize("junk", JUNK + [0.1, [1.0], [[1.0, 2.0]], [np.inf, 1.0]])
def test_adam_first_step_junk(capsys, junk):
    assert check_adam_first_step(junk, "rosenbrock", START, 0.1) is False
    assert "two numbers" in printed(capsys)


def test_check_adam_rule(capsys):
    from stepviz import checks

    from .test_rule_check import adam

    assert checks.check_adam_rule(adam) is True
    assert checks.check_adam_rule(lambda theta, m, s, k, grad, lr, beta1, beta2, eps: (theta, m, s)) is False
    space = {"np": np}
    exec(solution_code(NB, "adam_step"), space)
    assert checks.check_adam_rule(space["adam_step"]) is True
    assert capsys.readouterr().out.count("Correct.") == 2


def test_adadelta_first_step_check(capsys):
    from stepviz import checks
    assert checks.adadelta_first_step(1e-6, 0.9) == pytest.approx(np.sqrt(1e-6 / 0.1), rel=1e-4)
    assert verdict_of(capsys, checks.check_adadelta_first_step, 0.0316, 1e-4, 0.9)[0]
    ok, out = verdict_of(capsys, checks.check_adadelta_first_step, 0.01, 1e-4, 0.9)
    assert not ok and "√ε" in out
    for junk in JUNK + [True]:
        assert not verdict_of(capsys, checks.check_adadelta_first_step, junk, 1e-4, 0.9)[0]


# --- the prose holds the numbers the course computes ------------------------------------------------------

def test_gd_step_on_rosenbrock_is_lesson_03s():
    from stepviz.lessons import curved_valleys_and_saddles as l03
    best = getattr(l03, "ROSENBROCK_BEST_LR", L9.GD_ROSENBROCK_LR)   # 03's constant, once lesson 03 has it
    assert L9.GD_ROSENBROCK_LR == best
    limit = float(sv.theory.local_lr_limit(sv.Rosenbrock(), [1.0, 1.0]))
    assert L9.GD_ROSENBROCK_LR < limit
    assert stated(NB, rf"gradient descent at \$\\alpha = ({NUM})\$, the best constant step") == L9.GD_ROSENBROCK_LR


def test_adam_first_step_prose():
    g = sv.Rosenbrock().grad(np.array(L9.FIRST_STEP_START))
    assert [stated(NB, rf"\\nabla J\(\\theta_0\) = \(({NUM}),"), stated(NB, rf"\\nabla J\(\\theta_0\) = \({NUM},\\ ({NUM})\)")] \
        == pytest.approx(g)
    theta1 = sv.checks.adam_first_step("rosenbrock", L9.FIRST_STEP_START, L9.FIRST_STEP_LR)
    assert_rounds(NB, rf"\\theta_1 = \(-1.2 \+ 0.1,\\ 1.0 \+ 0.1\) = \(({NUM}),", theta1[0])
    assert_rounds(NB, rf"= \(-1.1,\\ ({NUM})\)\$. Without", theta1[1])
    assert_rounds(NB, rf"\\approx ({NUM})\\,\\alpha\$ per coordinate", 0.1 / np.sqrt(0.001))


def test_adadelta_first_step_prose_and_loss_scale_figure():
    step = sv.checks.adadelta_first_step()
    text = markdown(NB)
    assert "3.2 \\times 10^{-3}" in text and round(step, 4) == 0.0032
    tr = sv.run(sv.Adadelta(), sv.Rosenbrock(), steps=1)
    np.testing.assert_allclose(np.abs(np.diff(tr.points, axis=0)), step, rtol=1e-3)   # whatever the gradient
    assert stated(NB, rf"defaults \$\\epsilon = 10\^{{({NUM})}}\$") == -6 and sv.Adadelta().eps == 1e-6
    fig = sv.viz.plot_loss_scale(L9.loss_scale_methods(), L9.bowl(), factors=(1, 100), steps=300)
    gd1, gd100 = fig.trajectories["GD"]
    assert not gd1.diverged and gd100.diverged
    assert stated(NB, rf"with the larger loss it diverges at step ({NUM})") == int(gd100.diverged_at)
    for name in ("Adam", "Adadelta"):
        a, b = fig.trajectories[name]
        np.testing.assert_allclose(a.points, b.points, atol=1e-4)   # "coincide": eps is not scaled, 4e-6 apart
    assert [ax.get_title() for ax in fig.axes[0]] == ["GD, α = 0.03", "Adam, α = 0.05", "Adadelta"]
    assert_rounds(NB, rf"\\sqrt{{10\^{{-3}}}} \\approx ({NUM})\$", sv.checks.adadelta_first_step(L9.ADADELTA_EPS))
    assert_rounds(NB, rf"gives \$\\sqrt\{{10\}} \\approx ({NUM})\$ times", np.sqrt(10))


def test_rosenbrock_comparison_reading():
    fig = sv.viz.plot_comparison("rosenbrock", L9.rosenbrock_methods(), steps=500)
    final = {lab.split(",")[0]: float(t.gap()[-1]) for lab, t in zip(fig.labels, fig.trajectories)}
    assert min(final, key=final.get) == "Adam"
    assert_rounds(NB, rf"only Adam is out of the long, flat part of the valley \(loss ({NUM})\)", final["Adam"])
    others = [v for k, v in final.items() if k != "Adam"]
    assert_rounds(NB, rf"between\s+({NUM}) and {NUM}\.", min(others))
    assert_rounds(NB, rf"between\s+{NUM} and ({NUM})\.", max(others))
    assert all("(" not in lab for lab in fig.labels)   # short labels, no reprs
    assert fig.ax_path.get_legend() is None and fig.figure.legends


def test_saddle_comparison_reading():
    assert stated(NB, rf"quickly; after ({NUM}) steps gradient descent still ends lowest") == 150
    assert "start=lesson.SADDLE_START, steps=150)" in "\n".join(cells(NB, "code"))
    assert agrees(stated_text(NB, rf"its\s+steps are still growing from \$({TEX})\$"), sv.checks.adadelta_first_step())
    fig = sv.viz.plot_comparison("saddle", L9.saddle_methods(), start=L9.SADDLE_START, steps=150)
    runs = {lab.split(",")[0]: t for lab, t in zip(fig.labels, fig.trajectories)}
    escape = {k: int(np.argmax(np.abs(t.points[:, 1]) > 0.5)) for k, t in runs.items()}
    assert stated(NB, rf"after ({NUM}) steps \(Adagrad\)") == escape["Adagrad"]
    assert stated(NB, rf"\(Adagrad\), ({NUM}) \(RMSprop\)") == escape["RMSprop"]
    assert stated(NB, rf"\(RMSprop\) and ({NUM}) \(Adam\)") == escape["Adam"]
    assert stated(NB, rf"against ({NUM}) for gradient descent") == escape["GD"]
    final = {k: float(t.gap()[-1]) for k, t in runs.items()}
    assert min(final, key=final.get) == "GD"
    text = markdown(NB)
    assert f"{final['GD']:.0e}".replace("e-", " \\times 10^{-") .startswith("3 \\times 10^{-14")
    assert "gradient descent ends lowest, $3 \\times 10^{-14}$ against $4 \\times 10^{-7}$ for Adam" in text
    assert f"{final['Adam']:.0e}" == "4e-07"
    assert_rounds(NB, rf"Adadelta is still on its way \(({NUM})\)", final["Adadelta"])
    # Adam is not stuck at steps of size alpha: its steps have shrunk far below it; given 300 steps it gets as low
    adam = runs["Adam"]
    assert stated(NB, rf"its last steps are \$(?:{TEX})\$ long \(\$\\alpha = ({NUM})\$\)") == adam.optimizer.lr
    last = float(np.linalg.norm(adam.points[-1] - adam.points[-2]))
    assert agrees(stated_text(NB, rf"its last steps are \$({TEX})\$ long"), last) and last < 0.01 * adam.optimizer.lr
    longer = sv.run(adam.optimizer, sv.Saddle(), start=L9.SADDLE_START, steps=300)
    assert stated(NB, rf"by step ({NUM}) it is at") == 300
    assert agrees(stated_text(NB, rf"by step 300 it is at \$({TEX})\$ too"), float(longer.gap()[-1]))
    assert "keeps stepping about" not in text


def test_sensitivity_ranges_as_stated():
    """The runs use the steps and targets the prose states, as the figures' code cells do."""
    steps, good = int(stated(NB, rf"On the bowl, ({NUM}) steps, target")), \
        to_number(stated_text(NB, rf"On the bowl, {NUM} steps, target \$J - J\^\* \\le ({TEX})\$"))
    r_steps, r_good = int(stated(NB, rf"\n({NUM}) steps, with a looser target")), \
        to_number(stated_text(NB, rf"with a looser target \$J - J\^\* \\le ({TEX})\$"))
    code = "\n".join(cells(NB, "code"))
    calls = {m[0]: (int(m[1]), float(m[2])) for m in
             re.findall(r'plot_lr_sensitivity\((bowl|"rosenbrock"), steps=(\d+), good=([\d.e-]+)\)', code)}
    assert calls == {"bowl": (steps, good), '"rosenbrock"': (r_steps, r_good)}
    assert stated(NB, rf"start too slowly for ({NUM}) steps") == steps
    bowl = sv.analysis.lr_sensitivity(L9.bowl(), steps=steps, good=good, momentum=0.9)
    rosen = sv.analysis.lr_sensitivity("rosenbrock", steps=r_steps, good=r_good, momentum=0.9)
    assert bowl.at_edge("Adam") == (False, True) and bowl.at_edge("Adagrad") == (False, True)
    assert_rounds(NB, rf"Adam's \(≥ ({NUM}) decades", bowl.decades("Adam"))
    assert stated(NB, rf"up to the grid's edge at ({NUM})\)") == bowl.lrs[-1]
    assert_rounds(NB, rf"Adagrad's \(≥ ({NUM})\)", bowl.decades("Adagrad"))
    assert_rounds(NB, rf"the heavy\s+ball's \(({NUM})\)", bowl.decades("Momentum"))
    lo, hi = bowl.good_range("RMSprop")
    assert_rounds(NB, rf"RMSprop's good step sizes from ({NUM}) to", lo)
    assert_rounds(NB, rf"RMSprop's good step sizes from {NUM} to ({NUM})", hi)
    assert_rounds(NB, rf"are unbroken \(({NUM}) decades\)", bowl.decades("RMSprop"))
    ok = bowl.final["RMSprop"] <= 1e-3
    assert ok[bowl.lrs > hi].any() and not ok[np.searchsorted(bowl.lrs, hi) + 1]   # islands beyond a failure
    assert_rounds(NB, rf"gradient descent's range is ({NUM}) decades", bowl.decades("GD"))
    adadelta_good = bowl.lrs[bowl.final["Adadelta"] <= 1e-3]
    assert adadelta_good.size == 1
    assert_rounds(NB, rf"Adadelta reaches the target only at its scale\s+({NUM})", float(adadelta_good[0]))
    below = bowl.final["Adadelta"][(bowl.lrs > 0.05) & (bowl.lrs < adadelta_good[0])]
    assert np.all(np.diff(below) < 0)   # smaller scales: still descending after 300 steps (a slow start, not a failure)
    good = [m for m in rosen.final if rosen.good_range(m) is not None]
    assert sorted(good) == ["Adam", "Momentum"]
    assert_rounds(NB, rf"the\s+heavy ball over ({NUM}) decades", rosen.decades("Momentum"))
    assert_rounds(NB, rf"decades, from ({NUM}) to {NUM}, and Adam", rosen.good_range("Momentum")[0])
    assert_rounds(NB, rf"decades, from {NUM} to ({NUM}), and Adam", rosen.good_range("Momentum")[1])
    assert_rounds(NB, rf"and Adam over ({NUM})\s+decades", rosen.decades("Adam"))
    assert_rounds(NB, rf"Adam over {NUM}\s+decades, from ({NUM}) to", rosen.good_range("Adam")[0])
    assert_rounds(NB, rf"Adam over {NUM}\s+decades, from {NUM} to ({NUM})\.", rosen.good_range("Adam")[1])
    assert stated(NB, rf"On the bowl Adam and Adagrad stay good up to \$\\alpha = ({NUM})\$") == bowl.lrs[-1]
    assert_rounds(NB, rf"gradient\s+descent over ({NUM}) decades, Adadelta at one scale", bowl.decades("GD"))
    assert "gradient descent the narrowest" not in markdown(NB)


def test_think_answer_adam_at_alpha_10_on_the_bowl():
    """Issue 17 item 4: what the sensitivity plot shows, not 'hops around the minimum at distance alpha'."""
    bowl = L9.bowl()
    text = markdown(NB)
    assert "hop around the minimum at distance about" not in text
    assert_rounds(NB, rf"above \$2/L = ({NUM})\$ the steepest", 2 / bowl.L)
    lr = stated(NB, rf"At \$\\alpha = ({NUM})\$ its first step is")
    assert stated(NB, rf"Adam's reaches the grid's edge at\s+\$\\alpha = ({NUM})\$\?") == lr   # the question's alpha
    for formula in (r"why does gradient descent's range end abruptly at $2/L$", r"grows by $|1 - \alpha L| > 1$ every step", r"$(2 + 2\beta_1)/((1 - \beta_1)\lambda) = 38/\lambda$"):
        assert formula in text, formula
    assert lr == sv.analysis.lr_sensitivity(bowl, steps=300, good=1e-3, momentum=0.9).lrs[-1]
    beta1, beta2 = sv.Adam(lr=lr).beta1, sv.Adam(lr=lr).beta2
    tr, eff = sv.analysis.effective_steps(sv.Adam(lr=lr), bowl, steps=3000)
    steps = np.abs(np.diff(tr.points, axis=0))
    np.testing.assert_allclose(steps[0], stated(NB, rf"its first step is ({NUM}) per coordinate"))
    bound = (1 - beta1) / np.sqrt(1 - beta2)
    assert_rounds(NB, rf"\(1 - \\beta_1\)/\\sqrt{{1 - \\beta_2}} = ({NUM})\$ times", bound)
    assert steps.max() <= bound * lr * (1 + 1e-9)
    assert stated(NB, rf"\(\$\\beta_2 = ({NUM})\$ forgets") == beta2
    assert stated(NB, rf"forgets over about ({NUM}) steps") == round(1 / (1 - beta2))
    k = int(stated(NB, rf"by step ({NUM}) its steps\s+are at most"))
    assert_rounds(NB, rf"are at most \$({NUM})\\,\\alpha\$", float(steps[k - 1].max() / lr))
    short = sv.run(sv.Adam(lr=lr), bowl, steps=300)
    assert stated(NB, rf"It stays within \$10\^{{-3}}\$ from step ({NUM})") == int(short.steps_to(1e-3))
    assert agrees(stated_text(NB, rf"from step {NUM} and is at \$({TEX})\$ at step 300"), float(short.gap()[-1]))
    limit = (2 + 2 * beta1) / (1 - beta1)
    assert stated(NB, rf"\(1 - \\beta_1\)\\lambda\) = ({NUM})/\\lambda\$") == pytest.approx(limit)
    lam = np.array([bowl.mu, bowl.L])   # the bowl is axis-aligned: theta_1 has curvature mu
    crossing = int(np.argmax(eff[:, 0] * lam[0] > limit)) + 1
    assert stated(NB, rf"\$\\theta_1\$'s passes it at step ({NUM})") == crossing
    gap = tr.gap()
    burst = int(np.argmax((gap > 1) & (np.arange(gap.size) > 300)))
    bottom = int(np.argmin(gap[:burst]))
    assert stated(NB, rf"the loss bottoms out at step ({NUM})") == bottom and abs(bottom - crossing) < 20
    assert stated(NB, rf"is back above 1 at step ({NUM})") == burst
    assert stated(NB, rf"Run this \$\\alpha = ({NUM})\$ for {NUM} steps") == lr
    assert stated(NB, rf"Run this \$\\alpha = {NUM}\$ for ({NUM}) steps") == tr.steps


def test_weight_decay_section():
    bowl = L9.bowl()
    lr = stated(NB, rf"On the bowl with `sv.Adam\(lr=({NUM})\)`")
    run, eff = sv.analysis.effective_steps(sv.Adam(lr=lr), bowl, steps=300)
    ratio = eff[:, 0] / eff[:, 1]
    assert_rounds(NB, rf"decays ({NUM}) to {NUM} times faster than", ratio.min())
    assert_rounds(NB, rf"decays {NUM} to ({NUM}) times faster than", ratio.max())
    assert stated(NB, rf"\$\\theta_1\$ \(curvature ({NUM}), small gradients\)") == bowl.mu
    assert stated(NB, rf"than \$\\theta_2\$ \(curvature ({NUM})\)") == bowl.L
    # for gradient descent L2 and decay are one method: GD on J + lam/2 |theta|^2 == (1 - alpha lam) theta - alpha g
    lam, a = 0.01, 0.03
    reg = sv.run(sv.GD(a), sv.QuadraticBowl((bowl.mu + lam, bowl.L + lam)), start=bowl.start, steps=20)
    theta = np.array(bowl.start, float)
    for k in range(20):
        theta = (1 - a * lam) * theta - a * bowl.grad(theta)
    np.testing.assert_allclose(reg.points[-1], theta, rtol=1e-12)
    text = markdown(NB)
    assert "default\n$\\lambda = 0.01$" in text   # torch.optim.AdamW's documented default
    for formula in (r"Training often adds $\tfrac{\lambda}{2}\|\theta\|^2$",
                    r"$\theta - \alpha(g + \lambda\theta) = (1 - \alpha\lambda)\theta -",
                    r"$$\theta \leftarrow \theta - \alpha\lambda\,\theta - \alpha\, \frac{\hat m}{\sqrt{\hat s} + \epsilon},$$",
                    r"the same factor $1 - \alpha\lambda$ per step"):
        assert formula in text, formula


def test_exercise_answers():
    lr = stated(NB, rf"Check it with `sv.run\(sv.Adam\(lr=({NUM})\), sv.Rosenbrock\(\)")
    start = [stated(NB, rf"start=\[({NUM}), {NUM}\], steps=2\)"), stated(NB, rf"start=\[{NUM}, ({NUM})\], steps=2\)")]
    tr = sv.run(sv.Adam(lr=lr), sv.Rosenbrock(), start=start, steps=2)
    assert_rounds(NB, rf"\\theta_2 = \(({NUM}),", tr.points[2, 0])
    assert_rounds(NB, rf"\\theta_2 = \({NUM},\\ ({NUM})\)\$", tr.points[2, 1])
    step = np.abs(tr.points[2] - tr.points[1])
    assert_rounds(NB, rf"steps of ({NUM}) and", step[0])
    assert_rounds(NB, rf"steps of {NUM} and ({NUM})", step[1])
    g1 = sv.Rosenbrock().grad(tr.points[1])
    assert [stated(NB, rf"\\nabla J\(\\theta_1\) = \(({NUM}),"), stated(NB, rf"\\nabla J\(\\theta_1\) = \({NUM}, ({NUM})\)")] \
        == pytest.approx(g1)
    lr2 = stated(NB, rf"2\. Run `sv.Adam\(lr=({NUM})\)` on Rosenbrock")
    steps = int(stated(NB, rf"on Rosenbrock for ({NUM}) steps, then"))
    lr0, decay = stated(NB, rf"inverse_time\(({NUM}), {NUM}\)\)`\. Compare"), stated(NB, rf"inverse_time\({NUM}, ({NUM})\)\)`\. Compare")
    window = int(stated(NB, rf"Compare the loss\s+over the last ({NUM}) steps"))
    const = sv.run(sv.Adam(lr=lr2), sv.Rosenbrock(), steps=steps)
    sched = sv.run(sv.Adam(lr=sv.inverse_time(lr0, decay)), sv.Rosenbrock(), steps=steps)
    last = const.gap()[-window:]
    assert stated(NB, rf"over the last ({NUM}) steps its loss goes from") == window
    assert agrees(stated_text(NB, rf"its loss goes from \$({TEX})\$ up to"), float(last.min()))
    assert agrees(stated_text(NB, rf"up to\s+\$({TEX})\$\. With the schedule"), float(last.max()))
    assert agrees(stated_text(NB, rf"With the schedule it ends at \$({TEX})\$"), float(sched.gap()[-1]))
    assert sched.gap()[-window:].max() < stated(NB, rf"and stays below \$({TEX})\$")
    assert last.max() > 1e3 * last.min()   # "does not settle": it bounces within the last 200 steps


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


# --- issue 21: the questions' parameters, the worked answers and the cross-references, read from the prose ------

from .prose import call_arguments  # noqa: E402
from .worked import assert_chain, notebook_named  # noqa: E402


def _tex(pattern):
    return to_number(stated_text(NB, pattern))


def test_adam_first_step_question_is_what_the_check_asks_and_its_worked_answer():
    """The prompt's start, alpha, betas, eps and k are the check's; the answer's numbers are 1 - beta and 1 - beta^k."""
    start = (stated(NB, rf"start at \$\\theta_0 = \(({NUM}),"), stated(NB, rf"start at \$\\theta_0 = \({NUM},\\ ({NUM})\)"))
    lr = stated(NB, rf"Take one Adam step with\s+\$\\alpha = ({NUM})\$")
    beta1 = stated(NB, rf"Take one Adam step with\s+\$\\alpha = {NUM}\$, \$\\beta_1 = ({NUM})\$")
    beta2 = stated(NB, rf"\$\\beta_1 = {NUM}\$, \$\\beta_2 = ({NUM})\$, \$\\epsilon = ")
    eps = _tex(rf"\$\\beta_2 = {NUM}\$, \$\\epsilon = ({TEX})\$ \(so")
    k = stated(NB, rf"\$\\epsilon = (?:{TEX})\$ \(so \$k = ({NUM})\$\)")
    adam = sv.Adam(lr=lr)
    assert start == L9.FIRST_STEP_START and lr == L9.FIRST_STEP_LR
    assert (beta1, beta2, eps) == (adam.beta1, adam.beta2, adam.eps) and k == 1   # the check uses Adam's defaults
    g = sv.Rosenbrock().grad(np.array(start))
    m, s = (1 - beta1) * g, (1 - beta2) * g * g                     # the update, written out, from zero averages
    theta1 = np.array(start) - lr * (m / (1 - beta1 ** k)) / (np.sqrt(s / (1 - beta2 ** k)) + eps)
    np.testing.assert_allclose(theta1, adam_first_step("rosenbrock", start, lr), rtol=1e-12)
    assert_rounds(NB, rf"= \(({NUM}),\\ {NUM}\)\$. Without", theta1[0])
    # the worked answer: m = (1 - beta1) g, s = (1 - beta2) g^2, divided by 1 - beta^k at k = 1
    assert stated(NB, rf"\$m = ({NUM})\\,g\$, \$s = ") == pytest.approx(1 - beta1)
    assert stated(NB, rf"\$m = {NUM}\\,g\$, \$s = ({NUM})\\,g\^2\$") == pytest.approx(1 - beta2)
    assert stated(NB, rf"bias correction at \$k = ({NUM})\$ gives") == k
    assert stated(NB, rf"gives \$\\hat m = m / ({NUM}) = g\$") == pytest.approx(1 - beta1 ** k)
    assert stated(NB, rf"and \$\\hat s = s / ({NUM}) = g\^2\$") == pytest.approx(1 - beta2 ** k)
    assert stated(NB, rf"\$\\theta_1 = \(({NUM}) \+ {NUM},\\ {NUM} \+ {NUM}\)") == start[0]
    assert stated(NB, rf"\$\\theta_1 = \({NUM} \+ ({NUM}),\\ {NUM} \+ {NUM}\)") == lr
    assert stated(NB, rf"\$\\theta_1 = \({NUM} \+ {NUM},\\ ({NUM}) \+ {NUM}\)") == start[1]
    assert stated(NB, rf"\$\\theta_1 = \({NUM} \+ {NUM},\\ {NUM} \+ ({NUM})\)") == lr
    # without the bias correction: alpha (1 - beta1) / sqrt(1 - beta2)
    values = assert_chain(NB, rf"the step would be\s+\$\\alpha \\cdot ((?:{NUM}) / \\sqrt\{{{NUM}\}} \\approx {NUM})\\,\\alpha\$",
                          (1 - beta1) / np.sqrt(1 - beta2))
    assert len(values) == 2


def test_adam_bias_correction_sentences():
    """'Both averages start at 0', 'at k = 1: m^ = g', '(1 at the first step)': what stepviz's Adam does."""
    adam = sv.Adam(lr=0.1)
    state = adam.init(np.array([1.0, 2.0]))
    zero = stated(NB, rf"Both averages start at ({NUM}), so early on")
    assert all(np.all(np.asarray(v) == zero) for key, v in state.items() if key in ("m", "s")), state
    k = stated(NB, rf"undoes that bias \(at \$k = ({NUM})\$: \$\\hat m = g\$")
    assert stated(NB, rf"this one included \(({NUM}) at the first step\)") == k == 1
    space = {"np": np}   # the solution's rule, called with k as the prose says, is stepviz's first step
    exec(solution_code(NB, "adam_step"), space)
    start = np.array([-1.2, 1.0])
    ours = space["adam_step"](start, 0 * start, 0 * start, int(k), sv.Rosenbrock().grad, 0.1, 0.9, 0.999, 1e-8)[0]
    np.testing.assert_allclose(ours, adam_first_step("rosenbrock", start, 0.1), rtol=1e-12)


def test_adadelta_section_numbers():
    """lr=1.0, u = 0, the first step sqrt(eps/(1 - rho)) = 3.2e-3 with the stated defaults, the two loss factors."""
    ada = sv.Adadelta()
    assert stated(NB, rf"needs no step size at all \(`lr=({NUM})`, a scale factor\)") == ada.lr
    u0 = stated(NB, rf"at the first step \$u = ({NUM})\$ and")
    assert np.all(np.asarray(ada.init(np.array([1.0, 2.0]))["u"]) == u0)
    eps = _tex(rf"with the defaults \$\\epsilon = ({TEX})\$")
    rho = stated(NB, rf"with the defaults \$\\epsilon = (?:{TEX})\$,\s+\$\\rho = ({NUM})\$")
    assert (eps, rho) == (ada.eps, ada.rho)
    step = sv.checks.adadelta_first_step(eps, rho)
    assert agrees(stated_text(NB, rf"moves by \$\\sqrt{{\\epsilon / \(1 - \\rho\)}}\$, \$({TEX})\$ with the defaults"), step)
    assert step == pytest.approx(np.sqrt(eps / (1 - rho)), rel=1e-3)
    factors = (stated(NB, rf"the loss multiplied by ({NUM}) and by"), stated(NB, rf"multiplied by {NUM} and by ({NUM}):"))
    assert "factors=(1, 100)" in "\n".join(cells(NB, "code")) and factors == (1, 100)
    assert stated(NB, rf"same contours, gradients ({NUM}) times larger") == factors[1] / factors[0]
    g = [sv.QuadraticBowl(L9.bowl().curvatures).grad(np.array([1.0, 1.0])) * f for f in factors]
    np.testing.assert_allclose(g[1] / g[0], factors[1] / factors[0])


def test_adadelta_self_check_question_and_worked_answer():
    eps = _tex(rf"first step in each coordinate with \$\\epsilon = ({TEX})\$ and")
    rho = stated(NB, rf"with \$\\epsilon = (?:{TEX})\$ and \$\\rho = ({NUM})\$\? Set `my_step`")
    call = call_arguments(NB, "check_adadelta_first_step")
    assert eps == L9.ADADELTA_EPS and rho == call["rho"]
    # sqrt{eps/(1 - rho)} = sqrt{10^{-4}/0.1} = sqrt{10^{-3}} ~ 0.0316: each link from the question's eps and rho
    assert_chain(NB, rf"\$\\sqrt{{\\epsilon/\(1-\\rho\)}} = (\\sqrt{{(?:{TEX})/{NUM}}} = \\sqrt{{(?:{TEX})}} \\approx {NUM})\$",
                 np.sqrt(eps / (1 - rho)))
    assert_rounds(NB, rf"\\approx ({NUM})\$, whatever the gradient", sv.checks.adadelta_first_step(eps, rho))


def test_section_3_parameters_are_the_figures():
    code = "\n".join(cells(NB, "code"))
    steps = stated(NB, rf"on Rosenbrock, ({NUM}) steps;")
    assert f'sv.compare("rosenbrock", lesson.rosenbrock_methods(), steps={steps:g}, live=True)' in code
    assert stated(NB, rf"After ({NUM}) steps only Adam is out") == steps
    assert stated(NB, rf"We start just off the ridge, at\s+\$\\theta_2 = ({NUM})\$") == L9.SADDLE_START[1]
    # the escape counts are read with the threshold the prose states
    threshold = stated(NB, rf"\$\|\\theta_2\| > ({NUM})\$ after")
    fig = sv.viz.plot_comparison("saddle", L9.saddle_methods(), start=L9.SADDLE_START, steps=150)
    runs = {lab.split(",")[0]: t for lab, t in zip(fig.labels, fig.trajectories)}
    escape = {k: int(np.argmax(np.abs(t.points[:, 1]) > threshold)) for k, t in runs.items()}
    said = [stated(NB, rf"after ({NUM}) steps \(Adagrad\)"), stated(NB, rf"\(Adagrad\), ({NUM}) \(RMSprop\)"),
            stated(NB, rf"\(RMSprop\) and ({NUM}) \(Adam\)"), stated(NB, rf"against ({NUM}) for gradient descent")]
    assert said == [escape[k] for k in ("Adagrad", "RMSprop", "Adam", "GD")]


def test_section_4_grid_and_words_are_the_sensitivity_run():
    import inspect

    sens = sv.analysis.lr_sensitivity(L9.bowl(), steps=300, good=1e-3)
    assert stated(NB, rf"one batched run over ({NUM}) step sizes from") == sens.lrs.size
    assert _tex(rf"step sizes from \$({TEX})\$ to \$") == sens.lrs[0]
    assert stated(NB, rf"step sizes from \$(?:{TEX})\$ to \$({NUM})\$;") == sens.lrs[-1]
    base = stated(NB, rf"in decades \(factors of ({NUM})\)")
    lo, hi = sens.good_range("RMSprop")
    assert sens.decades("RMSprop") == pytest.approx(np.log(hi / lo) / np.log(base))
    gamma = stated(NB, rf"Momentum uses \$\\gamma = ({NUM})\$")
    assert "momentum" not in inspect.signature(sv.viz.plot_lr_sensitivity).parameters and sv.Momentum(lr=1.0).momentum == gamma
    assert_rounds(NB, rf"its other good ones above ({NUM})", hi)


def test_cross_references_to_notebook_08():
    """'(08, section 4)' twice, and 'as in 06 and 08': the sections and notebooks they name say what is claimed."""
    from .prose import markdown as md

    refs = re.findall(r"\((\d\d), section (\d+)\)", markdown(NB))
    assert len(refs) == 2
    for nb, section in [(stated(NB, rf"does not converge\s+either \(({NUM}), section"), stated(NB, rf"either \({NUM}, section ({NUM})\)")),
                        (stated(NB, rf"does not settle \(({NUM}), section"), stated(NB, rf"does not settle \({NUM}, section ({NUM})\)"))]:
        name = notebook_named(nb)
        heading = re.search(rf"^## {section:g}\. (.*)$", md(name), re.M)
        assert heading and "does not converge" in heading.group(1), (nb, section)
    for nb in (stated(NB, rf"the gradient function, as in ({NUM}) and"), stated(NB, rf"as in {NUM} and ({NUM})\.")):
        name = notebook_named(nb)
        assert name != NB and re.search(r"def \w+_step\(theta, \w+, grad,", "\n".join(cells(name, "code"))), nb
        assert re.search(r"gradient\s+\*?function", md(name)), nb   # a learner's rule that gets the gradient function


def test_exercise_1_question_and_worked_answer():
    """theta_1 is the first self-check's answer, k = 2; the worked coefficients are beta, 1 - beta, 1 - beta^2 and
    give theta_2 by hand."""
    adam = sv.Adam(lr=0.1)
    theta1 = np.array([stated(NB, rf"by hand from \$\\theta_1 = \(({NUM}), {NUM}\)\$"),
                       stated(NB, rf"by hand from \$\\theta_1 = \({NUM}, ({NUM})\)\$")])
    np.testing.assert_allclose(theta1, adam_first_step("rosenbrock", L9.FIRST_STEP_START, 0.1), atol=5e-4)
    k = stated(NB, rf"\(now \$k = ({NUM})\$\)")
    assert k == 2
    b1, c1, d1 = (stated(NB, rf"\$m = ({NUM}) \\cdot {NUM}\\, g_0 \+ {NUM}\\, g_1\$"),
                  stated(NB, rf"\$m = {NUM} \\cdot ({NUM})\\, g_0 \+ {NUM}\\, g_1\$"),
                  stated(NB, rf"\$m = {NUM} \\cdot {NUM}\\, g_0 \+ ({NUM})\\, g_1\$"))
    b2, c2, d2 = (stated(NB, rf"\$s = ({NUM}) \\cdot {NUM}\\, g_0\^2 \+ {NUM}\\, g_1\^2\$"),
                  stated(NB, rf"\$s = {NUM} \\cdot ({NUM})\\, g_0\^2 \+ {NUM}\\, g_1\^2\$"),
                  stated(NB, rf"\$s = {NUM} \\cdot {NUM}\\, g_0\^2 \+ ({NUM})\\, g_1\^2\$"))
    mhat, shat = stated(NB, rf"\$\\hat m = m / ({NUM})\$"), stated(NB, rf"\$\\hat s = s / ({NUM})\$")
    assert (b1, b2) == (adam.beta1, adam.beta2)
    assert [c1, d1, c2, d2] == pytest.approx([1 - adam.beta1, 1 - adam.beta1, 1 - adam.beta2, 1 - adam.beta2])
    assert [mhat, shat] == pytest.approx([1 - adam.beta1 ** k, 1 - adam.beta2 ** k])
    start = np.array(L9.FIRST_STEP_START)
    g0, g1 = sv.Rosenbrock().grad(start), sv.Rosenbrock().grad(theta1)
    m, s = b1 * c1 * g0 + d1 * g1, b2 * c2 * g0 ** 2 + d2 * g1 ** 2
    theta2 = theta1 - 0.1 * (m / mhat) / (np.sqrt(s / shat) + adam.eps)   # the worked answer, by hand
    assert_rounds(NB, rf"That gives \$\\theta_2 = \(({NUM}),", theta2[0])
    assert_rounds(NB, rf"That gives \$\\theta_2 = \({NUM},\\ ({NUM})\)\$", theta2[1])


def test_exercise_2_schedule_bound():
    """'stays below 4e-12': the smallest bound with the digits written above the last 200 losses."""
    sched = sv.run(sv.Adam(lr=sv.inverse_time(0.1, 0.001)), sv.Rosenbrock(), steps=3000).gap()[-200:]
    text = stated_text(NB, rf"and stays below \$({TEX})\$")
    bound, unit = to_number(text), 10.0 ** int(re.search(r"\^\{(-?\d+)\}", text).group(1))
    assert sched.max() < bound <= sched.max() + unit


def test_this_lessons_formulas_are_what_stepviz_computes():
    """Issue 21: the formulas tests/lessons/formulas.py's COURSE does not hold (tests/lessons/formulas_05_09.py),
    evaluated at random points against stepviz; a changed digit of any of them fails."""
    from .formulas_05_09 import check

    check(NB, {"Adadelta's first step sqrt(eps/(1 - rho))",
         "Adam's bias 1 - beta_1^k of m after k steps",
         "Adam's bias 1 - beta_2^k of s after k steps",
         "Adam's step bound (1 - beta_1)/sqrt(1 - beta_2) without bias correction",
         "Adam's weight 1 - beta_1 of the new g",
         "Adam's weight 1 - beta_2 of the new g^2",
         "RMSprop's weight 1 - rho of the new g^2",
         "a moving average's bias 1 - beta^k",
         "the heavy ball's limit for Adam's momentum (2 + 2 beta_1)/((1 - beta_1) lambda)"})
