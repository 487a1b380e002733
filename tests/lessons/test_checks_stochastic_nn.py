"""Self-checks of lessons 08-10: each accepts the right answer, rejects wrong ones and junk, never raises."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

JUNK = [None, "abc", [1, 2], {"a": 1}, float("nan"), object(), True, ...]


def verdict(capsys):
    out = capsys.readouterr().out
    assert out.startswith(("✅", "❌")), out
    return out


@pytest.mark.parametrize("answer", [0.25, 0.21, 4 / 19])
def test_batch_factor_accepts(answer, capsys):
    assert checks.check_batch_factor(answer) is True
    assert "✅" in verdict(capsys)


@pytest.mark.parametrize("answer", [0.5, 4, 1.0, 0.1, 0.0625, -0.25, "0.25"])
def test_batch_factor_rejects(answer, capsys):
    assert checks.check_batch_factor(answer) is False
    assert "❌" in verdict(capsys)


def test_batch_factor_sqrt_hint(capsys):
    checks.check_batch_factor(0.5)
    assert "standard deviation" in capsys.readouterr().out


def test_batch_factor_matches_covariance_of_the_data():
    data = sv.LeastSquares.synthetic(n=200)
    ratio = np.trace(data.minibatch_covariance(data.p_star, 40)) / np.trace(data.minibatch_covariance(data.p_star, 10))
    assert checks.check_batch_factor(ratio) is True


@pytest.mark.parametrize("answer", ["b, d", "bd", {"b", "d"}, ["D", "b"], ("b", "d")])
def test_robbins_monro_accepts(answer, capsys):
    assert checks.check_robbins_monro(answer) is True
    verdict(capsys)


@pytest.mark.parametrize("answer", ["b", "a, b, d", "c", "e, b, d", "abcdef", "f"])
def test_robbins_monro_rejects(answer, capsys):
    assert checks.check_robbins_monro(answer) is False
    verdict(capsys)


def test_robbins_monro_key_is_right_numerically():
    t = np.arange(1, 200_001, dtype=float)
    rules = {"a": 0.1 + 0 * t, "b": 0.2 / (1 + 0.05 * t), "c": 0.2 * 0.95 ** t, "d": 0.2 / (1 + t) ** 0.75,
             "e": 0.2 / np.sqrt(1 + t), "f": 0.2 / (1 + t) ** 2}
    # sum of alpha keeps growing (second half adds a lot), sum of alpha^2 settles (second half adds little)
    ok = {k for k, a in rules.items() if a[100_000:].sum() > 1.0 and (a[100_000:] ** 2).sum() < 1e-3}
    assert ok == set(checks.RM_CORRECT)


@pytest.mark.parametrize("junk", JUNK + ["xyz", "", 3])
def test_robbins_monro_junk(junk, capsys):
    assert checks.check_robbins_monro(junk) is False
    verdict(capsys)


@pytest.fixture(scope="module")
def rt():
    X, y = sv.spirals(n=200, seed=0)
    loss = sv.NetworkLoss(sv.MLP((2, 16, 16, 1), seed=0), X, y)
    return sv.lr_range_test("GD", loss, lr_min=1e-3, lr_max=100.0, steps=200)


def test_range_pick_accepts_suggested(rt, capsys):
    assert checks.check_range_test_pick(rt.suggested_lr, rt) is True
    assert checks.check_range_test_pick(rt.min_lr / 3, rt) is True
    verdict(capsys)


@pytest.mark.parametrize("factor", [1.0, 1.2, 5.0, 1 / 50, 1 / 1000])
def test_range_pick_rejects(rt, factor, capsys):
    assert checks.check_range_test_pick(rt.min_lr * factor, rt) is False
    verdict(capsys)


@pytest.mark.parametrize("junk", JUNK + [-1.0, 0])
def test_range_pick_junk(rt, junk, capsys):
    assert checks.check_range_test_pick(junk, rt) is False
    verdict(capsys)


def test_range_pick_without_result(capsys):
    assert checks.check_range_test_pick(0.5, None) is False
    verdict(capsys)


def test_sharpness_limit(capsys):
    assert checks.check_sharpness_limit(2 / 0.987, 0.987) is True
    assert checks.check_sharpness_limit(1 / 0.987, 0.987) is False
    assert "1/λ" in capsys.readouterr().out
    assert checks.check_sharpness_limit(2 * 0.987, 0.987) is False
    for junk in JUNK:
        assert checks.check_sharpness_limit(junk, 0.987) is False
    assert checks.check_sharpness_limit(2.0, None) is False
    assert checks.check_sharpness_limit(2.0, -1.0) is False
    verdict(capsys)


def test_quiz(capsys):
    assert checks.check_quiz(dict(checks.QUIZ_KEY)) is True
    assert checks.check_quiz({"1": "B", 2: "c ", 3: "a", 4: "a"}) is True
    assert checks.check_quiz({1: "b", 2: "b", 3: "a", 4: "a"}) is False
    assert checks.check_quiz({1: "b", 2: "c", 3: "a"}) is False
    for junk in JUNK + [{}, {9: "a"}, {1: 3}]:
        assert checks.check_quiz(junk) is False
    verdict(capsys)


# --- the capstone -------------------------------------------------------------------------------------
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
    lrs = np.geomspace(1e-3, 0.1, 400)
    k = sv.run(sv.GD(lrs), s, steps=checks.MYSTERY_STEPS).steps_to(checks.MYSTERY_TOL)
    best = k[k >= 0].min()
    assert best > checks.MYSTERY_TARGET
    assert abs(best - checks.MYSTERY_GD_BEST) <= 10
    assert checks.check_mystery({"optimizer": "GD", "lr": float(lrs[np.argmin(np.where(k >= 0, k, 10**9))])}) is False
    verdict(capsys)


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.0536, "momentum": 0.629},
    ("Nesterov", {"lr": 0.01, "momentum": 0.9}),
    sv.Momentum(0.045, momentum=0.7),
])
def test_mystery_accepts_good_solutions(answer, capsys):
    assert checks.check_mystery(answer) is True
    assert "✅" in verdict(capsys)
    assert 0 < checks.mystery_steps(answer) <= checks.MYSTERY_TARGET


@pytest.mark.parametrize("answer", [
    {"optimizer": "Momentum", "lr": 0.5, "momentum": 0.9},   # diverges
    {"optimizer": "Adam", "lr": 0.9},                        # 180 steps
    {"optimizer": "GD", "lr": 1e-4},                         # never within the budget
    {"optimizer": "Momentum", "lr": 0.0475, "momentum": 0.473},  # theory from the start's Hessian: 106
])
def test_mystery_rejects_weak_solutions(answer, capsys):
    assert checks.check_mystery(answer) is False
    assert "❌" in verdict(capsys)


@pytest.mark.parametrize("junk", JUNK + [{"optimizer": "SGDX", "lr": 0.1}, {"optimizer": "GD"}, {"lr": 0.1},
                                         {"optimizer": "GD", "lr": -1}, {"optimizer": "GD", "lr": np.array([0.1, 0.2])},
                                         ("GD", 0.1), sv.Backtracking(checks.mystery_surface(), lr=1.0),
                                         {"optimizer": "Momentum", "lr": 0.05, "momentum": 2.0}])
def test_mystery_junk(junk, capsys):
    assert checks.check_mystery(junk) is False
    verdict(capsys)


def test_mystery_steps_raises_on_malformed():
    with pytest.raises(ValueError):
        checks.mystery_steps("nonsense")
