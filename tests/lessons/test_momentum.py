"""Lesson 06 (06_momentum.ipynb): every number its prose states is what the course computes; its figures show
what the prose says; its self-checks accept right answers, name typical mistakes and never raise."""
import re

import numpy as np
import pytest

import stepviz as sv
from stepviz.checks import check_heavy_ball_optimum, check_momentum_stable

from .answers import JUNK, printed
from .prose import NUM, TEX, assert_rounds, cells, markdown, solution_code, stated, stated_text, to_number

NB = "06_momentum"
L6 = sv.lessons.momentum

BOWL = sv.QuadraticBowl((1.0, 50.0), angle=30)


@pytest.mark.parametrize("lr,gamma,stable", [(0.03, 0.0, True), (0.05, 0.0, False), (0.05, 0.5, True),
                                             (0.07, 0.5, False), (0.075, 0.9, True), (0.077, 0.9, False)])
def test_momentum_stable(capsys, lr, gamma, stable):
    assert check_momentum_stable(stable, BOWL, lr, gamma) is True
    assert "Correct." in printed(capsys)
    assert check_momentum_stable(not stable, BOWL, lr, gamma) is False
    assert "Not yet." in printed(capsys)
    assert check_momentum_stable(np.bool_(stable), BOWL, lr, gamma) is True
    printed(capsys)


def test_momentum_stable_hint_mentions_raised_limit(capsys):
    check_momentum_stable(False, BOWL, 0.05, 0.5)  # alpha L = 2.5 > 2 but < 3
    assert "2 + 2γ" in printed(capsys)


@pytest.mark.parametrize("junk", JUNK + [1, 0, "stable"])
def test_momentum_stable_junk(capsys, junk):
    assert check_momentum_stable(junk, BOWL, 0.05, 0.5) is False
    assert "True" in printed(capsys)


def test_heavy_ball_optimum(capsys):
    lr, gamma = sv.theory.optimal_momentum(BOWL)
    sl, sm = np.sqrt(50.0), 1.0
    assert check_heavy_ball_optimum((4 / (sl + sm) ** 2, ((sl - sm) / (sl + sm)) ** 2), BOWL) is True
    assert "Correct." in printed(capsys)
    assert check_heavy_ball_optimum([round(lr, 4), round(gamma, 4)], BOWL) is True
    printed(capsys)
    assert check_heavy_ball_optimum((gamma, lr), BOWL) is False
    assert "swapped" in printed(capsys)
    assert check_heavy_ball_optimum((lr, np.sqrt(gamma)), BOWL) is False
    assert "square" in printed(capsys)
    assert check_heavy_ball_optimum((2 / 51, gamma), BOWL) is False
    assert "GD's optimum" in printed(capsys)
    assert check_heavy_ball_optimum((lr * 1.1, gamma), BOWL) is False
    assert "Not yet." in printed(capsys)


@pytest.mark.parametrize("junk", JUNK + [0.06, (0.06,), (0.06, None)])
def test_heavy_ball_optimum_junk(capsys, junk):
    assert check_heavy_ball_optimum(junk, BOWL) is False
    assert "pair" in printed(capsys)


def test_check_momentum_rule(capsys):
    from stepviz import checks

    from .test_rule_check import momentum, nesterov

    assert checks.check_momentum_rule(momentum) is True
    assert checks.check_momentum_rule(nesterov) is False
    assert checks.check_momentum_rule(lambda theta, v, grad, lr, momentum: (..., ...)) is False  # the placeholder
    assert capsys.readouterr().out.count("Correct.") == 1


def test_the_solution_in_the_notebook_passes_the_check(capsys):
    from stepviz import checks
    space = {"np": np}
    exec(solution_code(NB, "momentum_step"), space)
    assert checks.check_momentum_rule(space["momentum_step"]) is True
    printed(capsys)


# --- the prose holds the numbers the course computes ------------------------------------------------------

def test_lesson_bowl_is_the_one_the_prose_describes():
    bowl = L6.bowl()
    assert (bowl.mu, bowl.L, bowl.angle) == (1.0, 50.0, 30.0)
    assert stated(NB, rf"curvatures \$\\mu = ({NUM})\$") == bowl.mu
    assert stated(NB, rf"and \$L = ({NUM})\$ \(condition") == bowl.L
    assert stated(NB, rf"axes turned by ({NUM})°") == bowl.angle


def test_section_1_gd_and_momentum_at_the_same_step():
    bowl = L6.bowl()
    assert stated(NB, rf"With \$\\alpha = ({NUM})\$, gradient descent") == L6.DEMO_LR
    steps = int(stated(NB, rf"of the minimum after ({NUM}) steps; with momentum"))
    tol = to_number(stated_text(NB, rf"gradient descent is still not within \$({TEX})\$ of the minimum"))
    assert tol == 1e-6 and f"steps={steps})" in next(c for c in cells(NB, "code") if "DEMO_MOMENTUM" in c)
    gd = sv.run(sv.GD(L6.DEMO_LR), bowl, steps=steps)
    hb = sv.run(sv.Momentum(L6.DEMO_LR, momentum=L6.DEMO_MOMENTUM), bowl, steps=steps)
    assert int(gd.steps_to(tol)) == -1
    assert stated(NB, rf"with momentum\s+\$\\gamma = ({NUM})\$ the loss gap") == L6.DEMO_MOMENTUM
    assert stated(NB, rf"stays below \$10\^{{-6}}\$ from step ({NUM}) on\.") == int(hb.steps_to(1e-6))
    assert int(sv.run(sv.Momentum(L6.DEMO_LR, momentum=L6.DEMO_MOMENTUM), bowl, steps=1000).steps_to(1e-6)) == \
        int(hb.steps_to(1e-6))   # not a dip: a longer run gives the same count


def test_explorer_answer_ripple_thresholds():
    bowl = L6.bowl()
    assert L6.EXPLORER_LR * bowl.L == 1.0   # "Across the valley (alpha L = 1) ... overshoots for every gamma > 0"
    assert sv.analysis.quadratic.momentum_regime(1.0, 1e-3) == 1
    assert_rounds(NB, rf"= ({NUM})\$ at \$\\alpha = 0.02\$", sv.analysis.ripple_momentum(bowl, 0.02))
    assert_rounds(NB, rf"above \$({NUM})\$ at \$\\alpha = 0.01\$", sv.analysis.ripple_momentum(bowl, 0.01))
    assert_rounds(NB, rf"readout shows a rate of about ({NUM})", np.sqrt(sv.theory.optimal_momentum(bowl)[1]))


def test_momentum_matrix_spectral_radius_is_the_rate():
    bowl = L6.bowl()
    M = sv.theory.momentum_matrix(lr=0.02, momentum=0.5, curvature=bowl.L)
    np.testing.assert_allclose(M, [[1 - 0.02 * 50, -0.5], [0.02 * 50, 0.5]])
    for lam in (bowl.mu, bowl.L):
        M = sv.theory.momentum_matrix(lr=0.03, momentum=0.7, curvature=lam)
        x = np.array([1.0, 0.0])
        for _ in range(5):  # M is the velocity form, step for step
            x = M @ x
        hb = sv.run(sv.Momentum(0.03, momentum=0.7), sv.QuadraticBowl((lam, lam)), start=[1.0, 0.0], steps=5)
        assert x[0] == pytest.approx(hb.points[-1, 0])
    radius = max(np.abs(np.linalg.eigvals(sv.theory.momentum_matrix(0.02, 0.5, c))).max() for c in (1.0, 50.0))
    assert radius == pytest.approx(float(sv.theory.momentum_rate(bowl, 0.02, 0.5)))


def test_stability_map_has_its_trough_along_the_boundary_deepest_at_the_star():
    bowl = L6.bowl()
    sm = sv.viz.stability_map(bowl, "Momentum", steps=300)
    g = sm.grid
    with np.errstate(divide="ignore"):
        spd = np.where(g.diverged | ~(g.rates < 1), np.inf, -1 / np.log10(np.clip(g.rates, 1e-300, 1)))
    np.testing.assert_allclose(np.ma.masked_invalid(sm.image.get_array()).filled(np.inf).reshape(spd.shape), spd)
    i, j = np.unravel_index(np.argmin(spd), spd.shape)
    lr_star, gamma_star = sv.theory.optimal_momentum(bowl)
    assert abs(np.log(g.lrs[j] / lr_star)) <= 2 * np.log(g.lrs[1] / g.lrs[0])
    assert abs(g.momenta[i] - gamma_star) <= 2 * (g.momenta[1] - g.momenta[0])
    rows = g.momenta <= gamma_star
    best = g.lrs[np.argmin(spd[rows], axis=1)]
    assert np.all(best >= 0.85 * sv.theory.momentum_lr_limit(bowl, g.momenta[rows]))
    assert sm.image.norm.vmin == 5 and sm.image.norm.vmax == 2000 and "log" in type(sm.image.norm).__name__.lower()


def test_stable_pair_self_check_numbers():
    bowl = L6.bowl()
    lr, g = L6.STABLE_LR, L6.STABLE_MOMENTUM
    assert stated(NB, rf"Momentum \$\\gamma = ({NUM})\$ with step size") == g
    assert stated(NB, rf"step size \$\\alpha = ({NUM})\$ on `bowl`") == lr
    assert_rounds(NB, rf"\\alpha L = 0.07 \\cdot 50 = ({NUM})\$", lr * bowl.L)
    assert_rounds(NB, rf"and \$2 \+ 2\\gamma = ({NUM})\$", 2 + 2 * g)
    assert_rounds(NB, rf"with\s+rate ({NUM}) per step", float(sv.theory.momentum_rate(bowl, lr, g)))
    assert_rounds(NB, rf"the limit is \$3.8/L = ({NUM})\$", float(sv.theory.momentum_lr_limit(bowl, 0.9)))
    assert_rounds(NB, rf"\$, ({NUM}) times plain GD's", float(sv.theory.momentum_lr_limit(bowl, 0.9)) / (2 / bowl.L))
    assert_rounds(NB, rf"plain GD's \$2/L = ({NUM})\$", 2 / bowl.L)
    assert not sv.run(sv.Momentum(lr, momentum=g), bowl, steps=2000).diverged


def test_zigzag_example_roots():
    g, a = stated(NB, rf"at \$\\gamma = ({NUM})\$, \$\\alpha\\lambda = 1.8\$"), stated(NB, rf"\$\\alpha\\lambda = ({NUM})\$ the roots")
    roots = sorted(np.roots([1, -(1 + g - a), g]).real)
    assert [stated(NB, rf"the roots are \$({NUM})\$"), stated(NB, rf"the roots are \${NUM}\$ and \$({NUM})\$")] == \
        pytest.approx(roots)
    assert sv.analysis.quadratic.momentum_regime(a, g) == 2


def test_regime_map_measured_runs_agree_with_the_theory(monkeypatch):
    from stepviz.analysis import rates

    problems, engine_run = [], rates.run

    def recording_run(optimizer, problem, *args, **kwargs):   # which problem do the map's measured runs run on?
        problems.append(problem)
        return engine_run(optimizer, problem, *args, **kwargs)

    monkeypatch.setattr(rates, "run", recording_run)
    fig = sv.viz.plot_momentum_regimes(examples=L6.REGIME_EXAMPLES)
    lam = stated(NB, rf"measured runs on the parabola \$\\lambda = ({NUM})\$")
    assert problems and all(np.all(np.asarray(p.curvatures) == lam) for p in problems)
    # the runs are the heavy ball on that parabola at alpha = (alpha lambda) / lambda, by a hand loop of the rule
    a, gam = np.broadcast_arrays(fig.measured.a, fig.measured.momenta)
    x, v = np.ones(a.shape), np.zeros(a.shape)
    with np.errstate(all="ignore"):
        for k in range(1, 21):
            v = gam * v + (a / lam) * lam * x
            x = x - v
            kept = np.isfinite(fig.measured.x[k])   # a diverged run stops (nan) once it leaves the plot's bounds
            np.testing.assert_allclose(fig.measured.x[k][kept], x[kept], rtol=1e-9, atol=1e-12)
            assert np.all(np.abs(x[~kept]) > 1)
    assert np.isfinite(fig.measured.x[20]).mean() > 0.5
    assert fig.measured.count == stated(NB, rf"the symbols are ({NUM}) measured runs")
    assert fig.agree == fig.measured.count
    assert set(np.unique(fig.measured.measured)) == {0, 1, 2, 3}   # all four regimes are on the map
    x = fig.examples.x                                             # the four example runs, step by step
    sign_changes = (np.diff(np.sign(x), axis=0) != 0).sum(axis=0)
    assert sign_changes[0] <= 1 and sign_changes[2] == x.shape[0] - 1 and sign_changes[1] > 2
    assert fig.examples.measured[3] == 3 and abs(x[-1, 0]) < 1e-3
    assert list(fig.examples.predicted) == [0, 1, 2, 3]


def test_optimum_numbers():
    bowl = L6.bowl()
    lr, g = sv.theory.optimal_momentum(bowl)
    gd_rate = float(sv.theory.gd_rate(bowl, sv.theory.optimal_lr(bowl)))
    assert_rounds(NB, rf"On `bowl`: \$\\alpha\^\* = ({NUM})\$", lr)
    assert_rounds(NB, rf"\$\\gamma\^\* = ({NUM})\$, rate", g)
    assert_rounds(NB, rf"rate ({NUM})\s+per step, against", np.sqrt(g))
    assert_rounds(NB, rf"against ({NUM}) for the best plain GD", gd_rate)
    assert_rounds(NB, rf"({NUM}) steps per digit instead of", -1 / np.log10(np.sqrt(g)))
    assert_rounds(NB, rf"steps per digit instead of ({NUM})", -1 / np.log10(gd_rate))
    assert_rounds(NB, rf"with \$\\kappa = 50\$, ({NUM}) instead of", np.sqrt(g))
    assert_rounds(NB, rf"0.75 instead of ({NUM})", gd_rate)
    measured = float(sv.run(sv.Momentum(lr, momentum=g), bowl, steps=200).rate())
    assert measured == pytest.approx(np.sqrt(g), abs=0.01)


def test_optimum_by_hand_solution():
    bowl2 = sv.QuadraticBowl(L6.OPTIMUM_CHECK_CURVATURES)
    lr, g = sv.theory.optimal_momentum(bowl2)
    assert lr == pytest.approx(1 / 36) and g == pytest.approx(4 / 9)
    assert_rounds(NB, rf"1/36 \\approx ({NUM})\$", 1 / 36)
    assert_rounds(NB, rf"4/9 \\approx ({NUM})\$", 4 / 9)
    k = bowl2.condition_number
    assert_rounds(NB, rf"= 24/26 \\approx ({NUM})\$", (k - 1) / (k + 1))


def test_exercise_answers():
    bowl = L6.bowl()
    lrs = np.geomspace(1e-4, 0.08, 20001)
    gamma = stated(NB, rf"find the best \$\\alpha\$ for \$\\gamma = ({NUM})\$ on `bowl`")
    r = sv.theory.momentum_rate(bowl, lrs, gamma)
    flat = lrs[np.isclose(r, np.sqrt(gamma), rtol=1e-9)]
    assert_rounds(NB, rf"every \$\\alpha\$ from ({NUM}) to", flat.min())
    assert_rounds(NB, rf"from {NUM} to ({NUM}) gives the same rate", flat.max())
    assert_rounds(NB, rf"\\sqrt{{0.9}} = ({NUM})\$, because", np.sqrt(gamma))
    assert stated(NB, rf"best \$\\alpha\$: at \$\\gamma = ({NUM})\$ every") == gamma
    assert r.min() == pytest.approx(np.sqrt(gamma))


def test_exercise_on_the_worse_bowl_counts_and_why_the_ratio_is_not_sqrt_kappa():
    """At the optimum both extreme directions have a repeated root: the error decays like k rho^k (issue 17 item 10)."""
    mu, L = stated(NB, rf"`sv.QuadraticBowl\(\(({NUM}), {NUM}\)\)`\. From which"), \
        stated(NB, rf"`sv.QuadraticBowl\(\({NUM}, ({NUM})\)\)`\. From which")
    tol = to_number(stated_text(NB, rf"From which step does the loss gap stay below\s+\$({TEX})\$"))
    assert stated(NB, rf"\(`trajectory.steps_to\(({NUM})\)`, {NUM} if the run ends above it\) for the best GD") == tol == 1e-6
    big = sv.QuadraticBowl((mu, L))
    lr, g = sv.theory.optimal_momentum(big)
    steps = 20000   # long enough for both counts: a run twice as long gives the same (below)
    gd = sv.run(sv.GD(sv.theory.optimal_lr(big)), big, steps=steps)
    hb = sv.run(sv.Momentum(lr, momentum=g), big, steps=steps)
    n_gd, n_hb = int(gd.steps_to(1e-6)), int(hb.steps_to(1e-6))
    assert int(sv.run(sv.GD(sv.theory.optimal_lr(big)), big, steps=2 * steps).steps_to(1e-6)) == n_gd
    assert int(sv.run(sv.Momentum(lr, momentum=g), big, steps=2 * steps).steps_to(1e-6)) == n_hb
    # '-1 if the run ends above it': a run one step shorter than the count ends above the target
    short = stated(NB, rf"\(`trajectory.steps_to\({NUM}\)`, ({NUM}) if the run ends above it\)")
    assert int(sv.run(sv.GD(sv.theory.optimal_lr(big)), big, steps=n_gd - 1).steps_to(1e-6)) == short
    assert int(sv.run(sv.Momentum(lr, momentum=g), big, steps=n_hb - 1).steps_to(1e-6)) == short
    assert stated(NB, rf"\(\$\\alpha = 2/\(\\mu \+ L\)\$\): from step ({NUM})") == n_gd
    assert stated(NB, rf"heavy-ball optimum: from step ({NUM})") == n_hb
    assert_rounds(NB, rf"That is ({NUM}) times fewer", n_gd / n_hb)
    assert_rounds(NB, rf"not\s+\$\\sqrt{{\\kappa}} = ({NUM})\$", np.sqrt(big.condition_number))
    rho, r_gd = np.sqrt(g), float(sv.theory.gd_rate(big, sv.theory.optimal_lr(big)))
    assert_rounds(NB, rf"as the rates ({NUM}) and", r_gd)
    assert_rounds(NB, rf"as the rates {NUM} and ({NUM}) per step", rho)
    assert np.log(rho) / np.log(r_gd) == pytest.approx(np.sqrt(big.condition_number), rel=0.01)   # what rates promise
    for lam, sign in ((mu, 1), (L, -1)):   # repeated roots, +rho for mu and -rho for L
        z = np.linalg.eigvals(sv.theory.momentum_matrix(lr, g, lam))
        np.testing.assert_allclose(z, [sign * rho] * 2, atol=1e-6)
    assert_rounds(NB, rf"\$z = ({NUM})\$ twice for \$\\mu\$", rho)
    assert_rounds(NB, rf"\$z = (-?{NUM})\$ twice for \$L\$", -rho)
    d = hb.distance_to_minimum()[: n_hb + 1]
    k = np.arange(1, n_hb + 1)
    grows = d[1:] / rho ** k   # k rho^k: error / rho^k grows linearly in k
    assert np.polyfit(k[20:], grows[20:], 1)[0] > 0 and np.corrcoef(k[20:], grows[20:])[0, 1] > 0.99
    alone = np.log(1e-6 / hb.gap()[0]) / (2 * np.log(rho))   # gap ~ gap_0 rho^(2k), no factor k
    assert stated(NB, rf"The rate alone predicts ({NUM}) steps") == round(alone)
    assert stated(NB, rf"the factor \$k\$ costs the other ({NUM})") == n_hb - round(alone)
    tight = sv.run(sv.GD(sv.theory.optimal_lr(big)), big, steps=15000).steps_to(1e-20) / \
        sv.run(sv.Momentum(lr, momentum=g), big, steps=15000).steps_to(1e-20)
    assert_rounds(NB, rf"only for tighter targets: ({NUM}) at", float(tight))
    assert stated(NB, rf"targets: {NUM} at \$10\^{{({NUM})}}\$") == -20


def test_the_prose_names_the_limit_lines_by_their_legend_labels():
    """Both figures draw the limit in blue: the prose names each line by its legend label, not by a colour."""
    bowl = L6.bowl()
    explorer = sv.live.momentum_explorer(bowl, "Momentum", lr=L6.EXPLORER_LR, momentum=L6.EXPLORER_MOMENTUM, steps=150)
    strip = [t.get_text() for t in explorer.ax_lr.get_legend().get_texts()]
    smap = sv.viz.stability_map(bowl, "Momentum", steps=300)
    legend = [t.get_text() for t in smap.ax.get_legend().get_texts()]
    text = markdown(NB)
    assert "**limit (2+2γ)/L**" in text and "limit (2+2γ)/L" in strip
    assert "*theory: limit (2+2γ)/L*" in text and "theory: limit (2+2γ)/L" in legend
    assert "*optimal (α, γ)*" in text and "optimal (α, γ)" in legend
    assert not re.search(r"\b(red|blue)\b", text)


def test_section_5_edges_have_repeated_roots():
    bowl = L6.bowl()
    lr, g = sv.theory.optimal_momentum(bowl)
    assert lr * bowl.mu == pytest.approx((1 - np.sqrt(g)) ** 2) and lr * bowl.L == pytest.approx((1 + np.sqrt(g)) ** 2)
    for lam, sign in ((bowl.mu, 1), (bowl.L, -1)):
        np.testing.assert_allclose(np.linalg.eigvals(sv.theory.momentum_matrix(lr, g, lam)), [sign * np.sqrt(g)] * 2,
                                   atol=1e-6)
    text = markdown(NB)
    assert "the two roots coincide, $z = \\pm\\sqrt\\gamma$" in text
    for edge in (r"real and positive for $\alpha\lambda \le (1 - \sqrt\gamma)^2$", r"negative from $(1 + \sqrt\gamma)^2$",
                 r"$\alpha\mu = (1 - \sqrt\gamma)^2$", r"$\alpha L = (1 + \sqrt\gamma)^2$"):
        assert edge in text, edge


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


# --- issue 21: the questions' parameters, the worked answers and the stated facts, read from the prose ----------

from .worked import assert_chain, tex_value  # noqa: E402


def test_the_iteration_is_2_by_2_everywhere_the_prose_says_so():
    shape = sv.theory.momentum_matrix(lr=0.02, momentum=0.5, curvature=50.0).shape
    said = re.findall(rf"({NUM})×({NUM})\s+(?:iteration|matrix)", markdown(NB))
    assert len(said) == 3 and all((to_number(a), to_number(b)) == shape for a, b in said)


def test_section_1_facts():
    bowl = L6.bowl()
    v0 = stated(NB, rf"\\qquad v_0 = ({NUM}) \.\$\$")
    assert np.all(sv.Momentum(0.02, momentum=0.5).init(np.array(bowl.start, float))["v"] == v0)
    g0 = stated(NB, rf"With \$\\gamma = ({NUM})\$ this is gradient descent")
    np.testing.assert_allclose(sv.run(sv.Momentum(0.03, momentum=g0), bowl, steps=30).points,
                               sv.run(sv.GD(0.03), bowl, steps=30).points, rtol=1e-13)
    gamma = stated(NB, rf"with \$\\gamma = ({NUM})\$ the step is \*\*ten times\*\*")
    x, v = 0.0, 0.0   # a steady slope g = 1: the velocity's limit
    for _ in range(2000):
        v = gamma * v + 0.01 * 1.0
    assert v / 0.01 == pytest.approx(10)
    assert stated(NB, rf"\(condition number \$\\kappa = ({NUM})\$\)") == bowl.condition_number


def test_try_this_parameters_are_the_answers():
    bowl = L6.bowl()
    a1 = stated(NB, rf"Keep \$\\alpha = ({NUM})\$ and raise \$\\gamma\$ from")
    g_from = stated(NB, rf"and raise \$\\gamma\$ from ({NUM}) in small steps")
    a2 = stated(NB, rf"Set \$\\alpha = ({NUM})\$ and move \$\\gamma\$ from")
    lo = stated(NB, rf"move \$\\gamma\$ from ({NUM}) to its largest value, {NUM}:")
    hi = stated(NB, rf"move \$\\gamma\$ from {NUM} to its largest value, ({NUM}):")
    explorer = sv.live.momentum_explorer(bowl, "Momentum", lr=L6.EXPLORER_LR, momentum=L6.EXPLORER_MOMENTUM, steps=150)
    assert hi == explorer.controls["momentum"].max   # 'its largest value': the end of the explorer's slider
    assert a1 == stated(NB, rf"= {NUM}\$ at \$\\alpha = ({NUM})\$, and") and a2 == stated(NB, rf"above \${NUM}\$ at \$\\alpha = ({NUM})\$")
    assert a1 == L6.EXPLORER_LR and g_from == stated(NB, rf"overshoots for every \$\\gamma > ({NUM})\$") == 0
    assert stated(NB, rf"Across the valley \(\$\\lambda = L = ({NUM})\$") == bowl.L
    assert stated(NB, rf"\$\\lambda = L = {NUM}\$, \$\\alpha L = ({NUM})\$\)") == pytest.approx(a1 * bowl.L)
    assert stated(NB, rf"Along the valley\s+\(\$\\lambda = \\mu = ({NUM})\$\)") == bowl.mu
    # 'from a smooth descent into waves': the slow direction is monotone at the first gamma and ripples at the second
    ripple = sv.analysis.ripple_momentum(bowl, a2)
    assert lo < ripple < hi
    assert sv.analysis.quadratic.momentum_regime(a2 * bowl.mu, lo) == 0
    assert sv.analysis.quadratic.momentum_regime(a2 * bowl.mu, hi) == 1


def test_stability_map_grid_and_its_limit_line():
    smap = sv.viz.stability_map(L6.bowl(), "Momentum", steps=300)
    assert (stated(NB, rf"One batched run over a ({NUM}) × {NUM} grid of \$\(\\alpha, \\gamma\)\$"),
            stated(NB, rf"One batched run over a {NUM} × ({NUM}) grid of \$\(\\alpha, \\gamma\)\$")) == \
        (smap.grid.lrs.size, smap.grid.momenta.size)
    two, slope = stated(NB, rf"is the limit αL = ({NUM}) \+ {NUM}γ"), stated(NB, rf"is the limit αL = {NUM} \+ ({NUM})γ")
    limit = sv.theory.momentum_lr_limit(L6.bowl(), smap.grid.momenta)
    np.testing.assert_allclose(limit * L6.bowl().L, two + slope * smap.grid.momenta)


def test_stable_pair_question_and_worked_answer():
    bowl = L6.bowl()
    assert stated(NB, rf"on `bowl` \(\$L = ({NUM})\$\)\. Plain GD") == bowl.L
    assert_rounds(NB, rf"Plain GD would diverge at this \$\\alpha\$\s+\(\$\\alpha L = ({NUM}) > {NUM}\$\)", L6.STABLE_LR * bowl.L)
    assert stated(NB, rf"\(\$\\alpha L = {NUM} > ({NUM})\$\)\. Does") == sv.theory.lr_limit(bowl) * bowl.L   # GD's limit 2/L
    assert stated(NB, rf"Since \$({NUM}) < {NUM}\$ it converges") == pytest.approx(L6.STABLE_LR * bowl.L)
    assert stated(NB, rf"Since \${NUM} < ({NUM})\$ it converges") == pytest.approx(2 + 2 * L6.STABLE_MOMENTUM)
    gamma = stated(NB, rf"At \$\\gamma = ({NUM})\$ the limit is \$3.8/L")
    assert stated(NB, rf"the limit is \$({NUM})/L = ") == pytest.approx(2 + 2 * gamma)


def test_regime_boundaries_at_gamma_0_and_the_measured_parabola():
    g = stated(NB, rf"With \$\\gamma = ({NUM})\$ the ripple region shrinks")
    point = stated(NB, rf"shrinks to the single point \$\\alpha\\lambda = ({NUM})\$")
    assert (1 - np.sqrt(g)) ** 2 == (1 + np.sqrt(g)) ** 2 == point


def test_heavy_ball_optimum_question_and_worked_answer():
    mu, L = stated(NB, rf"A bowl with curvatures \$\\mu = ({NUM})\$ and"), stated(NB, rf"curvatures \$\\mu = {NUM}\$ and \$L = ({NUM})\$\.")
    assert (mu, L) == tuple(L6.OPTIMUM_CHECK_CURVATURES)
    lr, g = sv.theory.optimal_momentum(sv.QuadraticBowl((mu, L)))
    assert stated(NB, rf"\$\\sqrt{{L}} = ({NUM})\$, \$\\sqrt") == np.sqrt(L)
    assert stated(NB, rf"\$\\sqrt{{\\mu}} = ({NUM})\$: \$\\alpha") == np.sqrt(mu)
    assert_chain(NB, rf"\\alpha\^\* = ({NUM} / {NUM}\^{NUM} = {NUM}/{NUM} \\approx {NUM})\$", lr)
    assert_chain(NB, rf"\\gamma\^\* = (\({NUM}/{NUM}\)\^{NUM} = {NUM}/{NUM} \\approx {NUM})\$", g)
    pair = re.search(rf"`my_pair = \(({NUM}/{NUM}), ({NUM}/{NUM})\)`", markdown(NB))
    assert [tex_value(pair.group(1)), tex_value(pair.group(2))] == pytest.approx([lr, g])
    assert_chain(NB, rf"The rate per step is \$\\sqrt{{\\gamma\^\*}} = ({NUM}/{NUM})\$", np.sqrt(g))
    k = L / mu
    assert_chain(NB, rf"\(\\kappa - 1\)/\(\\kappa \+ 1\) = ({NUM}/{NUM} \\approx {NUM})\$", (k - 1) / (k + 1))


def test_going_further_compares_with_the_optimum_rate():
    assert_rounds(NB, rf"That is worse than ({NUM}) at", np.sqrt(sv.theory.optimal_momentum(L6.bowl())[1]))


def test_this_lessons_formulas_are_what_stepviz_computes():
    """Issue 21: the formulas tests/lessons/formulas.py's COURSE does not hold (tests/lessons/formulas_05_09.py),
    evaluated at random points against stepviz; a changed digit of any of them fails."""
    from .formulas_05_09 import check

    check(NB, {"the heavy ball's characteristic polynomial det(z I - M)",
               "the heavy ball's ripple threshold (1 - sqrt(alpha mu))^2 of the flat direction",
               "the heavy ball's best rate, written with braces"})


def test_section_3_matrix_equation_and_limits_as_written():
    """M's entries as the display writes them, the characteristic equation's right side, the stable interval's
    lower end, GD's limit, the boundaries (1 -+ sqrt gamma)^2 and the regime runs' 300 steps."""
    import inspect

    from .formulas import evaluate, sample_points

    m = re.search(r"M = \\begin\{pmatrix\} (.*?) & (.*?) \\\\ (.*?) & (.*?) \\end\{pmatrix\}", markdown(NB))
    for v in sample_points(4):
        entries = np.array([[evaluate(m.group(1))(v), evaluate(m.group(2))(v)], [evaluate(m.group(3))(v), evaluate(m.group(4))(v)]])
        np.testing.assert_allclose(entries, sv.theory.momentum_matrix(v["alpha"], v["gamma"], v["lambda"]), rtol=1e-12)
    M = sv.theory.momentum_matrix(0.02, 0.5, 50.0)
    z = np.linalg.eigvals(M)
    rhs = stated(NB, rf"z \+ \\gamma = ({NUM}) \.\$\$")
    assert rhs == stated(NB, rf"solve \$\\det\(M - zI\) = ({NUM})\$")
    np.testing.assert_allclose(z ** 2 - (1 + 0.5 - 0.02 * 50) * z + 0.5, rhs, atol=1e-12)
    np.testing.assert_allclose([np.linalg.det(M - zi * np.eye(2)) for zi in z], rhs, atol=1e-12)
    low = stated(NB, rf"\$\$({NUM}) < \\alpha\\lambda < 2 \+ 2\\gamma \.\$\$")
    radius = [max(abs(np.roots([1, -(1 + 0.5 - a), 0.5]))) for a in (low - 1e-3, low + 1e-3)]   # at gamma = 0.5
    assert radius[0] >= 1 > radius[1]
    assert stated(NB, rf"raises\*\s+gradient\s+descent's limit\s+\$\\alpha L < ({NUM})\$") == sv.theory.lr_limit(L6.bowl()) * L6.bowl().L
    one = stated(NB, rf"the boundaries are\s+\$\(({NUM}) \\mp \\sqrt\\gamma\)\^2\$")
    for g in (0.1, 0.5, 0.9):
        np.testing.assert_allclose(sv.theory.momentum_regime_bounds(g)[:2], [(one - np.sqrt(g)) ** 2, (one + np.sqrt(g)) ** 2])
    steps = stated(NB, rf"how the sign of its error changes over ({NUM}) steps")
    assert steps == inspect.signature(sv.viz.plot_momentum_regimes).parameters["steps"].default
