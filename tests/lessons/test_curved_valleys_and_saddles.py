"""Lesson 03 (03_curved_valleys_and_saddles.ipynb): its self-checks accept right answers, name typical mistakes, never
raise; every number its prose states is recomputed."""
import inspect
import re
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)
from stepviz.lessons import curved_valleys_and_saddles as lesson

from .prose import NUM, TEX, agrees, call_arguments, cells, markdown, stated, to_number, written
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


# --- claims of the notebook's prose, recomputed (issue 10: claims are tests) -----------------------------


NB = "03_curved_valleys_and_saddles"
ROSEN = sv.Rosenbrock()


@lru_cache(maxsize=None)
def rosen_run(lr, steps=2000, start=None):
    return sv.run(sv.GD(lr=lr), ROSEN, start=start, steps=steps)


def limit_at(point):
    return sv.theory.local_lr_limit(ROSEN, point)


def test_eigenvalue_ratios_at_start_and_minimum():
    start = np.linalg.eigvalsh(ROSEN.hessian((-1.2, 1.0)))
    minimum = np.linalg.eigvalsh(ROSEN.hessian((1.0, 1.0)))
    assert agrees(written(NB, rf"factor of ({NUM}) at the start"), start[1] / start[0])
    said = stated(NB, rf"of about ({NUM}) at the minimum")
    assert said == float(f"{minimum[1] / minimum[0]:.2g}")  # "about": to two digits


def test_think_local_limits_and_the_bounces_of_the_best_step():
    assert agrees(written(NB, rf"allows about \$\\alpha = ({NUM})\$"), limit_at((-1.2, 1.0)))
    assert agrees(written(NB, rf"near \$\(0, 0\)\$ about \$({NUM})\$"), limit_at((0.0, 0.0)))
    assert agrees(written(NB, rf"the minimum \$\(1, 1\)\$\s+about \$({NUM})\$"), limit_at((1.0, 1.0)))
    assert stated(NB, rf"\$\\alpha = ({NUM})\$ is above the start's limit") == lesson.ROSENBROCK_BEST_LR
    tr = rosen_run(lesson.ROSENBROCK_BEST_LR, 10_000)
    over = np.nonzero(lesson.ROSENBROCK_BEST_LR > sv.analysis.local_limits(tr))[0]
    said = [int(x) for x in re.search(r"start's limit at steps ([\d, and]+?), and converges", prose_text()).group(1)
            .replace("and", ",").split(",") if x.strip()]
    assert over.tolist() == said
    assert tr.gap()[-1] < 1e-7  # "and converges"


def prose_text():
    return markdown(NB)


def test_best_constant_step_sits_below_the_limit_at_the_minimum():
    limit = limit_at((1.0, 1.0))
    assert lesson.ROSENBROCK_BEST_LR < limit < lesson.NEAR_LIMIT_LRS[1]
    assert lesson.ROSENBROCK_LRS[1] == lesson.NEAR_LIMIT_LRS[0] == lesson.ROSENBROCK_BEST_LR
    assert 0.94 < lesson.ROSENBROCK_BEST_LR / limit < 0.96  # "a 5 % margin"


def test_three_constant_steps():
    small, best, big = (rosen_run(lr) for lr in lesson.ROSENBROCK_LRS)
    assert stated(NB, rf"With \$\\alpha = ({NUM})\$ the path drops") == lesson.ROSENBROCK_LRS[0]
    assert agrees(written(NB, rf"falls from ({NUM}) to"), small.gap()[0])
    assert agrees(written(NB, rf"falls from {NUM} to ({NUM}) in five steps"), small.gap()[5])
    assert small.gap()[50] > 0.98 * small.gap()[5]  # "then crawls"
    assert agrees(written(NB, rf"crawls along the floor: \$J - J\^\* = ({NUM})\$ after 2,000"), small.gap()[-1])
    assert stated(NB, rf"With \$\\alpha = ({NUM})\$, just below the local limit") == lesson.ROSENBROCK_BEST_LR
    assert agrees(written(NB, rf"just below the local limit at the minimum \(({NUM})"), limit_at((1.0, 1.0)))
    lam_min = np.linalg.eigvalsh(ROSEN.hessian((1.0, 1.0)))[0]
    assert agrees(written(NB, rf"the curvature is tiny \(about \$({NUM})\$"), lam_min)
    assert agrees(written(NB, rf"\\approx ({NUM})\$ per step"), 1 - best.optimizer.lr * lam_min)
    assert agrees(written(NB, rf"\$J - J\^\* = ({NUM})\$ after 2,000 steps; "), best.gap()[-1])
    long = rosen_run(lesson.ROSENBROCK_BEST_LR, 10_000)
    k = stated(NB, rf"it stays below \$10\^{{-6}}\$ only from step ({NUM}) on")
    assert k == long.steps_to(1e-6) and np.all(long.gap()[int(k):] <= 1e-6) and long.gap()[int(k) - 1] > 1e-6
    end = big.points[-1]
    assert agrees(written(NB, rf"it ends near \$\(({NUM}), {NUM}\)\$"), end[0])
    assert agrees(written(NB, rf"it ends near \$\({NUM}, ({NUM})\)\$"), end[1])
    lim = sv.analysis.local_limits(big)
    assert agrees(written(NB, rf"where the local limit is about \$({NUM})\$"), np.median(lim[-500:]))
    assert np.mean(lesson.ROSENBROCK_LRS[2] > lim[1000:]) > 0.3  # it keeps bouncing above the limit


def test_just_above_the_limit_at_the_minimum():
    near = sv.run(sv.GD(lr=np.array(lesson.NEAR_LIMIT_LRS)), ROSEN, steps=lesson.NEAR_LIMIT_STEPS)
    g = near.gap()
    limit = limit_at((1.0, 1.0))
    lam_max = np.linalg.eigvalsh(ROSEN.hessian((1.0, 1.0)))[-1]
    said = written(NB, rf"The local limit at \$\(1, 1\)\$ is \$({NUM})\$")
    assert agrees(said, limit) and len(said.replace("0.", "", 1).lstrip("0")) >= 4  # 0.001997, not 0.002: the point
    assert agrees(written(NB, rf"is ({NUM}) % above it"), 100 * (lesson.NEAR_LIMIT_LRS[1] / limit - 1))
    assert stated(NB, rf"({NUM}) steps\s+of both") == lesson.NEAR_LIMIT_STEPS
    ahead = np.nonzero(g[16:, 0] < g[16:, 1])[0]
    assert ahead[0] + 16 > 14_000  # "even slightly ahead" for a long time
    assert agrees(written(NB, rf"after 5,000 steps \$J - J\^\* = ({TEX})\$"), g[5000, 1])
    assert agrees(written(NB, rf"\$\s+against \$({TEX})\$\)"), g[5000, 0])
    assert agrees(written(NB, rf"1 - 0.002 \\cdot 1001.6 = ({NUM})\$"), 1 - lesson.NEAR_LIMIT_LRS[1] * lam_max)
    assert agrees(written(NB, rf"goes on to \$({TEX})\$"), g[-1, 0])
    assert agrees(written(NB, rf"gets down to \$({TEX})\$ at step"), g[:, 1].min())
    assert stated(NB, rf"at step ({NUM})\s+and then climbs") == np.argmin(g[:, 1])
    assert agrees(written(NB, rf"climbs back to \$({TEX})\$"), g[-1, 1])


def test_explorer_try_this_answers():
    low, high = stated(NB, rf"Raise \$\\alpha\$ slowly from \$({NUM})\$ to"), stated(NB, rf"slowly from \${NUM}\$ to \$({NUM})\$\.")
    steps = call_arguments(NB, "local_limit_explorer")["steps"]
    upto = stated(NB, rf"Up to \$\\alpha \\approx ({NUM})\$ only the first iterates")
    for lr in np.linspace(low, upto, 7):
        over = np.nonzero(lr > sv.analysis.local_limits(rosen_run(float(lr), steps)))[0]
        assert np.all(over < 20)  # "only the first iterates lie above the curve"
    over = np.nonzero(upto * 1.1 > sv.analysis.local_limits(rosen_run(upto * 1.1, steps)))[0]
    assert over.max() > 20  # and just above it, no longer
    assert stated(NB, rf"At \$\\alpha = ({NUM})\$ it first crosses") == high
    tr = rosen_run(high, steps)
    above = high > sv.analysis.local_limits(tr)
    first = np.nonzero(above)[0][np.nonzero(above)[0] > 20][0]
    assert stated(NB, rf"first crosses the curve near step ({NUM})") == first
    assert agrees(written(NB, rf"near step {NUM}, around \$\(({NUM}), {NUM}\)"), tr.points[first, 0])
    assert agrees(written(NB, rf"near step {NUM}, around \$\({NUM}, ({NUM})\)"), tr.points[first, 1])
    assert 0.5 < above[first:].mean() < 1 and not above[first:].all()  # "above the curve at most steps", not for good
    d = tr.distance_to_minimum()[first:]
    assert agrees(written(NB, rf"between ({NUM}) and {NUM} away from"), d.min())
    assert agrees(written(NB, rf"between {NUM} and ({NUM}) away from"), d.max())
    assert d.min() > tr.distance_to_minimum()[first] * 0.7  # "gets no closer" (than about where it crossed)
    big = stated(NB, rf"Set \$\\alpha = ({NUM})\$: the run diverges at once")
    assert agrees(written(NB, rf"at the start the local limit is only \$({NUM})\$"), limit_at(tuple(ROSEN.start)))
    assert stated(NB, rf"It diverges at step ({NUM})") == rosen_run(big, 100).diverged_at
    lr5, steps5 = stated(NB, rf"With \$\\alpha \\approx ({NUM})\$ and {NUM} steps"), stated(NB, rf"and ({NUM}) steps, how close")
    five = rosen_run(lr5, int(steps5))
    assert agrees(written(NB, rf"To \$\(({NUM}), {NUM}\)\$"), five.points[-1, 0])
    assert agrees(written(NB, rf"To \$\({NUM}, ({NUM})\)\$"), five.points[-1, 1])
    assert agrees(written(NB, rf"a distance of ({NUM}) from the minimum"), five.distance_to_minimum()[-1])
    assert agrees(written(NB, rf"from the minimum, with \$J - J\^\* = ({TEX})\$"), five.gap()[-1])


def test_local_limit_solution():
    H = ROSEN.hessian((1.0, 1.0))
    assert np.allclose(H, [[802, -400], [-400, 200]])
    assert agrees(written(NB, rf"\\lambda_{{\\max}} \\approx ({NUM})\$, gives"), np.linalg.eigvalsh(H)[-1])
    assert agrees(written(NB, rf"gives \$2/\\lambda_{{\\max}} \\approx ({NUM})\$"), limit_at((1.0, 1.0)))


SADDLE = sv.Saddle()


def escape_step(tr, threshold=0.5):
    y = np.abs(tr.points[..., 1])
    return np.where((y >= threshold).any(axis=0), np.argmax(y >= threshold, axis=0), -1)


def test_saddle_figure_and_escape_times():
    tr = sv.run(sv.GD(lr=0.1), SADDLE, start=np.array(lesson.SADDLE_STARTS), steps=200)
    assert np.all(tr.points[:, 0, 1] == 0.0)  # "theta_2 = 0 at every step"
    assert np.linalg.norm(tr.points[-1, 0]) < 1e-6  # "the path stops at the saddle point"
    fig, ax = plt.subplots()
    arts = sv.viz.plot_escape(tr, ax, labels=lesson.SADDLE_LABELS)
    assert np.all(arts["lines"][0].get_ydata() == 0.0) and ax.get_yscale() == "symlog"  # "drawn at 0"
    plt.close(fig)
    k = escape_step(tr)
    for run, step in ((1, k[1]), (2, k[2])):  # once out, they stay out: an escape, not a lucky excursion
        assert np.all(np.abs(tr.points[step:, run, 1]) >= 0.5)
    said = stated(NB, rf"differ only by \$.*?\\approx ({NUM})\$ steps")
    assert abs((k[1] - k[2]) - said) <= 2 and agrees(f"{said:g}", np.log(1e4) / np.log(1.1))
    m = re.search(rf"the linear prediction is ({NUM}) steps at \$\\alpha = 0.05\$, ({NUM}) at \$0.1\$ and ({NUM}) at\s+\$0.3\$",
                  prose_text())
    assert m, "the escape-speed sentence changed"
    for text, value in zip(m.groups(), sv.analysis.escape_steps(np.array([0.05, 0.1, 0.3]), 1e-3)):
        assert agrees(text, value)
    H = SADDLE.hessian((0.0, 1.0))
    assert np.allclose(H, np.diag([1.0, 2.0])) and stated(NB, rf"the local limit is \$2/2 = ({NUM})\$") == 2 / H[1, 1]


def test_saddle_try_this_answers():
    on_line = sv.run(sv.GD(lr=0.1), SADDLE, start=[1.8, 0.0], steps=150)
    assert np.linalg.norm(on_line.points[-1]) < 1e-6 and abs(on_line.losses[-1]) < 1e-12  # "(0, 0), with loss 0"
    assert stated(NB, rf"the minima have \$({NUM})\$") == SADDLE.f_min
    assert stated(NB, rf"About ({NUM}) steps, against") == round(float(sv.analysis.escape_steps(0.1, 1e-8)))
    assert stated(NB, rf"against ({NUM}) for \$10\^{{-2}}\$") == round(float(sv.analysis.escape_steps(0.1, 1e-2)))
    assert stated(NB, rf"\\approx ({NUM})\$ steps more") == round(np.log(1e6) / np.log(1.1))
    neutral = sv.run(sv.GD(lr=1.0), SADDLE, start=[1.8, 1e-3], steps=150).points[-10:, 1]
    assert agrees(written(NB, rf"still bounces between ({NUM}) and"), neutral.min())
    assert agrees(written(NB, rf"still bounces between {NUM} and ({NUM})"), neutral.max())
    cycle = sv.run(sv.GD(lr=1.2), SADDLE, start=[1.8, 1e-3], steps=150)
    assert agrees(written(NB, rf"a bounce between ({NUM}) and"), cycle.points[-10:, 1].min())
    assert agrees(written(NB, rf"a bounce between {NUM} and ({NUM})"), cycle.points[-10:, 1].max())
    assert agrees(written(NB, rf"the loss alternating between \$({NUM})\$"), cycle.losses[-10:].min())
    assert agrees(written(NB, rf"the loss alternating between \${NUM}\$ and \$({NUM})\$"), cycle.losses[-10:].max())


def test_escape_self_check_solution():
    assert agrees(written(NB, rf"\\log\(5000\)/\\log\(1.1\) \\approx ({NUM})\$ steps"), np.log(5000) / np.log(1.1))


def test_local_limit_message_divides_by_lambda_max_not_the_trace(capsys):
    """Issue 10 item 9: the verdict printed '2 / 1002' (1002 is the Hessian's trace; lambda_max is 1001.6)."""
    out = verdict(capsys, checks.check_local_limit(0.001997, ROSEN, (1.0, 1.0)), True)
    assert "2 / 1001.6 =" in out and "1002" not in out


def test_inputs_the_prose_names_are_the_lesson_presets_and_the_checks_arguments():
    m = re.search(rf"Three constant step sizes, ({NUM}) steps each:\s+- With \$\\alpha = ({NUM})\$.*?- With \$\\alpha = ({NUM})\$, just"
                  rf".*?- With \$\\alpha = ({NUM})\$ the path never", markdown(NB), re.S)
    assert m and to_number(m.group(1)) == 2000 and "lrs=lesson.ROSENBROCK_LRS, steps=2000" in "".join(cells(NB, "code"))
    assert tuple(to_number(t) for t in m.groups()[1:]) == lesson.ROSENBROCK_LRS
    assert stated(NB, rf"\$\\alpha = ({NUM})\$ is 0.2 % above it") == lesson.NEAR_LIMIT_LRS[1]
    assert stated(NB, rf"is 0.2 % above it\. ({NUM}) steps") == lesson.NEAR_LIMIT_STEPS
    assert tuple(ROSEN.start) == (stated(NB, rf"The start \$\(({NUM}), 1\)\$ allows"), 1.0)
    m = re.search(rf"\\begin\{{pmatrix\}} ({NUM}) & ({NUM}) \\\\ ({NUM}) & ({NUM}) \\end\{{pmatrix\}}\$\. It is not diagonal",
                  markdown(NB))
    assert m and np.allclose([to_number(t) for t in m.groups()], ROSEN.hessian((1.0, 1.0)).ravel())
    esc = call_arguments(NB, "check_escape_steps")
    m = re.search(rf"Starting \$10\^{{(-\d+)}}\$ off the stable line with \$\\alpha = ({NUM})\$.*?until \$\|y\|\$ reaches \$({NUM})\$",
                  markdown(NB), re.S)
    assert m and (10.0 ** int(m.group(1)), to_number(m.group(2)), to_number(m.group(3))) == \
        (esc["offset"], esc["lr"], esc["threshold"])
    starts = np.array(lesson.SADDLE_STARTS)
    assert stated(NB, rf"Three starts with the same \$\\alpha = ({NUM})\$") == 0.1 and np.all(starts[:, 0] == 1.8)
    assert list(starts[:, 1]) == [0.0, 1e-6, 1e-2] and "on the line, $10^{-6}$ off it and $10^{-2}$ off it" in markdown(NB)


# --- issue 21: the remaining numbers of the prose, read and recomputed ------------------------------------------

from .prose import TEX  # noqa: E402


def _pairs(pattern):
    return [(to_number(a), to_number(b)) for a, b in re.findall(pattern, markdown(NB))]


def test_every_point_named_as_rosenbrocks_minimum_is_its_minimum():
    minimum = tuple(ROSEN.minima[0])
    said = _pairs(rf"(?:minimum (?:at )?|Hessian at |path get to |at the minimum |away from )\$\(({NUM}), ({NUM})\)\$")
    assert len(said) >= 4 and all(p == minimum for p in said), said
    call = re.search(rf"rosen\.hessian\(\(({NUM}), ({NUM})\)\)", markdown(NB))
    assert (to_number(call.group(1)), to_number(call.group(2))) == minimum


def test_local_limit_solution_code_runs_and_its_comments_are_its_results():
    code = re.search(r"```python\n(lam = np\.linalg.*?)```", markdown(NB), re.S).group(1)
    space = {"np": np, "rosen": ROSEN}
    exec(code, space)
    assert space["my_local_limit"] == pytest.approx(limit_at(tuple(ROSEN.minima[0])))
    low, high = (to_number(t) for t in re.search(rf"# \[({NUM})\.\.\., ({NUM})\.\.\.\]", code).groups())
    lam = np.linalg.eigvalsh(ROSEN.hessian(ROSEN.minima[0]))
    assert str(lam[0]).startswith(f"{low:g}") and str(lam[1]).startswith(f"{high:g}")
    assert agrees(re.search(rf"# ({NUM})\s*$", code).group(1), space["my_local_limit"])
    m = re.search(rf"\\begin\{{pmatrix\}} ({NUM}) & ({NUM}) \\\\ ({NUM}) & ({NUM}) \\end\{{pmatrix\}}", markdown(NB))
    assert np.allclose(np.array([to_number(g) for g in m.groups()]).reshape(2, 2), ROSEN.hessian(ROSEN.minima[0]))
    above, below = stated(NB, rf"That is why \$\\alpha = ({NUM})\$, just above it"), stated(NB, rf"minimum while \$({NUM})\$ does")
    assert (below, above) == tuple(lesson.NEAR_LIMIT_LRS) and below < space["my_local_limit"] < above
    assert agrees(written(NB, rf"\\lambda_{{\\min}} \\approx ({NUM})\$, is why"), lam[0])


def test_near_limit_runs_the_prose_names():
    a, b = stated(NB, rf"and \$\\alpha = ({NUM})\$ is even slightly ahead"), stated(NB, rf"\$\\alpha = ({NUM})\$ goes on to")
    c = stated(NB, rf"\$\\alpha = ({NUM})\$ gets down to")
    assert (b, a) == tuple(lesson.NEAR_LIMIT_LRS) and a == c
    assert stated(NB, rf"it bounces and can stall there: \$\\alpha = ({NUM})\$ below") == lesson.ROSENBROCK_LRS[-1]


def test_saddle_facts_the_prose_states():
    text = markdown(NB)
    m = re.search(rf"saddle point at the origin \(Hessian \$\\mathrm\{{diag\}}\(({NUM}), ({NUM})\)\$\) and two minima at "
                  rf"\$\(({NUM}), \\pm ({NUM})\)\$", text)
    assert m, "the saddle's sentence changed"
    d1, d2, mx, my = map(to_number, m.groups())
    assert np.allclose(SADDLE.hessian((0.0, 0.0)), np.diag([d1, d2]))
    assert sorted(map(tuple, np.asarray(SADDLE.minima).tolist())) == [(mx, -my), (mx, my)]
    line = stated(NB, rf"On the \*\*stable line\*\* \$y = ({NUM})\$")
    tr = sv.run(sv.GD(lr=0.1), SADDLE, start=np.array(lesson.SADDLE_STARTS), steps=200)
    assert lesson.SADDLE_STARTS[0][1] == line and np.all(tr.points[:, 0, 1] == line)
    assert stated(NB, rf"\(\$\\theta_2 = ({NUM})\$ at every step") == line == stated(NB, rf"drawn at ({NUM}) on the right")
    offsets = _pairs(rf"The offsets \$(10\^\{{[-−]\d+\}})\$ and \$(10\^\{{[-−]\d+\}})\$ differ")
    assert offsets == [(lesson.SADDLE_STARTS[1][1], lesson.SADDLE_STARTS[2][1])]
    m = re.search(rf"differ by a factor \$(10)\^(\d)\$, yet the escape times differ only by \$\\log\((10)\^(\d)\)/\\log\(({NUM})\)", text)
    ten, p, ten2, p2, growth = map(to_number, m.groups())
    assert ten ** p == pytest.approx(offsets[0][1] / offsets[0][0]) and (ten2, p2) == (ten, p) and growth == 1 + 0.1
    off = re.search(rf"A larger step escapes faster: \$({TEX})\$ off the line", text).group(1)
    assert to_number(off) == call_arguments(NB, "saddle_explorer")["offset"]
    m = re.search(rf"the Hessian is \$\\mathrm\{{diag\}}\(({NUM}), ({NUM})\)\$,\s+so the local limit", text)
    assert np.allclose(SADDLE.hessian(SADDLE.minima[0]), np.diag([to_number(m.group(1)), to_number(m.group(2))]))


def test_escape_self_check_is_worked_for_its_question():
    args = call_arguments(NB, "check_escape_steps")
    m = re.search(rf"\$({TEX})\\,\(({NUM})\)\^k = ({NUM})\$ gives \$k = \\log\(({NUM})\)/\\log\(({NUM})\)", markdown(NB))
    offset, growth, threshold, ratio, growth2 = (to_number(g) for g in m.groups())
    assert (offset, growth, threshold) == (args["offset"], 1 + args["lr"], args["threshold"])
    assert ratio == threshold / offset and growth2 == growth
    code = re.search(r"```python\n(my_escape_steps = .*?)```", markdown(NB), re.S).group(1)
    space = {"np": np}
    exec(code, space)
    assert space["my_escape_steps"] == pytest.approx(float(sv.analysis.escape_steps(args["lr"], args["offset"], args["threshold"])))
    m = re.search(rf"np\.log\(({NUM}) / ({NUM})\) / np\.log\(({NUM}) \+ ({NUM})\)", code)
    assert [to_number(g) for g in m.groups()] == [args["threshold"], args["offset"], 1, args["lr"]]
    within = stated(NB, rf"An answer within ({NUM}) % counts")
    k = space["my_escape_steps"]
    import contextlib, io  # noqa: E401
    with contextlib.redirect_stdout(io.StringIO()):
        assert checks.check_escape_steps(k * (1 + 0.9 * within / 100), **args)
        assert not checks.check_escape_steps(k * (1 + 1.1 * within / 100), **args)


def test_saddle_try_this_reads_its_questions():
    text = markdown(NB)
    small, large = (to_number(t) for t in re.search(rf"set the offset to \$({TEX})\$: how many steps does the escape take now "
                                                    rf"\(raise \*\*steps\*\* until it escapes\)\? Compare with the offset \$({TEX})\$", text).groups())
    assert stated(NB, rf"About ({NUM}) steps, against") == round(float(sv.analysis.escape_steps(0.1, small)))
    assert stated(NB, rf"against ({NUM}) for \$10\^") == round(float(sv.analysis.escape_steps(0.1, large)))
    assert to_number(re.search(rf"against {NUM} for \$({TEX})\$", text).group(1)) == large
    m = re.search(rf"costs only \$\\log\((10)\^(\d)\)/\\log\(({NUM})\)", text)
    assert to_number(m.group(1)) ** int(m.group(2)) == pytest.approx(large / small) and to_number(m.group(3)) == 1.1
    one, two = stated(NB, rf"Set \$\\alpha = ({NUM})\$, then \$"), stated(NB, rf"Set \$\\alpha = {NUM}\$, then \$({NUM})\$:")
    hint = _pairs(rf"Hint: local limit at \$\(({NUM}), ({NUM})\)\$")
    assert hint and hint[0] in map(tuple, np.asarray(SADDLE.minima).tolist())
    across = stated(NB, rf"At the minima the curvature across is ({NUM}),")
    assert across == SADDLE.hessian(hint[0])[1, 1] and sv.theory.local_lr_limit(SADDLE, hint[0]) == one
    assert stated(NB, rf"At \$\\alpha = ({NUM})\$ the factor there is exactly") == one
    assert stated(NB, rf"the factor there is exactly \$({NUM})\$") == 1 - one * across
    assert stated(NB, rf"exactly \${NUM}\$: after ({NUM})") == call_arguments(NB, "saddle_explorer")["steps"]
    assert stated(NB, rf"At \$\\alpha = ({NUM})\$ it settles into a bounce") == two
    assert stated(NB, rf"instead of settling at \$({NUM})\$") == SADDLE.f_min
    m = re.search(rf"At the saddle point \$\(({NUM}), ({NUM})\)\$, with loss \$({NUM})\$", text)
    point = tuple(map(to_number, m.groups()[:2]))
    assert np.allclose(SADDLE.grad(point), 0) and SADDLE.value(point) == to_number(m.group(3))


def test_unbounded_saddle_exercise_runs_what_it_says():
    text = markdown(NB)
    assert stated(NB, rf"`sv\.Saddle\(quartic=({NUM})\)` has no minima") == 0 and len(sv.Saddle(quartic=0).minima) == 0
    snippet = re.search(r"Check with\s+`(sv\.run\(.*?\))\.summary\(\)`, then with more `steps`\.", text).group(1)
    lr, offset = stated(NB, rf"With \$\\alpha = ({NUM})\$\s+from \$"), to_number(re.search(rf"from \$({TEX})\$ off the line the run", text).group(1))
    m = re.search(rf"sv\.GD\(lr=({NUM})\), sv\.Saddle\(quartic=({NUM})\), start=\[{NUM}, ({NUM})\]\)$", snippet)
    assert [to_number(g) for g in m.groups()] == [lr, 0, offset]
    # The run as asked takes sv.run's default steps: the loss only falls, to the value the answer states.
    tr = eval(snippet, {"sv": sv})
    default = inspect.signature(sv.run).parameters["steps"].default
    assert stated(NB, rf"after the ({NUM}) steps `sv\.run` takes by default") == default == tr.steps and not tr.diverged
    assert agrees(written(NB, rf"falls without bound: to \$({NUM})\$\s+after the"), tr.losses[-1])
    assert np.all(np.diff(tr.losses) < 0)  # "and still falling"
    # With more steps it leaves the window, at the step the answer names (later than the default run goes).
    longer = eval(f"{snippet[:-1]}, steps={10 * default})", {"sv": sv})
    assert stated(NB, rf'\("diverged"\) at step ({NUM})') == longer.diverged_at > default


def test_start_limit_and_the_step_count_of_the_question():
    assert agrees(written(NB, rf"near the start, where the limit is ({NUM})\)"), limit_at(tuple(ROSEN.start)))
    asked = stated(NB, rf"and ({NUM}) steps, how close")
    assert stated(NB, rf"after ({NUM}) steps \$J - J\^\* = ") == asked  # the same run as the figure's 8.4e-5
    m = re.search(rf"sv\.Saddle\(quartic=0\), start=\[({NUM}), {NUM}\]\)", markdown(NB))
    assert to_number(m.group(1)) == lesson.SADDLE_STARTS[0][0]  # the figure's start
