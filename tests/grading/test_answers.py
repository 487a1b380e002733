"""The questions are right: every model answer (run from the source's solution cells) agrees with a computation
in stepviz that does not use the formula the solution uses (runs, bisections of the stable step, finite-difference
Hessians, counted gradient calls), and the numbers the written model answers state are recomputed."""
from __future__ import annotations

import numpy as np
import pytest

import stepviz as sv
from assignments import samples
from stepviz.analysis import quadratic as theory
from stepviz.analysis.parabola import iterates, parabola

from .conftest import NAMES, grader, problem_set, release


def _solution(name: str) -> dict:
    g = grader(name)
    solution = next(s for s in samples.samples(problem_set(name)) if s.name == "solution")
    results = g.grade(solution.notebook(release(name)))
    assert all(r.ok for r in results.values()), {k: r.output for k, r in results.items() if not r.ok}
    return g.namespace


@pytest.fixture(scope="module")
def answers():
    return {name[:3]: _solution(name) for name in NAMES}


def _stable(optimizer, problem, steps=3000, start=None) -> bool:
    traj = sv.run(optimizer, problem, start=start, steps=steps)
    return not traj.diverged and traj.losses[-1] < traj.losses[0]


def _fd_hessian(grad, p, h=1e-5):
    p = np.asarray(p, dtype=float)
    cols = [(grad(p + h * e) - grad(p - h * e)) / (2 * h) for e in np.eye(p.size)]
    H = np.array(cols).T
    return (H + H.T) / 2


def test_ps1(answers):
    a = answers["ps1"]
    assert a["my_theta4"] == pytest.approx(iterates(3.0, 0.5, theta0=2.0, steps=4)[-1], abs=1e-12)
    curve = parabola(5.0)  # J = 2.5 theta^2
    assert _stable(sv.GD(0.999 * a["my_limit"]), curve) and not _stable(sv.GD(1.001 * a["my_limit"]), curve)
    bowl = sv.QuadraticBowl((4.0, 30.0))
    assert a["my_converges"] == (sv.run(sv.GD(0.065), bowl, steps=3000).losses[-1] < 1e-12)
    lam = np.linalg.eigvalsh(_fd_hessian(sv.Rosenbrock().grad, (0.5, 0.5)))
    assert a["my_local_limit"] == pytest.approx(2 / lam[-1], rel=1e-6)
    run = sv.run(sv.GD(0.05), sv.Saddle(), start=(0.0, 1e-3), steps=400)
    measured = int(np.argmax(np.abs(run.points[:, 1]) >= 0.5))  # the quartic term slows the last steps a little
    assert a["my_escape_steps"] == pytest.approx(measured, rel=0.1)


def test_ps2(answers):
    a = answers["ps2"]
    calls = []
    bowl = sv.QuadraticBowl((1.0, 10.0))

    def counted(p):
        calls.append(np.asarray(p).size // 2)
        return bowl.grad(p)

    counting = sv.Surface.from_function(bowl.value, grad=counted, bounds=bowl.bounds)
    calls.clear()  # (from_function tries the gradient once)
    for grid in (np.geomspace(1e-3, 1.0, 20), np.linspace(0.05, 0.15, 6), np.linspace(0.08, 0.12, 6)):
        sv.run(sv.GD(lr=grid), counting, start=(1.0, 1.0), steps=150)
    assert a["my_cost"] == sum(calls) == 4800

    def stays_from(losses, tol=1e-6):
        above = np.nonzero(~(losses <= tol))[0]
        return 0 if above.size == 0 else (-1 if above[-1] == losses.size - 1 else above[-1] + 1)

    reached = {name: stays_from(sv.run(sv.GD(lr=s), bowl, steps=200).losses) for name, s in a["schedules"].items()}
    assert a["my_schedule"] == min((k, n) for n, k in reached.items() if k >= 0)[1] == "exponential"
    per_epoch, decay = a["my_epoch"]
    assert per_epoch == len(range(0, 12_000, 60))
    for e in range(5):
        assert sv.inverse_time(1.0, decay)(e * per_epoch) == pytest.approx(sv.inverse_time(1.0, 0.3)(e), rel=1e-12)


def test_ps3(answers):
    a = answers["ps3"]
    assert a["my_stable"] == _stable(sv.Momentum(0.045, momentum=0.75), sv.QuadraticBowl((2.0, 80.0)))
    bowl = sv.QuadraticBowl((9.0, 100.0))
    alpha, gamma = a["my_pair"]
    # the numerical spectral radius is smallest at the pair, on a grid around it ...
    A, G = np.meshgrid(alpha * np.linspace(0.9, 1.1, 41), gamma * np.linspace(0.9, 1.1, 41), indexing="ij")
    rates = theory.momentum_rate(bowl, A, G)
    assert np.unravel_index(np.argmin(rates), rates.shape) == (20, 20)
    # ... and a run there shrinks the error by about sqrt(gamma) per step
    losses = sv.run(sv.Momentum(alpha, momentum=gamma), bowl, steps=200).losses
    assert np.sqrt((losses[200] / losses[100]) ** (1 / 100)) == pytest.approx(np.sqrt(gamma), rel=0.02)
    limit, nag_bowl = a["my_nesterov_limit"], sv.QuadraticBowl((1.0, 40.0))
    assert _stable(sv.Nesterov(0.99 * limit, momentum=0.8), nag_bowl)
    assert not _stable(sv.Nesterov(1.01 * limit, momentum=0.8), nag_bowl)


def test_ps4(answers):
    a = answers["ps4"]
    rosen = sv.Rosenbrock()
    run = sv.run(sv.RMSprop(0.02, rho=0.9, eps=1e-8), rosen, start=(0.0, 0.5), steps=1)
    assert np.allclose(a["my_rmsprop_theta1"], run.points[1], rtol=0, atol=1e-12)
    run = sv.run(sv.Adam(0.05, beta1=0.9, beta2=0.999, eps=1e-8), rosen, start=(0.5, 0.0), steps=1)
    assert np.allclose(a["my_adam_theta1"], run.points[1], rtol=0, atol=1e-12)
    bowl = sv.QuadraticBowl((1.0, 50.0))
    run = sv.run(sv.Adadelta(eps=1e-6, rho=0.95), bowl, start=(-1.5, 1.0), steps=1)
    assert np.abs(run.points[1] - run.points[0]) == pytest.approx(np.full(2, a["my_adadelta_step"]), rel=1e-5)


def test_ps5(answers):
    a = answers["ps5"]
    data = sv.LeastSquares.synthetic(n=400, seed=0)
    p_star, rng = data.minima[0], np.random.default_rng(0)

    def spread(b, draws=4000):
        batches = np.array([rng.choice(400, b, replace=False) for _ in range(draws)])
        return np.var(data.grad_on(np.broadcast_to(p_star, (draws, 2)), batches), axis=0).sum()

    assert a["my_factor"] == pytest.approx(spread(20) / spread(5), rel=0.1)
    loss, trained = a["loss"], a["trained"]
    lam = np.linalg.eigvalsh(_fd_hessian(loss.grad, trained))[-1]
    assert a["my_network_limit"] == pytest.approx(2 / lam, rel=1e-3)
    run = sv.run(sv.Momentum(a["my_momentum_lr"], momentum=0.9), loss, steps=300)
    assert not run.diverged and run.losses[-1] < 0.5 * run.losses[0]


def test_the_numbers_of_the_written_model_answers():
    rosen = sv.Rosenbrock()
    at_min = np.linalg.eigvalsh(rosen.hessian(np.array([1.0, 1.0])))[-1]
    assert at_min == pytest.approx(1001.6, abs=0.05) and 2 / at_min == pytest.approx(0.001997, abs=5e-7)
    assert -1.01 < 1 - 0.002 * at_min < -1                                   # "just below -1"
    ratio = theory.local_lr_limit(rosen, np.array([0.5, 0.5])) / (2 / at_min)
    assert 2.5 < ratio < 3                                                   # "almost three times larger"
    bowl = sv.QuadraticBowl((1.0, 50.0), angle=30.0)                         # notebook 06's bowl
    assert (1 - np.sqrt(0.02 * 1.0)) ** 2 == pytest.approx(0.737, abs=5e-4)
    assert theory.momentum_rate(bowl, 0.02, 0.95) == pytest.approx(np.sqrt(0.95)) == pytest.approx(0.975, abs=5e-4)
    assert theory.momentum_rate(bowl, 0.02, 0.7) == pytest.approx(0.915, abs=5e-4)
    text = {name[:3]: "\n".join(c.source for c in problem_set(name).notebook.cells) for name in NAMES}
    for stated in ("1001.6", "0.001997", "almost three times larger", "just\nbelow $-1$"):
        assert stated in text["ps1"], stated
    for stated in ("\\approx 0.737", "\\approx 0.975", "about $0.915$"):
        assert stated in text["ps3"], stated
