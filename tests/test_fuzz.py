"""Property-based fuzzing of the public API (issue 12): any input gives a result or a clean ValueError/TypeError.

Never another exception, a warning (pytest turns warnings into errors), a hang, or an oversized allocation.
Derandomized and bounded (a fixed number of examples per property), so `make test` stays reproducible and
the whole module runs in well under a minute.
"""
import contextlib
import io
import math
import re

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import stepviz as sv
from tests.robust_helpers import BOWL, all_checks, check_examples, no_hang

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
CLEAN = (ValueError, TypeError)
#: An example whose peak memory grows by more than this made an oversized allocation.
MAX_BYTES = 150 * 2 ** 20


def _rss(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


@contextlib.contextmanager
def bounded(seconds=20.0):
    """No hang (a guard of ``seconds``), no allocation above MAX_BYTES: the process's peak RSS (reset
    before the example through /proc/self/clear_refs, Linux) may grow by at most that much. Unlike
    tracemalloc this costs nothing per allocation, so a legitimate 100,000-step run stays fast."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current RSS
    before = _rss("VmRSS")
    with no_hang(seconds):
        yield
    grown = _rss("VmHWM") - before
    assert grown <= MAX_BYTES, f"allocated {grown / 2 ** 20:.0f} MB"


def names_an_argument(exc, *names):
    """A clean error names what was wrong: one of the call's arguments (numpy's own messages name none)."""
    msg = str(exc)
    assert any(re.search(n if "\\" in n else rf"\b{re.escape(n)}\b", msg) for n in names), \
        f"{type(exc).__name__}: {msg}"


# --- strategies ---------------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)
any_float = st.floats(allow_nan=True, allow_infinity=True)
odd_scalars = st.one_of(
    any_float,
    st.integers(-10 ** 400, 10 ** 400),
    st.sampled_from([0, 1, -1, 10 ** 400, -(10 ** 400), 2 ** 63, 1e-320, 1e308, -0.0]),
    st.booleans(), st.none(), st.text(max_size=4), st.complex_numbers(max_magnitude=10),
    st.sampled_from([np.float64("nan"), np.complex128(0.5 + 1j), np.int64(3), np.float32(0.1), np.bool_(True),
                     np.array(0.1), object(), ..., {}, set(), b"0.1"]),
)
small_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
odd_arrays = st.one_of(
    hnp.arrays(np.float64, small_shapes, elements=any_float),
    hnp.arrays(np.float64, small_shapes, elements=st.floats(1e-3, 0.5)),
    st.lists(st.one_of(any_float, st.none(), st.text(max_size=2)), max_size=4),
    st.lists(st.lists(st.floats(1e-3, 0.5), min_size=1, max_size=3), min_size=1, max_size=3),
)
junk = st.one_of(odd_scalars, odd_arrays)


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
steps = st.one_of(st.integers(0, 30), st.integers(10 ** 5, 10 ** 40), odd_scalars)
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


def _check_trajectory(tr, steps):
    assert tr.points.shape[0] == steps + 1 and tr.points.shape[-1] == 2
    assert tr.losses.shape == tr.points.shape[:-1]
    assert tr.lrs.shape == (steps,) + tr.batch_shape
    ok = ~tr.diverged
    assert np.isfinite(tr.points[:, ok]).all() and np.isfinite(tr.losses[:, ok]).all()
    if tr.diverged.any():
        # after diverged_at, a run's points are NaN
        k = tr.diverged_at[tr.diverged]
        assert (k >= 1).all() and (k <= steps).all()


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
        _check_trajectory(tr, n_steps)
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


def learner_function(kind, scale, two_args):
    """A learner's f: well-behaved or misbehaving in one of the ways learners' functions do."""
    def core(x, y):
        if kind == "ok":
            return scale * (x ** 2 + 3 * y ** 2)
        if kind == "none":
            return None
        if kind == "nan":
            return np.nan * x
        if kind == "constant":
            return 0 * x + scale
        if kind == "inf region":
            return np.where(x > 0, np.inf, x ** 2 + y ** 2)
        if kind == "nan region":
            return np.sqrt(x) + y ** 2
        if kind == "raise":
            raise RuntimeError("my function broke")
        if kind == "wrong shape":
            return np.ones(3)
        if kind == "string":
            return "x^2 + y^2"
        if kind == "complex":
            return (x + 1j * y) ** 2
        if kind == "scalar only":
            return math.sqrt(x ** 2 + y ** 2)
        if kind == "point":
            return np.stack([x, y], axis=-1)
        raise AssertionError(kind)

    if two_args:
        return lambda x, y: core(x, y)
    return lambda p: core(np.asarray(p)[..., 0], np.asarray(p)[..., 1])


KINDS = ["ok", "none", "nan", "constant", "inf region", "nan region", "raise", "wrong shape", "string",
         "complex", "scalar only", "point"]


@FUZZ
@given(st.sampled_from(KINDS), st.sampled_from([1.0, 1e-300, 1e300, -1.0]), st.booleans(),
       st.one_of(st.none(), st.tuples(st.floats(-2, 2), st.floats(-2, 2)), junk),
       st.one_of(st.none(), junk), st.floats(1e-4, 1.0))
def test_a_learners_function_gives_a_surface_or_a_clean_error(kind, scale, two_args, start, bounds, lr):
    f = learner_function(kind, scale, two_args)
    kwargs = {} if bounds is None else {"bounds": bounds}
    with bounded():
        try:
            surface = sv.Surface.from_function(f, start=start, **kwargs)
            tr = sv.run(sv.GD(lr), surface, steps=10)
        except CLEAN as e:
            names_an_argument(e, "f", "start", "bounds")
            return
        _check_trajectory(tr, 10)
        tr.summary()
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        try:
            sv.viz.plot_surface(surface, ax, n=24)
            fig.canvas.draw()
        finally:
            plt.close(fig)


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


ODD = [0, -1, 1e-320, 1e308, 10 ** 400, float("nan"), float("inf"), None, True, "", "abc", [], (1.0, 2.0, 3.0),
       {}, np.zeros((2, 2)), 1 + 2j, lambda t: 0.1]


def _examples() -> dict:
    """A valid call of every check (robust_helpers.check_examples); a check added since gets odd values for
    its required arguments, so it is fuzzed too (and a valid example makes its fuzzing deeper)."""
    import inspect

    known = check_examples()
    for name, check in all_checks().items():
        if name not in known:
            params = list(inspect.signature(check).parameters.values())[1:]
            known[name] = (tuple(ODD[i % len(ODD)] for i, q in enumerate(params)
                                 if q.default is q.empty and q.kind == q.POSITIONAL_OR_KEYWORD), {})
    return known


EXAMPLES = _examples()


def test_every_check_is_fuzzed():
    assert sorted(all_checks()) == sorted(EXAMPLES)


@settings(FUZZ, max_examples=600)
@given(st.sampled_from(sorted(EXAMPLES)), junk, st.data())
def test_checks_print_a_verdict_for_any_answer_and_arguments(name, answer, data):
    args, kwargs = EXAMPLES[name]
    args = list(args)
    if args and data.draw(st.booleans(), label="odd argument"):
        i = data.draw(st.integers(0, len(args) - 1), label="which")
        args[i] = data.draw(st.sampled_from(ODD), label="value")
    out = io.StringIO()
    with bounded(), contextlib.redirect_stdout(out):
        result = all_checks()[name](answer, *args, **kwargs)
    assert isinstance(result, bool)
    text = out.getvalue().strip()
    assert text.startswith(("✅", "❌")), text
    if isinstance(answer, (str, type(None))) or answer is ...:
        assert result is False or name in ("check_regime", "check_robbins_monro")


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
        _check_trajectory(sv.run(opt, surface, steps=n_steps), n_steps)


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


@settings(FUZZ, max_examples=40)
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
        _check_trajectory_any(sv.run(sv.GD(0.5), loss, steps=5), 5)


def _check_trajectory_any(tr, steps):
    assert tr.points.shape[0] == steps + 1 and tr.losses.shape == tr.points.shape[:-1]
    ok = ~tr.diverged
    assert np.isfinite(tr.points[:, ok]).all()


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
