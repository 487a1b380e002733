"""Lesson 00 (00_start_here.ipynb): its self-check accepts right answers, names typical mistakes, never raises;
every number its prose states is recomputed; the times of 00-05 fit 30 minutes and match INSTRUCTORS.md."""
import re
from pathlib import Path

import numpy as np

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)
from stepviz.lessons import start_here as lesson

from .prose import NOTEBOOKS, NUM, agrees, call_arguments, cells, markdown, stated, to_number, written
from .answers import JUNK, verdict_of


def test_gd_step(capsys):
    theta, grad, lr = [1.0, 2.0], [2.0, -4.0], 0.1
    assert verdict_of(capsys, checks.check_gd_step, [0.8, 2.4], theta, grad, lr)[0]
    assert verdict_of(capsys, checks.check_gd_step, np.array([0.8, 2.4]), theta, grad, lr)[0]
    ok, out = verdict_of(capsys, checks.check_gd_step, [1.2, 1.6], theta, grad, lr)
    assert not ok and "uphill" in out
    ok, out = verdict_of(capsys, checks.check_gd_step, [-1.0, 6.0], theta, grad, lr)
    assert not ok and "step size" in out
    assert not verdict_of(capsys, checks.check_gd_step, [0.8, 2.5], theta, grad, lr)[0]
    for junk in JUNK + [0.8, True]:
        assert not verdict_of(capsys, checks.check_gd_step, junk, theta, grad, lr)[0]


# --- claims of the notebook's prose, recomputed, and the times of lessons 00-05 (issue 10) ----------------

NB = "00_start_here"
BOWL = sv.QuadraticBowl(curvatures=lesson.BOWL_CURVATURES)  # the widget check's bowl
ROSEN = sv.Rosenbrock()
MINE = ("00_start_here", "01_the_update_rule", "02_too_big_too_small", "03_curved_valleys_and_saddles",
        "04_choosing_a_step_size", "05_schedules")


def test_one_step_solution():
    text = markdown(NB)
    assert "= (0.8,\\; 2.4)$" in text and np.allclose(np.array([1.0, 2.0]) - 0.1 * np.array([2.0, -4.0]), [0.8, 2.4])


def _explorer():
    return sv.live.explore(BOWL, "GD", lr=lesson.EXPLORER_LR, lr_range=lesson.EXPLORER_LR_RANGE)


def test_widget_check_names_the_explorers_bowl_and_slider():
    assert (BOWL.mu, BOWL.L) == (stated(NB, rf"curvatures \$\\mu = ({NUM})\$ and"), stated(NB, rf"and \$L = ({NUM})\$\s+\(the notation"))
    lo, hi = stated(NB, rf"slider runs from ({NUM}) to"), stated(NB, rf"slider runs from {NUM} to ({NUM})\.")
    assert (lo, hi) == lesson.EXPLORER_LR_RANGE
    assert "lr_range=lesson.EXPLORER_LR_RANGE" in "".join(cells(NB, "code"))
    ex = _explorer()
    try:
        assert ex.lr_range == lesson.EXPLORER_LR_RANGE and ex.surface is BOWL
    finally:
        ex.close()
    assert lesson.EXPLORER_LR < 1 / BOWL.L  # the explorer starts gliding


def _vertical_lines(fig, x):
    return [ln for ax in fig.axes for ln in ax.get_lines()
            if len(ln.get_xdata()) == 2 and np.allclose(np.asarray(ln.get_xdata(), float), x)]


def test_strip_marks_are_told_apart_on_its_log_axis():
    """Issue 17 item 12: on the (1, 10) bowl with the default slider (1e-4 ... 2), 2/(mu+L) = 0.18 and 2/L = 0.2 sat
    2.5 px apart on a 260 px log axis. Now they are at least 5 % of the axis apart, one solid, one dashed."""
    limit, best = sv.theory.lr_limit(BOWL), sv.theory.optimal_lr(BOWL)
    lo, hi = lesson.EXPLORER_LR_RANGE
    assert lo < best < limit < hi
    assert np.log(limit / best) / np.log(hi / lo) >= 0.05
    assert stated(NB, rf"solid limit line in the bottom-right strip \(α = ({NUM})\)") == limit
    assert stated(NB, rf"rises past the solid one \(α = ({NUM})\)") == limit
    assert stated(NB, rf"dips to a V at the dashed line \(α = 1/({NUM})\)") == 1 / best
    ex = _explorer()
    try:
        (solid,), (dashed,) = _vertical_lines(ex.figure, limit), _vertical_lines(ex.figure, best)
        assert solid.get_linestyle() == "-" and dashed.get_linestyle() == "--" and solid.get_color() != dashed.get_color()
        ax = solid.axes
        ax.figure.canvas.draw()
        px = [ax.transData.transform((x, 0.5))[0] for x in (best, limit)]
        assert px[1] - px[0] >= 12  # pixels in the static layer the browser shows
        rate = sv.theory.gd_rate(BOWL, np.array([0.8 * best, best, 1.2 * best]))
        assert rate[1] < rate[0] and rate[1] < rate[2]  # the V's bottom is at the dashed line
    finally:
        ex.close()


def test_widget_check_try_this_and_exercise_answers():
    glide = stated(NB, rf"Below about\s+α = ({NUM}) the path glides")
    assert glide == stated(NB, rf"About α = ({NUM})\. This bowl") == stated(NB, rf"above \$1/L = ({NUM})\$ each") == 1 / BOWL.L
    assert stated(NB, rf"has curvature \$L = ({NUM})\$") == BOWL.L
    for lr in (0.9 * glide, 1.1 * glide):  # glides below 1/L, zig-zags above: theta_2 flips sign at every step
        y = sv.run(sv.GD(lr=lr), BOWL, steps=5).points[:, 1]
        assert np.all(np.sign(y[1:]) == -np.sign(y[:-1])) == (lr > glide)
    edge = stated(NB, rf"Just below α = ({NUM}) \(\$2/L\$\)")
    assert edge == sv.theory.lr_limit(BOWL)
    bounce = sv.run(sv.GD(lr=edge), BOWL, steps=100)
    assert np.allclose(np.abs(bounce.points[1:, 1]), abs(BOWL.start[1]))  # "at 0.5 itself the steep direction bounces"
    past = stated(NB, rf"to about ({NUM})\. The text now says")
    above = stated(NB, rf"the run diverges \(at ({NUM}), at step")
    assert past == above > edge
    assert stated(NB, rf"the run diverges \(at {NUM}, at step ({NUM})\)") == sv.run(sv.GD(lr=above), BOWL, steps=100).diverged_at


def test_rosenbrock_exercise_answer():
    asked = stated(NB, rf"Does α = ({NUM}), which works on the bowl, work there\?")
    assert stated(NB, rf"No: α = ({NUM}) diverges at step") == asked
    assert stated(NB, rf"α = {NUM} diverges at step ({NUM}) on Rosenbrock") == sv.run(sv.GD(lr=asked), ROSEN, steps=100).diverged_at
    window = stated(NB, rf"Steps below about ({NUM}) stay in the window")
    lrs = np.linspace(0.8, 1.2, 41) * window
    runs = sv.run(sv.GD(lr=lrs), ROSEN, steps=1000)
    assert not runs.diverged[lrs <= 1.02 * window].any() and runs.diverged[lrs >= 1.04 * window].all()
    settle = stated(NB, rf"only those below about ({NUM}) can settle")
    assert agrees(f"{settle:g}", sv.theory.local_lr_limit(ROSEN, ROSEN.minima[0]))
    best = stated(NB, rf"with α = ({NUM}), even the")
    assert best < settle and lesson.EXPLORER_LR_RANGE[0] <= best  # the slider reaches it
    steps = stated(NB, rf"even the ({NUM}) steps of the slider's end")
    assert steps == sv.live.explorer.MAX_STEPS
    tr = sv.run(sv.GD(lr=best), ROSEN, steps=int(steps))
    assert agrees(written(NB, rf"leave the loss at ({NUM}) and"), tr.gap()[-1])
    assert agrees(written(NB, rf"the path\s+({NUM}) away from the minimum"), tr.distance_to_minimum()[-1])
    assert not tr.diverged
    k = stated(NB, rf"on the bowl α = {NUM} stays below \$10\^{{-6}}\$ from step ({NUM}) on")
    assert stated(NB, rf"on the bowl α = ({NUM}) stays below") == asked
    assert k == sv.run(sv.GD(lr=asked), BOWL, steps=100).steps_to(1e-6)


def _time(nb):
    m = re.search(r"\*\*Time:\*\* about (\d+)(?:–(\d+))? minutes, exercises? included\.", markdown(nb))
    assert m, f"{nb}: the header's time line changed"
    return m.group(0), (int(m.group(1)), int(m.group(2) or m.group(1)))


def test_times_of_lessons_00_to_05_fit_30_minutes_and_agree_with_the_instructor_guide():
    guide = (Path(NOTEBOOKS).parent / "INSTRUCTORS.md").read_text(encoding="utf-8")
    for nb in MINE:
        _, (low, high) = _time(nb)
        assert high <= 30, nb
        row = re.search(rf"^\| `{nb}` \| ([\d–]+) \|", guide, re.M)
        assert row, f"INSTRUCTORS.md has no row for {nb}"
        assert row.group(1) == (f"{low}–{high}" if low != high else f"{low}"), nb


def test_course_table_links_00_to_05_and_lists_every_lesson_in_order():
    text = markdown(NB)
    links = re.findall(r"^\| \[(\d\d) · [^\]]+\]\((\d\d_\w+\.ipynb)\)", text, re.M)
    numbers = [int(n) for n, _ in links]
    assert numbers == list(range(len(links))) and all(f.startswith(n) for n, f in links)
    for n, f in links[:6]:
        assert (Path(NOTEBOOKS) / f).exists(), f
    assert stated(NB, rf"Each notebook takes at most ({NUM}) minutes") == 30


def test_self_check_question_is_what_the_check_checks():
    args = call_arguments(NB, "check_gd_step")
    m = re.search(rf"At \$\\theta = \(({NUM}), ({NUM})\)\$ the gradient is \$\\nabla J\(\\theta\) = \(({NUM}), ({NUM})\)\$\. "
                  rf"With \$\\alpha = ({NUM})\$", markdown(NB))
    assert m and [to_number(t) for t in m.groups()] == [*args["theta"], *args["grad"], args["lr"]]


def test_answers_name_the_edge_and_rosenbrocks_minimum():
    """Issue 21: 'at 0.5 itself the steep direction bounces forever'; 'settle into the minimum (1, 1)'."""
    assert stated(NB, rf"at ({NUM}) itself the steep direction bounces") == sv.theory.lr_limit(BOWL)
    m = re.search(rf"settle\s+into the minimum \$\(({NUM}), ({NUM})\)\$", markdown(NB))
    assert m and (to_number(m.group(1)), to_number(m.group(2))) == tuple(ROSEN.minima[0])
