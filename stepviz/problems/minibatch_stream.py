"""The minibatches of seeded runs, kept for the next run with the same seed.

A run with ``batch_size=b, seed=s`` (and no added noise) sees the minibatches that
``draw_minibatches(np.random.default_rng(s), n, b, shape)`` gives call after call. They depend on n, b, the
draws' shape and the seed only, not on the step size or the rule: an explorer that re-runs a sweep with
another step size, schedule or decay asks for the same sequence again. :func:`minibatch_source` hands out
that sequence, drawn once and kept; a kept minibatch is the same array of indices drawing it again would
give (the generator's state is kept where the kept ones end, so a longer run goes on drawing from there).

The kept indices of all streams together are at most STREAM_LIMIT (the least recently used stream goes
first); past that a run draws the rest of its sequence itself, the same numbers, without keeping them.
"""
from __future__ import annotations

import numpy as np

from .base import draw_minibatches

#: Most example indices kept over all streams (int64: 8 bytes each, so 32 MiB).
STREAM_LIMIT = 4_000_000

_streams: dict = {}  # (n, b, shape, seed) -> _Kept, the most recently used last


class _Kept:
    """The first minibatches of one seeded sequence, and the generator's state after the last of them."""

    def __init__(self, seed):
        self.batches = []
        self.state = np.random.default_rng(seed).bit_generator.state
        self.size = 0


def _room(for_size, keep) -> bool:
    """Make room for ``for_size`` more indices by dropping least recently used streams other than ``keep``."""
    total = sum(k.size for k in _streams.values())
    for key in list(_streams):
        if total + for_size <= STREAM_LIMIT:
            break
        if _streams[key] is not keep:
            total -= _streams.pop(key).size
    return total + for_size <= STREAM_LIMIT


def minibatch_source(n: int, b: int, shape: tuple, seed: int):
    """A function of no arguments that returns, call after call, the minibatches (shape + (b,) indices, read
    only) of ``draw_minibatches(np.random.default_rng(seed), n, b, shape)`` called again and again."""
    key = (n, b, tuple(shape), seed)
    kept = _streams.pop(key, None) or _Kept(seed)
    _streams[key] = kept
    k = 0
    rng, rng_at = None, -1  # this source's own generator and the index of the draw it would give next

    def next_batch():
        nonlocal k, rng, rng_at
        if k < len(kept.batches):
            idx = kept.batches[k]
        else:
            if k == len(kept.batches) and rng_at != k:  # start (or resume) where the kept ones end
                rng = np.random.Generator(np.random.PCG64())
                rng.bit_generator.state = kept.state
            idx = draw_minibatches(rng, n, b, shape)
            rng_at = k + 1
            if k == len(kept.batches) and _room(idx.size, kept):
                idx.flags.writeable = False
                kept.batches.append(idx)
                kept.size += idx.size
                kept.state = rng.bit_generator.state
        k += 1
        return idx

    return next_batch


def forget_streams():
    """Drop every kept stream (tests; or to give the memory back)."""
    _streams.clear()
