"""Every sample submission of every set, graded in this process the way autograde grades it (inprocess.py): the
solution passes every test, the untouched release none, each catalogued mistake fails exactly its question's tests
with the hint that names it, a raising or endless answer costs only its own question. The same samples go through
the real nbgrader pipeline in test_pipeline.py (set 1 always, all sets with STEPVIZ_GRADE_ALL=1)."""
from __future__ import annotations

import pytest

from assignments import samples, sets
from stepviz.lessons import grading, rule_check

from .conftest import NAMES, grader, problem_set, release, sample_cases


@pytest.mark.parametrize("name, sample", sample_cases())
def test_each_sample_fails_exactly_the_tests_it_must(name, sample):
    g = grader(name)
    results = g.grade(sample.notebook(release(name)))
    wrong = g.failing(results) ^ sample.failing
    assert not wrong, {t: results[t].output[-300:] for t in wrong}
    if not sample.timeout:  # (the time limit's own message is nbgrader's: test_pipeline checks it)
        assert sample.hint in " ".join(" ".join(results[t].output for t in sample.failing).split())
    timed_out = [gid for gid, r in results.items() if r.timed_out]
    assert timed_out == ([sample.timeout] if sample.timeout else [])


@pytest.mark.parametrize("name", NAMES)
def test_the_samples_cover_every_catalogued_mistake_and_every_kind_of_failure(name):
    ps, got = problem_set(name), samples.samples(problem_set(name))
    by_name = {s.name: s for s in got}
    assert {"solution", "untouched", "raises", "loops", "edited-test"} <= set(by_name)
    assert by_name["solution"].expected(ps) == ps.total and by_name["untouched"].expected(ps) == 0
    for q in (q for q in ps.questions if q.kind):
        hints = {s.hint for s in got if q.answer in s.answers and s.failing == frozenset(q.tests)}
        assert {hint for _, _, hint in grading.mistakes(q.kind)} <= hints
        for s in got:  # a mistake sample keeps every other answer of the solution
            if s.failing == frozenset(q.tests) and not s.edits:
                assert {k: v for k, v in s.answers.items() if k != q.answer} == \
                       {k: v for k, v in by_name["solution"].answers.items() if k != q.answer}
    edits = by_name["edited-test"].edits
    assert edits and all(sets.nbgrader(ps.cell(g))["locked"] for g in edits)


def halved(theta, grad, lr):  # a mistake a catalogue might add (module level, so its source reads as a cell)
    return theta - 0.5 * lr * grad(theta)


def test_a_mistake_added_to_the_rule_catalogue_becomes_a_sample(monkeypatch):
    """content helpers extend rule_check.MISTAKES: the samples (and so grade-demo) pick a new entry up by itself."""
    hint = "Half a step: subtract the whole α∇J(θ)."
    monkeypatch.setitem(rule_check.MISTAKES, "GD", [*rule_check.MISTAKES["GD"], ("half step", halved, hint)])
    name = NAMES[0]
    added = [s for s in samples.samples(problem_set(name)) if s.name == "gd-rule-half-step"]
    assert added and added[0].hint == hint and "def gd_step(theta, grad, lr):" in added[0].answers["ps1_gd_rule"]
    g = grader(name)
    results = g.grade(added[0].notebook(release(name)))
    assert g.failing(results) == added[0].failing and hint in " ".join(results["ps1_gd_rule_test"].output.split())


def test_mistake_code_reads_like_a_learners_cell():
    assert samples.mistake_code("GD", "sign", "gd_step") == \
        "def gd_step(theta, grad, lr):\n    return theta + lr * grad(theta)"
    # a mistake the catalogue builds from a variant has no source of its own: the cell binds the catalogue's function
    assert samples.mistake_code("Adam", "sign", "adam_step") == \
        'adam_step = grading.mistake("Adam", "sign")  # the catalogued mistake "sign"'


def test_a_mistake_built_by_a_helper_is_bound_not_copied(monkeypatch):
    """A closure's source names variables of its helper: the sample binds the catalogue's function instead."""
    def scaled(factor):
        def wrong(theta, grad, lr):
            return theta - factor * lr * grad(theta)
        return wrong

    hint = "Twice the step: subtract α∇J(θ) once."
    monkeypatch.setitem(rule_check.MISTAKES, "GD", [*rule_check.MISTAKES["GD"], ("double step", scaled(2.0), hint)])
    assert samples.mistake_code("GD", "double step", "gd_step") == \
        'gd_step = grading.mistake("GD", "double step")  # the catalogued mistake "double step"'
    name = NAMES[0]
    sample = next(s for s in samples.samples(problem_set(name)) if s.name == "gd-rule-double-step")
    results = grader(name).grade(sample.notebook(release(name)))
    assert grader(name).failing(results) == sample.failing
    assert hint in " ".join(results["ps1_gd_rule_test"].output.split())
