"""Lesson 10 (10_stochastic_gradients.ipynb): every number its prose states is what the course computes;
its figures show what the prose says; its self-checks accept right answers, never raise."""
import functools
import re

import numpy as np
import pytest
from matplotlib.colors import same_color

import stepviz as sv
from stepviz import checks

from .answers import MORE_JUNK, printed


@pytest.mark.parametrize("answer", [0.25, 0.21, 4 / 19])
def test_batch_factor_accepts(answer, capsys):
    assert checks.check_batch_factor(answer) is True
    assert "Correct." in printed(capsys)


@pytest.mark.parametrize("answer", [0.5, 4, 1.0, 0.1, 0.0625, -0.25, "0.25"])
def test_batch_factor_rejects(answer, capsys):
    assert checks.check_batch_factor(answer) is False
    assert "Not yet." in printed(capsys)


def test_batch_factor_sqrt_hint(capsys):
    checks.check_batch_factor(0.5)
    assert "standard deviation" in capsys.readouterr().out


def test_batch_factor_matches_covariance_of_the_data():
    data = sv.LeastSquares.synthetic(n=200)
    ratio = np.trace(data.minibatch_covariance(data.p_star, 40)) / np.trace(data.minibatch_covariance(data.p_star, 10))
    assert checks.check_batch_factor(ratio) is True


@pytest.mark.parametrize("answer", ["b, d", "bd", {"b", "d"}, ["D", "b"], ("b", "d")])
def test_robbins_monro_accepts(answer, capsys):
    assert checks.check_robbins_monro(answer) is True
    printed(capsys)


@pytest.mark.parametrize("answer", ["b", "a, b, d", "c", "e, b, d", "abcdef", "f"])
def test_robbins_monro_rejects(answer, capsys):
    assert checks.check_robbins_monro(answer) is False
    printed(capsys)


def _rm_table():
    """The self-check's table of schedules as the prose writes them: ((row, LaTeX), ...)."""
    rows = tuple(re.findall(r"^\| ([a-f]) \| \$(.+?)\$(?: \(constant\))? \|$", markdown(NB), re.M))
    assert [r for r, _ in rows] == list("abcdef")
    return rows


def _rm_rules(t, table=None):
    """The table's schedules evaluated at the steps ``t``."""
    out = {}
    for row, tex in table or _rm_table():
        py = tex.replace(r"\cdot", "*").replace(r"\,", "*").replace(r"\sqrt{", "np.sqrt(").replace("^{", "**(")
        py = py.replace("}", ")").replace("^", "**")
        out[row] = eval(py, {"np": np, "t": t}) + 0 * t
    return out


def test_robbins_monro_key_is_right_numerically():
    t = np.arange(1, 200_001, dtype=float)
    rules = _rm_rules(t)
    # sum of alpha keeps growing (second half adds a lot), sum of alpha^2 settles (second half adds little)
    ok = {k for k, a in rules.items() if a[100_000:].sum() > 1.0 and (a[100_000:] ** 2).sum() < 1e-3}
    assert ok == set(checks.RM_CORRECT)


@functools.lru_cache(maxsize=None)
def _rm_sums(table):
    """{row: (sum of alpha_t, sum of alpha_t^2)} of the table's schedules: the terms up to T plus the tail's
    integral and half its first term (Euler-Maclaurin; the tails fall like powers of t or faster)."""
    T = 200_000
    t = np.arange(T, dtype=float)
    tail = np.geomspace(T, T * 1e6, 100_001)
    out = {}
    rules, tails = _rm_rules(t, table), _rm_rules(tail, table)
    for row, a in rules.items():
        at = tails[row]
        out[row] = tuple(float(x[:T].sum() + np.trapezoid(y, tail) + y[0] / 2) for x, y in ((a, at), (a ** 2, at ** 2)))
    return out


def test_robbins_monro_solution_exponents():
    """The solution's rule (p <= 1 and p > 1/2 for alpha_t ~ c / t^p) applied to each row's exponent, measured on the
    table's own formulas, picks the check's key; the exponents it states for (a) and (e) are the measured ones."""
    t = np.array([1e6, 1e7])
    p = {k: float(-np.diff(np.log(np.maximum(a, 1e-300)))[0] / np.log(10)) for k, a in _rm_rules(t).items()}
    upper = stated(NB, rf"needs \$p \\le ({NUM})\$ and")
    lower = stated(NB, rf"needs \$p > ({NUM})/{NUM}\$") / stated(NB, rf"needs \$p > {NUM}/({NUM})\$")
    assert {k for k, v in p.items() if lower + 1e-3 < v <= upper + 1e-3} == set(checks.RM_CORRECT)
    assert stated(NB, rf"\(a\) has \$p = ({NUM})\$") == round(p["a"], 3)
    assert stated(NB, rf"\(e\) has\s+\$p = ({NUM})/{NUM}\$") / stated(NB, rf"\(e\) has\s+\$p = {NUM}/({NUM})\$") == round(p["e"], 3)
    sums = _rm_sums(_rm_table())
    assert_rounds(NB, rf"the squares of \(b\) and \(d\) add up to about ({NUM}) and", sums["b"][1])
    assert_rounds(NB, rf"the squares of \(b\) and \(d\) add up to about {NUM} and ({NUM})\.", sums["d"][1])
    assert_rounds(NB, rf"\(({NUM}) per step\)", _rm_rules(np.zeros(1))["a"][0] ** 2)
    assert_rounds(NB, rf"have a\s+finite sum \(({NUM}) and", sums["c"][0])
    assert_rounds(NB, rf"finite sum \({NUM} and ({NUM})\), so", sums["f"][0])
    c = _rm_rules(np.zeros(1))["e"][0]                                      # e's coefficient: alpha_0 at t = 0
    assert_rounds(NB, rf"\\sum \\alpha_t\^2 = \\sum ({NUM})/\(1\+t\)", c ** 2)


def test_the_robbins_monro_schedule_is_the_one_run():
    from stepviz.optim.schedules import inverse_time
    t = np.arange(50.0)
    for pattern in (rf"\$\\alpha_0/\(({NUM}) \+ \\text{{decay}}\\, t\)\$\)", rf"\$\\alpha_t = \\alpha_0 / \(({NUM}) \+ \\text{{decay}}\\cdot t\)\$"):
        c = stated(NB, pattern)
        np.testing.assert_allclose(inverse_time(0.2, 0.05)(t), 0.2 / (c + 0.05 * t), rtol=1e-12)


@pytest.mark.parametrize("junk", MORE_JUNK + ["xyz", "", 3])
def test_robbins_monro_junk(junk, capsys):
    assert checks.check_robbins_monro(junk) is False
    printed(capsys)


# --- the prose holds the numbers the course computes ------------------------------------------------------
from stepviz.analysis import stochastic as st  # noqa: E402

from .formulas import evaluate  # noqa: E402
from .prose import NUM, assert_rounds, call_arguments, markdown, stated, stated_all, stated_text  # noqa: E402

NB = "10_stochastic_gradients"
DATA = sv.lessons.stochastic_gradients.sgd_data()


def test_data_numbers():
    assert stated(NB, rf"to \$n = ({NUM})\$ noisy points") == DATA.n
    one = stated(NB, rf"with \$u_i = \(x_i, ({NUM})\)\$ comes from the data")
    u = np.stack([DATA.x, np.full_like(DATA.x, one)], axis=1)
    c = stated(NB, rf"Its Hessian \$H = \\frac({NUM})n\\sum_i u_i u_i\^T\$")
    np.testing.assert_allclose(c / DATA.n * u.T @ u, DATA.hessian(DATA.p_star), rtol=1e-12)
    assert_rounds(NB, rf"here \$2/L = ({NUM})\$", 2 / DATA.L)


def test_figures_are_drawn_with_the_settings_the_prose_names():
    paths = call_arguments(NB, "plot_sgd_paths")
    assert stated(NB, rf"five SGD runs \(batch ({NUM})\) and") == paths["batch_size"] and paths["runs"] == 5
    assert stated(NB, rf"each the mean of ({NUM}) long runs\)") == call_arguments(NB, "plot_noise_floor")["runs"]
    div = call_arguments(NB, "plot_sgd_divergence")
    share = (rf"the share of ({NUM}) runs \({NUM} steps\)", rf"the share of {NUM} runs \(({NUM}) steps\)",
             rf"that\s+diverge, for batch ({NUM}), batch", rf"for batch {NUM}, batch ({NUM}), and full-batch")
    assert [stated(NB, p) for p in share] == [div["runs"], div["steps"], *div["batch_sizes"]]
    assert stated(NB, rf"added noise as large as batch ({NUM})'s") == div["batch_sizes"][0] and div["additive"] is True
    assert stated(NB, rf"so in ({NUM}) steps batch 10's runs break") == div["steps"]
    assert stated(NB, rf"Below: the mean of ({NUM}) runs for each rule") == call_arguments(NB, "plot_schedules_sgd")["runs"]


def test_floor_is_proportional_to_alpha_at_small_steps():
    lrs = np.geomspace(1e-3, 1e-2, 5)
    floors = [st.sgd_stationary(DATA, a, 10)[1] for a in lrs]
    slope = np.polyfit(np.log(lrs), np.log(floors), 1)[0]
    assert stated(NB, rf"Straight lines of slope ({NUM}) on a log") == round(slope) and abs(slope - 1) < 0.05


def test_one_point_multiplies_the_error():
    b, a = stated(NB, rf"With batch ({NUM}) and \$\\alpha = {NUM}\$, that point"), stated(NB, rf"With batch {NUM} and \$\\alpha = ({NUM})\$, that point")
    assert b == 1                                    # a batch of one point: H_B = u_i u_i^T, curvature |u_i|^2 along u_i
    assert stated(NB, rf"1 - ({NUM}) \\cdot 9.9 = ") == a
    curv = stated(NB, rf"1 - {NUM} \\cdot ({NUM}) = ")
    assert_rounds(NB, rf"1 - {NUM} \\cdot {NUM} = ({NUM})\$", 1 - a * curv)
    assert_rounds(NB, rf"1 - {NUM} \\cdot ({NUM}) = ", (1 + DATA.x ** 2).max())


def test_paths_figure_gd_walks_straight_sgd_jitters_in_the_ball():
    import matplotlib.pyplot as plt
    out = sv.viz.plot_sgd_paths(DATA, lr=0.1, batch_size=10, steps=300, runs=5, full_batch=True)
    gd = out["gd"]
    assert same_color(out["gd_line"].get_color(), "black") and np.all(np.diff(gd.losses) <= 1e-15)
    assert np.linalg.norm(gd.points[-1] - DATA.p_star) < 1e-3
    legend = [t.get_text() for t in out["ax"].get_legend().get_texts()]
    assert "full-batch GD" in legend and sum(t.startswith("SGD") for t in legend) == 1
    assert len({line.get_color() for line in out["paths"]}) == 1          # one colour, one legend entry
    C, _ = st.sgd_stationary(DATA, 0.1, 10)
    late = out["trajectory"].points[150:].reshape(-1, 2) - DATA.p_star
    inside = np.einsum("ni,ij,nj->n", late, np.linalg.inv(C), late) <= 4.0   # within the 2-sigma ellipse
    assert inside.mean() > 0.8
    plt.close("all")


def test_noise_floor_figure_and_the_batch_ratios():
    out = sv.viz.plot_noise_floor(DATA, batch_sizes=(1, 10, 50), steps=1000, runs=10)
    pred, meas = out["predicted"], out["measured"]
    np.testing.assert_allclose(meas[10], pred[10], rtol=0.3)
    r1 = pred[1][0] / pred[10][0]
    r2 = pred[10][0] / pred[50][0]
    assert abs(stated(NB, rf"Batch 10 sits about ({NUM}) times below batch 1") - r1) < 1
    assert abs(stated(NB, rf"batch 50 about ({NUM}) times below batch 10") - r2) < 1
    assert_rounds(NB, rf"batch 1's stops before \$\\alpha = ({NUM})\$", st.mean_square_limit(DATA, 1))
    assert np.isinf(st.sgd_stationary(DATA, 0.32, 1)[1]) and np.isfinite(st.sgd_stationary(DATA, 0.30, 1)[1])


def test_batch_factor_solution(capsys):
    b1, b2 = stated(NB, rf"increase the batch size from ({NUM}) to {NUM} \(of"), stated(NB, rf"increase the batch size from {NUM} to ({NUM}) \(of")
    n = stated(NB, rf"to {NUM} \(of \$n = ({NUM})\$\)\. By what factor")
    assert call_arguments(NB, "check_batch_factor") == {"n": n, "b_from": b1, "b_to": b2} and n == DATA.n
    c = lambda b: (n - b) / (b * (n - 1))  # noqa: E731
    assert (stated(NB, rf"about \$({NUM})/{NUM} = "), stated(NB, rf"about \${NUM}/({NUM}) = ")) == (b1, b2)
    assert_rounds(NB, rf"about \$10/40 = ({NUM})\$", b1 / b2)
    assert [stated(NB, rf"\\frac{{\(n-({NUM})\)/\({NUM} \(n-1\)\)}}"), stated(NB, rf"\\frac{{\(n-{NUM}\)/\(({NUM}) \(n-1\)\)}}"),
            stated(NB, rf"\{{\(n-({NUM})\)/\({NUM} \(n-1\)\)}} = "), stated(NB, rf"\{{\(n-{NUM}\)/\(({NUM}) \(n-1\)\)}} = ")] == [b2, b2, b1, b1]
    assert [stated(NB, rf"= \\frac{{({NUM})/{NUM}}}{{{NUM}/{NUM}}} \\approx"), stated(NB, rf"= \\frac{{{NUM}/({NUM})}}{{{NUM}/{NUM}}} \\approx"),
            stated(NB, rf"= \\frac{{{NUM}/{NUM}}}{{({NUM})/{NUM}}} \\approx"), stated(NB, rf"= \\frac{{{NUM}/{NUM}}}{{{NUM}/({NUM})}} \\approx")] \
        == [n - b2, b2, n - b1, b1]
    assert_rounds(NB, rf"= \\frac{{160/40}}{{190/10}} \\approx ({NUM})\$", c(b2) / c(b1))
    assert checks.check_batch_factor(c(b2) / c(b1), n=int(n), b_from=int(b1), b_to=int(b2)) is True
    std = stated(NB, rf"\(({NUM}) would be the shrinking of the\s+\*standard deviation\*")
    assert std == np.sqrt(b1 / b2) and stated(NB, rf"\(A number: ({NUM}) means it halves\.\)") == 1 / 2
    printed(capsys)


def test_multiplicative_noise_numbers():
    u2 = 1 + DATA.x ** 2
    assert_rounds(NB, rf"\|u_i\|\^2 = 1 \+ x_i\^2\$ reaches ({NUM})", u2.max())
    assert_rounds(NB, rf"reaches 9.9\s+while \$L = ({NUM})\$", DATA.L)
    assert_rounds(NB, rf"1 - 0.5 \\cdot 9.9 = ({NUM})\$", 1 - 0.5 * 9.9)
    assert_rounds(NB, rf"once \$\\alpha > ({NUM})\$ for\s+batch 1", st.mean_square_limit(DATA, 1))
    assert_rounds(NB, rf"batch 1, \$({NUM})\$ for batch 10", st.mean_square_limit(DATA, 10))
    assert_rounds(NB, rf"and \$({NUM}) = 2/L\$ for the full batch", st.mean_square_limit(DATA, DATA.n))
    assert_rounds(NB, rf"\(({NUM}) instead of\s+0.595 for batch 1", st.mean_square_limit(DATA, 1))


def test_divergence_figure_reading():
    lrs = sv.lessons.stochastic_gradients.divergence_lrs()
    out = sv.viz.plot_sgd_divergence(DATA, lrs, batch_sizes=(1, 10), additive=True, runs=20, steps=300)
    b1, b10, add = (out["share"][k] for k in ("batch 1", "batch 10", "full batch + added noise"))
    assert_rounds(NB, rf"Batch 1's runs start to diverge at \$\\alpha = ({NUM})\$", lrs[b1 > 0].min())
    start = stated(NB, rf"at least 19 of 20\) from ({NUM}) on")
    assert np.all(b1[lrs >= start - 1e-9] >= 0.95) and b1[np.isclose(lrs, start)] == 1
    assert np.all(b1[lrs < 0.31] == 0)                       # nothing below the predicted limit
    assert stated(NB, rf"no run diverges below ({NUM}): the noise") == lrs[add > 0].min()
    assert np.all(add[lrs < 2 / DATA.L] == 0)
    assert stated(NB, rf"batch 10's runs break only\s+from ({NUM}) on") == lrs[b10 > 0].min()


def test_schedules_figure_reading():
    out = sv.viz.plot_schedules_sgd(DATA, lr=0.2, batch_size=10, decay=0.05, gamma=0.9, steps=1500, runs=10)
    const, rm, expo = out["curves"].values()
    floor = float(out["floor"].get_ydata()[0])
    assert_rounds(NB, rf"stalls on its floor \(({NUM})\)", floor)
    assert np.mean(const[750:]) == pytest.approx(floor, rel=0.3)
    assert rm[-1] < 10.0 ** stated(NB, rf"below \$10\^{{({NUM})}}\$\. The exponential")
    # 'keeps going down (like c/t)': the stated formula's power of t (c = 1; c only scales it) is the slope of the
    # mean curve on log-log axes from step 100 on
    like = evaluate(stated_text(NB, r"The Robbins–Monro step keeps going down \(like \$([^$]+)\$\)"))
    power = np.log(like({"c": 1.0, "t": 1000.0}) / like({"c": 1.0, "t": 100.0})) / np.log(10)
    t = np.arange(len(rm))
    assert np.polyfit(np.log(t[100:]), np.log(rm[100:]), 1)[0] == pytest.approx(power, abs=0.15)
    # 'from about step 40 on it stays within 5 % of its final loss': that step, to one digit
    within = stated(NB, rf"it stays\s+within ({NUM}) % of its final loss") / 100
    k = int(np.flatnonzero(np.abs(expo / expo[-1] - 1) > within)[-1]) + 1
    assert stated(NB, rf"from about step ({NUM}) on it stays") == float(f"{k:.1g}")
    assert_rounds(NB, rf"The exponential one freezes at ({NUM}), above the constant", expo[-1])
    assert expo[-1] > floor


@functools.lru_cache(maxsize=None)
def _late_mean(lr, b, steps):
    """The mean excess loss of 50 SGD runs over their last tenth."""
    tr = sv.run(sv.GD(lr), DATA, start=np.broadcast_to(DATA.start, (50, 2)), steps=steps, batch_size=b, seed=0)
    return float(tr.gap()[-steps // 10:].mean())


def _named(pattern, name):
    """The number the named group ``name`` of ``pattern`` captures (the other groups only match)."""
    return stated(NB, re.sub(r"\(\?P<(\w+)>", lambda m: "(" if m.group(1) == name else "(?:", pattern))


def test_exercise_answers():
    budget = stated(NB, rf"Your budget is ({NUM}) gradient evaluations")
    ask = rf"Which is better at the end:\s+\$b = (?P<b1>{NUM})\$ for (?P<s1>{NUM}) steps or \$b = (?P<b2>{NUM})\$ for (?P<s2>{NUM}) steps, both with \$\\alpha = (?P<lr>{NUM})\$"
    b1, s1, b2, s2, lr = (_named(ask, g) for g in ("b1", "s1", "b2", "s2", "lr"))
    assert b1 * s1 == b2 * s2 == budget and b1 == 1
    assert (stated(NB, rf"1\. Batch ({NUM}) for {NUM} steps: mean excess"), stated(NB, rf"1\. Batch {NUM} for ({NUM}) steps: mean excess")) == (b2, s2)
    assert stated(NB, rf"ten times lower; ({NUM}) steps are enough to arrive") == s2
    finals = {b1: _late_mean(lr, int(b1), int(s1)), b2: _late_mean(lr, int(b2), int(s2))}
    assert finals[b2] == pytest.approx(st.sgd_stationary(DATA, lr, int(b2))[1], rel=0.3)   # arrived on its floor
    assert_rounds(NB, rf"over the last tenth of the run about ({NUM}), on its floor", finals[b2])
    assert_rounds(NB, rf"about {NUM}, on its floor ({NUM}), against", st.sgd_stationary(DATA, lr, int(b2))[1])
    assert_rounds(NB, rf"against about ({NUM}) for batch 1", finals[b1])
    assert_rounds(NB, rf"for batch 1 \(its floor\s+({NUM})\)", st.sgd_stationary(DATA, lr, int(b1))[1])


def test_no_sum_of_step_sizes_is_called_a_distance():
    text = markdown(NB)
    assert "finite distance" not in text and "add up to a finite distance" not in text
    assert "\\sum_t \\alpha_t |g_t|" in text


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


def test_explorer_try_this_answers():
    """Issue 17 item 8: the Try-this gets a collapsed answer, and its numbers are what the explorer shows, with the
    settings the prompt names."""
    import re

    from .prose import call_arguments

    assert stated_text(NB, r"\*\*Try this\*\*[^\n]*\n1\. Raise [^#]*?(<details><summary>Answers</summary>)[^#]*## How big is the ball\?")
    kw = call_arguments(NB, "explore_sgd")
    ex = sv.live.explore_sgd(DATA, **kw)
    legend = [t.get_text() for t in ex.ax_data.get_legend().get_texts()]
    assert f"run {stated(NB, rf'bottom right the data and the line of run ({NUM})'):g} at iteration k" in legend
    up = stated(NB, rf"Raise \$\\alpha\$ from {NUM} to ({NUM}): the ball grows")
    base = stated(NB, rf"Raise \$\\alpha\$ from ({NUM}) to")
    down = stated(NB, rf"Lower it to ({NUM}): the ball shrinks")
    b_lo, b_hi = stated(NB, rf"move the batch size from ({NUM}) to"), stated(NB, rf"move the batch size from {NUM} to ({NUM})")
    b_div, lr_div = stated(NB, rf"3\. Batch ({NUM}) and \$\\alpha"), stated(NB, rf"3\. Batch 1 and \$\\alpha = ({NUM})\$")
    assert base == kw["lr"] == stated(NB, rf"Keep \$\\alpha = ({NUM})\$ and move the batch size")
    assert stated(NB, rf"At \$b = n = ({NUM})\$ SGD \*is\* GD") == b_hi == DATA.n
    assert stated(NB, rf"1\. At \$\\alpha = ({NUM})\$ the readout's predicted floor") == up
    assert stated(NB, rf"\$\\alpha = 0.1\$ \(more than ({NUM}) times:") == round(up / base, 9)
    assert stated(NB, rf"but after ({NUM}) steps the mean is still") == kw["steps"] == ex.sweep.steps

    def show(lr, b):
        ex.controls["lr"].value = lr
        ex.controls["batch_size"].value = b
        i = ex.controls["lr"].index
        assert ex.stops[i] == pytest.approx(lr)
        with np.errstate(all="ignore"):
            half = float(ex.sweep.gap()[ex.sweep.steps // 2:, i].mean())
        return ex.floors[i], half, ex.sweep.diverged_at[i]

    f_up, h_up, _ = show(up, kw["batch_size"])
    f_base, _, _ = show(base, kw["batch_size"])
    assert_rounds(NB, rf"the readout's predicted floor is ({NUM}), five times", f_up)
    assert round(f_up / f_base) == 5 and f_up / f_base > up / base
    assert_rounds(NB, rf"five times the ({NUM}) of \$\\alpha = 0.1\$", f_base)
    assert_rounds(NB, rf"second half, ({NUM}), sits on it", h_up)
    f_down, h_down, _ = show(down, kw["batch_size"])
    assert_rounds(NB, rf"\$\\alpha = 0.02\$ the floor is ({NUM}), but", f_down)
    assert_rounds(NB, rf"the mean is still ({NUM}): the runs", h_down)
    assert h_down > 3 * f_down
    f1, _, _ = show(base, b_lo)
    assert_rounds(NB, rf"The floor falls from ({NUM}) at batch 1", f1)
    assert_rounds(NB, rf"to ({NUM}) at batch 10, and", f_base)
    f200, h200, _ = show(base, b_hi)
    assert f200 == 0 == stated(NB, rf"and to ({NUM}) at \$b = 200\$")
    assert stated(NB, rf"second half is \$5 \\times 10\^{{(-?\d+)}}\$") == round(np.log10(h200) - np.log10(5)) \
        and f"{h200:.0e}".startswith("5e")
    g = ex.sweep.gap()[:, ex.controls["lr"].index]
    assert np.all(np.diff(g[-50:], axis=0) <= 0)                                   # still falling
    _, _, gone = show(lr_div, int(b_div))
    assert np.all(gone >= 0) and gone.size == stated(NB, rf"All ({NUM}) runs diverge") == kw["runs"]
    assert gone.min() == stated(NB, rf"the first at step ({NUM}), although")
    full = stated(NB, rf"below the full-batch limit \$({NUM})/L\$, and yet")
    assert full / DATA.L == pytest.approx(st.mean_square_limit(DATA, DATA.n), rel=1e-3)
    assert lr_div < 2 / DATA.L and stated(NB, rf"although \$0.5 < 2/L = ({NUM})\$") == round(2 / DATA.L, 3)


# --- the formulas the prose states, with their constants read from it (issue 21) ----------------------------

def test_variance_shrinks_like_one_over_b():
    """'covariance/variance shrinks like 1/b' (every time it is said), exactly (n-b)/(b(n-1)) Sigma_1; the standard
    deviation like 1/sqrt(b)."""
    n = DATA.n
    tr = {b: np.trace(DATA.minibatch_covariance(DATA.p_star, b)) for b in (1, 2, 10, 40)}
    for c in stated_all(NB, rf"shrinks like \$({NUM})/b\$") + [stated(NB, rf"close to \$({NUM})/b\$")]:
        assert tr[2] / tr[1] == pytest.approx(c / 2, rel=0.01)
    assert len(stated_all(NB, rf"shrinks like \$({NUM})/b\$")) == 4
    one = stated(NB, rf"\\Sigma_b = \\operatorname{{Cov}}\[g_B\(\\theta\^\*\)\] = \\frac{{n-b}}{{b\\,\(n({NUM})\)}}")
    lone = stated(NB, rf"the floor follows \$\(n - b\)/\(b\\,\(n - ({NUM})\)\)\$")
    for b in (2, 10, 40):
        assert tr[b] / tr[1] == pytest.approx((n - b) / (b * (n + one)), rel=1e-9) \
            == pytest.approx((n - b) / (b * (n - lone)), rel=1e-9)
    root = stated(NB, rf"\$({NUM})/\\sqrt b\$\.\) Four times")
    assert np.sqrt(tr[40] / tr[10]) == pytest.approx(root / np.sqrt(40 / 10), rel=0.1)   # a little less, finite n


def test_noise_floor_formula_at_small_steps():
    """E[J] - J* ~ alpha/4 tr Sigma_b (the section and the summary), against the exact stationary floor."""
    for c in (stated(NB, rf"\\approx\\; \\frac{{\\alpha}}{{({NUM})}}\\, \\operatorname{{tr}} \\Sigma_b"),
              stated(NB, rf"J\^\* \\approx \\frac{{\\alpha}}{{({NUM})}}\\operatorname{{tr}}\\Sigma_b\$,")):
        for b in (1, 10):
            a = 1e-3
            floor = st.sgd_stationary(DATA, a, b)[1]
            assert floor == pytest.approx(a / c * np.trace(DATA.minibatch_covariance(DATA.p_star, b)), rel=0.01)


def test_exponential_sum_and_the_walk_time():
    a0, g = 0.2, 0.9
    one = stated(NB, rf"add up to the finite \$\\alpha_0 / \(({NUM}) - \\gamma\)\$")
    assert sum(a0 * g ** t for t in range(2000)) == pytest.approx(a0 / (one - g), rel=1e-9)
    c = stated(NB, rf"The walk to the minimum takes about \$({NUM})/\(\\alpha\\mu\)\$ steps per factor \$e\$")
    a = 0.01                                                   # small: the flattest direction shrinks by 1 - alpha mu
    assert -1 / np.log(1 - a * DATA.mu) == pytest.approx(c / (a * DATA.mu), rel=0.01)
