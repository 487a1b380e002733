"""Measured convergence rates over sweeps (one batched run each): GD over step sizes and condition numbers,
momentum methods against their theory, the stability grid of (step size, momentum), and heavy ball's
regimes read off its iterates."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validate
from ..engine import MAX_STEPS, run
from ..optim.rules import GD, OPTIMIZERS, Optimizer, make_optimizer, optimizer_class
from ..problems.surfaces import QuadraticBowl, Surface, get_surface
from . import quadratic


def rate_vs_kappa(kappas=(1.5, 2, 4, 8, 16, 32, 64, 128), steps: int = 400) -> np.ndarray:
    """Measured rate of GD at the optimal step 2/(mu + L) on bowls with curvatures (1, kappa); the theory
    says (kappa - 1)/(kappa + 1)."""
    kappas = np.asarray(_validate.positive("kappas", kappas, example="4.0"), dtype=float).reshape(-1)
    out = []
    for kappa in kappas:
        bowl = QuadraticBowl(curvatures=(1.0, float(kappa)))
        out.append(float(run(GD(quadratic.optimal_lr(bowl)), bowl, steps=steps).rate()))
    return np.array(out)


def rate_vs_lr(bowl=None, lrs=None, steps: int = 300):
    """(lrs, measured rates, diverged) of GD over step sizes on ``bowl`` (default: curvatures (1, 10)), one
    batched run; ``lrs`` default: 60 log-spaced from 2/L / 100 to 1.15 x 2/L."""
    bowl = bowl if bowl is not None else QuadraticBowl()
    limit = quadratic.lr_limit(bowl)
    lrs = np.geomspace(limit / 100, limit * 1.15, 60) if lrs is None else \
        np.asarray(_validate.positive("lrs", lrs), dtype=float)
    traj = run(GD(lrs), bowl, steps=steps)
    return lrs, traj.rate(), np.asarray(traj.diverged)


@dataclass
class RateComparison:
    """Measured and predicted rates of momentum methods on a bowl, shape (momenta, lrs)."""

    lrs: np.ndarray
    momenta: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    optimizer: str


def _with_momentum() -> tuple:
    """The rules of OPTIMIZERS that have a momentum and a closed-form rate on a bowl."""
    return tuple(name for name, cls in OPTIMIZERS.items()
                 if "momentum" in cls.hyperparameter_names and cls(1.0).has_quadratic_theory)


def momentum_rates(bowl: QuadraticBowl, momenta=(0.0, 0.5, 0.8), lrs=None, *, optimizer="Momentum",
                   steps: int = 400) -> RateComparison:
    """Measured rate per step (one batched run over momenta x lrs) and the predicted spectral radius (the
    rule's :meth:`~stepviz.optim.base.Optimizer.quadratic_rate`) for a momentum method ('Momentum',
    'Nesterov') on a quadratic bowl. ``lrs`` default: 40 log-spaced up to 1.3 x the method's limit at the
    largest momentum."""
    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"the predicted rate holds on a QuadraticBowl; got {bowl!r}")
    methods = _with_momentum()
    if optimizer not in methods:
        raise ValueError(f"optimizer must be a momentum method with a rate on a bowl: "
                         f"{' or '.join(repr(m) for m in methods)}; got {optimizer!r}")
    momenta = np.atleast_1d(np.asarray(_validate.unit_interval("momenta", momenta), dtype=float))
    top = make_optimizer(optimizer, lr=1.0, momentum=momenta.max()).quadratic_limit(bowl.curvatures) * 1.3
    lrs = np.geomspace(top / 100, top, 40) if lrs is None else \
        np.atleast_1d(np.asarray(_validate.positive("lrs", lrs), float))
    opt = make_optimizer(optimizer, lr=lrs[None, :], momentum=momenta[:, None])
    traj = run(opt, bowl, steps=steps)
    return RateComparison(lrs, momenta, traj.rate(), opt.quadratic_rate(bowl.curvatures), optimizer)


@dataclass
class StabilityGrid:
    """Measured rate per step over a grid of (lr, momentum): ``rates`` and ``diverged`` of shape
    (momenta, lrs), from one batched run."""

    surface: Surface
    optimizer: str
    lrs: np.ndarray
    momenta: np.ndarray
    rates: np.ndarray
    diverged: np.ndarray


#: Point-steps per batched run of a stability grid: the grid runs in chunks of rows of about this size
#: (24 MB of points and losses on a surface), so a 100 x 120 x 300 map needs ~30 MB instead of ~250 MB.
GRID_CHUNK = 2 ** 20


def stability_grid(surface, optimizer="Momentum", lrs=None, momenta=None, steps: int = 300, *,
                   start=None) -> StabilityGrid:
    """The measured convergence rate over a grid of (lr, momentum): ``lrs`` default 120 log-spaced in
    [1e-3, 1], ``momenta`` default 100 in [0, 0.98]; a rule without momentum ('GD') has every row the same.

    Batched runs of a few rows of momenta at a time (GRID_CHUNK point-steps each): the same numbers as one
    run of the whole grid, at a fraction of its memory.
    """
    surface = get_surface(surface)
    lrs = np.geomspace(1e-3, 1.0, 120) if lrs is None else np.asarray(_validate.positive("lrs", lrs), float)
    momenta = np.linspace(0.0, 0.98, 100) if momenta is None else \
        np.asarray(_validate.unit_interval("momenta", momenta), float)
    if lrs.ndim != 1 or momenta.ndim != 1 or lrs.size == 0 or momenta.size == 0:
        raise ValueError(f"lrs and momenta must be non-empty 1-D arrays (the axes of the grid); got shapes "
                         f"{lrs.shape} and {momenta.shape}")
    name = optimizer.name if isinstance(optimizer, Optimizer) else optimizer
    allowed = _with_momentum() + tuple(n for n, cls in OPTIMIZERS.items() if cls.hyperparameter_names == ("lr",))
    if name not in allowed:
        raise ValueError(f"a stability grid needs a momentum method: {', '.join(repr(n) for n in allowed[:-1])} "
                         f"or {allowed[-1]!r} (no momentum: every row the same); got {_validate.show(optimizer)}")
    steps = _validate.integer("steps", steps, low=1, high=MAX_STEPS, why=f"a run takes at most {MAX_STEPS:,} steps")
    if start is not None and _validate.points("start", start).shape != (2,):
        raise ValueError(f"start must be one point (x, y) for a stability grid; got shape {np.shape(start)}")
    rows = momenta.size if "momentum" in optimizer_class(name).hyperparameter_names else 1
    chunk = max(1, GRID_CHUNK // (lrs.size * (steps + 1)))
    rates, diverged = np.empty((rows, lrs.size)), np.empty((rows, lrs.size), dtype=bool)
    for i in range(0, rows, chunk):
        part = momenta[i:i + chunk]
        traj = run(make_optimizer(name, lr=lrs[None, :], momentum=part[:, None]), surface, start=start, steps=steps)
        rates[i:i + chunk] = traj.rate()
        diverged[i:i + chunk] = traj.diverged
        del traj  # before the next chunk is allocated
    shape = (momenta.size, lrs.size)
    return StabilityGrid(surface, name, lrs, momenta, np.broadcast_to(rates, shape), np.broadcast_to(diverged, shape))


@dataclass
class MeasuredRegimes:
    """Result of :func:`measured_momentum_regimes`: per run, the regime index (into
    ``quadratic.MOMENTUM_REGIMES``) read off its iterates, the theory's index, and the iterates x_k."""

    a: np.ndarray
    momenta: np.ndarray
    measured: np.ndarray
    predicted: np.ndarray
    x: np.ndarray

    @property
    def agree(self) -> int:
        """How many runs behave as the theory predicts."""
        return int(np.sum(self.measured == self.predicted))

    @property
    def count(self) -> int:
        """How many runs there are."""
        return int(self.measured.size)


def measured_momentum_regimes(a, momenta, steps: int = 300) -> MeasuredRegimes:
    """Heavy ball on the 1-D parabola lambda = 1 (x_0 = 1, v_0 = 0) for each a = lr * lambda and momentum,
    one batched run, and the regime read off each run: divergent if it diverged or |x| ends above 1;
    monotone if the sign of x changes at most once; zig-zag if it flips at every step of the second half;
    ripple otherwise. Iterates below 1e-280 (exact zeros after underflow) count as no sign at all."""
    a, g = np.broadcast_arrays(np.asarray(_validate.positive("a", a), float),
                               np.asarray(_validate.unit_interval("momenta", momenta), float))
    parabola = QuadraticBowl(curvatures=(1.0, 1.0))
    start = np.broadcast_to([1.0, 0.0], a.shape + (2,))
    traj = run(make_optimizer("Momentum", lr=a, momentum=g), parabola, start=start, steps=steps)
    x = traj.points[..., 0]
    with np.errstate(all="ignore"):
        signed = np.abs(x) > 1e-280
        pair = signed[1:] & signed[:-1]
        flips = (np.sign(x[1:]) != np.sign(x[:-1])) & pair
        late = slice(steps // 2, None)
        zigzag = np.all(flips[late] | ~pair[late], axis=0) & pair[late].any(axis=0)
        measured = np.where(flips.sum(axis=0) <= 1, 0, np.where(zigzag, 2, 1))
        measured = np.where(traj.diverged | ~(np.abs(x[-1]) <= 1.0), 3, measured)
    return MeasuredRegimes(a, g, measured, quadratic.momentum_regime(a, g), x)
