"""Issue 21: the formulas the prose states are the code's (tests/lessons/formulas.py). Changing a digit of a stated
formula ($2/L$ -> $5/L$, $(1 - \\alpha\\lambda)$ -> $(4 - \\alpha\\lambda)$) makes the term compute none of the course's
formulas it is written like, and test_stated_formulas_are_the_codes fails for that notebook."""
import re

import pytest

from . import formulas
from .formulas import COURSE, MATH, evaluate, sample_points, wrong_formulas, wrong_forms
from .prose import markdown

# Every notebook by name (the mutation harness runs this module for each notebook it names).
NOTEBOOKS = ("00_start_here", "01_the_update_rule", "02_too_big_too_small", "03_curved_valleys_and_saddles",
             "04_choosing_a_step_size", "05_schedules", "06_momentum", "07_nesterov", "08_adaptive_methods",
             "09_adam_and_adadelta", "10_stochastic_gradients", "11_neural_networks", "12_curvature_in_training",
             "13_summary")


def test_every_form_of_the_catalogue_computes_what_the_code_computes():
    assert not wrong_forms(COURSE)


def test_the_reader_reads_latex_as_written():
    v = sample_points(1)[0]
    assert evaluate(r"\frac{2}{\mu + L}")(v) == pytest.approx(2 / (v["mu"] + v["L"]))
    assert evaluate(r"(1 - \alpha\lambda)^2\theta")(v) == pytest.approx((1 - v["alpha"] * v["lambda"]) ** 2 * v["theta"])
    assert evaluate(r"\dfrac{\sqrt\kappa - 1}{\sqrt{\kappa} + 1}")(v) == pytest.approx((v["kappa"] ** .5 - 1) / (v["kappa"] ** .5 + 1))
    assert evaluate(r"\max(|1-\alpha\mu|, |1 - \alpha L|)")(v) == pytest.approx(
        max(abs(1 - v["alpha"] * v["mu"]), abs(1 - v["alpha"] * v["L"])))
    assert evaluate(r"10^{-3}\cdot 2^12")(v) == pytest.approx(1e-3 * 2 ** 1 * 2)
    assert evaluate(r"\lambda_{\max} - \beta_1")(v) == pytest.approx(v["lambda_max"] - v["beta_1"])
    with pytest.raises(ValueError):
        evaluate(r"2/(\mu + L")


def test_a_changed_digit_of_a_formula_is_found():
    text = r"The limit $\alpha < 2/L$, the best step $\frac{2}{\mu + L}$ and the factor $(1 - \alpha\lambda)\theta$."
    assert not wrong_formulas(text, COURSE)
    for old, new in (("2/L", "5/L"), (r"\frac{2}", r"\frac{5}"), ("(1 -", "(4 -"), ("2/L", "1/L")):
        found = wrong_formulas(text.replace(old, new, 1), COURSE)
        assert (old, new) == ("2/L", "1/L") or found, (old, new)  # 1/L is a formula too, but not the limit
    assert len(formulas.stated_formulas(text, COURSE)) == 3


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_stated_formulas_are_the_codes(notebook):
    spans = re.findall(MATH, markdown(notebook), re.S)
    wrong = wrong_formulas("\n".join(spans), COURSE)
    assert not wrong, f"{notebook} states formulas the code does not compute: " + "; ".join(wrong)


def test_a_changed_number_of_worked_arithmetic_is_found():
    text = (r"$\theta - \alpha\nabla J = (1 - 0.1\cdot 2,\; 2 - 0.1\cdot(-4)) = (0.8,\; 2.4)$, "
            r"$k = \log(10^{-3})/\log(0.99) = 687.3$, $2/(3 + 3) = 1/3$ and $\alpha < 2/L = 0.2$.")
    assert len([p for p in formulas.worked_equalities(text) if formulas._value(p[0]) and formulas._value(p[1])]) == 3
    assert not formulas.wrong_arithmetic(text)
    for old, new in (("0.1\\cdot 2", "0.4\\cdot 2"), ("2.4", "2.7"), ("687.3", "687.6"), ("0.99", "0.92"),
                     ("(3 + 3)", "(3 + 6)"), ("1/3", "1/6")):
        assert formulas.wrong_arithmetic(text.replace(old, new, 1)), (old, new)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_worked_arithmetic_is_right(notebook):
    """Every = or ≈ between two sides that hold only numbers: the sides agree (to the digits of a number alone)."""
    spans = re.findall(MATH, markdown(notebook), re.S)
    wrong = formulas.wrong_arithmetic("\n".join(spans))
    assert not wrong, f"{notebook}: " + "; ".join(wrong)
