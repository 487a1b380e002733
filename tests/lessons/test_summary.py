"""Lesson 13 (13_summary.ipynb): every number its prose states is what the course computes; its self-checks
accept right answers, name typical mistakes, never raise."""
import functools
import re

import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import MORE_JUNK, printed
from .prose import NUM, assert_rounds, markdown, stated, stated_text

NB = "13_summary"


def test_quiz(capsys):
    assert checks.check_quiz(dict(checks.QUIZ_KEY)) is True
    assert checks.check_quiz({"1": "B", 2: "c ", 3: "a", 4: "a"}) is True
    assert checks.check_quiz({1: "b", 2: "b", 3: "a", 4: "a"}) is False
    assert checks.check_quiz({1: "b", 2: "c", 3: "a"}) is False
    for junk in MORE_JUNK + [{}, {9: "a"}, {1: 3}]:
        assert checks.check_quiz(junk) is False
    printed(capsys)


def test_mystery_surface_minimum_and_gradient():
    s = checks.mystery_surface()
    assert s.f_min == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(s.grad(s.minima[0]), 0.0, atol=1e-12)
    p = np.array([[0.3, -1.2], [-2.0, 2.0]])
    h = 1e-6
    num = np.stack([(s.value(p + [h, 0]) - s.value(p - [h, 0])) / (2 * h),
                    (s.value(p + [0, h]) - s.value(p - [0, h])) / (2 * h)], -1)
    np.testing.assert_allclose(s.grad(p), num, rtol=1e-5)


def test_gd_cannot_pass_and_its_best_is_as_stated(capsys):
    s = checks.mystery_surface()
    lrs = checks.GD_SCAN
    k = sv.run(sv.GD(lrs), s, steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)
    best = k[k >= 0].min()
    assert best > checks.MYSTERY_TARGET
    assert best == checks.MYSTERY_GD_BEST == stated(NB, rf"GD at its best constant step size\s+needs ({NUM})\.")
    assert stated(NB, rf"This is where the ({NUM}) comes from") == best
    assert stated(NB, rf"steps to the tolerance for\s+({NUM}) step sizes") == lrs.size
    assert (stated(NB, rf"step sizes of GD between ({NUM}) and"), stated(NB, rf"step sizes of GD between {NUM} and ({NUM})\.")) \
        == (lrs[0], lrs[-1])
    finer = sv.run(sv.GD(np.geomspace(0.02, 0.04, 4000)), s, steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)
    assert best - finer[finer >= 0].min() <= 2   # the scan is fine enough: a finer one gains at most a step or two
    assert checks.check_mystery({"optimizer": "GD", "lr": float(lrs[np.argmin(np.where(k >= 0, k, 10**9))])}) is False
    printed(capsys)


def test_quiz_solution_numbers():
    kappa = 10.0 ** stated(NB, rf"A bowl with \$\\kappa = 10\^({NUM})\$ whose axes")
    gd, hb = 1 / np.log10((kappa + 1) / (kappa - 1)), 1 / np.log10((np.sqrt(kappa) + 1) / (np.sqrt(kappa) - 1))
    assert stated(NB, rf"GD needs about ({NUM}) steps per digit") == round(gd, -2)
    assert stated(NB, rf"the heavy ball about ({NUM}):") == round(hb)
    assert stated(NB, rf"about 115: ({NUM}) times fewer") == pytest.approx(gd / hb, rel=0.01)
    # "whose axes are turned away from the coordinate axes": c is right whatever the angle, from 1° to 89°
    assert stated_text(NB, rf"A bowl with \$\\kappa = 10\^{NUM}\$ (whose axes are turned away from the coordinate axes);")
    for angle in (1, 5, 15, 30, 45, 60, 75, 85, 89):
        turned = sv.QuadraticBowl((1.0, kappa), angle=angle)
        lr, g = sv.theory.optimal_momentum(turned)
        hb_steps = int(sv.run(sv.Momentum(lr, momentum=g), turned, steps=3000).steps_to(1e-8))
        adagrad = sv.run(sv.Adagrad(np.geomspace(1e-3, 3, 30)), turned, steps=3000).steps_to(1e-8)
        assert hb_steps > 0 and (np.all(adagrad < 0) or adagrad[adagrad >= 0].min() > hb_steps), angle
    aligned = sv.QuadraticBowl((1.0, kappa))
    lr, g = sv.theory.optimal_momentum(aligned)
    hb_steps = int(sv.run(sv.Momentum(lr, momentum=g), aligned, steps=3000).steps_to(1e-8))
    aligned_adagrad = sv.run(sv.Adagrad(np.geomspace(1e-3, 3, 60)), aligned, steps=2000).steps_to(1e-8)
    assert 0 <= aligned_adagrad[aligned_adagrad >= 0].min() < hb_steps                         # ... and b when aligned


def _steps(name, **hp):
    return checks.mystery_steps({"optimizer": name, **hp})


@functools.lru_cache(maxsize=None)
def _gd_scan():
    return sv.run(sv.GD(checks.GD_SCAN), checks.mystery_surface(), steps=checks.MYSTERY_STEPS)


@functools.lru_cache(maxsize=None)
def _grid_best(name, grid):
    """The fewest steps (and where) of ``name`` on the grid geomspace(*grid[:3]) x linspace(*grid[3:])."""
    lrs, ms = np.geomspace(grid[0], grid[1], int(grid[2])), np.linspace(grid[3], grid[4], int(grid[5]))
    k = sv.run(sv.make_optimizer(name, lr=lrs[None, :], momentum=ms[:, None]), checks.mystery_surface(),
               steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)
    return _best(k)


def _best(k):
    """The fewest steps of a batched count (-1: never) and its index."""
    kk = np.where(k >= 0, k, 10**9)
    i = np.unravel_index(np.argmin(kk), kk.shape)
    return int(kk[i]), i


def test_capstone_task_is_what_the_check_asks():
    assert stated(NB, rf"from at most step \*\*({NUM})\*\* on") == checks.MYSTERY_TARGET
    assert stated(NB, rf"within \$10\^{{(-?\d+)}}\$ of its minimum \*\*and keep it there") == np.log10(checks.MYSTERY_TOL)
    assert stated(NB, rf"to the end of a ({NUM})-step run") == checks.MYSTERY_STEPS
    # "a run that dips below and climbs out again has not arrived": the check counts where the gap stays below
    s = checks.mystery_surface()
    tr = sv.run(sv.Nesterov(0.01552, momentum=0.85), s, steps=checks.MYSTERY_STEPS)
    gap = tr.gap()
    first = int(np.argmax(gap <= checks.MYSTERY_TOL))
    assert first < checks.mystery_steps(("Nesterov", {"lr": 0.01552, "momentum": 0.85})) == tr.steps_to(checks.MYSTERY_TOL)
    assert np.any(gap[first:] > checks.MYSTERY_TOL)


def _start_formula():
    s = checks.mystery_surface()
    eig = np.linalg.eigvalsh(s.hessian(s.start))
    return eig, sv.theory.optimal_momentum(sv.QuadraticBowl(tuple(eig)))


def test_try_this_answer_numbers():
    eig, (lr, g) = _start_formula()
    head = r"At the start the eigenvalues are about "
    for pattern, value in ((rf"{head}({NUM}) and {NUM} \(", eig[0]), (rf"{head}{NUM} and ({NUM}) \(", eig[1]),
                           (rf"{head}{NUM} and {NUM} \(\$\\kappa \\approx ({NUM})\$\), and", eig[1] / eig[0]),
                           (rf"heavy ball for\s+those, \$\\alpha \\approx ({NUM})\$ and", lr),
                           (rf"heavy ball for\s+those, \$\\alpha \\approx {NUM}\$ and \$\\gamma \\approx ({NUM})\$, needs", g)):
        assert_rounds(NB, pattern, value)
    trial = _gd_scan()
    best = _best(trial.steps_to(checks.MYSTERY_TOL))[1][0]
    assert_rounds(NB, rf"the flat\s+curvature is only about ({NUM}) \(0.8 at the minimum",
                  np.linalg.eigvalsh(checks.mystery_surface().hessian(trial.points[-1, best]))[0])
    assert stated(NB, rf"\\gamma \\approx 0.47\$, needs ({NUM}) steps") == _steps("Momentum", lr=lr, momentum=g) \
        > checks.MYSTERY_TARGET
    assert_rounds(NB, rf"0.8 at the minimum, \$\\kappa = ({NUM})\$", 60 / 0.8)
    assert_rounds(NB, rf"the same formula with 0.8 and 60 gives \$\\gamma \\approx ({NUM})\$",
                  sv.theory.optimal_momentum(sv.QuadraticBowl((0.8, 60.0)))[1])


def test_capstone_solution_numbers():
    s = checks.mystery_surface()
    eig, (lr, g) = _start_formula()
    assert_rounds(NB, rf"eigenvalues about ({NUM}) and 60: a narrow", eig[0])
    assert_rounds(NB, rf"about 2.1 and ({NUM}): a narrow", eig[1])
    assert_rounds(NB, rf"a narrow valley \(\$\\kappa \\approx ({NUM})\$\)", eig[1] / eig[0])
    assert_rounds(NB, rf"gives \$\\alpha \\approx ({NUM}), \\gamma", lr)
    assert_rounds(NB, rf"\\gamma \\approx ({NUM})\$: 106 steps", g)
    assert stated(NB, rf"\\gamma \\approx 0.47\$: ({NUM}) steps") == _steps("Momentum", lr=lr, momentum=g)
    trial = _gd_scan()
    best = _best(trial.steps_to(checks.MYSTERY_TOL))[1][0]
    where = stated(NB, rf"`mystery\.hessian\(trial\.points\[({NUM}), best\]\)`")
    assert where == -1                                                     # "where the best GD run ends": its last iterate
    end = np.linalg.eigvalsh(s.hessian(trial.points[int(where), best]))
    assert_rounds(NB, rf"has eigenvalues about ({NUM}) and 60 \(exactly", end[0])
    assert_rounds(NB, rf"has eigenvalues about {NUM} and ({NUM}) \(exactly", end[1])
    at_min = np.linalg.eigvalsh(s.hessian(s.minima[0]))
    assert (stated(NB, rf"\(exactly ({NUM}) and {NUM} at the minimum\)"), stated(NB, rf"\(exactly {NUM} and ({NUM}) at the minimum\)")) \
        == pytest.approx(at_min)
    curv = (stated(NB, rf"QuadraticBowl\(\(({NUM}), 60.0\)\)\)\s+#"), stated(NB, rf"QuadraticBowl\(\(0.8, ({NUM})\)\)\)\s+#"))
    assert np.linalg.eigvalsh(s.hessian(s.minima[0])) == pytest.approx(curv)
    bowl = sv.QuadraticBowl(curv)
    lr, g = sv.theory.optimal_momentum(bowl)
    assert_rounds(NB, rf"# ({NUM}) and 0.629", lr)
    assert_rounds(NB, rf"# 0.0536 and ({NUM})", g)
    assert stated(NB, rf"\"momentum\": gamma}}\s+# ({NUM}) steps") == _steps("Momentum", lr=lr, momentum=g)
    # rounding: the optimum sits just below the steep direction's limit, where its two roots meet
    limit = sv.theory.momentum_lr_limit(bowl, g)
    assert_rounds(NB, rf"at ({NUM}) % of it, where", 100 * lr / limit)
    a = lr * 60
    assert (1 + g - a) ** 2 - 4 * g == pytest.approx(0, abs=1e-9)                  # a repeated root
    assert_rounds(NB, rf"rate from ({NUM}) to 0.94", sv.theory.momentum_rate(bowl, lr, g))
    typed = stated(NB, rf"Typed as \$\\alpha = ({NUM}), \\gamma"), stated(NB, rf"Typed as \$\\alpha = {NUM}, \\gamma = ({NUM})\$")
    assert_rounds(NB, rf"rate from 0.79 to ({NUM}) per step", sv.theory.momentum_rate(bowl, *typed))
    k = _steps("Momentum", lr=typed[0], momentum=typed[1])
    assert stated(NB, rf"the same answer needs ({NUM}) steps and fails") == k > checks.MYSTERY_TARGET
    down = stated(NB, rf"Round the step size down: \$\\alpha = ({NUM}), \\gamma"), \
        stated(NB, rf"Round the step size down: \$\\alpha = {NUM}, \\gamma = ({NUM})\$")
    assert down[0] < typed[0] and stated(NB, rf"\\gamma = 0.63\$ takes ({NUM})\.") == _steps("Momentum", lr=down[0], momentum=down[1])
    # the solution's grid, as its code writes it
    call = stated_text(NB, r"A batched grid over.*?```python\n(lrs, ms = .*?)```")
    m = re.search(r"np\.geomspace\(([\d.e-]+), ([\d.e-]+), (\d+)\), np\.linspace\(([\d.e-]+), ([\d.e-]+), (\d+)\)\n"
                  r"tr = sv\.run\(sv\.Momentum\(lr=lrs\[None, :\], momentum=ms\[:, None\]\), mystery, steps=(\d+)\)\n"
                  r"k = tr\.steps_to\(([\d.e-]+)\)", call)
    grid = [float(v) for v in m.groups()]
    assert (int(grid[6]), grid[7]) == (checks.MYSTERY_STEPS, checks.MYSTERY_TOL)
    lrs, ms = np.geomspace(grid[0], grid[1], int(grid[2])), np.linspace(grid[3], grid[4], int(grid[5]))
    grid_best = {name: _grid_best(name, tuple(grid[:6])) for name in ("Momentum", "Nesterov")}
    n, (i, j) = grid_best["Momentum"]
    scope = {"np": np, "sv": sv, "mystery": s}
    exec(call, scope)                                                    # the solution's code, as written, finds it
    assert (scope["i"], scope["j"]) == (i, j) and scope["k"][i, j] == n
    assert stated(NB, rf"finds ({NUM}) steps at \$\\gamma") == n
    assert_rounds(NB, rf"finds 59 steps at \$\\gamma = ({NUM})\$", ms[i])
    assert_rounds(NB, rf"\$\\alpha \\approx ({NUM})\$ \(typed as", lrs[j])
    typed_grid = stated(NB, rf"\(typed as ({NUM}): 61\)")
    assert stated(NB, rf"\(typed as 0.048: ({NUM})\)") == _steps("Momentum", lr=typed_grid, momentum=round(ms[i], 2))
    assert stated(NB, rf"Nesterov needs ({NUM}) on the grid above") == grid_best["Nesterov"][0] \
        == stated(NB, rf"Nesterov: ({NUM}) steps at best on the solution's grid")
    ks = sv.run(sv.Adam(np.geomspace(1e-3, 3, 200)), s, steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)
    assert stated(NB, rf"Adam does not pass \(({NUM}) steps at its best\)") == _best(ks)[0] > checks.MYSTERY_TARGET


@functools.lru_cache(maxsize=None)
def _typed_grid(lrs, ms):
    return sv.run(sv.Momentum(lr=np.array(lrs)[None, :], momentum=np.array(ms)[:, None]), checks.mystery_surface(),
                  steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)


def test_typed_grid_and_the_excellent_plateau(capsys):
    typed = stated_text(NB, rf"the {NUM} settings you would type \(step sizes ({NUM}, {NUM}, \.\.\., {NUM}; momenta {NUM}, {NUM}, \.\.\., {NUM})\)")
    a0, a1, a2, g0, g1, g2 = (float(v) for v in re.findall(NUM, typed))
    lrs = np.round(np.arange(a0, a2 + (a1 - a0) / 2, a1 - a0), 3)
    ms = np.round(np.arange(g0, g2 + (g1 - g0) / 2, g1 - g0), 2)
    k = _typed_grid(tuple(lrs), tuple(ms))
    assert stated(NB, rf"On a grid of the ({NUM}) settings you would type") == k.size
    n, (i, j) = _best(k)
    assert stated(NB, rf"the best\s+is ({NUM}) steps at") == n
    assert (stated(NB, rf"steps at \$\\alpha = ({NUM}), \\gamma = 0.62\$"), stated(NB, rf"\\alpha = 0.05, \\gamma = ({NUM})\$, and")) \
        == (lrs[j], ms[i])
    excellent = stated(NB, rf"settings need ({NUM}) or fewer")
    assert excellent == checks.MYSTERY_EXCELLENT
    assert stated(NB, rf"and ({NUM}) settings need 60") == np.sum((k >= 0) & (k <= excellent))
    # the check gives the badge exactly to those settings, and names it
    assert checks.check_mystery({"optimizer": "Momentum", "lr": float(lrs[j]), "momentum": float(ms[i])}) is True
    assert "Excellent" in printed(capsys)
    worse = np.argwhere(k > excellent)[0]
    checks.check_mystery({"optimizer": "Momentum", "lr": float(lrs[worse[1]]), "momentum": float(ms[worse[0]])})
    assert "Excellent" not in capsys.readouterr().out


def test_rounding_up_gets_a_hint_named_after_it(capsys):
    assert checks.check_mystery({"optimizer": "Momentum", "lr": 0.054, "momentum": 0.63}) is False
    out = printed(capsys)
    assert "Round the step size down" in out and "224" in out
    assert checks.check_mystery({"optimizer": "Momentum", "lr": 0.0475, "momentum": 0.473}) is False
    out = printed(capsys)
    assert "Round the step size down" not in out and "near the minimum" in out


def test_exercise_1_answer():
    s = checks.mystery_surface()
    lrs = np.round(np.arange(0.015, 0.0255, 0.001), 3)
    g = stated(NB, rf"reaches 55 \(\$\\gamma = ({NUM})\$")
    k = sv.run(sv.Nesterov(lr=lrs, momentum=g), s, steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)
    lr = stated(NB, rf"\$\\gamma = 0.78\$,\s+\$\\alpha = ({NUM})\$\)")
    at = {float(a): int(v) for a, v in zip(lrs, k)}
    assert stated(NB, rf"Typed to three decimals it reaches ({NUM})") == at[lr] == min(v for v in at.values() if v >= 0)
    near = stated(NB, rf"narrow spot: \$\\alpha = ({NUM})\$ and"), stated(NB, rf"narrow spot: \$\\alpha = {NUM}\$ and \$({NUM})\$ need")
    assert (stated(NB, rf"need ({NUM}) and 78\."), stated(NB, rf"need 68 and ({NUM})\.")) == (at[near[0]], at[near[1]])
    rms_lrs = np.geomspace(stated(NB, rf"of 200 step sizes between ({NUM}) and 3"), stated(NB, rf"between 0.001 and ({NUM}), only"),
                           int(stated(NB, rf"of ({NUM}) step sizes between 0.001")))
    tr = sv.run(sv.RMSprop(rms_lrs), s, steps=checks.MYSTERY_STEPS)
    ks, gap = tr.steps_to(checks.MYSTERY_TOL), tr.gap()
    assert stated(NB, rf"only ({NUM}) stay within") == np.sum(ks >= 0)
    assert stated(NB, rf"the best from step ({NUM})\.") == ks[ks >= 0].min() > checks.MYSTERY_TARGET
    dips = np.where((gap <= checks.MYSTERY_TOL).any(axis=0), np.argmax(gap <= checks.MYSTERY_TOL, axis=0), 10**9)
    j = int(np.argmin(dips))
    assert stated(NB, rf"as early as step ({NUM})") == dips[j]
    assert_rounds(NB, rf"\(\$\\alpha \\approx ({NUM})\$\), then climbs out", rms_lrs[j])
    assert_rounds(NB, rf"its 1000 steps at \$J - J\^\* = ({NUM})\$", gap[-1, j])
    assert ks[j] == -1
    # the mechanism, by a hand-written loop of RMSprop (rho = 0.99, eps = 1e-8): alpha / sqrt(s) grows past 2 / L
    p, sq, eff = s.start.copy(), np.zeros(2), []
    for _ in range(checks.MYSTERY_STEPS):
        grad = s.grad(p)
        sq = 0.99 * sq + 0.01 * grad ** 2
        eff.append(rms_lrs[j] / (np.sqrt(sq) + 1e-8))
        p = p - eff[-1] * grad
    eff = np.array(eff)
    limit = stated(NB, rf"steep direction's limit \$2/L = ({NUM})\$")
    assert_rounds(NB, rf"steep direction's limit \$2/L = ({NUM})\$", 2 / 60)
    assert eff[dips[j] - 1].max() < eff[dips[j]:].max() and eff[dips[j]:].min(axis=1).max() > limit


def test_exercise_2_aligned_and_turned():
    start = np.array([stated(NB, rf"start it at `\(({NUM}), 2.5\)`"), stated(NB, rf"start it at `\(-3, ({NUM})\)`")])
    s = checks.mystery_surface()
    np.testing.assert_allclose(start, s.start - s.minima[0])
    curv = (stated(NB, rf"with `sv.QuadraticBowl\(\(({NUM}), 60.0\), angle=0\)`"), stated(NB, rf"QuadraticBowl\(\(0.8, ({NUM})\), angle=0\)`"))
    angles = (stated(NB, rf"angle=({NUM})\)`, start it"), stated(NB, rf"then repeat with `angle=({NUM})`"))
    n = int(stated(NB, rf"on a grid of ({NUM}) step sizes"))
    lrs = np.geomspace(1e-3, 3, n)
    out = {}
    for angle in angles:
        b = sv.QuadraticBowl(curv, angle=angle)
        tr = sv.run(sv.RMSprop(lrs), b, start=start, steps=1000)
        gap, ks = tr.gap(), tr.steps_to(1e-8)
        dips = np.where((gap <= 1e-8).any(axis=0), np.argmax(gap <= 1e-8, axis=0), 10**9)
        lr, g = sv.theory.optimal_momentum(b)
        hb = int(sv.run(sv.Momentum(lr, momentum=g), b, start=start, steps=1000).steps_to(1e-8))
        out[angle] = dict(dip=int(dips.min()), dip_at=int(np.argmin(dips)), stays=_best(ks), gap=gap, hb=hb)
    aligned, turned = out[angles[0]], out[angles[1]]
    assert stated(NB, rf"it dips below \$10\^{{-8}}\$ after only ({NUM})") == aligned["dip"]
    assert_rounds(NB, rf"at its best \$\\alpha\$ \(about ({NUM}), on a grid", lrs[aligned["dip_at"]])
    assert_rounds(NB, rf"back at \$J - J\^\* = ({NUM})\$", aligned["gap"][-1, aligned["dip_at"]])
    assert stated(NB, rf"aligned RMSprop needs ({NUM}) steps") == aligned["stays"][0]
    assert_rounds(NB, rf"needs 120 steps \(\$\\alpha \\approx ({NUM})\$\)", lrs[aligned["stays"][1][0]])
    assert stated(NB, rf"turned by 35° ({NUM})\.") == turned["stays"][0]
    assert stated(NB, rf"heavy ball needs ({NUM}) and") == aligned["hb"] < aligned["stays"][0]
    assert stated(NB, rf"heavy ball needs {NUM} and ({NUM}):") == turned["hb"]


def test_no_sum_of_step_sizes_is_called_a_distance_and_every_prompt_has_an_answer():
    text = markdown(NB)
    assert "finite distance" not in text
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 2
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.0536, "momentum": 0.629},
    {"optimizer": "Momentum", "lr": 0.05, "momentum": 0.63},
    ("Nesterov", {"lr": 0.021, "momentum": 0.78}),
    sv.Momentum(0.045, momentum=0.7),
])
def test_mystery_accepts_good_solutions(answer, capsys):
    assert checks.check_mystery(answer) is True
    assert "Correct." in printed(capsys)
    assert 0 < checks.mystery_steps(answer) <= checks.MYSTERY_TARGET


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.5, "momentum": 0.9},   # diverges
    {"optimizer": "Adam", "lr": 0.9},                        # 228 steps
    {"optimizer": "Momentum", "lr": 0.054, "momentum": 0.63},  # the optimum rounded up: 224 steps
    ("Nesterov", {"lr": 0.01, "momentum": 0.9}),               # dips below at step 43 on the old count, stays from 147
    {"optimizer": "GD", "lr": 1e-4},                         # never within the budget
    {"optimizer": "Momentum", "lr": 0.0475, "momentum": 0.473},  # theory from the start's Hessian: 106
])
def test_mystery_rejects_weak_solutions(answer, capsys):
    assert checks.check_mystery(answer) is False
    assert "Not yet." in printed(capsys)


@pytest.mark.parametrize("junk", MORE_JUNK + [{"optimizer": "SGDX", "lr": 0.1}, {"optimizer": "GD"}, {"lr": 0.1},
                                         {"optimizer": "GD", "lr": -1}, {"optimizer": "GD", "lr": np.array([0.1, 0.2])},
                                         ("GD", 0.1), sv.Backtracking(checks.mystery_surface(), lr=1.0),
                                         {"optimizer": "Momentum", "lr": 0.05, "momentum": 2.0}])
def test_mystery_junk(junk, capsys):
    assert checks.check_mystery(junk) is False
    printed(capsys)


def test_mystery_steps_raises_on_malformed():
    with pytest.raises(ValueError):
        checks.mystery_steps("nonsense")


def test_cheat_sheet_row_for_held_out_data_repeats_lesson_11():
    row = [line for line in markdown(NB).splitlines() if line.startswith("| a model for new data |")][0]
    from .prose import stated as said
    adam = said("11_neural_networks", rf"\*\*Adam with \$\\alpha = 10\^{{(-?\d+)}}\$\*\*")
    gamma = said("11_neural_networks", rf"SGD with momentum\s+\$\\gamma = ({NUM})\$\*\*")
    assert f"Adam at $10^{{{int(adam)}}}$" in row and f"momentum ${gamma:g}$ with a range test" in row
    assert row.rstrip().endswith("| 11 |")


# --- the cheat sheet, the quiz and the capstone's settings, held to what the course computes (issue 21) -------

def test_cheat_sheet_gd_limits_and_the_quiz_options_built_from_them():
    """Row 1 (monotone below c1/lambda, zig-zag up to c2/lambda) and row 2 (stable iff lo < alpha < c/L), on a
    hand-written loop; question 1's options are those limits and the optimum; questions 2 and 4 name row 2's limit."""
    c1 = stated(NB, rf"monotone for \$\\alpha < ({NUM})/\\lambda\$")
    c2 = stated(NB, rf"zig-zag up to \$({NUM})/\\lambda\$")
    lam = 3.0
    for a, monotone, converges in ((0.99 * c1 / lam, True, True), (1.01 * c1 / lam, False, True),
                                   (0.99 * c2 / lam, False, True), (1.01 * c2 / lam, False, False)):
        e = [1.0]
        for _ in range(2000):
            e.append(e[-1] - a * lam * e[-1])                                # GD on J = lam theta^2 / 2
        assert (min(e[:50]) > 0) == monotone and (abs(e[-1]) < 1e-3) == converges, (a, e[:3])
    lo, c = stated(NB, rf"\| \$({NUM}) < \\alpha < {NUM}/L\$ \|"), stated(NB, rf"\| \${NUM} < \\alpha < ({NUM})/L\$ \|")
    assert c == c2                                                           # the same limit, 2/L, on a bowl
    for a, stable in ((lo, False), (lo + 1e-3, True), (0.99 * c / 4.0, True), (1.01 * c / 4.0, False)):
        e = np.array([1.0, 1.0])
        for _ in range(20000):
            e = e - a * np.array([1.0, 4.0]) * e                             # GD on the bowl (1, 4), by hand
        assert (np.abs(e).max() < 1e-6) == stable, (a, e)
    mu, L = 1.0, 4.0
    options = {k: stated(NB, rf"\*\*{k}\*\* \$({NUM})/{tail}\$") / div
               for k, tail, div in (("a", "L", L), ("b", r"\(\\mu \+ L\)", mu + L), ("c", "L", L))}
    assert options == {"a": c1 / L, "b": sv.theory.optimal_lr(sv.QuadraticBowl((mu, L))), "c": c2 / L}
    assert options[checks.QUIZ_KEY[1]] == sv.theory.optimal_lr(sv.QuadraticBowl((mu, L)))
    assert stated(NB, rf"\*\*a\*\* GD just below \$({NUM})/L\$") == c == stated(NB, rf"\*\*b\*\* \$\\alpha = ({NUM})/L\$ from the data")


def test_cheat_sheet_schedule_and_range_test_rules():
    from stepviz.optim.schedules import inverse_time
    t = np.arange(30.0)
    for pattern in (rf"\| a schedule \| \$\\alpha_0/\(({NUM}) \+ \\text{{decay}}\\,t\)\$",
                    rf"\*\*a\*\* decay \$\\alpha\$ like \$\\alpha_0/\(({NUM}) \+ \\text{{decay}}\\,t\)\$"):
        np.testing.assert_allclose(inverse_time(0.3, 0.1)(t), 0.3 / (stated(NB, pattern) + 0.1 * t), rtol=1e-12)
    frac = stated(NB, rf"take ~({NUM})/{NUM} of the step with the lowest loss") / stated(NB, rf"take ~{NUM}/({NUM}) of the step")
    rt = sv.lr_range_test("GD", sv.QuadraticBowl((1.0, 10.0)), lr_min=1e-4, lr_max=1.0, steps=100)
    assert rt.suggested_lr == pytest.approx(frac * rt.min_lr)
    # question 3's wrong decay is the one its solution explains: a finite sum of step sizes
    q = stated(NB, rf"\*\*c\*\* decay it like \$({NUM})\^t\$")
    assert q == stated(NB, rf"\$({NUM})\^t\$ stops short") and q < 1


def test_quiz_solution_is_the_key_and_explains_the_questions_in_order(capsys):
    import ast
    key = ast.literal_eval(stated_text(NB, r"<summary>Solution</summary>\s+`(\{[^`]*\})`"))
    assert key == checks.QUIZ_KEY and checks.check_quiz(key) is True
    printed(capsys)
    labels = [stated(NB, rf"\(({NUM})\) \$2/\(\\mu\+L\)\$ balances"), stated(NB, rf"\(({NUM})\) At its best step GD needs"),
              stated(NB, rf"\(({NUM})\) A constant step keeps SGD"), stated(NB, rf"\(({NUM})\) Nobody knows \$L\$")]
    assert labels == sorted(checks.QUIZ_KEY)


def test_capstone_tolerance_and_minimum_as_stated():
    s = checks.mystery_surface()
    assert stated(NB, rf"Its minimum value is ({NUM})\.") == s.f_min == pytest.approx(float(s.value(s.minima[0])), abs=1e-15)
    for where in (r"A count is the step from which\s+\$J - J\^\*\$ stays below \$@\$ to the end",
                  r"stays within the tolerance \$@\$ \(to the end", r"only 6 stay within \$@\$ by step",
                  r"It dips below \$@\$ as early as"):
        base = stated(NB, where.replace("@", rf"({NUM})\^\{{-?\d+\}}"))
        power = stated(NB, where.replace("@", r"10\^\{(-?\d+)\}"))
        assert base ** power == checks.MYSTERY_TOL, where
    assert stated(NB, rf"only 6 stay within \$10\^{{-8}}\$ by step ({NUM}),") == checks.MYSTERY_STEPS \
        == stated(NB, rf"but it does not stay: at step ({NUM}) it is back")


def test_cross_references_name_the_right_exercise_and_angle():
    nesterov = stated(NB, rf"Nesterov needs 70 on the grid above \(exercise ({NUM})\)")
    rms = stated(NB, rf"for the\s+reason of exercise ({NUM})\.")
    first = stated(NB, rf"## Exercises\n({NUM})\. Solve the capstone with Nesterov, then with RMSprop")
    assert nesterov == rms == first
    angle = stated(NB, rf"because the valley is\s+turned \(({NUM})°\)")
    assert _valley_angle() == pytest.approx(angle, abs=0.5)


def _valley_angle():
    """The angle (degrees) of the mystery valley's flat direction at its minimum, from the coordinate axes."""
    s = checks.mystery_surface()
    w, V = np.linalg.eigh(s.hessian(s.minima[0]))
    return float(np.degrees(np.arctan2(abs(V[1, 0]), abs(V[0, 0]))))


def test_cheat_sheet_noise_floor():
    from stepviz.analysis import stochastic as st
    data = sv.lessons.stochastic_gradients.sgd_data()
    c = stated(NB, rf"\| \$\\mathbb E\[J\] - J\^\* \\approx \\frac{{\\alpha}}{{({NUM})}}\\operatorname{{tr}}\\Sigma_b\$")
    for b in (1, 10):
        assert st.sgd_stationary(data, 1e-3, b)[1] == pytest.approx(1e-3 / c * np.trace(data.minibatch_covariance(data.p_star, b)), rel=0.01)
