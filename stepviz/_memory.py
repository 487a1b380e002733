"""How much memory a call of the course may use, estimated before anything is allocated (issue 18 item 11).

Every call a learner can make stays within MEMORY_BUDGET at its peak (1 GiB, or STEPVIZ_MEMORY_MB set by an
instructor for a hub): a run checks its trajectory and the working copies of a step; what is computed from a
trajectory (gaps, distances, rates, steps to a tolerance) goes through the runs a block at a time or fits the
room the estimate leaves for it; the network's evaluations go a block of examples at a time.
"""
from __future__ import annotations

import os

import numpy as np


def _memory_budget() -> int:
    """Bytes a call may use at its peak: 1 GiB, or STEPVIZ_MEMORY_MB (set by an instructor for a hub)."""
    try:
        mb = int(os.environ.get("STEPVIZ_MEMORY_MB", "1024"))
    except ValueError:
        mb = 1024
    return (mb if mb > 0 else 1024) * 2 ** 20


#: Most bytes a run (and what the course computes from it) may use at its peak, estimated before anything
#: is allocated.
MEMORY_BUDGET = _memory_budget()


def _bytes(n: float) -> str:
    for unit, size in (("TiB", 2 ** 40), ("GiB", 2 ** 30), ("MiB", 2 ** 20)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n / 2 ** 10:.3g} KiB"


#: Temporaries of the Trajectory methods that work through the runs a block at a time: 16 MiB of the 1 GiB.
CHUNK_BYTES = MEMORY_BUDGET // 64


def blocks(batch_shape, bytes_per_run):
    """(first flat index, index tuple) of consecutive blocks of the runs of ``batch_shape``, each block's
    temporaries about CHUNK_BYTES (``bytes_per_run`` each). The index tuple picks the block from an array
    (steps, *batch, ...) after a leading slice: advanced indices copy just the block, whatever the layout."""
    if not batch_shape:
        yield 0, ()
        return
    m = int(np.prod(batch_shape))
    c = max(1, CHUNK_BYTES // max(1, bytes_per_run))
    for j in range(0, m, c):
        yield j, np.unravel_index(np.arange(j, min(m, j + c)), batch_shape)


#: Copies of the runs' parameters (and losses) a step holds at once besides the trajectory: the point, its
#: gradient, the optimizer's state and array hyperparameters, the update's temporaries (measured: 5 for GD,
#: up to 14 for Adam with every hyperparameter an array and for Backtracking; `make bench` re-measures).
WORKING_COPIES = 16


def trajectory_bytes(steps: int, batch, dim: int, lr_runs=None) -> int:
    """Estimated size of a run's result and what is computed from it: (steps + 1) x runs x (dim + 2)
    float64s (the points, the losses, and room for one array of that size: the gaps or the distances) plus
    steps x ``lr_runs`` step sizes (the step sizes' own shape: 1 for a single lr, runs if unknown)."""
    runs = int(np.prod(batch, dtype=object))
    lr_runs = runs if lr_runs is None else int(lr_runs)
    return ((int(steps) + 1) * runs * (int(dim) + 2) + int(steps) * lr_runs) * 8


def memory_needed(steps: int, batch, dim: int, lr_runs=None) -> int:
    """Peak bytes of a run: its trajectory (:func:`trajectory_bytes`), the working copies of a step, and
    the blocks' temporaries of what is computed from it (4 x CHUNK_BYTES, allocator slack included)."""
    runs = int(np.prod(batch, dtype=object))
    return (trajectory_bytes(steps, batch, dim, lr_runs) + WORKING_COPIES * runs * (int(dim) + 1) * 8
            + 4 * CHUNK_BYTES)


def check_memory(need: int, what: str, advice: str) -> None:
    """A ValueError before allocating when ``need`` bytes exceed MEMORY_BUDGET."""
    if need > MEMORY_BUDGET:
        raise ValueError(f"{what} would need about {_bytes(need)} at its peak; stepviz may use at most "
                         f"{_bytes(MEMORY_BUDGET)}: {advice}. The limit is the environment variable STEPVIZ_MEMORY_MB.")


def check_size(steps: int, batch, dim: int, lr_runs=None) -> None:
    """A ValueError before allocating when a run of ``steps`` x the runs of ``batch`` would need more than
    MEMORY_BUDGET at its peak (:func:`memory_needed`)."""
    runs = int(np.prod(batch, dtype=object))
    check_memory(memory_needed(steps, batch, dim, lr_runs),
                 f"steps={steps:,} x {runs:,} runs of {dim} parameters (the trajectory: points, losses, step sizes)",
                 "take fewer steps or fewer runs (a smaller grid)")
