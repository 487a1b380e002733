"""Lesson 04 (04_choosing_a_step_size.ipynb): its self-checks accept right answers, name typical mistakes, never
raise; every number its prose states is recomputed."""
import re
from types import SimpleNamespace
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks: every lesson's checks)
from stepviz.lessons import choosing_a_step_size as lesson

from .prose import NUM, TEX, agrees, call_arguments, cells, markdown, stated, to_number, written
from .answers import MORE_JUNK, verdict


def test_grid_cost_accepts_runs_times_steps(capsys):
    verdict(capsys, checks.check_grid_cost(2600, n_lrs=26, steps=100), True)
    verdict(capsys, checks.check_grid_cost(4200, n_lrs=[26, 8, 8], steps=100), True)
    verdict(capsys, checks.check_grid_cost(5200, n_lrs=26, steps=100, rounds=2), True)


def test_grid_cost_agrees_with_grid_search(capsys):
    res = sv.grid_search("GD", sv.QuadraticBowl(), lrs=np.geomspace(1e-4, 10, 26), steps=100, refine=2,
                         refine_points=8)
    verdict(capsys, checks.check_grid_cost(res.grad_evals, n_lrs=[26, 8, 8], steps=100), True)


@pytest.mark.parametrize("wrong, hint", [(2600, "coarse round"), (42, "Count both"), (100, "Count both"),
                                         (4201, "full run")])
def test_grid_cost_rejects_wrong(capsys, wrong, hint):
    out = verdict(capsys, checks.check_grid_cost(wrong, n_lrs=[26, 8, 8], steps=100), False)
    assert hint in out


@pytest.mark.parametrize("junk", MORE_JUNK)
def test_grid_cost_junk(capsys, junk):
    verdict(capsys, checks.check_grid_cost(junk, n_lrs=[26, 8, 8], steps=100), False)


def test_grid_cost_bad_parameters_do_not_raise(capsys):
    verdict(capsys, checks.check_grid_cost(10, n_lrs="many", steps=100), False)


# --- claims of the notebook's prose, recomputed (issue 10: claims are tests) -----------------------------

NB = "04_choosing_a_step_size"
BOWL = sv.QuadraticBowl(curvatures=lesson.BOWL_CURVATURES)
ROSEN = sv.Rosenbrock()


@lru_cache(maxsize=None)
def coarse():
    return sv.grid_search("GD", BOWL, lrs=lesson.GRID_LRS, steps=lesson.RUN_STEPS)


@lru_cache(maxsize=None)
def fine(steps=lesson.RUN_STEPS):
    return sv.grid_search("GD", BOWL, lrs=lesson.GRID_LRS, steps=steps, refine=lesson.REFINE,
                          refine_points=lesson.REFINE_POINTS)


@lru_cache(maxsize=None)
def range_test(**kw):
    return sv.lr_range_test("GD", BOWL, **(kw or lesson.RANGE_TEST))


@lru_cache(maxsize=None)
def backtracking(problem, steps, start=None, trial=lesson.BACKTRACKING_TRIAL):
    """(what the run spent: accepted_lrs, value_evals, grad_evals; the trajectory)."""
    tr = sv.run(sv.Backtracking(problem, lr=trial), problem, start=start, steps=steps)
    return SimpleNamespace(accepted_lrs=tr.lrs, value_evals=tr.state["value_evals"],
                           grad_evals=tr.state["grad_evals"]), tr


def test_bowl_and_grid():
    assert (BOWL.mu, BOWL.L) == (stated(NB, rf"curvatures \$\\mu = ({NUM})\$"), stated(NB, rf"and \$L = ({NUM})\$"))
    lrs = lesson.GRID_LRS
    assert stated(NB, rf"e\.g\. ({NUM}) values from") == lrs.size
    assert (lrs[0], lrs[-1]) == (1e-4, 10.0)
    assert stated(NB, rf"\(({NUM}) per decade\)") == pytest.approx(1 / np.log10(lrs[1] / lrs[0]))
    assert agrees(written(NB, rf"10\^{{0.2}} \\approx ({NUM})"), lrs[1] / lrs[0])


def test_grid_figure_best_step_next_to_the_cliff():
    res = coarse()
    r0 = res.rounds[0]
    i = int(np.nanargmin(r0.final_losses))
    limit = sv.theory.lr_limit(BOWL)
    assert r0.lrs[i] < limit < r0.lrs[i + 1] and not np.isfinite(r0.final_losses[i + 1])  # the cliff
    assert np.all(~np.isfinite(r0.final_losses[r0.lrs > limit]))  # crosses: every step above 2/L diverged
    assert np.all(np.diff(r0.final_losses[: i + 1]) < 0)  # falls steeply as alpha grows


def test_refinement_and_its_cost():
    res = fine()
    assert agrees(written(NB, rf"move the answer to about \$({NUM})\$"), res.best_lr)
    assert agrees(written(NB, rf"theoretical best \$2/\(\\mu\+L\) \\approx ({NUM})\$"), sv.theory.optimal_lr(BOWL))
    assert stated(NB, rf"\$26 \+ 8 \+ 8 = ({NUM})\$ runs") == lesson.GRID_LRS.size + lesson.REFINE * lesson.REFINE_POINTS
    assert stated(NB, rf"\$42 \\times 100 = ({NUM})\$") == res.grad_evals


def test_range_test_claims_and_try_this_answers():
    rt = range_test()
    assert rt.min_lr > sv.theory.lr_limit(BOWL)  # "the lowest loss lies beyond 2/L"
    assert rt.suggested_lr == pytest.approx(rt.min_lr / 10)  # "the rule divides by 10"
    assert agrees(written(NB, rf"about ({NUM}) times smaller than"), sv.theory.optimal_lr(BOWL) / rt.suggested_lr)
    start = stated(NB, rf"The explorer starts at ({NUM}) \(the suggestion")
    assert start == round(rt.suggested_lr, 3) and "lr=round(rt.suggested_lr, 3), steps=100)" in "".join(cells(NB, "code"))
    target = stated(NB, rf"to the grid-search answer \(about ({NUM})\)\. How many fewer steps")  # the question's step
    assert stated(NB, rf"at ({NUM}) from step {NUM}, so") == target
    runs = {lr: sv.run(sv.GD(lr=lr), BOWL, steps=100) for lr in (start, target)}
    steps = {lr: int(tr.steps_to(1e-6)) for lr, tr in runs.items()}
    for lr, tr in runs.items():  # stays below from that step on, and not one step earlier
        assert np.all(tr.gap()[steps[lr]:] <= 1e-6) and tr.gap()[steps[lr] - 1] > 1e-6
    assert stated(NB, rf"\$J - J\^\*\$ stays below \$10\^{{-6}}\$ from step ({NUM}) on; at") == steps[start]
    assert stated(NB, rf"at {NUM} from step ({NUM}), so") == steps[target]
    assert stated(NB, rf"so\s+({NUM}) steps fewer") == steps[start] - steps[target]
    edge = stated(NB, rf"minimum of the range-test curve \(about ({NUM})\)")
    assert stated(NB, rf"At ({NUM}) the run diverges") == edge == round(rt.min_lr, 2)
    assert stated(NB, rf"the run diverges at step ({NUM})") == sv.run(sv.GD(lr=edge), BOWL, steps=100).diverged_at
    assert agrees(written(NB, rf"\|1 - {edge:g} \\cdot {BOWL.L:g}\| = ({NUM})"), abs(1 - edge * BOWL.L))
    assert stated(NB, rf"only in the last ({NUM}) of its 100 steps") == np.sum(rt.lrs > sv.theory.lr_limit(BOWL))
    m = re.search(rf"sv\.lr_range_test\(\"GD\", sv\.QuadraticBowl\(\(({NUM}), ({NUM})\)\)\)", markdown(NB))
    steep = sv.QuadraticBowl((to_number(m.group(1)), to_number(m.group(2))))
    rt100 = sv.lr_range_test("GD", steep)
    assert agrees(written(NB, rf"It suggests ({NUM}), about"), rt100.suggested_lr)
    assert agrees(written(NB, rf"about ({NUM}) times below \$2/L = 0.02\$"), sv.theory.lr_limit(steep) / rt100.suggested_lr)
    assert agrees(written(NB, rf"best step \$2/\(\\mu \+ L\) = ({NUM})\$"), sv.theory.optimal_lr(steep))


def test_backtracking_on_the_bowl():
    bt, tr = backtracking(BOWL, 40)
    counts = sv.analysis.step_counts(bt.accepted_lrs)
    assert counts == {0.125: stated(NB, rf"\(({NUM}), {NUM} and {NUM} of the 40 steps\)"),
                      0.25: stated(NB, rf"\({NUM}, ({NUM}) and {NUM} of the 40 steps\)"),
                      0.5: stated(NB, rf"\({NUM}, {NUM} and ({NUM}) of the 40 steps\)")}
    assert np.all(np.diff(tr.losses) < 0)  # "the loss falls at every step, the run cannot diverge"
    assert stated(NB, rf"The price: ({NUM}) function\s+evaluations for 40 gradients") == bt.value_evals
    assert bt.grad_evals == 40


def test_backtracking_on_rosenbrock():
    bt, tr = backtracking(ROSEN, lesson.ROSENBROCK_STEPS)
    const = sv.run(sv.GD(lr=lesson.ROSENBROCK_BEST_LR), ROSEN, steps=3000)
    assert stated(NB, rf"best constant step that converges there is \$\\alpha = ({NUM})\$") == lesson.ROSENBROCK_BEST_LR
    limits = sv.analysis.local_limits(tr)
    assert agrees(written(NB, rf"the local limit stays between ({NUM}) and"), limits.min())
    assert agrees(written(NB, rf"stays between {NUM} and ({NUM})"), limits.max())
    assert limits.max() / limits.min() < 2  # "within one halving"
    counts = sv.analysis.step_counts(bt.accepted_lrs)
    assert stated(NB, rf"2\^{{-9}} \\approx ({NUM})\$") == pytest.approx(2 ** -9, abs=5e-6)
    assert stated(NB, rf"in ({NUM}) of the 2,000 steps") == counts[2 ** -9]
    assert stated(NB, rf"In ({NUM}) steps it takes") == counts[2 ** -8]
    assert 2 ** -9 < np.median(limits) < 2 ** -8  # "just below it" / "above the local limit"
    k = int(np.argmax(bt.accepted_lrs))
    assert stated(NB, rf"At \$k = ({NUM})\$ the trial") == k
    assert stated(NB, rf"the trial \$a = ({NUM})\$ passes") == bt.accepted_lrs[k]
    assert sorted(counts) == [2 ** -10, 2 ** -9, 2 ** -8, bt.accepted_lrs[k]]  # that one step is the only long one
    assert agrees(written(NB, rf"jumps a distance of ({NUM})"), np.linalg.norm(tr.points[k + 1] - tr.points[k]))
    m = re.search(rf"from\s+\$\(({NUM}), ({NUM})\)\$ to \$\(({NUM}), ({NUM})\)\$\. The right panel", markdown(NB))
    assert m and all(agrees(t, v) for t, v in zip(m.groups(), [*tr.points[k], *tr.points[k + 1]]))
    assert agrees(written(NB, rf"ten steps later backtracking is at\s+\$J - J\^\* = ({NUM})\$"), tr.gap()[k + 10])
    said = stated(NB, rf"the constant step stays below that only from step ({NUM}) on")
    assert said == sv.engine.settled_at(const.gap(), tr.gap()[k + 10])
    assert agrees(written(NB, rf"After 2,000 steps backtracking is at\s+\$({TEX})\$"), tr.gap()[-1])
    assert agrees(written(NB, rf"the\s+constant step at \$({NUM})\$"), const.gap()[lesson.ROSENBROCK_STEPS])
    assert np.log2(lesson.BACKTRACKING_TRIAL / 2 ** -9) == 9 and "needs nine halvings to reach" in markdown(NB)
    assert "so ten function\nevaluations per step" in markdown(NB)
    assert round((bt.value_evals - 1) / bt.grad_evals) == 10
    assert stated(NB, rf"({NUM}) for 2,000 gradients") == bt.value_evals


def test_think_long_step_from_the_other_start():
    bt, tr = backtracking(ROSEN, lesson.ROSENBROCK_STEPS, start=lesson.OTHER_START)
    const = sv.run(sv.GD(lr=lesson.ROSENBROCK_BEST_LR), ROSEN, start=lesson.OTHER_START, steps=lesson.ROSENBROCK_STEPS)
    assert lesson.OTHER_START == (stated(NB, rf"= \(({NUM}), {NUM}\)\$, e\.g\."), stated(NB, rf"= \({NUM}, ({NUM})\)\$, e\.g\."))
    assert agrees(written(NB, rf"The constant step: \$J - J\^\* = ({NUM})\$"), const.gap()[-1])
    assert agrees(written(NB, rf"against ({NUM}) for backtracking"), tr.gap()[-1])
    k = int(np.argmax(bt.accepted_lrs > 0.01))
    assert stated(NB, rf"At \$k = ({NUM})\$ backtracking accepts") == k
    assert stated(NB, rf"backtracking accepts \$a = ({NUM})\$") == bt.accepted_lrs[k]
    m = re.search(rf"which jumps from \$\(({NUM}), ({NUM})\)\$ to \$\(({NUM}), ({NUM})\)\$", markdown(NB))
    assert m and all(agrees(t, v) for t, v in zip(m.groups(), [*tr.points[k], *tr.points[k + 1]]))
    assert tr.points[k + 1, 0] > 1.0  # "past the minimum"


def test_costs_figure_and_its_reading():
    bt, _ = backtracking(BOWL, lesson.RUN_STEPS)
    costs = {"grid": {"tuning": coarse().grad_evals, "run": lesson.RUN_STEPS},
             "coarse-to-fine": {"tuning": fine().grad_evals, "run": lesson.RUN_STEPS},
             "range test": {"tuning": range_test().grad_evals, "run": lesson.RUN_STEPS},
             "backtracking": {"run": int(bt.grad_evals), "function values": int(bt.value_evals)}}
    fig, axes = plt.subplots(1, 2)
    arts = sv.viz.plot_costs(costs, axes)
    plt.close(fig)
    tuning = [b.get_width() for b in arts["tuning"]]
    m = re.search(rf"grid search spends ({NUM}) on its 26 tuning runs, coarse-to-fine ({NUM}), the range test ({NUM}) "
                  rf"and backtracking\s+none; each then spends ({NUM}) on the run itself", markdown(NB))
    assert m and [to_number(t) for t in m.groups()[:3]] == tuning[:3] and tuning[3] == 0
    assert to_number(m.group(4)) == lesson.RUN_STEPS and all(b.get_width() == 100 for b in arts["run"])
    assert tuning[0] == 26 * 100 and tuning[1] == 42 * 100 and tuning[2] == 1 * 100  # the row labels' run counts
    assert stated(NB, rf"extra\s+function values, ({NUM}) for its 100 steps") == arts["function values"][3].get_width()
    trials = np.log2(lesson.BACKTRACKING_TRIAL / bt.accepted_lrs) + 1  # halvings from the trial step, + the trial itself
    assert bt.value_evals == 1 + trials.sum() and bt.grad_evals == lesson.RUN_STEPS  # "one at the start and one per trial"
    assert agrees(written(NB, rf"one at the start and one per trial, ({NUM}) trials per step on this bowl"), trials.mean())
    row = re.search(r"^\| backtracking \|.*\| (.*?) \|$", markdown(NB), re.M).group(1)
    assert row == "one gradient per step, and one function value per trial (plus one at the start)"


def test_exercise_answers():
    for steps in (20, 100, 500):
        assert agrees(written(NB, rf"{steps} steps: ({NUM})"), fine(steps).best_lr)
    assert agrees(written(NB, rf"approaching \$2/\(\\mu \+ L\) = ({NUM})\$"), sv.theory.optimal_lr(BOWL))
    assert agrees(written(NB, rf"Without noise the suggestion is ({NUM})"), range_test().suggested_lr)
    noisy = [sv.lr_range_test("GD", BOWL, noise=0.5, seed=s).suggested_lr for s in range(5)]
    smooth = [sv.lr_range_test("GD", BOWL, noise=0.5, seed=s, smooth=0.9).suggested_lr for s in range(5)]
    said = re.search(rf"jumps between seeds: ({NUM}), ({NUM}), ({NUM}), ({NUM}), ({NUM})", markdown(NB)).groups()
    assert all(agrees(t, v) for t, v in zip(said, noisy))
    said = re.search(rf"Smoothing\s+steadies it: ({NUM}), ({NUM}), ({NUM}), ({NUM}), ({NUM})", markdown(NB)).groups()
    assert all(agrees(t, v) for t, v in zip(said, smooth))


def test_the_inputs_the_prose_names_are_the_lesson_presets():
    assert stated(NB, rf"run each for ({NUM}) steps") == lesson.RUN_STEPS
    assert stated(NB, rf"a batch of ({NUM}) runs") == lesson.GRID_LRS.size
    assert stated(NB, rf"cost \(({NUM}) step sizes, then ({NUM}) rounds of ({NUM})") == lesson.GRID_LRS.size
    assert re.search(rf"then {lesson.REFINE} rounds of {lesson.REFINE_POINTS}, each run {lesson.RUN_STEPS} steps", markdown(NB))
    assert agrees(written(NB, rf"grid-search answer \(about ({NUM})\)"), fine().best_lr)
    assert agrees(written(NB, rf"range-test curve \(about ({NUM})\)"), range_test().min_lr)
    assert stated(NB, rf"compare its suggestion with \$2/L = ({NUM})\$") == sv.theory.lr_limit(sv.QuadraticBowl((1, 100)))
    assert stated(NB, rf"the last two are \*above\* \$2/L = ({NUM})\$") == sv.theory.lr_limit(BOWL)
    assert stated(NB, rf"Same start, ({NUM}) steps, first trial") == lesson.ROSENBROCK_STEPS
    assert stated(NB, rf"first trial \$\\alpha = ({NUM})\$:") == lesson.BACKTRACKING_TRIAL
    assert agrees(written(NB, rf"2\^{{-8}} \\approx ({NUM})\$"), 2 ** -8)
    assert stated(NB, rf"Counting the tuning plus one ({NUM})-step run") == lesson.RUN_STEPS


def test_self_check_question_is_what_the_check_checks():
    args = call_arguments(NB, "check_grid_cost")
    m = re.search(rf"\(({NUM}) step sizes, then ({NUM}) rounds of ({NUM}), each run ({NUM}) steps", markdown(NB))
    n, rounds, points, steps = (int(to_number(t)) for t in m.groups())
    assert args["n_lrs"] == [n] + [points] * rounds and args["steps"] == steps


def test_range_test_formula_states_the_codes_offset():
    """Issue 17 item 8: the formula omitted the +0.618 that lr_range_test adds to t."""
    m = re.search(r"\^\{\(t \+ (0\.\d+)\) / T\}, \\qquad t = 0, 1, \\dots, T - 1", markdown(NB))
    assert m, "the range test's formula changed"
    offset = to_number(m.group(1))
    assert "The offset " + m.group(1) + " keeps every" in markdown(NB)
    rt = range_test()
    lo, hi, T = lesson.RANGE_TEST["lr_min"], lesson.RANGE_TEST["lr_max"], lesson.RANGE_TEST["steps"]
    t = np.arange(T)
    np.testing.assert_allclose(rt.lrs, lo * (hi / lo) ** ((t + offset) / T), rtol=1e-3)  # 0.618 as written
    assert not np.allclose(rt.lrs, lo * (hi / lo) ** (t / T), rtol=1e-3)


def test_try_this_answers_sit_under_their_section():
    """Issue 17 item 8: section 3's answers came after the "4. Backtracking" heading."""
    text = markdown(NB)
    answers, heading = text.index("1. The explorer starts at"), text.index("## 4. Backtracking")
    assert text.index("## 3. The learning-rate range test") < text.rindex("**Try this**", 0, heading) < answers < heading
    assert text.rindex("<details><summary>Answers</summary>", 0, answers) > text.rindex("**Try this**", 0, heading)


def _vertical(fig, x):
    return [ln for ax in fig.axes for ln in ax.get_lines()
            if len(ln.get_xdata()) == 2 and np.allclose(np.asarray(ln.get_xdata(), float), x)]


def test_the_strips_colours_are_the_ones_the_prose_names():
    from stepviz.viz.style import OKABE_ITO

    names = {v.lower(): k for k, v in OKABE_ITO.items()}
    m = re.search(r"with \$2/L\$ \((\w+), (\w+)\) and \$2/\(\\mu\+L\)\$ \((\w+), (\w+)\)", markdown(NB))
    assert m, "the explorer's strip sentence changed"
    ex = sv.live.explore("bowl", "GD", lr=round(range_test().suggested_lr, 3), steps=100)
    try:
        (limit,), (best,) = _vertical(ex.figure, sv.theory.lr_limit(BOWL)), _vertical(ex.figure, sv.theory.optimal_lr(BOWL))
        for line, colour, style in ((limit, m.group(1), m.group(2)), (best, m.group(3), m.group(4))):
            assert colour in names[line.get_color().lower()]
            assert {"solid": "-", "dashed": "--"}[style] == line.get_linestyle()
    finally:
        ex.close()


def test_backtracking_figure_keeps_the_accepted_steps_apart_from_the_local_limit():
    """Issue 17 item 12: the accepted-step dots and the local-limit line were the same blue, on top of each other."""
    from stepviz.viz.style import OKABE_ITO

    _, tr = backtracking(ROSEN, lesson.ROSENBROCK_STEPS)
    fig, ax = plt.subplots()
    arts = sv.viz.plot_backtracking(tr, ax)
    plt.close(fig)
    dots, line = arts["accepted"], arts["local_limit"]
    assert dots.get_color() != line.get_color()
    assert dots.get_linestyle() == "None" and dots.get_marker() == "." and line.get_linestyle() == "-" and line.get_marker() == "None"
    assert line.get_zorder() > dots.get_zorder()  # the thin line is drawn over the band of dots it crosses
    m = re.search(r"at every iteration \((\w+) dots\) and the local limit .*? along the path \(a (\w+) line\)", markdown(NB))
    assert m and dots.get_color().upper() == OKABE_ITO[m.group(1)] and line.get_color().upper() == OKABE_ITO[m.group(2)]
    _, tr_bowl = backtracking(BOWL, 40)
    fig, ax = plt.subplots()
    arts = sv.viz.plot_backtracking(tr_bowl, ax)
    plt.close(fig)
    assert arts["accepted"].get_color() not in (arts["limit"].get_color(), arts["inverse_L"].get_color())


# --- issue 21: the remaining numbers of the prose, read and recomputed ------------------------------------------

from .formulas import evaluate  # noqa: E402


def test_grid_range_and_refinement_as_the_prose_writes_them():
    text = markdown(NB)
    lo, hi = (to_number(t) for t in re.search(rf"values from \$({TEX})\$ to \$({TEX})\$ \({NUM} per decade\)", text).groups())
    assert (lo, hi) == (lesson.GRID_LRS[0], lesson.GRID_LRS[-1])
    assert stated(NB, rf"Two refinement rounds of ({NUM}) step sizes each") == lesson.REFINE_POINTS
    m = re.search(rf"Every run is ({NUM}) gradient evaluations and there are \$({NUM}) \+ ({NUM}) \+ ({NUM}) = {NUM}\$ runs: "
                  rf"\${NUM} \\times ({NUM}) = ", text)
    per_run, n0, n1, n2, per_run2 = map(to_number, m.groups())
    args = call_arguments(NB, "check_grid_cost")
    assert per_run == per_run2 == args["steps"] and [n0, n1, n2] == args["n_lrs"]
    assert stated(NB, rf"converges iff \$({NUM}) < \\alpha < 2/L\$") == 0


def test_the_range_tests_divisor_wherever_the_prose_names_it():
    rt = range_test()
    divisor = rt.min_lr / rt.suggested_lr
    said = [to_number(t) for t in re.findall(rf"(?:\*\*divided by ({NUM})\*\*|the rule divides by ({NUM}))", markdown(NB))
            for t in t if t]
    assert len(said) == 3 and all(d == pytest.approx(divisor) for d in said)


def test_try_this_tolerance_is_the_one_counted():
    text = markdown(NB)
    asked = to_number(re.search(rf"How many fewer steps until \$J - J\^\*\$\s+stays below \$({TEX})\$\?", text).group(1))
    answered = to_number(re.search(rf"\$J - J\^\*\$ stays below \$({TEX})\$ from step {NUM} on; at", text).group(1))
    assert asked == answered == 1e-6  # the tolerance test_range_test_claims_and_try_this_answers counts with


def test_armijo_condition_and_halving_are_the_codes():
    text = markdown(NB)
    bt = sv.Backtracking(BOWL)
    c = to_number(re.search(rf"\(\\text\{{Armijo condition\}},\\ c = ({TEX})\)", text).group(1))
    assert c == bt.c
    trials = re.search(r"the first \$a \\in \\\{\\alpha, (\\alpha/\d), (\\alpha/\d), \\dots\\\}\$ that passes", text).groups()
    assert [evaluate(t)({"alpha": 1.0}) for t in trials] == [bt.shrink, bt.shrink ** 2]


def test_accepted_steps_on_the_bowl_and_rosenbrock_as_written():
    bt, _ = backtracking(BOWL, 40)
    text = markdown(NB)
    for pattern in (r"The accepted step jumps between \$(\d+/\d+)\$, \$(\d+/\d+)\$ and sometimes \$(\d+/\d+)\$",
                    r"On the bowl its steps \(\$(\d+/\d+)\$, \$(\d+/\d+)\$, \$(\d+/\d+)\$\) straddle"):
        said = [evaluate(t)({}) for t in re.search(pattern, text).groups()]
        assert said == sorted(sv.analysis.step_counts(bt.accepted_lrs)), pattern
    bt_r, _ = backtracking(ROSEN, lesson.ROSENBROCK_STEPS)
    counts = sv.analysis.step_counts(bt_r.accepted_lrs)
    most = max(counts, key=counts.get)
    for power in re.findall(r"(?:reach|settles on) \$(2\^\{-\d+\})\$", text):
        assert evaluate(power)({}) == most
    assert len(re.findall(r"(?:reach|settles on) \$(2\^\{-\d+\})\$", text)) == 2
    starts = [to_number(t) for t in re.findall(rf"(?:Halving from|every search starts at) ({NUM})", text)]
    assert starts == [lesson.BACKTRACKING_TRIAL] * 2


def test_other_start_answer_counts_the_runs_steps():
    assert stated(NB, rf"\$J - J\^\* = {NUM}\$ after ({NUM}) steps, against") == lesson.ROSENBROCK_STEPS
    assert "steps=2000).gap()[-1]" in markdown(NB) and lesson.ROSENBROCK_STEPS == 2000


def test_exercises_read_their_questions():
    text = markdown(NB)
    short, long = stated(NB, rf"with `steps=({NUM})` and with"), stated(NB, rf"and with `steps=({NUM})`\. Does")
    assert stated(NB, rf"1\. ({NUM}) steps: ") == short and stated(NB, rf"({NUM}) steps: {NUM}, approaching") == long
    m = re.search(rf"`sv\.lr_range_test\(\"GD\", bowl, noise=({NUM}), seed=s\)` for the seeds `s` = ({NUM}) to ({NUM}), then the "
                  rf"same with\s+`smooth=({NUM})`", text)
    noise, s0, s1, smooth = map(to_number, m.groups())
    noisy = [sv.lr_range_test("GD", BOWL, noise=noise, seed=s).suggested_lr for s in range(int(s0), int(s1) + 1)]
    steady = [sv.lr_range_test("GD", BOWL, noise=noise, seed=s, smooth=smooth).suggested_lr for s in range(int(s0), int(s1) + 1)]
    said = re.search(rf"jumps between seeds: ({NUM}), ({NUM}), ({NUM}), ({NUM}), ({NUM})\.", text).groups()
    assert len(said) == len(noisy) and all(agrees(t, v) for t, v in zip(said, noisy))
    said = re.search(rf"steadies it: ({NUM}), ({NUM}), ({NUM}), ({NUM}), ({NUM})\.", text).groups()
    assert len(said) == len(steady) and all(agrees(t, v) for t, v in zip(said, steady))
