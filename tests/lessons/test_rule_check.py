"""The checker of learner-written update rules: correct code passes, every catalogued mistake is named."""
import numpy as np
import pytest

from stepviz.lessons.rule_check import MISTAKES, RULES, check_rule


# Correct implementations, written from the formulas (not from stepviz).
def gd(theta, grad, lr):
    return theta - lr * grad(theta)


def momentum(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta)
    return theta - v, v


def nesterov(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta - momentum * v)
    return theta - v, v


def rmsprop(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    s = rho * s + (1 - rho) * g ** 2
    return theta - lr * g / (np.sqrt(s) + eps), s


def adam(theta, m, s, k, grad, lr, beta1, beta2, eps):
    g = grad(theta)
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g ** 2
    m_hat, s_hat = m / (1 - beta1 ** k), s / (1 - beta2 ** k)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


CORRECT = {"GD": gd, "Momentum": momentum, "Nesterov": nesterov, "RMSprop": rmsprop, "Adam": adam}


@pytest.mark.parametrize("rule", list(RULES))
def test_a_correct_rule_passes(rule, capsys):
    assert check_rule(CORRECT[rule], rule) is True
    out = capsys.readouterr().out
    assert out.startswith("Correct.") and "Rosenbrock" in out


@pytest.mark.parametrize("rule, name", [(r, m[0]) for r, ms in MISTAKES.items() for m in ms])
def test_each_typical_mistake_is_named(rule, name, capsys):
    wrong, hint = {m[0]: m[1:] for m in MISTAKES[rule]}[name]
    assert check_rule(wrong, rule) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and hint in out
    if name != "untouched template":   # the template stops at once: there is no step to compare
        assert "Step " in out and "yours θ" in out and "stepviz θ" in out


def test_a_mistake_outside_the_catalogue_gets_the_first_differing_step(capsys):
    def half_step(theta, grad, lr):
        return theta - 0.5 * lr * grad(theta)

    assert check_rule(half_step, "GD") is False
    out = capsys.readouterr().out
    assert "Step 1 differs" in out and "Compare each line with the formula of GD" in out


def test_the_heavy_ball_passed_as_nesterov_is_named(capsys):
    assert check_rule(momentum, "Nesterov") is False
    assert "looks ahead first" in capsys.readouterr().out


@pytest.mark.parametrize("bad, word", [
    (lambda theta, v, grad, lr, momentum: None, "returns None"),
    (lambda theta, v, grad, lr, momentum: theta, "should return"),
    (lambda theta, v, grad, lr, momentum: (theta, v, v), "should return"),
    (lambda theta, v, grad, lr, momentum: ("a", "b"), "arrays of numbers"),
    (lambda theta, v, grad, lr, momentum: (theta[:1], v), "shape"),
    (lambda theta, v, grad, lr, momentum: 1 / 0, "raised ZeroDivisionError at step 1"),
    (lambda theta, grad, lr: theta, "raised TypeError"),  # the wrong signature
    ("not a function", "Pass your function"),
    (None, "Pass your function"),
])
def test_unfinished_or_broken_code_gets_a_hint_never_an_exception(bad, word, capsys):
    assert check_rule(bad, "Momentum") is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and word in out


# --- mistakes as a learner writes them (issue 17 item 6), each named by its own hint ----------------------
# Written here from the formulas, independently of the catalogue's generic helpers: the check must recognise
# the learner's code, not its own.

def hb_v_first(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta)
    theta = theta - v
    return v, theta


def nag_v_first(theta, v, grad, lr, momentum):
    v = momentum * v + lr * grad(theta - momentum * v)
    return v, theta - v


def nag_pytorch(theta, v, grad, lr, momentum):   # torch.optim.SGD(nesterov=True): buf = mu buf + g; p -= lr (g + mu buf)
    g = grad(theta)
    v = momentum * v + g
    return theta - lr * (g + momentum * v), v


def nag_bengio(theta, v, grad, lr, momentum):    # Bengio et al. 2013, with the sign of our velocity
    g = grad(theta)
    theta = theta - momentum ** 2 * v - (1 + momentum) * lr * g
    return theta, momentum * v + lr * g


def _rms(update):
    def step(theta, s, grad, lr, rho, eps):
        g = grad(theta)
        s = update(s, g, rho)
        return theta - lr * g / (np.sqrt(s) + eps), s
    return step


def rms_s_first(theta, s, grad, lr, rho, eps):
    g = grad(theta)
    s = rho * s + (1 - rho) * g ** 2
    return s, theta - lr * g / (np.sqrt(s) + eps)


def _adam(m_rule=None, s_rule=None, correct=None, move=None, returned=None):
    def step(theta, m, s, k, grad, lr, beta1, beta2, eps):
        g = grad(theta)
        m = m_rule(m, g, beta1, beta2) if m_rule else beta1 * m + (1 - beta1) * g
        s = s_rule(s, g, beta1, beta2) if s_rule else beta2 * s + (1 - beta2) * g ** 2
        m_hat, s_hat = correct(m, s, k, beta1, beta2) if correct else (m / (1 - beta1 ** k), s / (1 - beta2 ** k))
        new = move(theta, m, s, m_hat, s_hat, k, lr, beta1, beta2, eps) if move else \
            theta - lr * m_hat / (np.sqrt(s_hat) + eps)
        return returned(new, m, s, m_hat, s_hat) if returned else (new, m, s)
    return step


LEARNER_MISTAKES = [
    ("Momentum", hb_v_first, "Wrong return order: you returned (v, θ)"),
    ("Nesterov", nag_v_first, "Wrong return order: you returned (v, θ)"),
    ("Nesterov", nag_pytorch, "PyTorch (Bengio et al. 2013)"),
    ("Nesterov", nag_bengio, "PyTorch (Bengio et al. 2013)"),
    ("RMSprop", _rms(lambda s, g, rho: rho * s + (1 - rho) * g), "You averaged g, not its square"),
    ("RMSprop", _rms(lambda s, g, rho: rho * s + (1 - rho) * np.abs(g)), "You averaged |g|"),
    ("RMSprop", _rms(lambda s, g, rho: (1 - rho) * s + rho * g ** 2), "ρ and 1 − ρ are swapped"),
    ("RMSprop", _rms(lambda s, g, rho: s + g ** 2), "That is Adagrad"),
    ("RMSprop", rms_s_first, "Wrong return order: you returned (s, θ)"),
    ("Adam", _adam(s_rule=lambda s, g, b1, b2: b2 * s + (1 - b2) * g), "You averaged g, not its square"),
    ("Adam", _adam(s_rule=lambda s, g, b1, b2: b2 * s + (1 - b2) * abs(g)), "You averaged |g|"),
    ("Adam", _adam(m_rule=lambda m, g, b1, b2: b2 * m + (1 - b2) * g, s_rule=lambda s, g, b1, b2: b1 * s + (1 - b1) * g * g,
                   correct=lambda m, s, k, b1, b2: (m / (1 - b2 ** k), s / (1 - b1 ** k))), "β₁ and β₂ are swapped"),
    ("Adam", _adam(m_rule=lambda m, g, b1, b2: b2 * m + (1 - b2) * g, s_rule=lambda s, g, b1, b2: b1 * s + (1 - b1) * g * g),
     "β₁ and β₂ are swapped"),
    ("Adam", _adam(correct=lambda m, s, k, b1, b2: (m / (1 - b1 ** k), s / (1 - b1 ** k))), "ŝ is corrected with β₂"),
    ("Adam", _adam(returned=lambda new, m, s, m_hat, s_hat: (new, m_hat, s_hat)), "Return m and s, not m̂ and ŝ"),
    ("Adam", _adam(move=lambda theta, m, s, m_hat, s_hat, k, lr, b1, b2, eps:
                   theta - lr * np.sqrt(1 - b2 ** k) / (1 - b1 ** k) * m / (np.sqrt(s) + eps)), "the Adam paper's faster form"),
    ("Adam", _adam(returned=lambda new, m, s, m_hat, s_hat: (m, s, new)), "Wrong return order: you returned (m, s, θ)"),
]


@pytest.mark.parametrize("rule, step, words", LEARNER_MISTAKES,
                         ids=[f"{r}-{w[:24]}" for r, _, w in LEARNER_MISTAKES])
def test_a_mistake_written_by_a_learner_gets_the_hint_named_after_it(rule, step, words, capsys):
    with np.errstate(all="ignore"):   # the unsquared g makes s negative: sqrt gives nan, as in the learner's cell
        assert check_rule(step, rule) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet.") and words in out, out
    assert "Compare each line" not in out      # not the generic hint


def test_the_unsquared_g_hint_says_that_s_went_negative(capsys):
    with np.errstate(all="ignore"):
        check_rule(_rms(lambda s, g, rho: rho * s + (1 - rho) * g), "RMSprop")
    out = capsys.readouterr().out
    assert "nan" in out and "negative" in out


@pytest.mark.parametrize("notebook, function, rule", [
    ("06_momentum", "momentum_step", "Momentum"), ("07_nesterov", "nesterov_step", "Nesterov"),
    ("08_adaptive_methods", "rmsprop_step", "RMSprop"), ("09_adam_and_adadelta", "adam_step", "Adam")])
def test_the_untouched_template_of_each_notebook_is_named(notebook, function, rule, capsys):
    from .prose import cells

    cell = next(c for c in cells(notebook, "code") if f"def {function}(" in c)
    space = {"np": np}
    exec(cell.split("\n\n")[0], space)   # the learner's cell as handed out, without its check call
    assert check_rule(space[function], rule) is False
    out = capsys.readouterr().out
    assert "template's placeholders" in out and "Ellipsis, Ellipsis" not in out


def test_rule_names_follow_the_optimizer_names_rule(capsys):
    """One rule for names (issue 18 item 14): case-insensitive; an unknown one is a ValueError listing them."""
    assert check_rule(gd, "gd") is True and check_rule(adam, "ADAM") is True
    assert "Your GD matches" in capsys.readouterr().out
    with pytest.raises(ValueError, match=r"unknown rule 'sgd'; choose one of: GD, Momentum, Nesterov, RMSprop, Adam"):
        check_rule(gd, "sgd")
    with pytest.raises(TypeError, match="rule must be a name"):
        check_rule(gd, None)
