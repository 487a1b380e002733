"""Lesson 00 (00_start_here.ipynb): its self-check accepts right answers, names typical mistakes, never raises;
every number its prose states is recomputed; the times of 00-05 fit 30 minutes and match INSTRUCTORS.md."""
import re
from pathlib import Path

import numpy as np

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)
from stepviz.lessons import start_here as lesson

from .prose import NOTEBOOKS, NUM, agrees, call_arguments, markdown, stated, to_number, written
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
BOWL = sv.QuadraticBowl()  # the explorer's "bowl"
ROSEN = sv.Rosenbrock()
MINE = ("00_start_here", "01_the_update_rule", "02_too_big_too_small", "03_curved_valleys_and_saddles",
        "04_choosing_a_step_size", "05_schedules")


def test_one_step_solution():
    text = markdown(NB)
    assert "= (0.8,\\; 2.4)$" in text and np.allclose(np.array([1.0, 2.0]) - 0.1 * np.array([2.0, -4.0]), [0.8, 2.4])


def test_widget_check_try_this_and_exercise_answers():
    assert (BOWL.mu, BOWL.L) == (1.0, 10.0)
    assert stated(NB, rf"Below about\s+α = ({NUM}) the path glides") == 1 / BOWL.L
    assert stated(NB, rf"in the bottom-right strip \(α = ({NUM})\)") == sv.theory.lr_limit(BOWL)
    assert stated(NB, rf"About α = ({NUM})\. This bowl") == 1 / BOWL.L
    assert stated(NB, rf"has curvature \$L = ({NUM})\$") == BOWL.L
    assert stated(NB, rf"Just below α = ({NUM}) \(\$2/L\$\)") == sv.theory.lr_limit(BOWL)
    edge = sv.run(sv.GD(lr=0.2), BOWL, steps=100)
    assert np.allclose(np.abs(edge.points[1:, 1]), abs(BOWL.start[1]))  # "at 0.2 the steep direction bounces forever"
    assert stated(NB, rf"\(at 0.22, at step ({NUM})\)") == sv.run(sv.GD(lr=0.22), BOWL, steps=100).diverged_at
    assert stated(NB, rf"α = 0.1 diverges at step ({NUM}) on Rosenbrock") == sv.run(sv.GD(lr=0.1), ROSEN, steps=100).diverged_at
    lo, hi = stated(NB, rf"Steps of about ({NUM}) to"), stated(NB, rf"Steps of about {NUM} to ({NUM}) are stable")
    for lr in (lo, hi):
        assert not sv.run(sv.GD(lr=lr), ROSEN, steps=1000).diverged
    best = sv.run(sv.GD(lr=hi), ROSEN, steps=1000)
    assert agrees(written(NB, rf"the loss is still ({NUM}) and"), best.gap()[-1])
    assert agrees(written(NB, rf"the path ({NUM}) away from the minimum"), best.distance_to_minimum()[-1])
    assert stated(NB, rf"reached \$10\^{{-6}}\$ in ({NUM}) steps") == sv.run(sv.GD(lr=0.1), BOWL, steps=100).steps_to(1e-6)
    assert lesson.EXPLORER_LR < 1 / BOWL.L  # the explorer starts gliding


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
