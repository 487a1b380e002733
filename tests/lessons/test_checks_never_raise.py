"""Checks print feedback for any answer and any argument and never raise (issue 12, items 3 and 10)."""
import pytest

import stepviz as sv
from tests.robust_helpers import BOWL, HUGE, all_checks, check_examples, no_hang, quiet


@pytest.mark.parametrize("name", sorted(check_examples()))
def test_3_checks_take_a_huge_integer_answer(name):
    args, kwargs = check_examples()[name]
    result, out = quiet(all_checks()[name], HUGE, *args, **kwargs)
    assert result is False
    assert "Not yet" in out


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
