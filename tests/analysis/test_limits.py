"""Issue 12 for analysis: the tuning helpers' work is bounded, closed forms overflow quietly, messages
blame the argument at fault."""
import numpy as np
import pytest

import stepviz as sv
from tests.robust_helpers import BOWL, HUGE, no_hang, says


def test_2_lr_range_test_refuses_too_many_steps():
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.lr_range_test("GD", BOWL, steps=10 ** 7)
    says(e.value, "steps", "at most")


@pytest.mark.parametrize("refine", [HUGE, 10 ** 6])
def test_2_grid_search_refuses_endless_refinement(refine):
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.grid_search("GD", BOWL, refine=refine)
    says(e.value, "refine", "at most")


def test_2_grid_search_bounds_its_total_work():
    # 21 rounds x 10,000 steps: within each limit alone, too much together
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.grid_search("GD", BOWL, steps=10_000, refine=20, refine_points=2)
    says(e.value, "refine", "steps", "210,000")


def test_9_closed_forms_overflow_quietly():
    assert sv.theory.gd_rate(BOWL, 1e308) == np.inf
    assert sv.theory.momentum_rate(BOWL, 1e308, 0.5) > 1


def test_9_range_test_with_a_huge_stop_factor_is_quiet():
    rt = sv.lr_range_test("GD", BOWL, stop_factor=1e308)
    assert rt.blowup_step >= 0    # the loss still stops being finite


def test_10_range_test_blames_the_range_not_a_schedule():
    with pytest.raises(ValueError) as e:
        sv.lr_range_test("GD", BOWL, lr_min=1e-320, lr_max=1e308)
    msg = says(e.value, "lr_min", "lr_max")
    assert "schedule" not in msg


@pytest.mark.parametrize("optimizer", ["Momentum", "Nesterov", "GD"])
def test_the_stability_grid_in_chunks_equals_one_batched_run(optimizer, monkeypatch):
    from stepviz.analysis import rates

    lrs, momenta, steps = np.geomspace(1e-3, 0.5, 9), np.linspace(0.0, 0.95, 7), 60
    monkeypatch.setattr(rates, "GRID_CHUNK", 2 * lrs.size * (steps + 1))   # 2 rows a chunk: 4 chunks
    grid = rates.stability_grid(BOWL, optimizer, lrs, momenta, steps)
    opt = sv.make_optimizer(optimizer, lr=lrs[None, :], momentum=momenta[:, None])
    whole = sv.run(opt, BOWL, steps=steps)
    np.testing.assert_array_equal(grid.rates, np.broadcast_to(whole.rate(), grid.rates.shape))
    np.testing.assert_array_equal(grid.diverged, np.broadcast_to(whole.diverged, grid.diverged.shape))


def _traced_peak(fn):
    import tracemalloc

    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()


def test_the_stability_map_of_lesson_06_stays_small():
    # 100 x 120 runs x 300 steps: one batched run and its rate() peaked at ~330 MB (traced)
    bowl = sv.QuadraticBowl(curvatures=(1, 50), angle=30)
    assert _traced_peak(lambda: sv.analysis.stability_grid(bowl, "Momentum", steps=300)) < 80


def test_the_sharpness_of_lesson_09_stays_small():
    # 674 batched gradients of the (2, 16, 16, 1) network on 200 spirals: 103 MB (traced) in 2^21 chunks
    X, y = sv.spirals(n=200, seed=0)
    model = sv.MLP((2, 16, 16, 1), activation="tanh", seed=0)
    loss = sv.NetworkLoss(model, X, y)
    assert _traced_peak(lambda: sv.analysis.sharpness(loss, model.init_params())) < 40
