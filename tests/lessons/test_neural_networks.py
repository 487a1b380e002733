"""Lesson 11 (11_neural_networks.ipynb): every number its prose states is what the course computes; its
figures show what the prose says; its self-checks accept right answers, never raise."""
import functools
import re

import pytest

import stepviz as sv
from stepviz import checks

import numpy as np

from .answers import MORE_JUNK, printed
from .prose import NUM, assert_rounds, call_arguments, cells, markdown, stated, stated_text

NB = "11_neural_networks"
L11 = sv.lessons.neural_networks


@pytest.fixture(scope="module")
def rt():
    kw = call_arguments(NB, "lr_range_test")              # the range test the notebook runs, as its code writes it
    return sv.lr_range_test("GD", L11.network_loss(), **kw)


def test_range_pick_accepts_suggested(rt, capsys):
    assert checks.check_range_test_pick(rt.suggested_lr, rt) is True
    assert checks.check_range_test_pick(rt.min_lr / 3, rt) is True
    printed(capsys)


@pytest.mark.parametrize("factor", [1.05, 1.2, 5.0, 1 / 50, 1 / 1000])
def test_range_pick_rejects(rt, factor, capsys):
    assert checks.check_range_test_pick(rt.min_lr * factor, rt) is False
    printed(capsys)


def _trains(tr):
    """The sweep's own verdict on each run, written out: >= 95 % accuracy at the end and, over the last 200
    steps, a loss below the one it started from (no thrashing)."""
    acc = tr.problem.accuracy(tr.points[-1])
    return (acc >= 0.95) & (tr.losses[-200:].max(axis=0) < tr.losses[0])


def test_range_pick_agrees_with_the_sweep_shown(rt, sweep, capsys):
    """Issue 17 item 7: every step size of the sweep (and 5, the Try-this) gets the verdict its run earns."""
    lrs, tr, final, acc = sweep
    ok = _trains(tr)
    assert list(ok) == [False, True, True, True, False, False, False]      # 0.1 slow; 5, 10, 30 thrash or ruined
    for a, trains in zip(lrs, ok):
        verdict = checks.check_range_test_pick(float(a), rt, tr)
        out = printed(capsys)
        assert verdict == bool(trains), (a, out)
        assert "falls steeply" not in out
    assert checks.check_range_test_pick(3.0, rt, tr) is True                 # the sweep's best is accepted
    assert "0.0029" in printed(capsys)
    assert checks.check_range_test_pick(0.1, rt, tr) is False                # ... and 0.1 is slow, as the sweep shows
    out = printed(capsys)
    assert "slow" in out and "0.47" in out and "78.5 %" in out


@pytest.mark.parametrize("junk", MORE_JUNK + [-1.0, 0])
def test_range_pick_junk(rt, junk, capsys):
    assert checks.check_range_test_pick(junk, rt) is False
    printed(capsys)


def test_range_pick_without_result(capsys):
    assert checks.check_range_test_pick(0.5, None) is False
    printed(capsys)




# --- the prose holds the numbers the course computes ------------------------------------------------------

@pytest.fixture(scope="module")
def sweep():
    loss = L11.network_loss()
    five = stated(NB, rf"\*\*Try this:\*\* add \$\\alpha = ({NUM})\$ to `lrs`")   # the Try-this's step size, as it says
    lrs = np.array(L11.SWEEP_LRS + (five,))
    tr = sv.run(sv.GD(lrs), loss, steps=500)
    return lrs, tr, loss.value(tr.points[-1]), loss.accuracy(tr.points[-1])


def test_network_numbers():
    loss = L11.network_loss()
    assert loss.dim == stated(NB, rf"for all ({NUM}) weights at once")
    assert stated(NB, rf"Two interleaved spirals, ({NUM}) points") == L11.N_POINTS


def test_sweep_reading(sweep):
    lrs, tr, final, acc = sweep
    at = {float(a): i for i, a in enumerate(lrs)}
    assert_rounds(NB, rf"\$\\alpha = 0.1\$ is slow: loss ({NUM}) and", final[at[0.1]])
    assert_rounds(NB, rf"loss 0.47 and ({NUM}) % accuracy", 100 * acc[at[0.1]])
    assert int(np.argmin(final[:6])) == at[3.0]
    assert_rounds(NB, rf"\$\\alpha = 3\$\s+ends lowest, at ({NUM}) in this run", final[at[3.0]])
    for a in (1.0, 3.0):
        assert len(sv.analysis.loss_spikes(tr.losses[:, at[a]])) >= 3
    assert_rounds(NB, rf"the loss stays high for good \(about ({NUM}), accuracy", final[at[10.0]])
    assert stated(NB, rf"about 22, accuracy ({NUM}) %\)") == 100 * acc[at[10.0]]
    saw = tr.losses[100:, at[30.0]]
    alternating = np.mean(np.sign(np.diff(saw[1:])) != np.sign(np.diff(saw[:-1])))
    assert alternating > 0.9                                   # it flips at almost every step
    assert np.ptp(saw[::2]) > 30                               # the branches drift apart and together again
    assert_rounds(NB, rf"in a slow sawtooth that never comes below ({NUM}) after step 100", saw.min())
    assert "That pattern is\nchance" in markdown(NB) or "That pattern is chance" in markdown(NB).replace("\n", " ")


def _forward(model, theta, X):
    """The network written out (tanh, tanh, linear), independent of MLP's batched code."""
    (W1, b1), (W2, b2), (W3, b3) = model.unpack(theta)
    a1 = np.tanh(X @ W1 + b1)
    a2 = np.tanh(a1 @ W2 + b2)
    return a1, a2, (a2 @ W3 + b3)[:, 0]


def test_alpha_10_is_a_bounded_gradient_cycle(sweep):
    """Issue 17 item 2: the second layer saturates, all logits are equal, and GD on the output layer jumps across
    the V of the cross-entropy and back."""
    lrs, tr, final, acc = sweep
    a10 = stated(NB, rf"### \$\\alpha = ({NUM})\$: a cycle instead of a blow-up")
    i10 = list(lrs).index(a10)
    loss = L11.network_loss()
    model, X = loss.model, loss.X
    settled = int(stated(NB, rf"By step ({NUM}) the first steps have thrown"))
    tiny = 10.0 ** stated(NB, rf"sits at \$\\pm 1\$ \(to\s+within \$10\^{{(-?\d+)}}\$\)")
    assert tiny == 10.0 ** stated(NB, rf"first two layers vanishes \(below \$10\^{{(-?\d+)}}\$\)")
    a1, a2, z = _forward(model, tr.points[settled - 1, i10], X)
    assert not (np.all(1 - np.abs(a2) < tiny) and np.ptp(z) < tiny)      # not yet one step before: "by step 8"
    for k in [*range(settled, settled + 5), *range(settled, tr.steps + 1, 37)]:
        theta = tr.points[k, i10]
        a1, a2, z = _forward(model, theta, X)
        assert np.all(1 - np.abs(a2) < tiny) and np.ptp(z) < tiny       # every unit at +-1, one logit for all
        g = loss.grad(theta)
        assert np.abs(g[:-17]).max() < tiny                             # nothing reaches the first two layers
        np.testing.assert_allclose(np.abs(g[-17:]), 0.5, atol=1e-12)    # the output layer's bounded gradient
    assert stated(NB, rf"one GD step on the\s+output layer's ({NUM}) weights and bias") + 1 == \
        stated(NB, rf"moves \$z\$ by \$-\\alpha \\cdot ({NUM}) \\cdot J'\(z\)\$") == 17 == SIZES_OUT
    assert np.mean(L11.network_loss().y == stated(NB, rf"\(half the labels are ({NUM})\)")) == 0.5
    lam = 17 * 0.25
    assert_rounds(NB, rf"\\sigma'\(0\) = 17/4 = ({NUM})\$", lam)
    # the curvature of J along the output layer at z = 0, by finite differences of the network's own loss
    theta = tr.points[100, i10].copy()
    theta[-1] -= _forward(model, theta, X)[2][0]                        # move b3 so that every logit is 0
    h = 1e-4
    e = np.zeros_like(theta); e[-17:] = np.sign(theta[-17:]) * 0 + 1
    e[-17:-1] = _forward(model, theta, X)[1][0]                         # along (a2, 1), the gradient's direction
    e /= np.linalg.norm(e)
    curv = (loss.value(theta + h * e) - 2 * loss.value(theta) + loss.value(theta - h * e)) / h ** 2
    assert curv == pytest.approx(lam, rel=1e-4)
    assert_rounds(NB, rf"\\alpha < 2/4.25 = ({NUM})\$", 2 / lam)
    assert stated(NB, rf"at \$\\alpha = ({NUM})\$ the factor is \$\|1 - \\alpha") == a10
    assert_rounds(NB, rf"the factor is \$\|1 - \\alpha\\lambda\| = ({NUM})\$", abs(1 - a10 * lam))
    assert stated(NB, rf"the error would\s+grow ({NUM})-fold per step") == abs(1 - a10 * lam)
    z0 = stated(NB, rf"Near its minimum \$z = ({NUM})\$, \$J\$ is a parabola")
    assert 1 / (1 + np.exp(-z0)) - 0.5 == 0                             # J'(z0) = sigma(z0) - 1/2 = 0
    assert stated(NB, rf"the gradient is bounded \(\$\\pm ({NUM})\$ per weight\)") == 0.5
    steps = np.linalg.norm(np.diff(tr.points[settled:, i10], axis=0), axis=1)
    a, g = (stated(NB, rf"the same length,\s+\$({NUM}) \\cdot {NUM} \\cdot \\sqrt"), stated(NB, rf"the same length,\s+\${NUM} \\cdot ({NUM}) \\cdot \\sqrt"))
    assert (a, g) == (a10, 0.5)
    assert_rounds(NB, rf"\\sqrt\{{17\}} = ({NUM})\$", a * g * np.sqrt(17))
    np.testing.assert_allclose(steps, a * g * np.sqrt(17), rtol=1e-9)
    z = np.array([_forward(model, tr.points[k, i10], X)[2][0] for k in range(100, 104)])
    assert (stated(NB, rf"It moves \$z\$ by \$({NUM}) \\cdot"), stated(NB, rf"It moves \$z\$ by \$\S+ \\cdot ({NUM}) \\cdot")) == (a10, SIZES_OUT)
    assert stated(NB, rf"\\tfrac12 = ({NUM})\$ across the bottom") == 85 == a10 * SIZES_OUT / 2
    np.testing.assert_allclose(np.abs(np.diff(z)), 85, rtol=1e-9)     # across the V and back: a two-step cycle
    assert z[0] == pytest.approx(z[2], abs=1e-9) and z[1] == pytest.approx(z[3], abs=1e-9)
    assert_rounds(NB, rf"the logits jump between \$({NUM})\$ and", z.min())
    assert_rounds(NB, rf"and \$\+({NUM})\$ and the loss", z.max())
    l = tr.losses[100:104, i10]
    assert_rounds(NB, rf"alternates between ({NUM}) and 20.54", l.max())
    assert_rounds(NB, rf"alternates between 21.96 and ({NUM})", l.min())
    assert stated(NB, rf"the sum\s+does not: \$85/2 = ({NUM})\$") == 42.5 == pytest.approx(l[0] + l[1], abs=1e-9)


SIZES_OUT = L11.SIZES[2] + 1


@pytest.fixture(scope="module")
def nudged():
    lrs = np.array([1.0, 3.0, 5.0, 10.0, 30.0])
    code = "".join(cells(NB, "code"))
    assert "nudged_lrs = np.array([1.0, 3.0, 5.0, 10.0, 30.0])" in code
    k = stated(NB, rf"from ({NUM}) starts that differ from")
    assert "lesson.nudged_starts(3)" in code and k == 3 == stated(NB, rf"At \$\\alpha = 1\$ the ({NUM}) runs agree")
    tr = sv.run(sv.GD(lrs), L11.network_loss(), start=L11.nudged_starts(int(k))[:, None], steps=500)
    return lrs, tr


def test_step_size_or_chance(nudged, sweep):
    """Issue 17 item 11: what the notebook states at large alpha is one run's; the robust claims hold for nudges."""
    lrs, tr = nudged
    five = stated(NB, rf"The larger step sizes of the sweep again \(with \$\\alpha = ({NUM})\$\)")
    assert sorted(lrs) == sorted({a for a in L11.SWEEP_LRS if a >= 1} | {five})
    assert stated(NB, rf"by about \$10\^{{(-?\d+)}}\$ per weight") == np.log10(1e-12)
    digit = stated(NB, rf"a nudge in the ({NUM})th digit, or another")
    d = L11.nudged_starts(3) - L11.network_loss().start
    assert round(-np.log10(np.median(np.abs(d)))) == digit
    d = L11.nudged_starts(3) - L11.network_loss().start
    assert np.abs(d).max() < 1e-11 and np.abs(d).mean() > 1e-13
    final = tr.losses[-1]                                       # (3, 5)
    at = {float(a): i for i, a in enumerate(lrs)}
    assert len({f"{v:.2g}" for v in final[:, at[1.0]]}) == 1    # "at alpha = 1 the 3 runs agree to two digits"
    assert_rounds(NB, rf"\$\\alpha = 3\$ ends between\s+({NUM}) and", final[:, at[3.0]].min())
    assert_rounds(NB, rf"ends between\s+0.0026 and ({NUM}),", final[:, at[3.0]].max())
    assert_rounds(NB, rf"\$\\alpha = 5\$ between ({NUM}) and", final[:, at[5.0]].min())
    assert_rounds(NB, rf"\$\\alpha = 5\$ between 0.0019 and ({NUM})", final[:, at[5.0]].max())
    chaotic = min(a for a in lrs if len({f"{v:.2g}" for v in final[:, at[a]]}) > 1)
    assert stated(NB, rf"From \$\\alpha = ({NUM})\$ on they do not") == chaotic \
        == stated(NB, rf"From \$\\alpha \\approx ({NUM})\$ on, runs are chaotic")
    a30 = stated(NB, rf"and at \$\\alpha = ({NUM})\$ the final loss varies")
    assert final[:, at[a30]].max() / final[:, at[a30]].min() > stated(NB, rf"varies by more than a factor of ({NUM})")
    cycle = sweep[1].losses[-2:, list(sweep[0]).index(10.0)]
    assert stated(NB, rf"\$\\alpha = ({NUM})\$ lands on the same cycle") == 10.0
    np.testing.assert_allclose(tr.losses[-2:, :, at[10.0]], np.repeat(cycle[:, None], 3, 1), rtol=1e-7)  # the same cycle
    # robust claims of the sweep's prose, for every nudge: alpha = 30 flips and never settles; 5 thrashes from step 14
    saw = tr.losses[100:, :, at[30.0]]
    flips = np.mean(np.sign(np.diff(saw[1:], axis=0)) != np.sign(np.diff(saw[:-1], axis=0)), axis=0)
    assert np.all(flips > 0.85) and np.all(saw.min(axis=0) > 2)
    l5 = tr.losses[:, :, at[5.0]]
    assert np.all(np.argmax(l5 > 4, axis=0) == 14) and np.all((l5[14:300] > 4).mean(axis=0) > 0.5)
    assert np.all(final[:, at[3.0]] < final[:, at[1.0]])       # alpha = 3 still ends below alpha = 1


def test_alpha_5_answer(sweep, nudged):
    lrs, tr, final, acc = sweep
    l5 = tr.losses[:, -1]
    first = int(stated(NB, rf"From step ({NUM}) its loss is above"))
    floor = stated(NB, rf"its loss is above ({NUM}) at most steps")
    above = np.flatnonzero(l5 > floor)
    assert above[0] == first and above[-1] == stated(NB, rf"\(in this run until\s+step ({NUM})\)")
    assert np.mean(l5[first:above[-1] + 1] > floor) > 0.5 and above[-1] - first >= 200    # "at most steps, a few hundred"
    assert np.all(l5[-100:] < floor)
    assert_rounds(NB, rf"recovers and ends at ({NUM}) \(98.5", final[-1])
    assert_rounds(NB, rf"ends at 0.054 \(({NUM}) % accuracy\)", 100 * acc[-1])
    nl, ntr = nudged
    five = ntr.losses[-1, :, list(nl).index(5.0)]
    assert_rounds(NB, rf"in the 12th digit it ends between ({NUM}) and", five.min())
    assert_rounds(NB, rf"it ends between 0.0019 and ({NUM}) \(section", five.max())


def test_range_test_reading(rt, sweep):
    lrs, tr, final, acc = sweep
    at = {float(a): i for i, a in enumerate(lrs)}
    assert_rounds(NB, rf"`rt.suggested_lr`, about ({NUM})", rt.suggested_lr)
    assert_rounds(NB, rf"lowest loss of the sweep \(({NUM}) against", final[at[3.0]])
    assert_rounds(NB, rf"against ({NUM}) at\s+\$\\alpha = 1\$\)", final[at[1.0]])
    assert acc[at[1.0]] == acc[at[3.0]] == 1.0
    bump = tr.losses[100:200, at[3.0]]
    assert_rounds(NB, rf"the loss climbs to about ({NUM}) near step", bump.max())
    assert stated(NB, rf"near step ({NUM})") == round(100 + int(np.argmax(bump)), -1)
    assert_rounds(NB, rf"a twentieth of the range test's lowest\s+point \(({NUM})\)", rt.min_lr / 20)
    assert_rounds(NB, rf"up to that point itself, ({NUM}):", rt.min_lr)
    assert_rounds(NB, rf"since the loss blows up at ({NUM})", rt.blowup_lr)
    assert_rounds(NB, rf"\(\$\\alpha = 0.1\$ ends at ({NUM})\)", final[at[0.1]])
    ok = _trains(tr)
    inside = (lrs >= rt.min_lr / 20) & (lrs <= rt.min_lr)
    assert np.all(ok[inside]) and not np.any(ok[lrs > rt.min_lr])     # "every run of the sweep in that range trains"


def test_optimizer_comparison_reading(held_out):
    loss, runs, _, _ = held_out
    final = {label: float(tr.losses[-1]) for label, tr in runs.items()}
    gd, mom, adam = final.values()
    assert_rounds(NB, rf"\(they end at ({NUM}) and", gd)
    assert_rounds(NB, rf"they end at {NUM} and ({NUM})\)", mom)
    assert_rounds(NB, rf"worth a factor of ({NUM}) in loss", gd / adam)
    assert_rounds(NB, rf"after 500 steps \(({NUM})\)", adam)
    a_gd = stated(NB, rf"\*\*Try this:\*\* give GD \$\\alpha = ({NUM})\$ and Momentum")
    a_mom = stated(NB, rf"and Momentum \$\\alpha = ({NUM})\$ in `lesson")
    gd3 = float(loss.value(sv.run(sv.GD(a_gd), loss, steps=500).points[-1]))
    mom3 = float(loss.value(sv.run(sv.Momentum(a_mom, momentum=0.9), loss, steps=500).points[-1]))
    assert_rounds(NB, rf"GD with \$\\alpha = 3\$ ends at ({NUM})", gd3)
    assert_rounds(NB, rf"momentum with \$\\alpha = 0.3\$ at ({NUM})", mom3)
    assert_rounds(NB, rf"still ({NUM}) times Adam's", mom3 / adam)


@functools.lru_cache(maxsize=None)
def _minibatch_losses(lr, steps, batch_size, seed):
    return sv.run(sv.GD(lr), L11.network_loss(), steps=steps, batch_size=batch_size, seed=seed).losses


@functools.lru_cache(maxsize=None)
def _relu_sweep():
    relu = L11.network_loss(activation="relu")
    tr = sv.run(sv.GD(np.array(L11.SWEEP_LRS)), relu, steps=500)
    return relu.value(tr.points[-1]), relu.accuracy(tr.points[-1])


def test_exercise_answers(sweep):
    call = stated_text(NB, r"Train with minibatches: `(sv\.run\(sv\.GD\([\d.]+\), loss, steps=\d+, batch_size=\d+, seed=\d+\))`")
    lr, steps, b, seed = (float(v) for v in re.findall(NUM, call))
    mb = _minibatch_losses(lr, int(steps), int(b), int(seed))
    assert stated(NB, rf"With batch ({NUM}) the loss does not settle") == b == stated(NB, rf"the noise floor of batch ({NUM}) is high")
    assert stated(NB, rf"At \$\\alpha = ({NUM})\$ the noise floor of batch") == lr
    last = int(stated(NB, rf"over the last ({NUM}) steps it jumps"))
    assert_rounds(NB, rf"it jumps between ({NUM}) and", mb[-last:].min())
    assert_rounds(NB, rf"jumps between {NUM} and ({NUM}) \(mean", mb[-last:].max())
    assert_rounds(NB, rf"\(mean ({NUM})\), far", mb[-last:].mean())
    lrs, _, tanh, tanh_acc = sweep
    at = {float(a): i for i, a in enumerate(lrs)}
    assert_rounds(NB, rf"far\s+above full-batch GD's ({NUM})", tanh[at[lr]])
    final, acc = _relu_sweep()
    relu_at = {a: i for i, a in enumerate(L11.SWEEP_LRS)}
    slow = stated(NB, rf"With ReLU, \$\\alpha = ({NUM})\$ learns much faster")
    assert_rounds(NB, rf"learns much faster \(({NUM}) instead of", final[relu_at[slow]])
    assert_rounds(NB, rf"learns much faster \({NUM} instead of ({NUM})\)", tanh[at[slow]])
    best = stated(NB, rf"and \$\\alpha = ({NUM})\$ ends lowest \(")
    assert_rounds(NB, rf"\$\\alpha = 1\$ ends lowest \(({NUM})\)", final[relu_at[best]]) and int(np.argmin(final)) == relu_at[best]
    worse = stated(NB, rf"\$\\alpha = ({NUM})\$\s+is worse than with tanh")
    assert_rounds(NB, rf"is worse than with tanh \(({NUM})\)", final[relu_at[worse]])
    assert final[relu_at[worse]] > tanh[at[worse]]
    ruined = (stated(NB, rf"\$\\alpha = ({NUM})\$ and {NUM} still ruin the network"), stated(NB, rf"\$\\alpha = {NUM}\$ and ({NUM}) still ruin the network"))
    share = stated(NB, rf"still ruin the network \(({NUM}) % accuracy\)") / 100
    assert [acc[relu_at[a]] for a in ruined] == [share, share] and [tanh_acc[at[a]] for a in ruined] == [share, share]
    assert_rounds(NB, rf"the loss stays near\s+({NUM}) and", final[relu_at[ruined[0]]])
    assert_rounds(NB, rf"stays near\s+1 and ({NUM}) instead of", final[relu_at[ruined[1]]])
    assert stated(NB, rf"instead of ({NUM}) and {NUM} \(tanh") == round(tanh[at[ruined[0]]])
    assert stated(NB, rf"instead of {NUM} and ({NUM}) \(tanh") == round(tanh[at[ruined[1]]])


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]


# --- held-out data (issue 17 item 13) --------------------------------------------------------------------
@pytest.fixture(scope="module")
def held_out():
    loss = L11.network_loss()
    runs = {label: sv.run(opt, loss, steps=500) for label, opt in L11.optimizer_runs().items()}
    return loss, runs, L11.validation_loss(), L11.validation_loss(L11.TEST_SEED)


def test_held_out_sets_come_from_the_training_distribution(held_out):
    loss, runs, val, test = held_out
    n = stated(NB, rf"a \*\*validation set\*\* of ({NUM}) points")
    assert val.n == test.n == n == stated(NB, rf"\*\*test set\*\* of another ({NUM}) to report on")
    X, y = loss.X, loss.y
    for p in (val, test):
        assert p.y.mean() == 0.5 and not np.isin(p.X, X).any()                  # balanced, and fresh points
        r, r_train = np.hypot(*p.X.T), np.hypot(*X.T)                          # radius ~ t, uniform on [0.1, 1]
        assert abs(np.mean(r) - np.mean(r_train)) < 0.02 and abs(np.std(r) - np.std(r_train)) < 0.02
        ang = np.arctan2(p.X[:, 1], p.X[:, 0]) - 2 * np.pi * r - np.pi * p.y   # on the spiral of its class
        assert np.mean(np.abs(np.angle(np.exp(1j * ang)))) < 0.3
    assert not np.allclose(val.X, test.X)
    # "with 200 points, a single misclassified point adds 0.03 to 0.06 to the loss, as much as the three differ"
    small = int(stated(NB, rf"candidates: with ({NUM}) points, a single misclassified"))
    X200, y200 = L11.held_out_spirals(n=small, seed=L11.VALIDATION_SEED)
    worst, losses = [], []
    for tr in runs.values():
        z = loss.model.logits(tr.points[-1], X200)
        per = np.maximum(z, 0) - y200 * z + np.log1p(np.exp(-np.abs(z)))
        worst.append(per.max() / small)
        losses.append(per.mean())
    lo, hi = stated(NB, rf"misclassified point adds ({NUM}) to 0.06"), stated(NB, rf"adds 0.03 to ({NUM}) to the loss")
    assert lo - 0.005 <= min(worst) and max(worst) <= hi + 0.005
    assert max(worst) >= np.ptp(losses)


@pytest.fixture(scope="module")
def curves(held_out):
    loss, runs, val, test = held_out
    labels = [l for l in runs if l.startswith(("GD", "Adam"))]
    assert "".join(cells(NB, "code")).count('("GD, α = 1", "Adam, α = 0.03")') == 1
    return {label: (runs[label].losses, val.value(runs[label].points)) for label in labels}


def test_held_out_reading(held_out, sweep, curves):
    loss, runs, val, test = held_out
    lrs, tr, final, acc = sweep
    v = val.value(tr.points[-1])
    at = {float(a): i for i, a in enumerate(lrs)}
    assert int(np.argmin(v[:4])) == at[3.0]
    assert_rounds(NB, rf"\$\\alpha = 3\$ is best \(({NUM}) against", v[at[3.0]])
    assert_rounds(NB, rf"against ({NUM}) at \$\\alpha = 1\$\)\. Adam", v[at[1.0]])
    (gd_train, gd_val), (adam_train, adam_val) = curves.values()
    assert_rounds(NB, rf"Its training loss falls to ({NUM}), 27 times", adam_train[-1])
    assert stated(NB, rf"falls to 0.0004, ({NUM}) times below GD's") == round(gd_train[-1] / adam_train[-1])
    within = stated(NB, rf"the two end within\s+({NUM}) % of each other")
    assert np.ceil(100 * abs(adam_val[-1] / gd_val[-1] - 1)) == within
    assert_rounds(NB, rf"of each other \(({NUM}) and 0.020\)", adam_val[-1])
    assert_rounds(NB, rf"of each other \(0.018 and ({NUM})\)", gd_val[-1])
    assert stated(NB, rf"Adam's validation loss is lowest at step ({NUM}) \(") == int(np.argmin(adam_val))
    assert_rounds(NB, rf"lowest at step 228 \(({NUM})\) and then creeps up", adam_val.min())
    k = int(np.argmin(adam_val))
    assert np.all(np.diff(adam_train[k:]) < 0) and adam_val[-1] > adam_val[k]   # training falls, held-out creeps up


def test_stopping_check_and_solution(curves, capsys):
    adam = curves["Adam, α = 0.03"]
    train, v = adam
    best, first, last = L11.stopping_band(v)
    assert best == stated(NB, rf"Around step ({NUM}), where the dashed curve")
    assert_rounds(NB, rf"where the dashed curve is lowest \(({NUM})\)", v[best])
    assert (stated(NB, rf"the check accepts steps ({NUM}) to"), stated(NB, rf"accepts steps {NUM} to ({NUM}),")) == (first, last)
    band = stated(NB, rf"where it stays within\s+({NUM}) % of that")
    assert L11.STOP_BAND == 1 + band / 100
    assert np.all(v[first:last + 1] <= L11.STOP_BAND * v[best])
    assert v[first - 1] > L11.STOP_BAND * v[best] and v[last + 1] > L11.STOP_BAND * v[best]
    assert stated(NB, rf"Step 500, where the training loss\s+is lowest, is ({NUM}) % worse") == round(100 * (v[-1] / v[best] - 1))
    assert int(np.argmin(train)) == 500
    for k in (best, first, last):
        assert checks.check_stopping_step(k, adam) is True
        printed(capsys)
    for k in (first - 1, last + 1, 0):
        assert checks.check_stopping_step(k, adam) is False
        assert "dashed curve" in printed(capsys)
    assert checks.check_stopping_step(500, adam) is False
    assert "*training* loss is lowest" in printed(capsys)                       # the mistake, named
    for junk in MORE_JUNK + [-1, 501, 192.5]:
        assert checks.check_stopping_step(junk, adam) is False
        printed(capsys)
    for odd in (None, (train,), (train, v[:-1]), (train, np.full_like(v, np.nan)), "curves"):
        assert checks.check_stopping_step(200, odd) is False
        printed(capsys)


@pytest.fixture(scope="module")
def searches():
    return L11.momentum_search("grid"), L11.momentum_search("random", seed=0)


def test_search_setup_is_what_the_prose_says(searches):
    grid, rand = searches
    assert stated(NB, rf"Give a search ({NUM}) training runs of") == L11.SEARCH_RUNS == grid.lrs.size == rand.lrs.size
    assert stated(NB, rf"training runs of ({NUM}) steps, with") == L11.SEARCH_STEPS
    assert (stated(NB, rf"with \$\\alpha\$ from ({NUM}) to 1 and"), stated(NB, rf"with \$\\alpha\$ from 0.01 to ({NUM}) and")) \
        == L11.SEARCH_LR
    assert (stated(NB, rf"\$\\gamma\$ from ({NUM}) to\s+0.99"), stated(NB, rf"\$\\gamma\$ from 0 to\s+({NUM})")) \
        == (1 - L11.SEARCH_ONE_MINUS_GAMMA[1], 1 - L11.SEARCH_ONE_MINUS_GAMMA[0])
    for s in (grid, rand):
        assert s.lrs.min() >= 0.01 - 1e-12 and s.lrs.max() <= 1 + 1e-12
        assert s.momenta.min() >= -1e-12 and s.momenta.max() <= 0.99 + 1e-12
    assert (stated(NB, rf"\(\$1 - \\gamma\$ from ({NUM}) to"), stated(NB, rf"\(\$1 - \\gamma\$ from {NUM} to ({NUM})\)")) \
        == L11.SEARCH_ONE_MINUS_GAMMA[::-1]
    assert stated(NB, rf"the best of ({NUM}) validation losses") == stated(NB, rf"is the luckiest of ({NUM}),") == L11.SEARCH_RUNS
    side = stated(NB, rf"A ({NUM}) × 4 grid tries")
    assert side ** 2 == grid.lrs.size
    assert np.unique(grid.lrs).size == np.unique(grid.momenta.round(12)).size == stated(NB, rf"grid tries\s+({NUM}) values of each knob")
    assert np.unique(rand.lrs).size == np.unique(rand.momenta).size == stated(NB, rf"16 random settings try ({NUM}) of each")
    eff = np.unique(np.round(np.log10(grid.effective), 9))
    assert eff.size == stated(NB, rf"The grid's 16 runs test ({NUM}) effective steps")
    assert np.sum(np.isclose(grid.effective, 1.0)) == stated(NB, rf"effective steps\s+\(({NUM}) runs at 1\)")
    assert np.unique(np.round(np.log10(rand.effective), 9)).size == stated(NB, rf"\(4 runs at 1\), the random ones ({NUM})")


def test_search_reading(searches):
    grid, rand = searches
    test = L11.validation_loss(L11.TEST_SEED)
    groups = {}
    for e, v in zip(np.round(grid.effective, 9), grid.validation):
        groups.setdefault(e, []).append(v)
    up_to = stated(NB, rf"Up to an effective step of about ({NUM}) the right panel")
    beyond = stated(NB, rf"Beyond an effective step of ({NUM}) the runs spike")
    below = [max(g) / min(g) for e, g in groups.items() if e < up_to and len(g) > 1]
    above = [max(g) / min(g) for e, g in groups.items() if e >= beyond and len(g) > 1]
    assert max(below) < 1.35 and min(above) > 2                      # nearly one curve below 1, scattered above
    assert all(max(g) / min(g) < 1.35 for e, g in groups.items() if e < beyond)   # the scatter starts at 1
    same = [v for e, g in groups.items() if e >= beyond and len(g) > 1 for v in g]
    assert_rounds(NB, rf"settings\s+with the same effective step end anywhere from ({NUM}) to", min(same))
    assert_rounds(NB, rf"end anywhere from 0.015 to ({NUM})\.", max(same))
    g, r = grid.best, rand.best
    assert_rounds(NB, rf"In this draw the grid's best, ({NUM}) \(", grid.validation[g])
    assert stated(NB, rf"\(\$\\alpha = ({NUM})\$,\s+\$\\gamma = 0.785\$\)") == grid.lrs[g]
    assert_rounds(NB, rf"\$\\gamma = ({NUM})\$\), beats random", grid.momenta[g])
    assert_rounds(NB, rf"beats random search's, ({NUM}); with another", rand.validation[r])
    t = int(np.argmin(grid.train))
    assert stated(NB, rf"The grid's lowest \*training\* loss, \$10\^{{(-?\d+)}}\$") == round(np.log10(grid.train[t]))
    assert_rounds(NB, rf"\(\$\\alpha = ({NUM})\$, \$\\gamma = 0.99\$\), comes", grid.lrs[t])
    assert_rounds(NB, rf"\$\\gamma = ({NUM})\$\), comes\s+with", grid.momenta[t])
    assert_rounds(NB, rf"with a validation loss of ({NUM}), nine times", grid.validation[t])
    assert round(grid.validation[t] / grid.validation[g]) == 9 and "nine times the best" in markdown(NB)
    assert_rounds(NB, rf"the winners score ({NUM}) \(grid\)", float(test.value(grid.final[g])))
    assert_rounds(NB, rf"\(grid\) and ({NUM}) \(random\)", float(test.value(rand.final[r])))


def test_defaults_reading():
    loss = L11.network_loss()
    adam = sv.run(sv.Adam(10.0 ** stated(NB, rf"\*\*Adam with \$\\alpha = 10\^{{(-?\d+)}}\$\*\*")), loss, steps=500)
    assert_rounds(NB, rf"its\s+training loss is ({NUM}) after 500 steps", adam.losses[-1])
    call = stated_text(NB, r"\(`(sv\.lr_range_test\(\"Momentum\", loss, lr_min=[\d.e-]+, lr_max=[\d.e-]+, steps=\d+, momentum=[\d.]+\))`\)")
    lo, hi, steps, gamma = (float(v) for v in re.findall(NUM, call.split("loss,")[1]))
    assert gamma == stated(NB, rf"SGD with momentum\s+\$\\gamma = ({NUM})\$\*\*")
    rt = sv.lr_range_test("Momentum", loss, lr_min=lo, lr_max=hi, steps=int(steps), momentum=gamma)
    assert_rounds(NB, rf"suggests \$\\alpha = ({NUM})\$,\s+close to", rt.suggested_lr)
    # the batch size: lesson 10's floor grows like alpha / b; twice the batch, about twice the step, below the limit
    from stepviz.analysis import stochastic as st
    data = sv.lessons.stochastic_gradients.sgd_data()
    floors = [st.sgd_stationary(data, 0.05 * 2 ** k, 5 * 2 ** k)[1] for k in range(3)]
    assert max(floors) / min(floors) < 1.3
    limit = stated(NB, rf"which never passes \$({NUM})/L\$ however large the batch") / data.L
    assert all(st.mean_square_limit(data, b) <= limit * (1 + 1e-3) for b in (1, 10, 50, 100, 199, 200))
    assert st.mean_square_limit(data, 200) == pytest.approx(limit, rel=1e-3)      # reached at the full batch


def test_the_held_out_figures_draw_what_they_are_given(searches, curves):
    import matplotlib.pyplot as plt
    grid, rand = searches
    out = sv.viz.plot_search({"grid": (grid.lrs, grid.momenta, grid.validation),
                              "random": (rand.lrs, rand.momenta, rand.validation)})
    for label, s in (("grid", grid), ("random", rand)):
        x, y = out["settings"][label].get_data()
        np.testing.assert_allclose(x, 1 - s.momenta) and np.testing.assert_allclose(y, s.lrs)
        x, y = out["losses"][label].get_data()
        ok = np.isfinite(s.validation)
        np.testing.assert_allclose(x, s.effective[ok]) and np.testing.assert_allclose(y, s.validation[ok])
        bx, by = out["best"][label].get_data()
        assert by[0] == s.validation[s.best] and bx[0] == pytest.approx(s.effective[s.best])
    plt.close("all")
    out = sv.viz.plot_train_and_validation(curves)
    for label, (train, val) in curves.items():
        lt, lv, mk = out[label]
        np.testing.assert_array_equal(lt.get_ydata(), train) and np.testing.assert_array_equal(lv.get_ydata(), val)
        assert mk.get_xdata()[0] == int(np.argmin(val))
        assert lt.get_color() == lv.get_color() and lv.get_linestyle() == "--"
    plt.close("all")


# --- every step size, count and setting the prose names is the one the course runs (issue 21) --------------

def _flips(losses):
    return np.mean(np.sign(np.diff(losses[1:])) != np.sign(np.diff(losses[:-1])))


def test_every_regime_named_is_the_sweeps(sweep):
    """Each sentence that puts a step size in a regime: the sweep's run of that step size is in it."""
    lrs, tr, final, acc = sweep
    at = {float(a): i for i, a in enumerate(lrs)}
    regimes = {
        "fast": lambda i: acc[i] == 1.0 and len(sv.analysis.loss_spikes(tr.losses[:, i])) >= 3,
        "ruined": lambda i: acc[i] == 0.5,
        "unsettled": lambda i: _flips(tr.losses[100:, i]) > 0.9,
        "cycle": lambda i: np.ptp(tr.losses[-4::2, i]) < 1e-9 and np.ptp(tr.losses[-3::2, i]) < 1e-9
                           and abs(tr.losses[-1, i] - tr.losses[-2, i]) > 1,
    }
    a = rf"\$\\alpha = ({NUM})\$"
    named = [(rf"{a} and {NUM} learn fast, with", "fast"), (rf"\$\\alpha = {NUM}\$ and ({NUM}) learn fast", "fast"),
             (rf"At {a} the loss stays high for good", "ruined"), (rf"At {a} the loss never settles", "unsettled"),
             (rf"not a law of {a} \(section", "unsettled"), (rf"### {a}: a cycle instead", "cycle"),
             (rf"it cycles \({a}\)", "cycle"), (rf"{a} and {NUM} reach {NUM} % accuracy", "fast"),
             (rf"\$\\alpha = {NUM}\$ and ({NUM}) reach {NUM} % accuracy", "fast"),
             (rf"the sweep's {a}\s+and\s+{NUM} are ruined", "ruined"), (rf"the sweep's \$\\alpha = {NUM}\$\s+and\s+({NUM}) are ruined", "ruined")]
    for pattern, regime in named:
        alpha = stated(NB, pattern)
        assert alpha in at and regimes[regime](at[alpha]), (pattern, alpha, regime)
    assert stated(NB, rf"and 3 reach ({NUM}) % accuracy") == 100 * acc[at[1.0]] == 100 * acc[at[3.0]]
    lowest = stated(NB, rf"and\s+{a} ends with the lowest loss of the sweep")
    assert int(np.argmin(final[:len(L11.SWEEP_LRS)])) == at[lowest]
    five = stated(NB, rf"\*\*Try this:\*\* add {a} to `lrs`")
    lo, hi = stated(NB, rf"Between ({NUM}) and {NUM}: it thrashes"), stated(NB, rf"Between {NUM} and ({NUM}): it thrashes")
    assert (lo, hi) == (max(x for x in L11.SWEEP_LRS if x < five), min(x for x in L11.SWEEP_LRS if x > five))
    ok = _trains(tr)
    assert ok[at[lo]] and not ok[at[five]] and not ok[at[hi]]


def test_counts_and_settings_the_prose_names(sweep, held_out):
    lrs, tr, final, acc = sweep
    loss, runs, _, _ = held_out
    n = loss.X.shape[0]
    for pattern in (rf"These ({NUM}) points are the \*\*training set\*\*", rf"and all\s+({NUM}) logits are equal",
                    rf"measured on the ({NUM}) points the network trains on", rf"fit the ({NUM}) training points"):
        assert stated(NB, pattern) == n, pattern
    assert stated(NB, rf"two hidden layers\s+of ({NUM}) \$\\tanh\$ units") == L11.SIZES[1] == L11.SIZES[2]
    assert stated(NB, rf"Same start, same data, ({NUM}) full-batch GD steps each") == tr.steps \
        == stated(NB, rf"78.5 % accuracy after ({NUM}) steps")
    kw = call_arguments(NB, "lr_range_test")
    assert (10.0 ** stated(NB, rf"grows every step from \$10\^{{(-?\d+)}}\$ to"), 10.0 ** stated(NB, rf"\$ to \$10\^{{(-?\d+)}}\$ \(Smith 2017")) \
        == (kw["lr_min"], kw["lr_max"])
    assert stated(NB, rf"grows every step from \$({NUM})\^") == stated(NB, rf"\$ to \$({NUM})\^{{{NUM}}}\$ \(Smith") == 10
    # the optimizers compared: momentum's step and gamma, GD's step, the effective step
    a, g, b = (stated(NB, rf"Momentum with \$\\alpha = ({NUM}), \\gamma"), stated(NB, rf"Momentum with \$\\alpha = {NUM}, \\gamma = ({NUM})\$"),
               stated(NB, rf"tracks GD with \$\\alpha = ({NUM})\$ \(they end"))
    assert f"Momentum, α = {a:g}, γ = {g:g}" in runs and f"GD, α = {b:g}" in runs
    assert_rounds(NB, rf"its effective step is\s+\$\\alpha / \(1 - \\gamma\) = ({NUM})\$", a / (1 - g))
    assert a / (1 - g) == pytest.approx(b)
    assert stated(NB, rf"close to the ({NUM}) used above") == a
    adam = float(runs["Adam, α = 0.03"].losses[-1])
    assert_rounds(NB, rf"still 6 times Adam's ({NUM})\.", adam)
    assert_rounds(NB, rf"after 500 steps \(({NUM}) at \$\\alpha", adam)
    adam_lr = stated(NB, rf"after 500 steps \(0.0004 at \$\\alpha = ({NUM})\$\)")
    assert f"Adam, α = {adam_lr:g}" in runs


def test_defaults_are_named_alike_everywhere():
    adam = stated(NB, rf"\*\*Adam with \$\\alpha = 10\^{{(-?\d+)}}\$\*\*")
    gamma = stated(NB, rf"SGD with momentum\s+\$\\gamma = ({NUM})\$\*\*")
    assert stated(NB, rf"Here Adam at \$10\^{{(-?\d+)}}\$ is safe but slow") == adam \
        == stated(NB, rf"Start from Adam at \$10\^{{(-?\d+)}}\$ or momentum") == -3
    assert stated(NB, rf"Here Adam at \$({NUM})\^") == stated(NB, rf"Start from Adam at \$({NUM})\^") == 10
    assert stated(NB, rf"The range test for momentum with \$\\gamma = ({NUM})\$") == gamma \
        == stated(NB, rf"or momentum ({NUM}) with a\s+range test") == 0.9


def test_the_formulas_of_the_network_and_its_cycle(sweep):
    """The output's probability, the cross-entropy, the one-logit loss of the cycle, its slope and curvature, and
    the loss's |z|/2 at the cycle: each with the constants the prose writes, against the network's own loss."""
    lrs, tr, final, acc = sweep
    loss = L11.network_loss()
    theta = tr.points[-1, list(lrs).index(1.0)]
    z, y = loss.model.logits(theta, loss.X), loss.y
    label = stated(NB, rf"P\(y = ({NUM}) \\mid x\) = \\sigma\(z\)")
    assert np.mean((1 / (1 + np.exp(-z)) > 0.5) == (y == label)) == loss.accuracy(theta)
    one = stated(NB, rf"\\big\[\\log\(({NUM}) \+ e\^{{z_n}}\) - y_n z_n\\big\]")
    assert loss.value(theta) == pytest.approx(np.mean(np.log(one + np.exp(z)) - y * z), rel=1e-9)
    c1, c2 = stated(NB, rf"\$J\(z\) = \\log\(({NUM}) \+ e\^z\) - z/{NUM}\$"), stated(NB, rf"\$J\(z\) = \\log\({NUM} \+ e\^z\) - z/({NUM})\$")
    i10 = list(lrs).index(10.0)
    for k in (100, 101):
        zk = _forward(loss.model, tr.points[k, i10], loss.X)[2]
        assert tr.losses[k, i10] == pytest.approx(np.log(c1 + np.exp(zk[0])) - zk[0] / c2, rel=1e-9)
        assert tr.losses[k, i10] == pytest.approx(abs(zk[0]) / stated(NB, rf"\(\$\\approx \|z\|/({NUM})\$\)"), rel=0.01)
    half = stated_text(NB, r"J'\(z\) = \\sigma\(z\) - \\tfrac(\d\d)\$")
    J = lambda v: np.log(1 + np.exp(v)) - v / 2  # noqa: E731  (the one-logit loss as 11 computes it: half the labels)
    for v in (-3.0, 0.4, 2.0):
        assert (J(v + 1e-6) - J(v - 1e-6)) / 2e-6 == pytest.approx(1 / (1 + np.exp(-v)) - int(half[0]) / int(half[1]), abs=1e-6)
    k, at = stated(NB, rf"parabola of curvature \$({NUM}) \\cdot \\sigma'\({NUM}\) = "), stated(NB, rf"parabola of curvature \${NUM} \\cdot \\sigma'\(({NUM})\) = ")
    s = 1 / (1 + np.exp(-at))
    assert k == SIZES_OUT and k * s * (1 - s) == stated(NB, rf"\\sigma'\(0\) = 17/4 = ({NUM})\$")


def test_one_minus_gamma_of_the_search(searches):
    grid, rand = searches
    for pattern in (rf"a single\s+combination of the knobs, \$\\alpha/\(({NUM}) - \\gamma\)\$", rf"Momentum's effective step is \$\\alpha/\(({NUM})-\\gamma\)\$"):
        np.testing.assert_allclose(grid.lrs / (stated(NB, pattern) - grid.momenta), grid.effective, rtol=1e-12)
    one = stated(NB, rf"\(\$({NUM}) - \\gamma\$ from")
    for s in (grid, rand):
        assert (one - s.momenta).min() >= 0.01 - 1e-12 and (one - s.momenta).max() <= 1 + 1e-12


def _spikes_by_hand(loss, rise=1.3, window=10):
    """The steps where a loss curve spikes, written out: a local maximum more than ``rise`` times the lowest loss
    of the ``window`` steps before it."""
    return [k for k in range(1, len(loss) - 1)
            if loss[k] > loss[k - 1] and loss[k] >= loss[k + 1] and loss[k] > rise * min(loss[max(0, k - window):k])]


def test_alpha_1_spikes_answer(sweep, nudged):
    """The Try-this 'drag alpha to 1 and press Play: when do the spikes come?': its answer holds for the run at the
    step size the question names (one of the explorer's stops), and its first spike for every nudged start."""
    lrs, tr, final, acc = sweep
    a = stated(NB, rf"\*\*Try this:\*\* in the explorer, drag \$\\alpha\$ to ({NUM}) and press \*\*Play\*\*")
    assert a in L11.SWEEP_LRS                                    # the explorer's stops are the sweep's step sizes
    assert stated(NB, rf"At \$\\alpha = ({NUM})\$ the first spike comes at step") == a
    loss = tr.losses[:, list(lrs).index(a)]
    spikes = _spikes_by_hand(loss)
    assert spikes == list(sv.analysis.loss_spikes(loss))
    first = stated(NB, rf"the first spike comes at step ({NUM}), the next ones")
    later = [stated(NB, rf"the next ones in this run at steps ({NUM}), {NUM} and {NUM};"),
             stated(NB, rf"the next ones in this run at steps {NUM}, ({NUM}) and {NUM};"),
             stated(NB, rf"the next ones in this run at steps {NUM}, {NUM} and ({NUM});")]
    assert spikes == [first, *later]
    assert np.all(np.diff(loss[spikes[-1]:]) < 0)                # "after the last one the loss falls at every step"
    nl, ntr = nudged
    runs = ntr.losses[:, :, list(nl).index(a)].T                 # one loss curve per nudged start
    assert stated(NB, rf"The first spike comes at step ({NUM}) from every nudged start") == first
    assert all(_spikes_by_hand(r)[0] == first for r in runs)
    assert any(_spikes_by_hand(r)[1:] != later for r in runs)   # "the later ones move"
