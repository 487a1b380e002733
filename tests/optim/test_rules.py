"""Update rules against hand-written loops of the formulas in ARCHITECTURE.md, one float at a time."""
import math

import numpy as np
import pytest

import stepviz as sv

RULES = list(sv.OPTIMIZERS)   # every rule the course offers: a new one needs its HP, HP_BATCH and reference here
CLASSES = sv.OPTIMIZERS

# Non-default hyperparameters for each rule (large eps so that where eps sits in the formula matters).
HP = {
    "GD": dict(lr=0.01),
    "Momentum": dict(lr=0.004, momentum=0.7),
    "Nesterov": dict(lr=0.004, momentum=0.7),
    "Adagrad": dict(lr=0.3, eps=0.1),
    "RMSprop": dict(lr=0.02, rho=0.8, eps=1e-2),
    "Adadelta": dict(lr=0.7, rho=0.8, eps=1e-3),
    "Adam": dict(lr=0.05, beta1=0.8, beta2=0.95, eps=1e-2),
}
# Three settings per rule, for the batched tests (every hyperparameter varies).
HP_BATCH = {
    "GD": dict(lr=[0.002, 0.01, 0.015]),
    "Momentum": dict(lr=[0.001, 0.004, 0.006], momentum=[0.0, 0.5, 0.8]),
    "Nesterov": dict(lr=[0.001, 0.004, 0.006], momentum=[0.0, 0.5, 0.8]),
    "Adagrad": dict(lr=[0.1, 0.3, 0.5], eps=[1e-10, 1e-2, 0.5]),
    "RMSprop": dict(lr=[0.005, 0.02, 0.03], rho=[0.0, 0.8, 0.99], eps=[1e-8, 1e-2, 0.3]),
    "Adadelta": dict(lr=[0.3, 0.7, 1.0], rho=[0.5, 0.8, 0.95], eps=[1e-6, 1e-3, 1e-2]),
    "Adam": dict(lr=[0.01, 0.05, 0.1], beta1=[0.0, 0.8, 0.9], beta2=[0.5, 0.95, 0.999], eps=[1e-8, 1e-2, 0.2]),
}


# ---------------------------------------------------------------- the reference: ARCHITECTURE.md, literally

def reference(rule, hp, p0, grad, steps, lr_at=None):
    """Iterates p_0..p_steps of ``rule`` written as plain Python loops over floats.

    ``grad`` maps a list of floats to a list of floats; ``lr_at(t)`` gives alpha_t (default: hp['lr']).
    """
    lr_at = lr_at or (lambda t: hp["lr"])
    p = [float(v) for v in p0]
    n = len(p)
    v, s, u, m = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
    out = [list(p)]
    for t in range(steps):
        a = lr_at(t)
        if rule == "Nesterov":
            g = grad([p[i] - hp["momentum"] * v[i] for i in range(n)])
        else:
            g = grad(p)
        for i in range(n):
            if rule == "GD":
                p[i] = p[i] - a * g[i]
            elif rule in ("Momentum", "Nesterov"):
                v[i] = hp["momentum"] * v[i] + a * g[i]
                p[i] = p[i] - v[i]
            elif rule == "Adagrad":
                s[i] = s[i] + g[i] ** 2
                p[i] = p[i] - a * g[i] / (math.sqrt(s[i]) + hp["eps"])
            elif rule == "RMSprop":
                rho, eps = hp["rho"], hp["eps"]
                s[i] = rho * s[i] + (1 - rho) * g[i] ** 2
                p[i] = p[i] - a * g[i] / (math.sqrt(s[i]) + eps)
            elif rule == "Adadelta":
                rho, eps = hp["rho"], hp["eps"]
                s[i] = rho * s[i] + (1 - rho) * g[i] ** 2
                d = math.sqrt(u[i] + eps) / math.sqrt(s[i] + eps) * g[i]
                u[i] = rho * u[i] + (1 - rho) * d ** 2
                p[i] = p[i] - a * d
            elif rule == "Adam":
                b1, b2, eps = hp["beta1"], hp["beta2"], hp["eps"]
                k = t + 1
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                s[i] = b2 * s[i] + (1 - b2) * g[i] ** 2
                m_hat = m[i] / (1 - b1 ** k)
                s_hat = s[i] / (1 - b2 ** k)
                p[i] = p[i] - a * m_hat / (math.sqrt(s_hat) + eps)
            else:
                raise AssertionError(rule)
        out.append(list(p))
    return np.array(out)


def with_defaults(rule, hp):
    """hp completed with ARCHITECTURE.md's defaults, for the reference."""
    defaults = {"Momentum": dict(momentum=0.9), "Nesterov": dict(momentum=0.9), "Adagrad": dict(eps=1e-10),
                "RMSprop": dict(rho=0.99, eps=1e-8), "Adadelta": dict(lr=1.0, rho=0.9, eps=1e-6),
                "Adam": dict(beta1=0.9, beta2=0.999, eps=1e-8)}
    return {**defaults.get(rule, {}), **hp}


# Rosenbrock with a = 1, b = 10, its gradient written by hand.
A_ROS, B_ROS = 1.0, 10.0


def ros_grad_list(q):
    x, y = q
    return [-2 * (A_ROS - x) - 4 * B_ROS * x * (y - x * x), 2 * B_ROS * (y - x * x)]


ROSENBROCK = sv.Rosenbrock(a=A_ROS, b=B_ROS)
START = (-1.2, 1.0)

# A coupled, non-quadratic loss on N = 50 parameters: g = A p + 0.4 p^3, A symmetric positive definite.
N = 50
_rng = np.random.default_rng(12345)
_Q, _ = np.linalg.qr(_rng.standard_normal((N, N)))
A_ND = (_Q * _rng.uniform(0.5, 4.0, N)) @ _Q.T
A_ND = (A_ND + A_ND.T) / 2
A_LIST = A_ND.tolist()
P0_ND = _rng.uniform(-1.0, 1.0, N)


def nd_grad_np(p):
    return p @ A_ND + 0.4 * p ** 3


def nd_grad_list(q):
    return [sum(A_LIST[i][j] * q[j] for j in range(N)) + 0.4 * q[i] ** 3 for i in range(N)]


def iterate(opt, p0, grad_fn, steps):
    p = np.array(p0, dtype=float)
    state = opt.init(p)
    out = [p]
    for t in range(steps):
        p, state = opt.step(p, grad_fn, state, t)
        out.append(p)
    return np.array(out)


def assert_close(actual, desired):
    np.testing.assert_allclose(actual, desired, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------- constant lr

@pytest.mark.parametrize("rule", RULES)
def test_rule_matches_formula_on_a_2d_surface(rule):
    steps = 40
    traj = sv.run(CLASSES[rule](**HP[rule]), ROSENBROCK, start=START, steps=steps)
    ref = reference(rule, HP[rule], START, ros_grad_list, steps)
    assert not traj.diverged
    assert_close(traj.points, ref)
    # the path actually moves (a no-op rule would fail above, but make it explicit)
    assert np.linalg.norm(ref[-1] - ref[0]) > 1e-2


@pytest.mark.parametrize("rule", RULES)
def test_rule_matches_formula_on_a_50_vector(rule):
    """Update rules are elementwise: the same classes work on a parameter vector."""
    steps = 25
    ref = reference(rule, HP[rule], P0_ND, nd_grad_list, steps)
    got = iterate(CLASSES[rule](**HP[rule]), P0_ND, nd_grad_np, steps)
    assert got.shape == (steps + 1, N)
    assert_close(got, ref)
    assert np.linalg.norm(ref[-1] - ref[0]) > 1e-2


@pytest.mark.parametrize("rule", RULES)
def test_default_hyperparameters_follow_the_design(rule):
    hp = {"lr": 0.01} if rule != "Adadelta" else {}
    opt = CLASSES[rule](**hp)
    full = with_defaults(rule, hp)
    for k, value in full.items():
        assert float(getattr(opt, k)) == value
    steps = 20
    ref = reference(rule, full, START, ros_grad_list, steps)
    assert_close(sv.run(opt, ROSENBROCK, start=START, steps=steps).points, ref)


# ---------------------------------------------------------------- schedules as lr

SCHEDULES = {  # name: (schedule starting at lr0, its closed form)
    "inverse_time": (lambda lr0: sv.inverse_time(lr0, 0.1), lambda lr0, t: lr0 / (1 + 0.1 * t)),
    "exponential": (lambda lr0: sv.exponential(lr0, 0.95), lambda lr0, t: lr0 * 0.95 ** t),
    "step_decay": (lambda lr0: sv.step_decay(lr0, 0.5, 7), lambda lr0, t: lr0 * 0.5 ** (t // 7)),
    "lambda": (lambda lr0: (lambda t: lr0 / math.sqrt(1.0 + t)), lambda lr0, t: lr0 / math.sqrt(1.0 + t)),
}


@pytest.mark.parametrize("sched", list(SCHEDULES))
@pytest.mark.parametrize("rule", RULES)
def test_rule_with_a_schedule_matches_formula(rule, sched):
    """lr = a schedule: alpha_t = lr(t), t = 0, 1, 2, ..."""
    make, closed = SCHEDULES[sched]
    lr0 = HP[rule]["lr"]
    steps = 30
    ref = reference(rule, HP[rule], START, ros_grad_list, steps, lr_at=lambda t: closed(lr0, t))
    traj = sv.run(CLASSES[rule](**{**HP[rule], "lr": make(lr0)}), ROSENBROCK, start=START, steps=steps)
    assert_close(traj.points, ref)
    np.testing.assert_allclose(traj.lrs, [closed(lr0, t) for t in range(steps)], rtol=1e-12)


@pytest.mark.parametrize("rule", RULES)
def test_rule_with_a_library_schedule_on_a_50_vector(rule):
    lr0 = HP[rule]["lr"]
    opt = CLASSES[rule](**{**HP[rule], "lr": sv.inverse_time(lr0, 0.2)})
    steps = 20
    ref = reference(rule, HP[rule], P0_ND, nd_grad_list, steps, lr_at=lambda t: lr0 / (1 + 0.2 * t))
    assert_close(iterate(opt, P0_ND, nd_grad_np, steps), ref)


# ---------------------------------------------------------------- batches of hyperparameters

def settings(rule, idx):
    return {k: float(np.asarray(v)[idx]) for k, v in HP_BATCH[rule].items()}


@pytest.mark.parametrize("rule", RULES)
def test_batch_of_hyperparameters_equals_separate_runs(rule):
    steps = 30
    hp = {k: np.array(v) for k, v in HP_BATCH[rule].items()}
    traj = sv.run(CLASSES[rule](**hp), ROSENBROCK, start=START, steps=steps)
    assert traj.points.shape == (steps + 1, 3, 2)
    for i in range(3):
        one = settings(rule, i)
        single = sv.run(CLASSES[rule](**one), ROSENBROCK, start=START, steps=steps)
        np.testing.assert_allclose(traj.points[:, i], single.points, rtol=1e-13, atol=1e-15)
        assert_close(traj.points[:, i], reference(rule, one, START, ros_grad_list, steps))
        np.testing.assert_allclose(traj.lrs[:, i], one["lr"])


@pytest.mark.parametrize("rule", RULES)
def test_grid_of_hyperparameters_equals_separate_runs(rule):
    """lr of shape (2, 1) against the other hyperparameters of shape (3,): a (2, 3) sweep."""
    steps = 15
    hp = {k: np.array(v) for k, v in HP_BATCH[rule].items()}
    hp["lr"] = np.array([[HP_BATCH[rule]["lr"][0]], [HP_BATCH[rule]["lr"][1]]])
    if rule == "GD":
        hp["lr"] = np.array(HP_BATCH[rule]["lr"][:2])[:, None] * np.array([1.0, 0.5, 0.25])
    traj = sv.run(CLASSES[rule](**hp), ROSENBROCK, start=START, steps=steps)
    assert traj.points.shape == (steps + 1, 2, 3, 2)
    for i in range(2):
        for j in range(3):
            one = {k: float(np.broadcast_to(v, (2, 3))[i, j]) for k, v in hp.items()}
            assert_close(traj.points[:, i, j], reference(rule, one, START, ros_grad_list, steps))


@pytest.mark.parametrize("rule", RULES)
def test_batch_of_hyperparameters_and_starts_pair_up(rule):
    """start (3, 2) with hyperparameters (3,): run i uses start i and setting i."""
    steps = 15
    starts = np.array([[-1.2, 1.0], [0.5, -0.5], [1.5, 2.0]])
    hp = {k: np.array(v) for k, v in HP_BATCH[rule].items()}
    traj = sv.run(CLASSES[rule](**hp), ROSENBROCK, start=starts, steps=steps)
    assert traj.points.shape == (steps + 1, 3, 2)
    for i in range(3):
        assert_close(traj.points[:, i], reference(rule, settings(rule, i), starts[i], ros_grad_list, steps))


@pytest.mark.parametrize("rule", RULES)
def test_batch_of_hyperparameters_on_50_vectors(rule):
    """p of shape (3, 50), hyperparameters of shape (3,): row i is its own run with setting i."""
    steps = 12
    hp = {k: np.array(v) for k, v in HP_BATCH[rule].items()}
    p0 = np.stack([P0_ND, -P0_ND, 0.5 * P0_ND])
    got = iterate(CLASSES[rule](**hp), p0, nd_grad_np, steps)
    assert got.shape == (steps + 1, 3, N)
    for i in range(3):
        assert_close(got[:, i], reference(rule, settings(rule, i), p0[i], nd_grad_list, steps))


@pytest.mark.parametrize("rule", ["GD", "Momentum", "Adam"])
def test_schedule_with_array_hyperparameters_makes_a_batch(rule):
    lr0 = np.array(HP_BATCH[rule]["lr"])
    others = {k: v[1] for k, v in HP_BATCH[rule].items() if k != "lr"}
    steps = 20
    traj = sv.run(CLASSES[rule](lr=sv.inverse_time(lr0, 0.1), **others), ROSENBROCK, start=START, steps=steps)
    assert traj.points.shape == (steps + 1, 3, 2)
    for i in range(3):
        ref = reference(rule, {"lr": None, **others}, START, ros_grad_list, steps,
                        lr_at=lambda t, i=i: lr0[i] / (1 + 0.1 * t))
        assert_close(traj.points[:, i], ref)
        np.testing.assert_allclose(traj.lrs[:, i], lr0[i] / (1 + 0.1 * np.arange(steps)), rtol=1e-13)


# ---------------------------------------------------------------- special cases

@pytest.mark.parametrize("cls", [sv.Momentum, sv.Nesterov])
def test_zero_momentum_is_gradient_descent(cls):
    steps = 50
    for lr in (0.01, np.array([0.002, 0.01, 0.015])):
        a = sv.run(cls(lr=lr, momentum=0.0), ROSENBROCK, start=START, steps=steps).points
        b = sv.run(sv.GD(lr=lr), ROSENBROCK, start=START, steps=steps).points
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=0)
    ref = reference("GD", {"lr": 0.01}, P0_ND, nd_grad_list, 20)
    assert_close(iterate(cls(lr=0.01, momentum=0.0), P0_ND, nd_grad_np, 20), ref)


def test_momentum_and_nesterov_differ_when_momentum_is_positive():
    a = sv.run(sv.Momentum(lr=0.004, momentum=0.7), ROSENBROCK, start=START, steps=10).points
    b = sv.run(sv.Nesterov(lr=0.004, momentum=0.7), ROSENBROCK, start=START, steps=10).points
    assert np.abs(a[-1] - b[-1]).max() > 1e-6


def test_adam_with_beta1_zero():
    """beta1 = 0: m_hat = g, so p <- p - alpha g / (sqrt(s / (1 - beta2^k)) + eps)."""
    lr, b2, eps = 0.05, 0.9, 1e-3
    steps = 30
    p = np.array(START)
    s = np.zeros(2)
    ref = [p.copy()]
    for k in range(1, steps + 1):
        x, y = p
        g = np.array([-2 * (A_ROS - x) - 4 * B_ROS * x * (y - x * x), 2 * B_ROS * (y - x * x)])
        s = b2 * s + (1 - b2) * g * g
        p = p - lr * g / (np.sqrt(s / (1 - b2 ** k)) + eps)
        ref.append(p.copy())
    traj = sv.run(sv.Adam(lr=lr, beta1=0.0, beta2=b2, eps=eps), ROSENBROCK, start=START, steps=steps)
    assert_close(traj.points, np.array(ref))


@pytest.mark.parametrize("rule, first_step", [
    # closed forms of the first step from zero state, g = the gradient at the start
    ("GD", lambda g, hp: hp["lr"] * g),
    ("Momentum", lambda g, hp: hp["lr"] * g),
    ("Nesterov", lambda g, hp: hp["lr"] * g),
    ("Adagrad", lambda g, hp: hp["lr"] * g / (np.abs(g) + hp["eps"])),
    ("RMSprop", lambda g, hp: hp["lr"] * g / (np.sqrt(1 - hp["rho"]) * np.abs(g) + hp["eps"])),
    ("Adadelta", lambda g, hp: hp["lr"] * np.sqrt(hp["eps"]) * g / np.sqrt((1 - hp["rho"]) * g * g + hp["eps"])),
    ("Adam", lambda g, hp: hp["lr"] * g / (np.abs(g) + hp["eps"])),  # bias correction: m_hat = g, s_hat = g^2
])
def test_first_step_closed_form(rule, first_step):
    g0 = np.array(ros_grad_list(START))
    traj = sv.run(CLASSES[rule](**HP[rule]), ROSENBROCK, start=START, steps=1)
    np.testing.assert_allclose(traj.points[1], np.array(START) - first_step(g0, HP[rule]), rtol=1e-12)


@pytest.mark.parametrize("rule", RULES)
def test_init_state_and_repr(rule):
    opt = CLASSES[rule](**HP[rule])
    p = np.ones((4, 7))
    state = opt.init(p)
    for value in state.values():
        assert np.shape(value) == p.shape and not np.any(value)
    text = repr(opt)
    assert text.startswith(rule + "(") and "lr=" in text
    for k, v in HP[rule].items():
        assert f"{k}={v:g}" in text
    assert "array" in repr(CLASSES[rule](**{k: np.array(v) for k, v in HP_BATCH[rule].items()}))


def test_step_does_not_modify_its_inputs():
    for rule in RULES:
        opt = CLASSES[rule](**HP[rule])
        p = P0_ND.copy()
        state = opt.init(p)
        p1, state1 = opt.step(p, nd_grad_np, state, 0)
        np.testing.assert_array_equal(p, P0_ND)
        for value in state.values():
            assert not np.any(value)


# ---------------------------------------------------------------- make_optimizer

@pytest.mark.parametrize("name", RULES + ["gd", "ADAM", "rmsprop", "nesterov"])
def test_make_optimizer_by_name(name):
    opt = sv.make_optimizer(name, lr=0.05, momentum=0.5, rho=0.8, beta1=0.7, decay=3.0)
    cls = {r.lower(): CLASSES[r] for r in RULES}[name.lower()]
    assert type(opt) is cls
    assert opt.lr == 0.05
    for k, v in dict(momentum=0.5, rho=0.8, beta1=0.7).items():
        if k in cls.hyperparameter_names:
            assert getattr(opt, k) == v


@pytest.mark.parametrize("name", ["sgd", "adamw", "", "Momentum2"])
def test_make_optimizer_unknown_name(name):
    with pytest.raises(ValueError, match=r"optimizer.*GD"):
        sv.make_optimizer(name, lr=0.1)


@pytest.mark.parametrize("name", [None, 3, sv.GD])
def test_make_optimizer_name_must_be_a_string(name):
    with pytest.raises(TypeError, match="optimizer"):
        sv.make_optimizer(name, lr=0.1)


# ---------------------------------------------------------------- bad hyperparameters

@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("lr", [-0.1, 0.0, np.nan, np.inf, -np.inf, np.array([0.1, -0.1]), np.array([0.1, np.nan]),
                                [0.1, 0.0]], ids=repr)
def test_bad_lr_value(rule, lr):
    with pytest.raises(ValueError, match=r"\blr\b"):
        CLASSES[rule](lr=lr)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("lr", ["0.1", "fast", None, True, b"1"], ids=repr)
def test_bad_lr_type(rule, lr):
    with pytest.raises(TypeError, match=r"\blr\b"):
        CLASSES[rule](lr=lr)


@pytest.mark.parametrize("rule", RULES)
def test_bad_lr_schedule(rule):
    with pytest.raises(ValueError, match=r"\blr\b"):
        CLASSES[rule](lr=lambda t: -0.1)
    with pytest.raises(ValueError, match=r"\blr\b"):
        CLASSES[rule](lr=lambda t: float("nan"))
    with pytest.raises(ValueError, match=r"\blr\b.*step 0.*ZeroDivisionError") as e:
        CLASSES[rule](lr=lambda t: 1 / 0)
    assert isinstance(e.value.__cause__, ZeroDivisionError)


BAD_UNIT = [-0.1, 1.0, 1.5, np.nan, np.inf, np.array([0.5, 1.0])]


@pytest.mark.parametrize("rule, name", [("Momentum", "momentum"), ("Nesterov", "momentum"), ("RMSprop", "rho"),
                                        ("Adadelta", "rho"), ("Adam", "beta1"), ("Adam", "beta2")])
@pytest.mark.parametrize("value", BAD_UNIT, ids=repr)
def test_bad_unit_interval_hyperparameter(rule, name, value):
    with pytest.raises(ValueError, match=rf"\b{name}\b.*\[0, 1\)"):
        CLASSES[rule](lr=0.1, **{name: value})


@pytest.mark.parametrize("rule, name", [("Momentum", "momentum"), ("RMSprop", "rho"), ("Adam", "beta1"),
                                        ("Adam", "beta2")])
def test_unit_interval_hyperparameter_type(rule, name):
    with pytest.raises(TypeError, match=rf"\b{name}\b"):
        CLASSES[rule](lr=0.1, **{name: "0.9"})


@pytest.mark.parametrize("rule", ["Adagrad", "RMSprop", "Adadelta", "Adam"])
@pytest.mark.parametrize("eps", [0.0, -1e-8, np.nan, np.inf], ids=repr)
def test_bad_eps(rule, eps):
    with pytest.raises(ValueError, match=r"\beps\b"):
        CLASSES[rule](lr=0.1, eps=eps)


@pytest.mark.parametrize("rule, name, value", [("Momentum", "momentum", 0.0), ("Momentum", "momentum", 0.999),
                                               ("RMSprop", "rho", 0.0), ("Adam", "beta1", 0.0),
                                               ("Adam", "beta2", 0.0)])
def test_edges_of_the_unit_interval_are_accepted(rule, name, value):
    assert getattr(CLASSES[rule](lr=0.1, **{name: value}), name) == value


def test_gd_needs_an_lr():
    with pytest.raises(TypeError):
        sv.GD()


# ---------------------------------------------------------------- every rule reaches Rosenbrock's minimum

REACH = {  # (hyperparameters, steps): each stays within 5e-4 of (1, 1) well before the last step
    "GD": (dict(lr=1.8e-3), 12000),  # below 2 / lambda_max = 2 / 1001.6 of the Hessian at the minimum
    "Momentum": (dict(lr=1e-3, momentum=0.9), 3000),
    "Nesterov": (dict(lr=1e-3, momentum=0.9), 3000),
    "Adagrad": (dict(lr=0.7), 10000),
    "RMSprop": (dict(lr=sv.exponential(0.02, 0.999)), 7500),  # a constant step leaves a ~lr-sized jitter
    "Adadelta": (dict(lr=sv.exponential(1.0, 0.9995)), 9000),
    "Adam": (dict(lr=0.03), 3500),
}


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_reaches_the_rosenbrock_minimum(rule):
    hp, steps = REACH[rule]
    traj = sv.run(CLASSES[rule](**hp), sv.Rosenbrock(), start=(-1.2, 1.0), steps=steps)
    assert not traj.diverged
    assert np.linalg.norm(traj.points[-1] - [1.0, 1.0]) < 1e-3
    assert traj.losses[-1] < 1e-5
