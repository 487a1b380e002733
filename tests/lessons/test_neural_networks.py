"""Lesson 11 (11_neural_networks.ipynb): every number its prose states is what the course computes; its
figures show what the prose says; its self-checks accept right answers, never raise."""
import pytest

import stepviz as sv
from stepviz import checks

import numpy as np

from .answers import MORE_JUNK, printed
from .prose import NUM, assert_rounds, markdown, stated

NB = "11_neural_networks"
L11 = sv.lessons.neural_networks


@pytest.fixture(scope="module")
def rt():
    return sv.lr_range_test("GD", L11.network_loss(), lr_min=1e-3, lr_max=100.0, steps=200)


def test_range_pick_accepts_suggested(rt, capsys):
    assert checks.check_range_test_pick(rt.suggested_lr, rt) is True
    assert checks.check_range_test_pick(rt.min_lr / 3, rt) is True
    printed(capsys)


@pytest.mark.parametrize("factor", [1.0, 1.2, 5.0, 1 / 50, 1 / 1000])
def test_range_pick_rejects(rt, factor, capsys):
    assert checks.check_range_test_pick(rt.min_lr * factor, rt) is False
    printed(capsys)


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
    lrs = np.array(L11.SWEEP_LRS + (5.0,))
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
    assert_rounds(NB, rf"\$\\alpha = 3\$\s+ends lowest, at ({NUM})", final[at[3.0]])
    for a in (1.0, 3.0):
        assert len(sv.analysis.loss_spikes(tr.losses[:, at[a]])) >= 3
    assert_rounds(NB, rf"the loss stays high for good \(about ({NUM}), accuracy", final[at[10.0]])
    assert stated(NB, rf"about 22, accuracy ({NUM}) %") == 100 * acc[at[10.0]]
    saw = tr.losses[100:, at[30.0]]
    alternating = np.mean(np.sign(np.diff(saw[1:])) != np.sign(np.diff(saw[:-1])))
    assert alternating > 0.9                                   # it flips at almost every step
    assert np.ptp(saw[::2]) > 30                               # the branches drift apart and together again
    assert saw.min() > stated(NB, rf"it never comes\s+below ({NUM}) after step 100")


def test_alpha_5_answer(sweep):
    lrs, tr, final, acc = sweep
    l5 = tr.losses[:, -1]
    first, last = int(stated(NB, rf"From step ({NUM}) to step")), int(stated(NB, rf"From step {NUM} to step ({NUM}) its loss"))
    floor = stated(NB, rf"its loss is above ({NUM}) at all but")
    assert np.sum(l5[first:last + 1] <= floor) == stated(NB, rf"at all but ({NUM}) steps")
    assert l5[first - 1] < floor and np.all(l5[-100:] < floor)
    assert_rounds(NB, rf"recovers and\s+ends at ({NUM})", final[-1])
    assert_rounds(NB, rf"ends at 0.054 \(({NUM}) % accuracy\)", 100 * acc[-1])
    assert stated(NB, rf"already thrashes for ({NUM}) steps") == last


def test_range_test_reading(rt, sweep):
    lrs, tr, final, acc = sweep
    at = {float(a): i for i, a in enumerate(lrs)}
    assert_rounds(NB, rf"`rt.suggested_lr`, about ({NUM})", rt.suggested_lr)
    assert_rounds(NB, rf"lowest loss of the sweep \(({NUM}) against", final[at[3.0]])
    assert_rounds(NB, rf"against ({NUM}) at\s+\$\\alpha = 1\$\)", final[at[1.0]])
    assert acc[at[1.0]] == acc[at[3.0]] == 1.0
    bump = tr.losses[100:200, at[3.0]]
    assert_rounds(NB, rf"the loss climbs to about ({NUM}) near step", bump.max())
    assert abs(stated(NB, rf"near step ({NUM})") - (100 + int(np.argmax(bump)))) <= 10
    assert_rounds(NB, rf"The range test's lowest point, ({NUM}), sits", rt.min_lr)
    assert_rounds(NB, rf"just below its blow-up at ({NUM})", rt.blowup_lr)


def test_optimizer_comparison_reading():
    loss = L11.network_loss()
    final = {label: float(loss.value(sv.run(opt, loss, steps=500).points[-1])) for label, opt in L11.optimizer_runs().items()}
    gd, mom, adam = final.values()
    assert_rounds(NB, rf"\(they end at ({NUM}) and", gd)
    assert_rounds(NB, rf"they end at {NUM} and ({NUM})\)", mom)
    assert_rounds(NB, rf"worth a factor of ({NUM}) in loss", gd / adam)
    assert_rounds(NB, rf"after 500 steps \(({NUM})\)", adam)
    gd3 = float(loss.value(sv.run(sv.GD(3.0), loss, steps=500).points[-1]))
    mom3 = float(loss.value(sv.run(sv.Momentum(0.3, momentum=0.9), loss, steps=500).points[-1]))
    assert_rounds(NB, rf"GD with \$\\alpha = 3\$ ends at ({NUM})", gd3)
    assert_rounds(NB, rf"momentum with \$\\alpha = 0.3\$ at ({NUM})", mom3)
    assert_rounds(NB, rf"still ({NUM}) times Adam's", mom3 / adam)


def test_exercise_answers():
    loss = L11.network_loss()
    mb = sv.run(sv.GD(1.0), loss, steps=500, batch_size=20, seed=0).losses
    assert_rounds(NB, rf"it jumps between ({NUM}) and", mb[-100:].min())
    assert_rounds(NB, rf"jumps between {NUM} and ({NUM}) \(mean", mb[-100:].max())
    assert_rounds(NB, rf"\(mean ({NUM})\), far", mb[-100:].mean())
    relu = L11.network_loss(activation="relu")
    tr = sv.run(sv.GD(np.array(L11.SWEEP_LRS)), relu, steps=500)
    final, acc = relu.value(tr.points[-1]), relu.accuracy(tr.points[-1])
    assert_rounds(NB, rf"learns much faster \(({NUM}) instead of", final[0])
    assert_rounds(NB, rf"\$\\alpha = 1\$ ends lowest \(({NUM})\)", final[2]) and int(np.argmin(final)) == 2
    assert_rounds(NB, rf"is worse than with tanh \(({NUM})\)", final[3])
    assert list(acc[4:]) == [0.5, 0.5]
    assert_rounds(NB, rf"the loss stays near\s+({NUM}) and", final[4])
    assert_rounds(NB, rf"stays near\s+1 and ({NUM}) instead of", final[5])


def test_every_prompt_and_exercise_has_an_answer():
    text = markdown(NB)
    assert text.count("<details>") >= text.count("**Try this**") + text.count("**Think!**") + 1
    assert "<details><summary>Answers</summary>" in text.split("## Exercises")[1]
