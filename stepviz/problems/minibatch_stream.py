"""The minibatches of seeded runs, kept for the next run with the same seed.

A run with ``batch_size=b, seed=s`` (and no added noise) sees the minibatches that
``draw_minibatches(np.random.default_rng(s), n, b, shape)`` gives call after call. They depend on n, b, the
draws' shape and the seed only, not on the step size or the rule: an explorer that re-runs a sweep with
another step size, schedule or decay asks for the same sequence again. :func:`minibatch_source` hands out
that sequence, drawn once and kept; a kept minibatch is the same array of indices drawing it again would
give (the generator's state is kept where the kept ones end, so a longer run goes on drawing from there).

The kept indices of all streams together are at most STREAM_LIMIT (the least recently used stream goes
first); past that a run draws the rest of its sequence itself, the same numbers, without keeping them. A
stream keeps its indices in blocks of BLOCK indices (one minibatch of one example as an array of its own
would take ~14 times its 8 bytes).
"""
from __future__ import annotations

import numpy as np

from .base import draw_minibatches

#: Most example indices kept over all streams (int64: 8 bytes each, so 32 MiB).
STREAM_LIMIT = 4_000_000
#: Indices per block of a stream's store (512 KiB): a minibatch of one example is 8 bytes, and kept as an
#: array of its own it took ~110 (10's noise floor at batch size 1 held 126 MB for 32 MiB of indices).
BLOCK = 65_536

_streams: dict = {}  # (n, b, shape, seed) -> _Kept, the most recently used last


class _Kept:
    """The first minibatches of one seeded sequence, in blocks of :data:`BLOCK` indices, and the generator's
    state after the last of them."""

    def __init__(self, seed):
        self.blocks, self.shown = [], []  # the blocks, and read-only views of them (what a source hands out)
        self.count = 0  # minibatches kept
        self.rows = 0  # minibatches per block
        self.state = np.random.default_rng(seed).bit_generator.state

    @property
    def size(self) -> int:
        """Indices kept."""
        return self.count * (self.blocks[0][0].size if self.blocks else 0)

    @property
    def held(self) -> int:
        """Indices the blocks have room for (what the store takes)."""
        return sum(block.size for block in self.blocks)

    def __getitem__(self, k):
        return self.shown[k // self.rows][k % self.rows]

    def room_needed(self, idx) -> int:
        """Indices a new block takes to keep ``idx`` (0 if the last block has room)."""
        if self.count < len(self.blocks) * self.rows:
            return 0
        return _rows(idx) * idx.size

    def keep(self, idx, state):
        if self.count == len(self.blocks) * self.rows:
            self.rows = self.rows or _rows(idx)
            block = np.empty((self.rows,) + idx.shape, dtype=idx.dtype)
            view = block.view()
            view.flags.writeable = False
            self.blocks.append(block)
            self.shown.append(view)
        self.blocks[-1][self.count % self.rows] = idx
        self.count += 1
        self.state = state


def _rows(idx) -> int:
    """Minibatches per block: BLOCK indices (the whole limit if that is smaller), at least one."""
    return max(1, min(BLOCK, STREAM_LIMIT) // max(idx.size, 1))


def _room(for_size, keep) -> bool:
    """Make room for ``for_size`` more indices by dropping least recently used streams other than ``keep``."""
    total = sum(k.held for k in _streams.values())
    for key in list(_streams):
        if total + for_size <= STREAM_LIMIT:
            break
        if _streams[key] is not keep:
            total -= _streams.pop(key).held
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
        if k < kept.count:
            idx = kept[k]
        else:
            if k == kept.count and rng_at != k:  # start (or resume) where the kept ones end
                rng = np.random.Generator(np.random.PCG64())
                rng.bit_generator.state = kept.state
            idx = draw_minibatches(rng, n, b, shape)
            rng_at = k + 1
            if k == kept.count and _room(kept.room_needed(idx), kept):
                kept.keep(idx, rng.bit_generator.state)
                idx = kept[k]
        k += 1
        return idx

    return next_batch


def forget_streams():
    """Drop every kept stream (tests; or to give the memory back)."""
    _streams.clear()
