"""Kept minibatch streams: the same indices drawing them again gives, whatever was kept, dropped or shared."""
import numpy as np
import pytest

from stepviz import run
from stepviz.optim import GD, inverse_time
from stepviz.problems import LeastSquares
from stepviz.problems import minibatch_stream as ms
from stepviz.problems.base import draw_minibatches


@pytest.fixture(autouse=True)
def fresh_streams():
    ms.forget_streams()
    yield
    ms.forget_streams()


def drawn(n, b, shape, seed, count):
    """The reference: one generator, draw_minibatches called ``count`` times."""
    rng = np.random.default_rng(seed)
    return [draw_minibatches(rng, n, b, shape) for _ in range(count)]


def take(source, count):
    return [source() for _ in range(count)]


@pytest.mark.parametrize("n, b, shape", [(200, 10, (5,)), (200, 50, (3,)), (40, 1, ()), (40, 7, (2, 3))])
def test_a_source_gives_the_sequence_one_generator_draws(n, b, shape):
    ref = drawn(n, b, shape, 11, 30)
    first = take(ms.minibatch_source(n, b, shape, 11), 12)  # keeps 12
    again = take(ms.minibatch_source(n, b, shape, 11), 30)  # reads 12, draws and keeps 18 more
    for k, idx in enumerate(ref):
        assert idx.shape == shape + (b,)
        np.testing.assert_array_equal(again[k], idx)
        if k < 12:
            np.testing.assert_array_equal(first[k], idx)
    assert sum(s.size for s in ms._streams.values()) == 30 * ref[0].size


def test_kept_minibatches_are_read_only_and_other_keys_differ():
    kept = take(ms.minibatch_source(200, 10, (5,), 0), 3)
    with pytest.raises(ValueError):
        kept[0][0, 0] = 1
    other_seed = take(ms.minibatch_source(200, 10, (5,), 1), 3)
    other_shape = take(ms.minibatch_source(200, 10, (4,), 0), 3)
    assert not np.array_equal(kept[0], other_seed[0])
    np.testing.assert_array_equal(other_shape, drawn(200, 10, (4,), 0, 3))


def test_interleaved_sources_of_one_key_read_the_same_sequence():
    ref = drawn(100, 4, (3,), 5, 20)
    a, b = ms.minibatch_source(100, 4, (3,), 5), ms.minibatch_source(100, 4, (3,), 5)
    got_a, got_b = [], []
    for count_a, count_b in [(2, 5), (8, 11), (13, 20), (20, 20)]:  # each overtakes the other in turn
        got_a += take(a, count_a - len(got_a))
        got_b += take(b, count_b - len(got_b))
    np.testing.assert_array_equal(got_a, ref)
    np.testing.assert_array_equal(got_b, ref)


def test_past_the_limit_the_sequence_goes_on_unkept_and_old_streams_go_first(monkeypatch):
    monkeypatch.setattr(ms, "STREAM_LIMIT", 100)  # 10 minibatches of 2 x 5
    old = take(ms.minibatch_source(50, 5, (2,), 1), 4)  # 40 indices kept
    np.testing.assert_array_equal(old, drawn(50, 5, (2,), 1, 4))
    ref = drawn(50, 5, (2,), 2, 25)
    np.testing.assert_array_equal(take(ms.minibatch_source(50, 5, (2,), 2), 25), ref)
    assert (50, 5, (2,), 1) not in ms._streams  # dropped to make room
    assert sum(s.size for s in ms._streams.values()) == 100  # 10 kept, 15 drawn past the limit
    np.testing.assert_array_equal(take(ms.minibatch_source(50, 5, (2,), 2), 25), ref)  # resumes at draw 10


def test_runs_that_share_a_kept_stream_equal_a_hand_written_loop():
    """An SGD sweep re-run with a decaying step reads the kept minibatches: the same numbers as GD written
    out on freshly drawn ones."""
    data = LeastSquares.synthetic()
    start = np.broadcast_to(data.start, (3, 2))
    lrs, decay, steps, b = np.array([0.05, 0.2]), 0.03, 40, 6
    run(GD(lrs[:, None]), data, start=start, steps=steps, batch_size=b, seed=4)  # keeps the stream
    kept = run(GD(inverse_time(lrs[:, None], decay)), data, start=start, steps=steps, batch_size=b, seed=4)
    rng, p = np.random.default_rng(4), np.array(np.broadcast_to(data.start, (2, 3, 2)))
    for t in range(steps):
        idx = draw_minibatches(rng, data.n, b, (3,))  # (3, b): one minibatch per start, shared by both lrs
        r = p[..., 0:1] * data.x[idx] + p[..., 1:2] - data.y[idx]  # (2, 3, b) residuals
        g = np.stack([(r * data.x[idx]).mean(axis=-1), r.mean(axis=-1)], axis=-1)
        p = p - (lrs / (1 + decay * t))[:, None, None] * g
        np.testing.assert_allclose(kept.points[t + 1], p, rtol=1e-12, atol=1e-14)
    ms.forget_streams()
    fresh = run(GD(inverse_time(lrs[:, None], decay)), data, start=start, steps=steps, batch_size=b, seed=4)
    np.testing.assert_array_equal(kept.points, fresh.points)


def test_noise_or_an_unseeded_run_keeps_nothing():
    data = LeastSquares.synthetic()
    run(GD(0.1), data, steps=5, batch_size=4, seed=0, noise=0.1)
    run(GD(0.1), data, steps=5, batch_size=4)
    run(GD(0.1), data, steps=5, batch_size=4, seed=np.random.default_rng(0))
    assert not ms._streams


def test_kept_minibatches_of_one_example_take_their_8_bytes_not_an_array_each():
    """A stream keeps its indices in blocks: 40,000 minibatches of one example take ~0.8 MB (8 bytes each, a
    block of slack), where one array per minibatch took ~4.4 MB (10's noise floor at batch size 1 held 126 MB)."""
    import tracemalloc

    source = ms.minibatch_source(1000, 1, (), 3)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(40_000):
            source()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    stream = ms._streams[(1000, 1, (), 3)]
    assert stream.size == 40_000
    assert kept < 40_000 * 8 + ms.BLOCK * 8 + 100_000, f"{kept:,} bytes kept for 40,000 indices"
    np.testing.assert_array_equal(take(ms.minibatch_source(1000, 1, (), 3), 50), drawn(1000, 1, (), 3, 50))
