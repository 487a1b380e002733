"""What each rule says about itself, against the rule's own update: the rate on a quadratic is the spectral
radius of one step of the rule written as a matrix (found by stepping it, not by a formula), the limit is
where that radius crosses 1, the optimum is not beaten by any neighbour, the effective step is the factor
the step applies to the gradient. Every rule of sv.OPTIMIZERS is asked; none is named."""
import ast
from pathlib import Path

import numpy as np
import pytest

import stepviz as sv

RULES = list(sv.OPTIMIZERS.values())
CURVATURES = np.array([0.7, 3.0, 10.0])


def one_step_matrix(opt, curvatures=CURVATURES):
    """The linear map of one step on f = 1/2 sum lambda_i x_i^2, on (x, every state array), by stepping from
    each unit vector (exact: a constant-step rule with momentum is linear on a quadratic). (n, n)."""
    d = len(curvatures)
    grad = lambda q: q * curvatures  # noqa: E731
    keys = list(opt.init(np.zeros(d)))
    n = d * (1 + len(keys))
    M = np.empty((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = 1.0
        state = {k: e[d * (i + 1):d * (i + 2)] for i, k in enumerate(keys)}
        p, new = opt.step(e[:d], grad, state, 5)
        M[:, j] = np.concatenate([p] + [new[k] for k in keys])
    return M


def spectral_radius(M):
    return float(np.max(np.abs(np.linalg.eigvals(M))))


THEORY = [cls for cls in RULES if cls(0.1).has_quadratic_theory]


def settings(cls):
    """Hyperparameter settings to try the theory at: a few momenta where the rule has one."""
    return [{"momentum": g} for g in (0.0, 0.5, 0.9)] if "momentum" in cls.hyperparameter_names else [{}]


def test_the_course_has_theory_for_plain_and_momentum_rules():
    assert {cls.name for cls in THEORY} >= {"GD", "Momentum", "Nesterov"}


@pytest.mark.parametrize("cls", THEORY, ids=lambda c: c.name)
def test_quadratic_rate_is_the_spectral_radius_of_one_step(cls):
    for hp in settings(cls):
        for lr in (0.01, 0.1, 0.25, 0.5):
            opt = cls(lr, **hp)
            assert float(opt.quadratic_rate(CURVATURES)) == pytest.approx(spectral_radius(one_step_matrix(opt)),
                                                                          rel=1e-9, abs=1e-12)
        batch = cls(np.array([0.01, 0.1, 0.5]), **hp).quadratic_rate(CURVATURES)
        assert batch.shape == (3,)
        np.testing.assert_allclose(batch, [float(cls(a, **hp).quadratic_rate(CURVATURES)) for a in (0.01, 0.1, 0.5)])


@pytest.mark.parametrize("cls", THEORY, ids=lambda c: c.name)
def test_quadratic_limit_is_where_the_spectral_radius_crosses_one(cls):
    for hp in settings(cls):
        limit = float(cls(1.0, **hp).quadratic_limit(CURVATURES))
        assert spectral_radius(one_step_matrix(cls(0.999 * limit, **hp))) < 1
        assert spectral_radius(one_step_matrix(cls(1.001 * limit, **hp))) > 1


@pytest.mark.parametrize("cls", THEORY, ids=lambda c: c.name)
def test_quadratic_optimum_is_not_beaten_by_a_neighbour(cls):
    best = cls(1.0).quadratic_optimum(CURVATURES)
    if best is None:
        pytest.skip(f"{cls.name}: the course states no optimum")
    rate = float(cls(**best).quadratic_rate(CURVATURES))
    for name in best:
        for f in (0.97, 1.03):
            other = cls(**{**best, name: best[name] * f})
            assert float(other.quadratic_rate(CURVATURES)) > rate
    assert cls.optimum_label and cls.limit_label


def test_the_optimum_rates_are_the_textbook_ones():
    mu, L = CURVATURES.min(), CURVATURES.max()
    kappa = L / mu
    gd, hb = sv.GD(1.0).quadratic_optimum(CURVATURES), sv.Momentum(1.0).quadratic_optimum(CURVATURES)
    assert float(sv.GD(**gd).quadratic_rate(CURVATURES)) == pytest.approx((kappa - 1) / (kappa + 1))
    assert float(sv.Momentum(**hb).quadratic_rate(CURVATURES)) == pytest.approx((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1))


@pytest.mark.parametrize("cls", [c for c in RULES if c(0.1).has_effective_step], ids=lambda c: c.name)
def test_effective_step_is_the_factor_the_step_applies_to_the_gradient(cls):
    """Without averaging (momentum and beta1 at 0, where the rule has them) a step moves every coordinate by
    effective step x gradient; the first steps of a run on a rotated bowl, two runs at once."""
    hp = {k: 0.0 for k in ("momentum", "beta1") if k in cls.hyperparameter_names}
    opt = cls(np.array([0.05, 0.2]), **hp)
    bowl = sv.QuadraticBowl((1.0, 10.0), angle=30.0)
    p = np.array([[-1.0, 1.5], [0.8, -0.3]])
    state = opt.init(p)
    for t in range(6):
        p_next, new = opt.step(p, bowl.grad, state, t)
        np.testing.assert_allclose(p - p_next, opt.effective_step(state, new, t) * bowl.grad(p), rtol=1e-12)
        p, state = p_next, new


def test_a_rule_declares_no_theory_by_default():
    class Sign(sv.Optimizer):
        name = "Sign"

        def __init__(self, lr):
            self._set_lr(lr)

        def update(self, p, grad_fn, state, alpha, t):
            return p - alpha * np.sign(grad_fn(p)), state

    rule = Sign(0.1)
    assert not rule.has_quadratic_theory and not rule.has_effective_step
    assert rule.quadratic_rate(CURVATURES) is None and rule.quadratic_optimum(CURVATURES) is None
    with pytest.raises(ValueError, match="Sign defines no effective step"):
        sv.analysis.effective_steps(rule, "bowl", steps=3)
    tr = sv.run(rule, sv.QuadraticBowl(), steps=4)
    np.testing.assert_allclose(tr.points[1], sv.QuadraticBowl().start - 0.1 * np.sign(sv.QuadraticBowl().grad(
        sv.QuadraticBowl().start)))


@pytest.mark.parametrize("cls", RULES, ids=lambda c: c.name)
def test_a_step_changes_neither_the_rule_nor_its_inputs_and_records_its_step_size(cls):
    opt = cls(sv.inverse_time(0.1, 0.5))
    before = {k: v for k, v in vars(opt).items() if k != "_hp_memo"}
    p = np.array([[0.3, -0.2], [1.0, 2.0]])
    state = opt.init(p)
    copy = {k: np.copy(v) for k, v in state.items()}
    _, new = opt.step(p, sv.Rosenbrock().grad, state, 4)
    assert float(new["lr"]) == pytest.approx(0.1 / (1 + 0.5 * 4))
    assert all(np.array_equal(state[k], copy[k]) for k in state) and "lr" not in state
    assert {k: v for k, v in vars(opt).items() if k != "_hp_memo"} == before


# ---------------------------------------------------------------- no layer above optim names a rule

OPTIMIZER_NAMES = set(sv.OPTIMIZERS) | {"Backtracking"}
ASKING_LAYERS = ("analysis", "viz", "live", "engine.py")


def name_branches(source: str) -> list:
    """isinstance/issubclass against a rule class, comparisons with a rule's name, and dicts keyed by rule
    names (a table of per-rule behaviour): (line, what)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("isinstance", "issubclass"):
            names = {getattr(n, "id", getattr(n, "attr", None)) for n in ast.walk(node.args[1])}
            if names & OPTIMIZER_NAMES:
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Compare):
            consts = {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)}
            if consts & OPTIMIZER_NAMES:
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if keys & OPTIMIZER_NAMES:
                found.append((node.lineno, ast.unparse(node)[:60]))
    return found


def test_the_scan_finds_name_branches():
    found = name_branches('if isinstance(o, (Adam, RMSprop)): pass\nif name == "Momentum": pass\n'
                          'x = name in ("GD", "Nesterov")\nT = {"GD": f}\nif o.name == "Frobnicate": pass\n')
    assert [line for line, _ in found] == [1, 2, 3, 4]


@pytest.mark.parametrize("layer", ASKING_LAYERS)
def test_analysis_viz_and_live_ask_the_rule_instead_of_naming_it(layer):
    root = Path(sv.__file__).parent / layer
    files = [root] if root.suffix else sorted(root.rglob("*.py"))
    found = {str(f.relative_to(root.parent)): name_branches(f.read_text()) for f in files}
    assert not {k: v for k, v in found.items() if v}
