"""Lesson 12 (12_curvature_in_training.ipynb): every number its prose states is what the course computes;
its figures show what the prose says; its self-check accepts the right answer, never raises."""
import functools

import numpy as np
import pytest

import stepviz as sv
from stepviz import checks

from .answers import MORE_JUNK, printed
from .prose import NUM, agrees, assert_rounds, markdown, stated, stated_text

NB = "12_curvature_in_training"
L12 = sv.lessons.curvature_in_training


def test_sharpness_limit(capsys):
    assert checks.check_sharpness_limit(2 / 0.987, 0.987) is True
    assert checks.check_sharpness_limit(1 / 0.987, 0.987) is False
    assert "1/λ" in capsys.readouterr().out
    assert checks.check_sharpness_limit(2 * 0.987, 0.987) is False
    for junk in MORE_JUNK:
        assert checks.check_sharpness_limit(junk, 0.987) is False
    assert checks.check_sharpness_limit(2.0, None) is False
    assert checks.check_sharpness_limit(2.0, -1.0) is False
    printed(capsys)


@pytest.fixture(scope="module")
def runs():
    loss = L12.network_loss()
    slow, fast = (sv.run(sv.GD(lr), loss, steps=L12.SHARPNESS_STEPS) for lr in L12.SHARPNESS_LRS)
    return loss, slow, fast


@pytest.fixture(scope="module")
def figure(runs):
    loss, slow, fast = runs
    return sv.viz.plot_sharpness_and_loss(loss, [slow, fast], every=1, iters=L12.SHARPNESS_ITERS)


def test_local_limit_prose(runs):
    loss, *_ = runs
    lam0 = sv.analysis.sharpness(loss, loss.start)
    assert_rounds(NB, rf"`2 / lam0`, about ({NUM})", 2 / lam0)


def test_batched_sharpness_agrees_with_the_full_hessian(runs):
    loss, slow, fast = runs
    k, lam = sv.analysis.sharpness_along(loss, fast, 100, iters=L12.SHARPNESS_ITERS)
    exact = [sv.analysis.sharpness(loss, fast.points[i]) for i in k]
    np.testing.assert_allclose(lam, exact, rtol=1e-3)


def test_edge_of_stability_at_alpha_0_3(figure, runs):
    loss, slow, fast = runs
    k, lam = figure.sharpness["α = 0.3"]
    limit = 2 / 0.3
    assert_rounds(NB, rf"climbs from ({NUM}) to 11", lam[0])
    assert_rounds(NB, rf"climbs from 1 to ({NUM}), well past", lam.max())
    assert_rounds(NB, rf"well past \$2/\\alpha = ({NUM})\$", limit)
    first, last, peak = sv.analysis.curvature.stretches_above(k, lam, limit)[0]
    assert stated(NB, rf"It passes the line at step ({NUM}) and") == first
    assert stated(NB, rf"stays above it for ({NUM}) steps, while") == last - first + 1
    # the loss falls smoothly all the while, until step 271
    until = int(stated(NB, rf"from 0.38 to 0.27 at step ({NUM})\."))
    assert np.all(np.diff(slow.losses[first:until + 1]) < 0) and slow.losses[until + 1] > slow.losses[until]
    assert_rounds(NB, rf"falling smoothly, from ({NUM}) to 0.27", slow.losses[first])
    assert_rounds(NB, rf"from 0.38 to ({NUM}) at step", slow.losses[until])
    # the unstable direction starts tiny: the gradient's share along the sharpest direction, by the full Hessian
    def share(step):
        w, V = np.linalg.eigh(sv.analysis.curvature.hessian(loss, slow.points[step]))
        g = loss.grad(slow.points[step])
        return abs(V[:, -1] @ g) / np.linalg.norm(g)
    assert stated(NB, rf"At step ({NUM}) the gradient's\s+component along") == first
    assert stated(NB, rf"component along the sharpest direction is about \$10\^{{(-?\d+)}}\$") == round(np.log10(share(first)))
    assert_rounds(NB, rf"\|1 - \\alpha\\lambda_{{\\max}}\|\$, up to ({NUM}) at the peak", abs(1 - 0.3 * peak))
    at = int(stated(NB, rf"by step ({NUM}) it makes up"))
    assert stated(NB, rf"it makes up ({NUM}) % of the gradient") == round(100 * share(at))
    spikes = list(figure.spikes["α = 0.3"])
    assert spikes == [stated(NB, rf"loss spikes at step ({NUM}) \(in this run"), stated(NB, rf"\(in this run again at ({NUM})\)")]
    start = int(stated(NB, rf"From step ({NUM}) on \$\\lambda_{{\\max}}\$ sits on the line"))
    above = lam > limit
    flips = above[1:] != above[:-1]
    from_here = np.flatnonzero(~flips)[-1] + 1            # the first step from which it flips at every step
    assert abs(from_here - start) <= 1
    assert_rounds(NB, rf"at every step, between ({NUM})", lam[start:].min())
    assert_rounds(NB, rf"between 6.2 and ({NUM})\. Training", lam[start:].max())


def test_alpha_1_crosses_and_leaves_the_edge(figure):
    k, lam = figure.sharpness["α = 1"]
    stretches = figure.above["α = 1"]
    first, last, _ = stretches[0]
    assert stated(NB, rf"the sharpness passes \$2/\\alpha = 2\$ at step ({NUM})") == first
    assert stated(NB, rf"stays above it until step ({NUM}); the loss spikes") == last
    spikes = list(figure.spikes["α = 1"])
    assert spikes[0] == stated(NB, rf"the loss spikes at\s+step ({NUM}), which throws")
    later = [stated(NB, rf"\(in this run at steps ({NUM}), {NUM} and {NUM}\)"),
             stated(NB, rf"\(in this run at steps {NUM}, ({NUM}) and {NUM}\)"),
             stated(NB, rf"\(in this run at steps {NUM}, {NUM} and ({NUM})\)")]
    assert spikes[1:] == later
    long = [s for s in stretches if s[1] - s[0] >= 5]
    for (a, b, peak), spike in zip(long, spikes):          # each long stretch above the line ends in a spike
        assert 0 < spike - b <= 3
    settled = int(stated(NB, rf"From step ({NUM}) on the\s+sharpness stays between"))
    late = lam[settled:]
    assert_rounds(NB, rf"stays between ({NUM}) and", late.min())
    assert_rounds(NB, rf"stays between 1.2 and ({NUM}), well below", late.max())
    high = stated_text(NB, rf"stays between 1.2 and ({NUM}), well below")
    assert lam[settled - 1] > late.max() and not agrees(high, lam[settled - 1])   # the first step of the band
    assert lam[-1] < lam[300] and late.max() < 2


def test_what_a_nudge_moves_and_what_it_does_not(runs):
    """Issue 17 item 11: the first stretch of alpha = 1 and its spike at 69, alpha = 0.3's first stretch and its
    spike at 276, hold from nudged starts; the later spikes of alpha = 1 move."""
    loss, slow, fast = runs
    starts = sv.lessons.neural_networks.nudged_starts(2)
    tr = sv.run(sv.GD(np.array(L12.SHARPNESS_LRS)), loss, start=starts[:, None], steps=L12.SHARPNESS_STEPS)
    spikes = {(r, a): list(sv.analysis.curvature.loss_spikes(tr.losses[:, r, j]))
              for r in range(2) for j, a in enumerate(L12.SHARPNESS_LRS)}
    ref = list(sv.analysis.curvature.loss_spikes(fast.losses))
    fixed = stated(NB, rf"the first stretch and its spike at step ({NUM}) do not move")
    assert all(spikes[r, 1.0][0] == ref[0] == fixed for r in range(2))
    assert any(spikes[r, 1.0][1:] != ref[1:] for r in range(2))       # "they come at other steps"
    assert all(spikes[r, 0.3][0] == 276 for r in range(2))
    k = np.arange(0, 120)
    lam = sv.analysis.sharpness_batch(loss, tr.points[k, 0, 1], iters=L12.SHARPNESS_ITERS)
    assert sv.analysis.curvature.stretches_above(k, lam, 2.0)[0][:2] == (33, 68)


def test_layer_limits_reading(runs):
    loss, slow, fast = runs
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    after_run = _point(runs, stated(NB, rf"after ({NUM}) steps of\s+\$\\alpha = {NUM}\$:"),
                       stated(NB, rf"after {NUM} steps of\s+\$\\alpha = ({NUM})\$:"))
    limits = sv.viz.plot_layer_limits(loss, [loss.start, after_run], ["start", "after"], ax=ax)
    assert not ax.patches                                    # dots on the log axis, no bars
    after = limits[1]
    assert_rounds(NB, rf"the first layer tolerates about ({NUM})", after[0])
    assert stated(NB, rf"the output layer tolerates about ({NUM})") == round(after[-1])
    assert abs(after[-1] / after[0] - stated(NB, rf"a factor of almost ({NUM})")) < 3
    assert stated(NB, rf"with only ({NUM}) weights") == 2 * 16 + 16
    plt.close(fig)


def test_slice_reading(runs):
    loss, slow, fast = runs
    d1, d2, explained = sv.analysis.pca_directions(fast.points, fast.points[-1])
    assert stated(NB, rf"\(({NUM}) % of its variance\)") == round(100 * explained.sum())
    assert stated(NB, rf"The slice is 2 of ({NUM}) dimensions") == loss.dim
    assert stated(NB, rf"The network has ({NUM}) weights, too many") == loss.dim
    assert stated(NB, rf"in ({NUM})\s+dimensions a random direction") == loss.dim
    planes = [stated(NB, rf"how to look at a ({NUM})-D slice of the loss landscape"), stated(NB, rf"The slice is ({NUM}) of"),
              stated(NB, rf"A ({NUM})-D slice along the path's principal directions")]
    assert planes == [2, 2, 2] == [len((d1, d2))] * 3 and abs(d1 @ d2) < 1e-9


def test_random_directions_try_this(runs):
    """The Try-this: the paths projected on random directions of the seed and reach it names stay near the star."""
    loss, slow, fast = runs
    seed = int(stated(NB, rf"random_directions\(loss\.model, center, seed=({NUM})\)` for"))
    reach = stated(NB, rf"instead \(and a reach of ({NUM})\)\. What")
    center = fast.points[-1]
    d1, d2 = sv.analysis.random_directions(loss.model, center, seed=seed)
    far = max(np.abs(sv.analysis.project(p, center, d1, d2)).max() for p in (fast.points, _adam(loss).points))
    assert_rounds(NB, rf"a short scribble near the star \(within ({NUM}) of it", far)
    assert_rounds(NB, rf"within {NUM} of it, ({NUM}) % of the reach\)", 100 * far / reach)
    pca = sv.analysis.pca_directions(fast.points, center)
    assert np.abs(sv.analysis.project(fast.points, center, *pca[:2])).max() > 10 * far   # the PCA plane holds the path


def test_the_runs_are_the_ones_the_prose_names(figure):
    """Every mention of the two runs (step sizes, length) names the runs the notebook makes, and what the summary
    says of each holds for the run of that step size."""
    lrs, steps = L12.SHARPNESS_LRS, L12.SHARPNESS_STEPS
    assert (stated(NB, rf"Two GD runs, \$\\alpha = ({NUM})\$ and"), stated(NB, rf"Two GD runs, \$\\alpha = {NUM}\$ and \$\\alpha = ({NUM})\$"),
            stated(NB, rf"and \$\\alpha = {NUM}\$, ({NUM}) steps each")) == (*lrs, steps)
    assert (stated(NB, rf"With \$\\alpha = ({NUM})\$ the sharpness climbs"),
            stated(NB, rf"With \$\\alpha = ({NUM})\$ the sharpness passes")) == lrs
    edge, leaves = stated(NB, rf"\(\$\\alpha = ({NUM})\$ here\); a run can also"), stated(NB, rf"\(\$\\alpha = ({NUM})\$ on separable data\)")
    k, lam = figure.sharpness[f"α = {edge:g}"]
    assert abs(lam[-1] - 2 / edge) < 0.1 * 2 / edge                        # it ends on the edge
    k, lam = figure.sharpness[f"α = {leaves:g}"]
    assert lam[-100:].max() < 0.75 * 2 / leaves                              # it left it


def test_notebook_11_runs_named_in_the_self_check_solution():
    """'in notebook 11 GD with alpha = 3 trained well, and GD with alpha = 10 was ruined': 11's sweep, 500 steps."""
    good, bad = stated(NB, rf"in notebook 11 GD with \$\\alpha = ({NUM})\$ trained well"), stated(NB, rf"GD with \$\\alpha = ({NUM})\$ was ruined")
    acc = _network_accuracy((good, bad))
    assert acc[0] == 1.0 and acc[1] == 0.5


def test_the_nudge_is_in_the_12th_digit():
    digit = stated(NB, rf"from a start nudged in the ({NUM})th digit")
    d = sv.lessons.neural_networks.nudged_starts(2) - L12.network_loss().start
    assert round(-np.log10(np.median(np.abs(d)))) == digit


def _point(runs, steps, alpha):
    """The weights after ``steps`` steps of the notebook's GD run with step size ``alpha`` (KeyError: no such run)."""
    loss, slow, fast = runs
    return dict(zip(L12.SHARPNESS_LRS, (slow, fast)))[alpha].points[int(steps)]


@functools.lru_cache(maxsize=None)
def _adam(loss):
    return sv.run(sv.Adam(0.03), loss, steps=500)


@functools.lru_cache(maxsize=None)
def _network_accuracy(lrs):
    loss = L12.network_loss()
    return loss.accuracy(sv.run(sv.GD(np.array(lrs)), loss, steps=500).points[-1])


def test_exercise_answers(runs):
    loss, slow, fast = runs
    adam = _adam(loss)
    every = int(stated(NB, rf"sv\.viz\.plot_sharpness\(loss, \[adam\], every=({NUM})\)`\)\. Does it stay below"))
    k, lam = sv.analysis.sharpness_along(loss, adam, every, iters=L12.SHARPNESS_ITERS)
    assert stated(NB, rf"every={NUM}\)`\)\. Does it stay below\s+\$2/\\alpha = ({NUM})\$") \
        == round(2 / 0.03)
    assert_rounds(NB, rf"its largest measured value is about ({NUM}), at step", lam.max())
    assert stated(NB, rf"largest measured value is about {NUM}, at step ({NUM}), and") == k[np.argmax(lam)]
    assert_rounds(NB, rf"and it falls to ({NUM}) by step 500", lam[-1])
    alpha = stated(NB, rf"Where does the sharpness of the \$\\alpha = ({NUM})\$ run sit")   # exercise 2 asks
    steps = stated(NB, rf"\$\\alpha = {NUM}\$ run sit after ({NUM}) steps compared")
    assert stated(NB, rf"({NUM}) steps \$\\lambda_{{\\max}} = {NUM}\$ in this run") == steps
    lam_end, blocks = sv.analysis.sharpness(loss, _point(runs, steps, alpha), per_layer=True)
    assert_rounds(NB, rf"After 500 steps \$\\lambda_{{\\max}} = ({NUM})\$ in this run", lam_end)
    assert_rounds(NB, rf"in this run, at the edge \$2/\\alpha = ({NUM})\$", 2 / alpha)
    assert_rounds(NB, rf"has the largest\s+eigenvalue, ({NUM}) \(limit", blocks[0])
    assert_rounds(NB, rf"\(limit ({NUM})\), then", 2 / blocks[0])
    assert_rounds(NB, rf"then ({NUM}) and {NUM}:", blocks[1])
    assert_rounds(NB, rf"then {NUM} and ({NUM}):", blocks[2])
    assert lam_end > max(blocks)


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


def test_the_explorer_shows_what_its_prose_says(runs):
    """'GD at four step sizes, 500 steps each, the sharpness measured every 5 steps': the explorer the notebook's
    own cell builds, its runs and the sharpness curves it draws."""
    import matplotlib.pyplot as plt
    from .prose import cells
    loss, *_ = runs
    cell = next(c for c in cells(NB, "code") if "sweep_explorer(" in c)
    scope = {"np": np, "sv": sv, "lesson": L12, "loss": loss}
    exec(cell, scope)                                                 # the cell as the notebook runs it
    demo = next(v for v in scope.values() if isinstance(v, sv.live.SweepExplorer))
    steps = stated(NB, rf"GD at four step sizes, ({NUM}) steps each, the sharpness measured")
    every = stated(NB, rf"the sharpness measured\s+every ({NUM}) steps\. The bold curves")
    assert len(demo.stops) == 4 and demo.sweep.steps == steps
    assert demo.sweep.losses.shape == (steps + 1, len(demo.stops))
    drawn = [line.get_xdata() for line in demo.ax_acc.lines if len(line.get_xdata()) == demo.sharpness.shape[0]]
    assert drawn and all(np.all(np.diff(x) == every) and x[0] == 0 and x[-1] == steps for x in drawn)
    k, lam = sv.analysis.sharpness_along(loss, demo.sweep[list(demo.stops).index(1.0)], int(every), iters=L12.SHARPNESS_ITERS)
    np.testing.assert_allclose(demo.sharpness[:, list(demo.stops).index(1.0)], lam, rtol=1e-9)
    plt.close(demo.figure)
