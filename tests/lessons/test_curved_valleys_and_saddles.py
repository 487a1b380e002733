"""Lesson 03 (03_curved_valleys_and_saddles.ipynb): its self-checks accept right answers, name typical mistakes, never raise."""
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)

from .answers import MORE_JUNK, verdict


def test_local_limit_accepts_two_over_largest_eigenvalue(capsys):
    r = sv.Rosenbrock()
    lam = np.linalg.eigvalsh(r.hessian([1.0, 1.0]))[-1]
    verdict(capsys, checks.check_local_limit(2 / lam, r, (1.0, 1.0)), True)
    verdict(capsys, checks.check_local_limit(0.001997, r, (1.0, 1.0)), True)  # rounded is fine
    start_limit = 2 / np.linalg.eigvalsh(r.hessian([-1.2, 1.0]))[-1]
    verdict(capsys, checks.check_local_limit(start_limit, r, (-1.2, 1.0)), True)


@pytest.mark.parametrize("wrong, hint", [
    (1 / 1001.6006, "1 / lambda_max"),  # 1/lambda_max
    (2 / 0.3994, "smallest eigenvalue"),  # 2/lambda_min
    (2 / 802, "diagonal entry"),  # 2 / H[0, 0]
    (2 / 200, "diagonal entry"),  # 2 / H[1, 1]
    (0.05, "largest eigenvalue"),
])
def test_local_limit_rejects_wrong_answers_with_a_hint(capsys, wrong, hint):
    out = verdict(capsys, checks.check_local_limit(wrong, sv.Rosenbrock(), (1.0, 1.0)), False)
    assert hint in out


@pytest.mark.parametrize("junk", MORE_JUNK)
def test_local_limit_junk_prints_a_hint(capsys, junk):
    out = verdict(capsys, checks.check_local_limit(junk, sv.Rosenbrock(), (1.0, 1.0)), False)
    assert "number" in out


def test_local_limit_bad_surface_or_point_does_not_raise(capsys):
    verdict(capsys, checks.check_local_limit(0.002, "not a surface", (1.0, 1.0)), False)
    verdict(capsys, checks.check_local_limit(0.002, sv.Rosenbrock(), "here"), False)


def test_local_limit_on_bowl_is_two_over_L(capsys):
    bowl = sv.QuadraticBowl((1.0, 10.0), angle=30)
    verdict(capsys, checks.check_local_limit(0.2, bowl, (0.3, -0.4)), True)
    verdict(capsys, checks.check_local_limit(2.0, bowl, (0.3, -0.4)), False)


def test_escape_steps_accepts_log_ratio_over_log_growth(capsys):
    k = np.log(0.5 / 1e-4) / np.log(1.1)
    verdict(capsys, checks.check_escape_steps(k, lr=0.1, offset=1e-4, threshold=0.5), True)
    verdict(capsys, checks.check_escape_steps(89, lr=0.1, offset=1e-4, threshold=0.5), True)
    verdict(capsys, checks.check_escape_steps(int(np.ceil(k)), lr=0.1, offset=1e-4), True)


def test_escape_steps_matches_a_real_gd_run():
    """The linear prediction is what GD on the saddle does, to within a few steps."""
    tr = sv.run(sv.GD(lr=0.1), sv.Saddle(), start=[1.8, 1e-4], steps=200)
    first = int(np.argmax(np.abs(tr.points[:, 1]) >= 0.5))
    assert abs(first - np.log(0.5 / 1e-4) / np.log(1.1)) < 4


@pytest.mark.parametrize("wrong", [10, 1 / 0.1, 50, 200, -89, 0])
def test_escape_steps_rejects_wrong(capsys, wrong):
    verdict(capsys, checks.check_escape_steps(wrong, lr=0.1, offset=1e-4, threshold=0.5), False)


def test_escape_steps_hint_for_one_over_alpha(capsys):
    out = verdict(capsys, checks.check_escape_steps(10, lr=0.1, offset=1e-4), False)
    assert "1 / alpha" in out


@pytest.mark.parametrize("junk", MORE_JUNK)
def test_escape_steps_junk(capsys, junk):
    verdict(capsys, checks.check_escape_steps(junk, lr=0.1, offset=1e-4), False)


def test_escape_steps_bad_parameters_do_not_raise(capsys):
    verdict(capsys, checks.check_escape_steps(89, lr="x", offset=1e-4), False)
    verdict(capsys, checks.check_escape_steps(89, lr=0.1, offset=0.0), False)
