"""Issue 12: nothing a learner types or re-runs breaks the course. One test (or family) per numbered item.

Each test reproduces what the issue reports; pytest runs with warnings as errors, so a RuntimeWarning or a
matplotlib UserWarning that would reach a learner's screen fails a test as an exception would.
"""
import numpy as np
import pytest

import stepviz as sv
from .robust_helpers import BOWL, all_checks, check_examples, no_hang, quiet, says

HUGE = 10 ** 400  # a Python int no float can hold


# --- 2. size limits ------------------------------------------------------------------------------------

@pytest.mark.parametrize("steps", [10 ** 7, 10 ** 30])
def test_2_run_refuses_more_steps_than_the_limit_at_once(steps):
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.run(sv.GD(0.1), BOWL, steps=steps)
    says(e.value, "steps", f"{steps:,}", "at most")


def test_2_run_estimates_memory_before_allocating():
    # a (400, 400) grid x 3e4 steps would need ~115 GiB of points and losses
    opt = sv.Momentum(lr=np.full((400, 1), 0.1), momentum=np.full((1, 400), 0.5))
    with no_hang(20), pytest.raises(ValueError) as e:
        sv.run(opt, BOWL, steps=30_000)
    says(e.value, "steps", "160,000 runs", "GiB")


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


# --- 3. huge integers --------------------------------------------------------------------------------------

HUGE_ARGUMENTS = {
    "GD lr": (lambda: sv.GD(lr=HUGE), "lr"),
    "Momentum momentum": (lambda: sv.Momentum(0.1, momentum=HUGE), "momentum"),
    "Adam beta2": (lambda: sv.Adam(0.1, beta2=HUGE), "beta2"),
    "Adagrad eps": (lambda: sv.Adagrad(0.1, eps=HUGE), "eps"),
    "constant lr": (lambda: sv.constant(HUGE), "lr"),
    "cosine lr_min": (lambda: sv.cosine(0.1, 100, lr_min=-HUGE), "lr_min"),
    "run noise": (lambda: sv.run(sv.GD(0.1), BOWL, noise=HUGE), "noise"),
    "run start": (lambda: sv.run(sv.GD(0.1), BOWL, start=(HUGE, 0)), "start"),
    "bowl curvatures": (lambda: sv.QuadraticBowl((HUGE, 1.0)), "curvatures"),
    "bowl angle": (lambda: sv.QuadraticBowl(angle=HUGE), "angle"),
    "Rosenbrock b": (lambda: sv.Rosenbrock(b=HUGE), "b"),
    "Saddle quartic": (lambda: sv.Saddle(HUGE), "quartic"),
    "LeastSquares x": (lambda: sv.LeastSquares([0, HUGE], [0, 1]), "x"),
    "synthetic slope": (lambda: sv.LeastSquares.synthetic(slope=HUGE), "slope"),
    "gd_rate lr": (lambda: sv.theory.gd_rate(BOWL, HUGE), "lr"),
    "steps_to tol": (lambda: sv.run(sv.GD(0.1), BOWL).steps_to(HUGE), "tol"),
}


@pytest.mark.parametrize("case", HUGE_ARGUMENTS)
def test_3_huge_integers_give_a_clean_error(case):
    call, name = HUGE_ARGUMENTS[case]
    with pytest.raises(ValueError) as e:
        call()
    says(e.value, name, "too large")


@pytest.mark.parametrize("name", sorted(check_examples()))
def test_3_checks_take_a_huge_integer_answer(name):
    args, kwargs = check_examples()[name]
    result, out = quiet(all_checks()[name], HUGE, *args, **kwargs)
    assert result is False
    assert "Not yet" in out


# --- 4. schedules are checked at every step ------------------------------------------------------------

def _later(value, at=7):
    return lambda t: 0.1 if t < at else value


@pytest.mark.parametrize("value, kind, words", [
    (float("nan"), ValueError, ("nan",)),
    (float("inf"), ValueError, ("inf",)),
    (-0.1, ValueError, ("-0.1", ">= 0")),
    (None, TypeError, ("None",)),
    ("x", TypeError, ("'x'",)),
    (np.full(3, 0.1), ValueError, ("shape (3,)",)),
], ids=["nan", "inf", "negative", "None", "str", "shape"])
def test_4_a_schedule_that_goes_wrong_later_is_named_with_its_step(value, kind, words):
    with pytest.raises(kind) as e:
        sv.run(sv.GD(_later(value)), BOWL, steps=20)
    says(e.value, "schedule", "step 7", *words)


def test_4_a_schedule_that_raises_later_is_named_as_the_cause():
    def schedule(t):
        if t >= 3:
            raise ZeroDivisionError("boom")
        return 0.1

    with pytest.raises(ValueError) as e:
        sv.run(sv.Momentum(schedule), BOWL, steps=20)
    says(e.value, "schedule", "step 3", "ZeroDivisionError", "boom")
    assert isinstance(e.value.__cause__, ZeroDivisionError)


def test_4_the_step_sizes_used_are_the_checked_ones():
    calls = []

    def schedule(t):
        calls.append(t)
        return 0.1 / (1 + t)

    tr = sv.run(sv.GD(schedule), BOWL, steps=5)
    np.testing.assert_allclose(tr.lrs, [0.1 / (1 + t) for t in range(5)])
    # p_{t+1} = p_t - alpha_t grad(p_t), with the alpha_t the trajectory reports
    p = BOWL.start.copy()
    for t in range(5):
        p = p - tr.lrs[t] * BOWL.grad(p)
    np.testing.assert_allclose(tr.points[-1], p)


# --- 5. Surface.from_function: a learner's function ------------------------------------------------------

def test_5_a_function_without_return_is_named():
    def f(p):
        p[..., 0] ** 2 + p[..., 1] ** 2   # forgot `return`

    with pytest.raises(TypeError) as e:
        sv.run(sv.GD(1e-6), sv.Surface.from_function(f), steps=5)
    says(e.value, "f", "None", "return")


def test_5_a_function_that_is_nan_at_the_start_is_named_with_the_point():
    s_start = (0.5, -0.25)
    with pytest.raises(ValueError) as e:
        s = sv.Surface.from_function(lambda x, y: np.nan * x, start=s_start)
        sv.run(sv.GD(1e-6), s, steps=5)
    says(e.value, "f", "nan", "(0.5, -0.25)")


def test_5_a_function_of_the_wrong_output_shape_is_named():
    with pytest.raises(ValueError) as e:
        sv.run(sv.GD(1e-2), sv.Surface.from_function(lambda p: np.ones(3)), steps=5)
    says(e.value, "f", "shape (3,)", "one value per point")


def test_5_a_function_that_raises_is_named_with_the_point():
    def f(x, y):
        if np.any(x > 1.0):
            raise ArithmeticError("outside my domain")
        return x ** 2 + y ** 2

    s = sv.Surface.from_function(f, bounds=((-1.0, 1.0), (-1.0, 1.0)), start=(0.9, 0.0))
    assert not sv.run(sv.GD(0.1), s, steps=3).diverged
    with pytest.raises(ValueError) as e:
        sv.run(sv.GD(1.5), s, steps=3)   # x: 0.9 -> -1.8 -> 3.6, where f raises
    says(e.value, "f", "ArithmeticError", "outside my domain", "(3.6, 0)")
    assert isinstance(e.value.__cause__, ArithmeticError)


def test_5_a_function_that_raises_inside_its_window_is_named_at_once():
    def f(x, y):
        if np.any(x > 1.0):
            raise ArithmeticError("outside my domain")
        return x ** 2 + y ** 2

    with pytest.raises(ValueError) as e:
        sv.Surface.from_function(f, start=(0.5, 0.5))   # the default window reaches x = 2
    says(e.value, "f", "ArithmeticError", "(2, -2)")


ODD_FUNCTIONS = {   # name: (f, a start where f is finite)
    "constant": (lambda x, y: 0 * x + 1.0, (-1.0, 1.0)),
    "inf region": (lambda x, y: np.where(x > 0, np.inf, x ** 2 + y ** 2), (-1.0, 1.0)),
    "nan region": (lambda x, y: np.where(x > 0, np.nan, x ** 2 + y ** 2), (-1.0, 1.0)),
    "huge scale": (lambda x, y: 1e300 * (x ** 2 + y ** 2), (-1.0, 1.0)),
    "sqrt of negative": (lambda x, y: np.sqrt(x) + y ** 2, (1.0, 1.0)),
}


@pytest.mark.parametrize("name", ODD_FUNCTIONS)
def test_5_odd_functions_draw_without_errors_or_warnings(name):
    plot_surface = sv.viz.plot_surface
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        f, start = ODD_FUNCTIONS[name]
        plot_surface(sv.Surface.from_function(f, start=start), ax)
        fig.canvas.draw()
    finally:
        plt.close(fig)


def test_5_a_nan_region_leaks_no_warning_from_explore():
    # sqrt(x) is NaN left of x = 0, where the default start (-1.2, 1.2) lies
    try:
        _close(sv.explore(sv.Surface.from_function(lambda x, y: np.sqrt(x) + y ** 2), "GD", lr=0.05))
    except ValueError as e:
        says(e, "f", "nan", "start")


def test_5_a_run_into_a_nan_region_says_where_f_stopped_being_defined():
    s = sv.Surface.from_function(lambda x, y: np.sqrt(x) + y ** 2, bounds=((-1.0, 2.0), (-1.0, 1.0)),
                                 start=(0.5, 0.5))
    tr = sv.run(sv.GD(0.6), s, steps=20)   # x steps past 0 into the region where sqrt(x) is NaN
    assert tr.diverged
    says(tr.summary(), "not defined")


# --- 6. shapes and seeds ------------------------------------------------------------------------------------

def test_6_hyperparameters_of_incompatible_shapes_are_refused_at_once():
    with pytest.raises(ValueError) as e:
        sv.Momentum(lr=[0.1, 0.2, 0.3], momentum=[0.1, 0.2, 0.3, 0.4])
    says(e.value, "lr", "momentum", "(3,)", "(4,)")


@pytest.mark.parametrize("kwargs, name", [
    ({"start": np.zeros((4, 2))}, "start"),
    ({"noise": [0.1, 0.1, 0.1, 0.1]}, "noise"),
], ids=["start", "noise"])
def test_6_run_names_the_arguments_whose_shapes_clash(kwargs, name):
    with pytest.raises(ValueError) as e:
        sv.run(sv.GD([0.1, 0.2, 0.3]), BOWL, **kwargs)
    says(e.value, name, "(4,)", "(3,)", "lr")


@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("seed", [-1, 0.5, "abc", [1, 2]], ids=repr)
def test_6_bad_seeds_are_refused_with_or_without_noise(seed, noise):
    with pytest.raises((ValueError, TypeError)) as e:
        sv.run(sv.GD(0.1), BOWL, noise=noise, seed=seed)
    says(e.value, "seed", "whole number")


# --- 8. compare and plotting ---------------------------------------------------------------------------------

def _close(obj):
    import matplotlib.pyplot as plt

    fig = getattr(obj, "figure", None)
    if hasattr(obj, "close"):
        obj.close()
    elif fig is not None:
        plt.close(fig)


@pytest.mark.parametrize("call, name", [
    (lambda: sv.compare("bowl", [sv.GD([0.1, 0.2])]), "GD"),
    (lambda: sv.compare("bowl", lrs=[0.1], start=np.ones((3, 2))), "start"),
    (lambda: sv.compare("bowl", lrs=[]), "lrs"),
    (lambda: sv.compare("bowl", lrs=[[0.1, 0.2]]), "lrs"),
], ids=["batched optimizer", "batched start", "no lrs", "nested lrs"])
def test_8_compare_refuses_what_it_cannot_draw(call, name):
    with pytest.raises(ValueError) as e:
        _close(call())
    says(e.value, name)


def test_8_stability_map_of_gd_draws_one_row_per_momentum_and_names_unknown_methods():
    import matplotlib.pyplot as plt

    smap = sv.viz.stability_map(BOWL, "GD", steps=60)   # used to fail deep inside pcolormesh
    try:
        rates = np.nan_to_num(smap.grid.rates, nan=-1.0)
        assert rates.shape == (100, 120) and (rates == rates[0]).all()   # GD has no momentum axis
        np.testing.assert_array_equal(smap.grid.diverged[0], sv.run(sv.GD(smap.grid.lrs), BOWL, steps=60).diverged)
    finally:
        plt.close(smap.ax.figure)
    with pytest.raises(ValueError) as e:
        sv.viz.stability_map(BOWL, "Adam")
    says(e.value, "'Adam'", "Momentum", "Nesterov")


@pytest.mark.parametrize("n", [0, 1, 2, -1, 2.5, 10 ** 9])
def test_8_plot_surface_grid_size_is_checked(n):
    plot_surface = sv.viz.plot_surface
    with no_hang(20), pytest.raises((ValueError, TypeError)) as e:
        plot_surface(BOWL, n=n)
    says(e.value, "n", "whole number")


def test_8_plot_path_labels_must_match_the_runs():
    plot_path = sv.viz.plot_path
    tr = sv.run(sv.GD(np.geomspace(0.01, 0.1, 50)), BOWL, steps=10)
    with pytest.raises(ValueError) as e:
        plot_path(tr, labels=["a"])
    says(e.value, "labels", "1", "50 runs")


# --- 9. warnings that reach the screen --------------------------------------------------------------------

def test_9_schedule_at_infinite_t_is_refused():
    with pytest.raises(ValueError) as e:
        sv.constant(0.1)(np.inf)
    says(e.value, "t", "iteration")


def test_9_closed_forms_overflow_quietly():
    assert sv.theory.gd_rate(BOWL, 1e308) == np.inf
    assert sv.theory.momentum_rate(BOWL, 1e308, 0.5) > 1


def test_9_range_test_with_a_huge_stop_factor_is_quiet():
    rt = sv.lr_range_test("GD", BOWL, stop_factor=1e308)
    assert rt.blowup_step >= 0    # the loss still stops being finite


def test_9_rate_with_a_huge_floor():
    tr = sv.run(sv.GD(0.1), BOWL)
    try:
        tr.rate(floor=1e308)
    except ValueError as e:
        says(e, "floor")


def test_9_animating_a_batch_of_50_is_quiet():
    animate = sv.viz.animate
    import matplotlib.pyplot as plt

    tr = sv.run(sv.GD(np.geomspace(0.01, 0.1, 50)), BOWL, steps=10)
    anim = animate(tr, frames=3)
    anim.to_jshtml()
    plt.close(anim._fig)


@pytest.mark.parametrize("call, name", [
    (lambda: sv.QuadraticBowl((1e308, 1e308)), "curvatures"),
    (lambda: sv.LeastSquares([0, 1e-320], [0, 1]), "x"),
    (lambda: sv.GD(np.complex128(0.1 + 1j)), "lr"),
    (lambda: sv.GD(np.array([0.1 + 0j, 0.2])), "lr"),
], ids=["bowl 1e308", "least squares 1e-320", "numpy complex", "complex array"])
def test_9_extreme_arguments_are_refused_without_a_warning(call, name):
    with pytest.raises((ValueError, TypeError)) as e:
        call()
    says(e.value, name)


@pytest.mark.parametrize("call, name", [
    (lambda: sv.live.schedule_explorer(tol=0), "tol"),
    (lambda: sv.live.saddle_explorer(threshold=0), "threshold"),
    (lambda: sv.live.saddle_explorer(threshold=-1), "threshold"),
], ids=["schedule tol=0", "saddle threshold=0", "saddle threshold=-1"])
def test_9_explorer_arguments_give_an_error_not_a_warning(call, name):
    try:
        _close(call())
    except ValueError as e:
        says(e, name)


# --- 10. misleading results and messages --------------------------------------------------------------------

def test_10_summary_claims_no_gap_without_a_minimum():
    s = sv.Surface.from_function(lambda x, y: x - 5 + 0 * y)
    text = sv.run(sv.GD(0.1), s).summary()
    assert "reached" not in text
    says(text, "no known minimum")


def test_10_range_test_blames_the_range_not_a_schedule():
    with pytest.raises(ValueError) as e:
        sv.lr_range_test("GD", BOWL, lr_min=1e-320, lr_max=1e308)
    msg = says(e.value, "lr_min", "lr_max")
    assert "schedule" not in msg


def test_10_synthetic_blames_the_intercept():
    with pytest.raises(ValueError) as e:
        sv.LeastSquares.synthetic(intercept=1e308)
    msg = says(e.value, "intercept")
    assert "start" not in msg


def test_10_rosenbrock_a_too_large_is_a_value_error():
    with pytest.raises(ValueError) as e:
        sv.Rosenbrock(a=1e308)
    says(e.value, "a must")


@pytest.mark.parametrize("key", [1.9, True, "1"], ids=repr)
def test_10_quiz_keys_must_be_question_numbers(key):
    answer = {key: "b", 2: "c", 3: "a", 4: "a"}
    result, out = quiet(sv.checks.check_quiz, answer)
    if key == "1":      # a string that names question 1 is fine
        assert result is True
    else:
        assert result is False
        assert repr(key) in out


def test_10_mystery_names_a_misspelt_hyperparameter():
    result, out = quiet(sv.checks.check_mystery, {"optimizer": "Momentum", "lr": 0.01, "momentun": 0.9})
    assert result is False
    assert "'momentun'" in out and "momentum" in out


ODD_OTHER_ARGUMENTS = {
    "largest_stable_step lam=0": ("check_largest_stable_step", (1.0, 0)),
    "largest_stable_step lam=-1": ("check_largest_stable_step", (1.0, -1)),
    "iterate lr=0": ("check_iterate", (1.0, 2.0, 0, 1.5, 3)),
    "iterate k=huge": ("check_iterate", (1.0, 2.0, 0.3, 1.5, 10 ** 9)),
    "iterate theta0=0": ("check_iterate", (0.0, 2.0, 0.3, 0.0, 3)),
    "regime lam=0": ("check_regime", ("smooth", 0.3, 0)),
    "converges lr=0": ("check_converges", (True, BOWL, 0)),
    "converges bowl=str": ("check_converges", (True, "bowl", 0.1)),
    "batch_factor n=1": ("check_batch_factor", (0.5, 1)),
    "batch_factor b_from=0": ("check_batch_factor", (0.5, 200, 0, 40)),
    "escape_steps lr=0": ("check_escape_steps", (10, 0, 1e-3)),
    "escape_steps offset=0": ("check_escape_steps", (10, 0.1, 0)),
    "grid_cost steps=0": ("check_grid_cost", (0, 26, 0)),
    "converges not a bowl": ("check_converges", (True, sv.Rosenbrock(), 0.1)),
    "momentum_stable momentum=1": ("check_momentum_stable", (True, BOWL, 0.1, 1.0)),
    "momentum_stable lr=0": ("check_momentum_stable", (True, BOWL, 0, 0.5)),
    "heavy_ball not a bowl": ("check_heavy_ball_optimum", ((0.1, 0.5), "bowl")),
    "adam_first_step lr=0": ("check_adam_first_step", ((1, 1), BOWL, (1.0, 1.0), 0)),
    "adam_first_step start wrong": ("check_adam_first_step", ((1, 1), BOWL, (1.0, 1.0, 1.0), 0.1)),
    "fastest_schedule steps=huge": ("check_fastest_schedule", ("a", {"a": 0.1}, BOWL, 1e-3, 10 ** 9)),
    "sharpness_limit lam=huge": ("check_sharpness_limit", (0.1, 10 ** 400)),
    "gd_step lr=str": ("check_gd_step", ((1, 1), (1, 1), (1, 1), "0.1")),
    "gd_step theta 3-d": ("check_gd_step", ((1, 1), (1, 1, 1), (1, 1), 0.1)),
    "number expected=0": ("check_number", (0.0, 0.0)),
    "number expected=nan": ("check_number", (1.0, float("nan"))),
    "optimal_rate not a bowl": ("check_optimal_rate", (0.5, None)),
}


@pytest.mark.parametrize("case", ODD_OTHER_ARGUMENTS)
def test_10_checks_never_raise_on_odd_other_arguments(case):
    name, args = ODD_OTHER_ARGUMENTS[case]
    with no_hang(20):
        result, out = quiet(getattr(sv.checks, name), *args)
    assert isinstance(result, bool)
    assert out.strip(), "a check always prints its verdict"
