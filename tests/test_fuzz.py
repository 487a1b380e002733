"""Property-based fuzzing of the public API (issue 12): any input gives a result or a clean ValueError/TypeError.

Never another exception, a warning (pytest turns warnings into errors), a hang, or an oversized allocation.
Derandomized and bounded (a fixed number of examples per property), so `make test` stays reproducible and
the whole module runs in well under a minute.
"""
import contextlib
import io
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import stepviz as sv
from tests.robust_helpers import (BOWL, CLEAN, FUZZ, bounded, finite, junk, names_an_argument, odd_arrays,
                                  odd_scalars)

def learner_schedule(kind, value, at):
    """A learner's schedule that behaves until step ``at``, then does ``kind``."""
    def schedule(t):
        if t < at:
            return 0.05
        if kind == "raise":
            raise RuntimeError("my schedule broke")
        if kind == "array":
            return np.full(3, 0.05)
        return value
    return schedule


schedules = st.builds(learner_schedule, st.sampled_from(["value", "raise", "array"]), junk, st.integers(0, 5))
lrs = st.one_of(st.floats(1e-4, 1.5), junk, schedules,
                st.builds(sv.inverse_time, st.floats(1e-3, 1.0), st.floats(0, 1.0)))
steps = st.one_of(st.integers(0, 30), st.integers(10 ** 5 + 1, 10 ** 40), odd_scalars)   # past the limit: refused at once
OPTIMIZERS = list(sv.OPTIMIZERS.values())
SURFACES = [cls() for cls in sv.SURFACES.values()] + [BOWL, sv.Saddle(0.0), sv.LeastSquares.synthetic(n=20)]


@st.composite
def optimizers(draw):
    cls = draw(st.sampled_from(OPTIMIZERS))
    kwargs = {"lr": draw(lrs)}
    for name in cls.hyperparameter_names[1:]:
        if draw(st.booleans()):
            kwargs[name] = draw(st.one_of(st.floats(0.0, 0.99), junk))
    return cls, kwargs


# --- properties ---------------------------------------------------------------------------------------

@FUZZ
@given(optimizers())
def test_optimizers_take_any_hyperparameters(spec):
    cls, kwargs = spec
    with bounded():
        try:
            opt = cls(**kwargs)
        except CLEAN as e:
            names_an_argument(e, *kwargs, "schedule")
            return
        repr(opt)


def check_trajectory(tr, steps, dim=2):
    """Shapes agree; a run that never diverged is finite throughout; a diverged run is finite before
    diverged_at and NaN from it on (points and losses), diverged_at in 1..steps."""
    assert tr.points.shape[0] == steps + 1 and tr.points.shape[-1] == dim
    assert tr.losses.shape == tr.points.shape[:-1]
    assert tr.lrs.shape == (steps,) + tr.batch_shape
    assert (tr.diverged == (tr.diverged_at >= 0)).all()
    points = tr.points.reshape(steps + 1, -1, dim)
    losses, at = tr.losses.reshape(steps + 1, -1), tr.diverged_at.reshape(-1)
    for j, k in enumerate(at):
        end = steps + 1 if k < 0 else k
        assert np.isfinite(points[:end, j]).all() and np.isfinite(losses[:end, j]).all()
        if k >= 0:
            assert 1 <= k <= steps
            assert np.isnan(points[k:, j]).all() and np.isnan(losses[k:, j]).all(), f"run {j} after step {k}"


@FUZZ
@given(optimizers(), st.sampled_from(SURFACES), st.one_of(st.none(), junk), steps,
       st.one_of(st.just(0.0), st.floats(0, 1), junk), st.one_of(st.none(), st.integers(0, 10), junk))
def test_run_takes_any_arguments(spec, surface, start, n_steps, noise, seed):
    cls, kwargs = spec
    with bounded():
        try:
            tr = sv.run(cls(**kwargs), surface, start, n_steps, noise=noise, seed=seed)
        except CLEAN as e:
            names_an_argument(e, *kwargs, "schedule", "start", "steps", "noise", "seed")
            return
        check_trajectory(tr, n_steps)
        tr.rate() if len(surface.minima) else None
        if not tr.batch_shape:
            tr.summary()


SCHEDULE_MAKERS = {
    sv.constant: ("lr",), sv.inverse_time: ("lr", "decay"), sv.step_decay: ("lr", "factor", "every"),
    sv.exponential: ("lr", "gamma"), sv.cosine: ("lr", "total", "lr_min"),
}


@FUZZ
@given(st.sampled_from(list(SCHEDULE_MAKERS)), st.data(), st.one_of(st.integers(0, 10 ** 6), junk))
def test_schedules_take_any_arguments_and_any_t(make, data, t):
    kwargs = {name: data.draw(st.one_of(st.floats(1e-3, 1.0), st.integers(1, 100), junk), label=name)
              for name in SCHEDULE_MAKERS[make]}
    with bounded():
        try:
            schedule = make(**kwargs)
            schedule(t)
        except CLEAN as e:
            names_an_argument(e, *kwargs, "t")
            return


SURFACE_MAKERS = {
    sv.QuadraticBowl: ("curvatures", "angle"), sv.Rosenbrock: ("a", "b"), sv.Saddle: ("quartic",),
}


@FUZZ
@given(st.sampled_from(list(SURFACE_MAKERS)), st.data(), junk)
def test_surfaces_take_any_parameters_and_points(make, data, point):
    kwargs = {name: data.draw(st.one_of(st.floats(-10, 10), st.tuples(finite, finite), junk), label=name)
              for name in SURFACE_MAKERS[make] if data.draw(st.booleans(), label=f"set {name}")}
    with bounded():
        try:
            surface = make(**kwargs)
        except CLEAN as e:
            names_an_argument(e, *kwargs)
            return
        for method in (surface.value, surface.grad, surface.hessian):
            try:
                method(point)
            except CLEAN as e:
                names_an_argument(e, "p", "points")


THEORY = {"lr_limit": 0, "optimal_lr": 0, "optimal_momentum": 0, "gd_rate": 1, "momentum_rate": 2,
          "nesterov_rate": 2, "momentum_lr_limit": 1, "nesterov_lr_limit": 1}


@FUZZ
@given(st.sampled_from(sorted(THEORY)), st.one_of(st.just(BOWL), junk), st.lists(junk, min_size=2, max_size=2))
def test_theory_takes_any_arguments(name, bowl, args):
    with bounded():
        try:
            getattr(sv.theory, name)(bowl, *args[:THEORY[name]])
        except CLEAN as e:
            names_an_argument(e, "bowl", "lr", "momentum", "QuadraticBowl")
            return


@FUZZ
@given(st.sampled_from(["GD", "Momentum", "Adam", sv.GD, "bogus", junk]), st.sampled_from(SURFACES + ["bowl", "x"]),
       st.dictionaries(st.sampled_from(["lrs", "steps", "start", "refine", "refine_points", "noise", "seed",
                                        "momentum"]),
                       st.one_of(st.integers(1, 8), st.floats(1e-3, 1.0), junk), max_size=3))
def test_grid_search_takes_any_arguments(optimizer, surface, kwargs):
    with bounded():
        try:
            sv.grid_search(optimizer, surface, **{"steps": 20, **kwargs})
        except CLEAN as e:
            names_an_argument(e, "optimizer", "surface", "lr", *kwargs)
            return


@FUZZ
@given(st.sampled_from(["GD", "Momentum", "Adam", sv.Adam]), st.sampled_from(SURFACES + ["bowl"]),
       st.dictionaries(st.sampled_from(["lr_min", "lr_max", "steps", "start", "rule", "divisor", "stop_factor",
                                        "smooth", "noise", "seed"]),
                       st.one_of(st.integers(2, 50), st.floats(1e-6, 100.0), junk), max_size=3))
def test_lr_range_test_takes_any_arguments(optimizer, surface, kwargs):
    with bounded():
        try:
            sv.lr_range_test(optimizer, surface, **{"steps": 30, **kwargs})
        except CLEAN as e:
            names_an_argument(e, "optimizer", "surface", *kwargs)
            return


@FUZZ
@given(st.one_of(junk, hnp.arrays(np.float64, st.integers(0, 6), elements=st.floats(-1e3, 1e3))),
       st.one_of(junk, hnp.arrays(np.float64, st.integers(0, 6), elements=st.floats(-1e3, 1e3))),
       st.one_of(st.integers(1, 8), junk))
def test_least_squares_takes_any_data(x, y, batch_size):
    with bounded():
        try:
            data = sv.LeastSquares(x, y)
            sv.run(sv.GD(0.1), data, steps=5, batch_size=batch_size, seed=0)
        except CLEAN as e:
            names_an_argument(e, "x", "y", "batch_size")
            return


@FUZZ
@given(st.sampled_from(SURFACES[:3]), st.dictionaries(
    st.sampled_from(["lr", "shrink", "c", "max_backtracks"]),
    st.one_of(st.floats(1e-3, 0.99), st.integers(0, 60), junk), max_size=3), st.integers(0, 20))
def test_backtracking_takes_any_arguments(surface, kwargs, n_steps):
    with bounded():
        try:
            opt = sv.Backtracking(surface, **kwargs)
        except CLEAN as e:
            names_an_argument(e, *kwargs)
            return
        check_trajectory(sv.run(opt, surface, steps=n_steps), n_steps)


@FUZZ
@given(st.floats(-1e3, 1e3) | junk, st.integers(0, 10 ** 6) | junk, st.floats(0, 1) | junk)
def test_trajectory_methods_take_any_arguments(tol, start, floor):
    tr = sv.run(sv.GD(np.array([0.01, 0.1, 0.25])), BOWL, steps=30)
    with bounded():
        for call, names in ((lambda: tr.steps_to(tol), ("tol",)), (lambda: tr[0].summary(tol), ("tol",)),
                            (lambda: tr.rate(start=start), ("start",)), (lambda: tr.rate(floor=floor), ("floor",))):
            try:
                call()
            except CLEAN as e:
                names_an_argument(e, *names)


#: Label text a learner types (matplotlib itself warns about glyphs its font lacks: control characters, emoji).
label_text = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"], max_codepoint=0x2FF), max_size=3)


@settings(FUZZ, max_examples=20)
@given(st.one_of(st.just(None), st.lists(label_text, min_size=0, max_size=5), label_text, odd_arrays),
       st.one_of(st.integers(-5, 400), junk), st.integers(1, 20))
def test_figures_take_any_labels_and_grid_sizes(labels, n, runs):
    import matplotlib.pyplot as plt

    tr = sv.run(sv.GD(np.geomspace(0.01, 0.3, runs)), BOWL, steps=8)
    fig, ax = plt.subplots()
    with bounded():
        try:
            for call, names in ((lambda: sv.viz.plot_surface(BOWL, ax, n=n), ("n",)),
                                (lambda: sv.viz.plot_path(tr, ax, labels=labels), ("labels",)),
                                (lambda: sv.viz.plot_losses(tr, ax, labels=labels), ("labels",))):
                try:
                    call()
                except CLEAN as e:
                    names_an_argument(e, *names)
            fig.canvas.draw()
        finally:
            plt.close(fig)


@settings(FUZZ, max_examples=40)
@given(st.one_of(st.just(None), junk, st.lists(st.floats(1e-3, 0.3), min_size=1, max_size=3)),
       st.one_of(st.just(None), st.lists(st.sampled_from([sv.GD(0.1), sv.Adam(0.1), sv.GD([0.1, 0.2])]), max_size=2),
                 junk),
       st.one_of(st.none(), junk))
def test_compare_takes_any_arguments(lrs, optimizers, start):
    import matplotlib.pyplot as plt

    with bounded():
        try:
            cmp = sv.compare(BOWL, optimizers, lrs=lrs, start=start, steps=10)
        except CLEAN as e:
            names_an_argument(e, "lrs", "optimizers", "start", "GD", "Adam", "compare")
            return
        plt.close(cmp.figure)


@FUZZ
@given(st.one_of(st.lists(st.integers(-2, 40), max_size=4), st.tuples(st.integers(1, 10 ** 9), st.just(1)), junk),
       st.one_of(st.sampled_from(["tanh", "relu", "TANH", "sigmoid"]), junk), st.one_of(st.integers(2, 50), junk),
       st.one_of(st.floats(0, 1), junk))
def test_networks_take_any_sizes_and_data(sizes, activation, n, noise):
    with bounded():
        try:
            X, y = sv.two_moons(n=n, noise=noise, seed=0)
            loss = sv.NetworkLoss(sv.MLP(sizes, activation=activation), X, y)
        except CLEAN as e:
            names_an_argument(e, "sizes", "activation", "n", "noise", "X", r"sizes\[\d+\]")
            return
        check_trajectory(sv.run(sv.GD(0.5), loss, steps=5), 5, dim=loss.dim)




@FUZZ
@given(st.one_of(st.sampled_from(["bowl", "Rosenbrock", "SADDLE", "volcano"]), junk),
       st.one_of(st.sampled_from(["GD", "adam", "Momentum", "sgd"]), junk),
       st.dictionaries(st.sampled_from(["lr", "momentum", "beta1", "rho", "eps", "bogus"]),
                       st.one_of(st.floats(1e-3, 0.9), junk), max_size=3))
def test_names_of_surfaces_and_optimizers(surface, optimizer, kwargs):
    with bounded():
        for call, names in ((lambda: sv.get_surface(surface), ("surface",)),
                            (lambda: sv.make_optimizer(optimizer, **kwargs), ("optimizer", "lr", *kwargs))):
            try:
                call()
            except CLEAN as e:
                names_an_argument(e, *names)
