"""Lesson 13 (13_summary.ipynb): every number its prose states is what the course computes; its self-checks
accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import MORE_JUNK, printed
from .prose import NUM, assert_rounds, markdown, stated

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
    kappa = 1e4
    gd, hb = 1 / np.log10((kappa + 1) / (kappa - 1)), 1 / np.log10((np.sqrt(kappa) + 1) / (np.sqrt(kappa) - 1))
    assert stated(NB, rf"GD needs about ({NUM}) steps per digit") == pytest.approx(gd, rel=0.01)
    assert stated(NB, rf"the heavy ball about ({NUM}):") == round(hb)
    assert stated(NB, rf"about 115: ({NUM}) times fewer") == pytest.approx(gd / hb, rel=0.01)
    turned = sv.QuadraticBowl((1.0, kappa), angle=stated(NB, rf"axes are turned ({NUM})° from"))
    aligned = sv.QuadraticBowl((1.0, kappa))
    lr, g = sv.theory.optimal_momentum(turned)
    hb_steps = int(sv.run(sv.Momentum(lr, momentum=g), turned, steps=3000).steps_to(1e-8))
    adagrad = sv.run(sv.Adagrad(np.geomspace(1e-3, 3, 30)), turned, steps=3000).steps_to(1e-8)
    assert hb_steps > 0 and (np.all(adagrad < 0) or adagrad[adagrad >= 0].min() > hb_steps)   # c is right when turned
    aligned_adagrad = sv.run(sv.Adagrad(np.geomspace(1e-3, 3, 60)), aligned, steps=2000).steps_to(1e-8)
    assert aligned_adagrad[aligned_adagrad >= 0].min() < hb_steps                                # ... and b when aligned


def test_capstone_solution_numbers():
    s = checks.mystery_surface()
    eig = np.linalg.eigvalsh(s.hessian(s.start))
    assert_rounds(NB, rf"eigenvalues about ({NUM}) and 60", eig[0])
    assert_rounds(NB, rf"about 2.1 and ({NUM}): a narrow", eig[1])
    lr, g = sv.theory.optimal_momentum(sv.QuadraticBowl(tuple(eig)))
    assert_rounds(NB, rf"gives \$\\alpha \\approx ({NUM}), \\gamma", lr)
    assert_rounds(NB, rf"\\gamma \\approx ({NUM})\$: 106 steps", g)
    assert stated(NB, rf"\\gamma \\approx 0.47\$: ({NUM}) steps") == checks.mystery_steps({"optimizer": "Momentum", "lr": lr, "momentum": g})
    trial = sv.run(sv.GD(checks.GD_SCAN), s, steps=checks.MYSTERY_STEPS)
    k = trial.steps_to(checks.MYSTERY_TOL)
    best = int(np.argmin(np.where(k >= 0, k, 10**9)))
    end = np.linalg.eigvalsh(s.hessian(trial.points[-1, best]))
    assert_rounds(NB, rf"has eigenvalues about ({NUM}) and 60 \(exactly", end[0])
    assert np.linalg.eigvalsh(s.hessian(s.minima[0])) == pytest.approx([0.8, 60.0])
    lr, g = sv.theory.optimal_momentum(sv.QuadraticBowl((0.8, 60.0)))
    assert_rounds(NB, rf"# about ({NUM}) and 0.63", lr)
    assert_rounds(NB, rf"# about 0.054 and ({NUM})", g)
    assert stated(NB, rf"\"momentum\": gamma}}\s+# ({NUM}) steps") == checks.mystery_steps({"optimizer": "Momentum", "lr": lr, "momentum": g})
    lrs, ms = np.geomspace(1e-3, 0.2, 60), np.linspace(0, 0.95, 20)
    grid = {}
    for name in ("Momentum", "Nesterov"):
        kk = sv.run(sv.make_optimizer(name, lr=lrs[None, :], momentum=ms[:, None]), s, steps=1000).steps_to(1e-8).astype(float)
        kk[kk < 0] = np.inf
        grid[name] = kk.min()
    assert stated(NB, rf"does better still, ({NUM}) steps") == grid["Momentum"]
    assert stated(NB, rf"Nesterov: ({NUM}) steps on the solution's grid") == grid["Nesterov"]
    gamma = stated(NB, rf"sweet spots \(\$\\gamma = ({NUM})\$ with")
    lr = stated(NB, rf"with\s+\$\\alpha = ({NUM})\$ takes")
    steps = checks.mystery_steps({"optimizer": "Nesterov", "lr": lr, "momentum": gamma})
    assert stated(NB, rf"takes ({NUM}) steps, with") == steps == stated(NB, rf"finer grids find ({NUM}) and fewer")
    assert steps < stated(NB, rf"can go below ({NUM})\.")
    rounded = stated(NB, rf"with \$\\alpha = ({NUM})\$ already")
    assert stated(NB, rf"already ({NUM})\)\.") == checks.mystery_steps({"optimizer": "Nesterov", "lr": rounded,
                                                                          "momentum": gamma})
    near_lr, near_m = np.geomspace(lr / 1.3, lr * 1.3, 25), np.linspace(gamma - 0.05, gamma + 0.05, 11)
    kk = sv.run(sv.Nesterov(lr=near_lr[None, :], momentum=near_m[:, None]), s, steps=200).steps_to(1e-8).astype(float)
    kk[kk < 0] = np.inf
    assert kk.min() < steps   # "and fewer"
    for name, pattern in (("Adam", rf"Adam does not pass \(({NUM}) steps at its best\)"),
                          ("RMSprop", rf"RMSprop needs ({NUM})\s+at its best step size")):
        ks = sv.run(sv.make_optimizer(name, lr=np.geomspace(1e-3, 3, 200)), s, steps=1000).steps_to(1e-8).astype(float)
        ks[ks < 0] = np.inf
        assert stated(NB, pattern) == ks.min() > checks.MYSTERY_TARGET


def test_exercise_2_aligned_and_turned():
    start = np.array([stated(NB, rf"start it at `\(({NUM}), 2.5\)`"), stated(NB, rf"start it at `\(-3, ({NUM})\)`")])
    s = checks.mystery_surface()
    np.testing.assert_allclose(start, s.start - s.minima[0])
    out = {}
    for angle in (0.0, 35.0):
        b = sv.QuadraticBowl((0.8, 60.0), angle=angle)
        ks = sv.run(sv.RMSprop(np.geomspace(1e-3, 3, 400)), b, start=start, steps=1000).steps_to(1e-8).astype(float)
        ks[ks < 0] = np.inf
        lr, g = sv.theory.optimal_momentum(b)
        out[angle] = (ks.min(), int(sv.run(sv.Momentum(lr, momentum=g), b, start=start, steps=1000).steps_to(1e-8)))
    assert stated(NB, rf"aligned, it needs only ({NUM}) steps") == out[0.0][0]
    assert stated(NB, rf"on a grid of ({NUM}) step sizes") == 400
    assert stated(NB, rf"turned by 35°, ({NUM})\.") == out[35.0][0]
    assert stated(NB, rf"heavy ball needs ({NUM}) and") == out[0.0][1]
    assert stated(NB, rf"heavy ball needs {NUM} and ({NUM}):") == out[35.0][1]


def test_no_sum_of_step_sizes_is_called_a_distance_and_every_prompt_has_an_answer():
    text = markdown(NB)
    assert "finite distance" not in text
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 2
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.0536, "momentum": 0.629},
    ("Nesterov", {"lr": 0.01, "momentum": 0.9}),
    sv.Momentum(0.045, momentum=0.7),
])
def test_mystery_accepts_good_solutions(answer, capsys):
    assert checks.check_mystery(answer) is True
    assert "✅" in printed(capsys)
    assert 0 < checks.mystery_steps(answer) <= checks.MYSTERY_TARGET


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.5, "momentum": 0.9},   # diverges
    {"optimizer": "Adam", "lr": 0.9},                        # 180 steps
    {"optimizer": "GD", "lr": 1e-4},                         # never within the budget
    {"optimizer": "Momentum", "lr": 0.0475, "momentum": 0.473},  # theory from the start's Hessian: 106
])
def test_mystery_rejects_weak_solutions(answer, capsys):
    assert checks.check_mystery(answer) is False
    assert "❌" in printed(capsys)


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
