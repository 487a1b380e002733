"""Memory within STEPVIZ_MEMORY_MB at the peak, not just the result (issue 18 item 11).

Peaks themselves are measured by `python -m benchmarks.peaks` (a fresh process per call, its VmHWM); the
tests here assert what can fail without timing: a guarded call is refused before it allocates, and a
computation done a block at a time equals the same computation done at once.
"""
import tracemalloc

import numpy as np
import pytest

import stepviz as sv
from stepviz import _memory, engine
from stepviz.problems import mlp
from tests.robust_helpers import says

BOWL = sv.QuadraticBowl((1.0, 10.0))


def peak_of(fn):
    """(result or the exception raised, the peak bytes Python allocated meanwhile)."""
    tracemalloc.start()
    try:
        try:
            out = fn()
        except (ValueError, TypeError) as exc:
            out = exc
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- refused before anything is allocated --------------------------------------------------------------

@pytest.mark.parametrize("make, call, words", [
    (lambda: sv.Adam(np.full(16_000_000, 0.01)), lambda opt: sv.run(opt, BOWL, steps=1),
     ("16,000,000 runs", "STEPVIZ_MEMORY_MB")),
    (lambda: np.geomspace(1e-4, 1, 300_000), lambda lrs: sv.grid_search("GD", BOWL, lrs=lrs, steps=100),
     ("grid_search", "300,000")),
    (lambda: np.geomspace(1e-4, 1, 20_000), lambda lrs: sv.grid_search("GD", BOWL, lrs=lrs, steps=1000, refine=5),
     ("every round", "refinement")),
], ids=["adam 16M runs x 1 step", "grid_search 300,000 lrs", "grid_search's kept rounds"])
def test_11_calls_past_the_budget_are_refused_before_allocating(make, call, words):
    arg = make()   # the learner's own arrays exist before the call
    out, peak = peak_of(lambda: call(arg))
    assert isinstance(out, ValueError), out
    says(out, *words, "GiB")
    assert peak < 2 * np.asarray(getattr(arg, "lr", arg)).nbytes + 2 ** 20   # a checked copy at most, no trajectory


def test_11_a_network_too_costly_per_evaluation_is_refused_before_computing():
    X = np.random.default_rng(0).normal(size=(20_000, 2))
    y = (X[:, 0] > 0).astype(float)
    loss = sv.NetworkLoss(sv.MLP((2, 1000, 990, 1)), X, y)
    theta = loss.start
    for call in (lambda: loss.grad(theta), lambda: loss.value(theta), lambda: loss.grad_on(theta, np.arange(20_000))):
        out, peak = peak_of(call)
        assert isinstance(out, ValueError)
        says(out, "multiply-adds", "20,000 examples")
        assert peak < 2 ** 20
    assert loss.grad_on(theta, np.arange(50)).shape == theta.shape   # a minibatch of 50 is cheap enough


def test_11_the_limit_comes_with_the_largest_run_that_fits():
    need = engine.memory_needed(500, (200, 200), 2, lr_runs=0)
    assert need < engine.MEMORY_BUDGET                      # DESIGN's 200 x 200 x 500 grid
    assert need == (501 * 40_000 * 4 + 16 * 40_000 * 3) * 8 + engine.MEMORY_BUDGET // 16


# --- a block at a time equals all at once ----------------------------------------------------------------

@pytest.fixture
def tiny_blocks(monkeypatch):
    monkeypatch.setattr(_memory, "CHUNK_BYTES", 4096)     # a few runs a block
    monkeypatch.setattr(mlp, "_CHUNK", 64)                 # a few examples x units a block


def _grid_run():
    opt = sv.Momentum(np.geomspace(0.01, 0.4, 7)[:, None], momentum=np.array([0.0, 0.5, 0.9, 0.99])[None, :])
    return sv.run(opt, BOWL, steps=300)


def test_11_trajectory_methods_by_blocks_equal_them_at_once(tiny_blocks, monkeypatch):
    tr = _grid_run()
    assert tr.diverged.any() and not tr.diverged.all()
    small = (tr.rate(), tr.steps_to(1e-6), tr.distance_to_minimum(), tr[:, 1:3].rate())
    monkeypatch.setattr(_memory, "CHUNK_BYTES", 2 ** 40)
    whole = (tr.rate(), tr.steps_to(1e-6), tr.distance_to_minimum(), tr[:, 1:3].rate())
    for a, b in zip(small, whole):
        np.testing.assert_array_equal(a, b)
    # and the closed forms they stand for: the distance and the settled step, written out
    d = np.hypot(tr.points[..., 0], tr.points[..., 1])
    np.testing.assert_array_equal(whole[2], d)
    gaps = tr.losses
    for i, j in np.ndindex(tr.batch_shape):
        inside = gaps[:, i, j] <= 1e-6
        k = -1 if not inside[-1] else len(inside) - int(np.argmin(inside[::-1])) if not inside.all() else 0
        assert whole[1][i, j] == k


@pytest.mark.parametrize("batch", [(), (3,), (2, 3)], ids=str)
def test_11_the_network_by_blocks_equals_it_at_once(tiny_blocks, monkeypatch, batch):
    X, y = sv.two_moons(n=60, seed=1)
    model = sv.MLP((2, 9, 7, 1), seed=2)
    theta = model.init_params() + 0.3 * np.random.default_rng(3).normal(size=batch + (model.n_params,))
    idx = np.random.default_rng(4).integers(0, 60, batch + (25,))
    loss = sv.NetworkLoss(model, X, y)
    small = (model.logits(theta, X), model.loss(theta, X, y), model.grad(theta, X, y),
             *model.loss_and_grad(theta, X, y), loss.grad_on(theta, idx), loss.grad_on(theta, idx[(0,) * len(batch)]))
    monkeypatch.setattr(mlp, "_CHUNK", 1 << 30)
    whole = (model.logits(theta, X), model.loss(theta, X, y), model.grad(theta, X, y),
             *model.loss_and_grad(theta, X, y), loss.grad_on(theta, idx), loss.grad_on(theta, idx[(0,) * len(batch)]))
    for a, b in zip(small, whole):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    # the minibatch gradient is the full gradient of the minibatch's own data
    flat = idx.reshape(-1, 25)
    for k, t in enumerate(theta.reshape(-1, model.n_params)):
        np.testing.assert_allclose(whole[5].reshape(-1, model.n_params)[k], model.grad(t, X[flat[k]], y[flat[k]]),
                                   rtol=1e-12, atol=1e-15)


def test_11_a_sweep_keeps_its_step_sizes_once_not_once_per_step():
    lrs = np.geomspace(1e-3, 0.1, 1000)
    tr = sv.run(sv.GD(lrs), BOWL, steps=400)
    assert tr.lrs.shape == (400, 1000) and tr.lrs.strides[0] == 0
    np.testing.assert_array_equal(tr.lrs[123], lrs)
    sched = sv.run(sv.GD(sv.inverse_time(lrs, 0.1)), BOWL, steps=4)   # a schedule's step sizes differ per step
    np.testing.assert_allclose(sched.lrs[3], lrs / 1.3)
