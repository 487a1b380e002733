"""The source notebooks of the graded problem sets: valid nbgrader metadata, stable grade_ids, points that add up
to what each header states, the mix of questions issue 19 asks for, and questions whose text states the numbers
their checks use."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from nbgrader.nbgraderformat import MetadataValidator

from assignments import samples, sets
from stepviz.lessons import grading

from .conftest import NAMES, problem_set, release

#: The course's grading scheme (INSTRUCTORS.md states it): set -> (points by tests, points by hand, minutes).
SCHEME = {
    "ps1_update_rule_and_stable_steps": (9, 2, 40),
    "ps2_step_size_choice_and_schedules": (7, 2, 35),
    "ps3_momentum_and_nesterov": (10, 2, 40),
    "ps4_adaptive_methods": (9, 2, 40),
    "ps5_stochastic_gradients_and_networks": (6, 2, 35),
}


#: The graded cells of each set and their points, as released. The gradebook finds a submission's cells by these
#: grade_ids: once a set has been handed out, renaming one (or changing its points) breaks the grading of the
#: copies already out there. Change this only for a set not yet released.
GRADED_CELLS = {
    "ps1_update_rule_and_stable_steps": "gd_rule_test=2 gd_rule_more=1 iterate_test=1 stable_step_test=1 "
                                        "converges_test=1 local_limit_test=2 escape_test=1 written=2",
    "ps2_step_size_choice_and_schedules": "cosine_rule_test=2 cosine_rule_more=1 grid_cost_test=1 "
                                          "fastest_schedule_test=2 epoch_test=1 written=2",
    "ps3_momentum_and_nesterov": "momentum_rule_test=2 momentum_rule_more=1 nesterov_rule_test=2 "
                                 "nesterov_rule_more=1 stable_test=1 optimum_test=2 nesterov_limit_test=1 written=2",
    "ps4_adaptive_methods": "rmsprop_rule_test=2 rmsprop_rule_more=1 adam_rule_test=2 adam_rule_more=1 "
                            "rmsprop_first_test=1 adam_first_test=1 adadelta_first_test=1 written=2",
    "ps5_stochastic_gradients_and_networks": "gradient_rule_test=2 gradient_rule_more=1 batch_factor_test=1 "
                                             "sharpness_test=1 range_test_test=1 written=2",
}


def test_the_five_problem_sets_cover_the_course_in_order():
    assert NAMES == list(SCHEME)


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_has_valid_nbgrader_metadata_and_a_stable_id(name):
    ps = problem_set(name)
    validator = MetadataValidator()
    ids = []
    for cell in ps.notebook.cells:
        validator.validate_cell(cell)  # raises on a metadata error, as generate_assignment would
        meta = sets.nbgrader(cell)
        assert meta, f"{name}: a cell without nbgrader metadata: {cell.source[:60]!r}"
        gid = meta["grade_id"]
        assert re.fullmatch(rf"{name[:3]}_[a-z0-9_]+", gid), f"{name}: grade_id {gid!r}"
        assert cell.id == gid, f"{name}: the cell id {cell.id!r} should be its grade_id {gid!r}"
        ids.append(gid)
        if not (sets.is_answer(cell) or sets.is_written(cell)):
            assert meta["locked"], f"{name}: {gid} is neither an answer nor locked"
    assert len(ids) == len(set(ids))
    assert ps.notebook.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", NAMES)
def test_the_graded_cells_keep_their_grade_ids_and_points(name):
    ps = problem_set(name)
    graded = " ".join(f"{g[4:]}={ps.points(g):g}" for g in (*ps.test_ids, *ps.written))
    assert graded == GRADED_CELLS[name]


def test_grade_ids_are_unique_across_the_course():
    ids = [sets.nbgrader(c)["grade_id"] for name in NAMES for c in problem_set(name).notebook.cells]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", NAMES)
def test_each_set_mixes_a_function_to_write_values_and_a_written_answer(name):
    ps = problem_set(name)
    rules = [q for q in ps.questions if q.kind]
    values = [q for q in ps.questions if q.variable]
    assert rules and all(q.kind in grading.kinds() for q in rules)
    assert len(values) >= 3 and len(rules) + len(values) == len(ps.questions)
    assert len(ps.written) == 1 and ps.points(ps.written[0]) == 2


@pytest.mark.parametrize("name", NAMES)
def test_questions_follow_the_naming_and_test_conventions(name):
    ps = problem_set(name)
    for q in ps.questions:
        answer = ps.cell(q.answer).source
        assert all(marker in answer for marker in sets.SOLUTION_MARKERS), q.answer
        if q.kind:  # a function: a visible test (the rule check) and a test of hidden cases only
            assert q.tests == (f"{q.answer}_test", f"{q.answer}_more")
            assert f"def {q.function}(" in answer
            assert ps.cell(q.tests[0]).source.rstrip().endswith(f'grading.expect_rule({q.function}, "{q.kind}")')
            more = ps.cell(q.tests[1]).source
            assert f'grading.expect_rule_more({q.function}, "{q.kind}")' in more
            assert more.index(sets.HIDDEN_MARKERS[0]) < more.index("expect_rule_more")
        else:  # a value: the visible test checks its form, the hidden test its value with the lesson's check
            assert q.tests == (f"{q.answer}_test",)
            test = ps.cell(q.tests[0]).source
            visible, hidden = test.split(sets.HIDDEN_MARKERS[0])
            assert re.search(rf"grading\.expect_(number|numbers|bool|choice)\({q.variable}\b", visible)
            assert re.search(rf"grading\.expect\(sv\.checks\.check_\w+, {q.variable}\b", hidden)
        for t in q.tests:
            assert ps.points(t) > 0 and sets.nbgrader(ps.cell(t))["locked"]


@pytest.mark.parametrize("name", NAMES)
def test_points_and_time_match_the_header_and_the_scheme(name):
    ps = problem_set(name)
    auto, by_hand, minutes = SCHEME[name]
    assert (ps.auto_points, ps.total - ps.auto_points) == (auto, by_hand)
    header = ps.notebook.cells[0].source
    assert f"**Time:** about {minutes} minutes" in header
    assert f"**Points:** {auto + by_hand:g} ({auto:g} graded by tests, {by_hand:g} by hand)" in header
    stated = [int(p) for p in re.findall(r"^\| \d+ \| .+ \| (\d+) \|$", header, re.M)]
    per_question = [sum(ps.points(t) for t in q.tests) for q in ps.questions] + [ps.points(w) for w in ps.written]
    assert stated == per_question
    headings = [int(h) for c in ps.notebook.cells
                for h in re.findall(r"^## \d+\. .*\((\d+) points?\)$", c.source, re.M)]
    assert headings == per_question


def _numbers(text: str) -> set:
    """Every number a markdown text states: 0.065, 12,000, 10^{-3}, 2.5\\,\\theta^2 ..."""
    text = text.replace("{,}", "")
    found = {float(m.replace(",", "")) for m in re.findall(r"(?<![A-Za-z0-9.])\d[\d,]*(?:\.\d+)?(?:e-?\d+)?", text)}
    found |= {10.0 ** int(e) for e in re.findall(r"10\^\{?(-?\d+)\}?", text)}
    return found


#: Numbers a check uses that the question leaves to the learner to derive, with how.
DERIVED = {("ps1_stable_step", 5.0): "lambda = 5 from J = 2.5 theta^2 = lambda theta^2 / 2"}


def _literals(node) -> list:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and type(n.value) in (int, float)]


@pytest.mark.parametrize("name", NAMES)
def test_each_question_states_the_numbers_its_check_uses(name):
    """A question whose text says lambda = 3 while its hidden test checks lambda = 4 would be wrong: every number
    in the hidden check's call (and in the setup cells the question shows) appears in the question's text."""
    ps = problem_set(name)
    cells = ps.notebook.cells
    for q in ps.questions:
        if q.kind:
            continue
        i = next(k for k, c in enumerate(cells) if sets.nbgrader(c)["grade_id"] == q.answer)
        text = next(c.source for c in reversed(cells[:i]) if c.cell_type == "markdown")
        stated = _numbers(text)
        test = ps.cell(q.tests[0]).source.split(sets.HIDDEN_MARKERS[0])[1]
        call = next(n for n in ast.walk(ast.parse(sets.without_markers(test, sets.HIDDEN_MARKERS)))
                    if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "expect")
        used = _literals(call)
        assert used or "lam_trained" in test or "rt" in test, f"{q.answer}: the check takes no numbers"
        missing = [v for v in used if not any(abs(v - s) <= 1e-12 * max(1, abs(s)) for s in stated)
                   and (q.answer, v) not in DERIVED]
        assert not missing, f"{q.answer}: the check uses {missing}, which the question does not state:\n{text}"


@pytest.mark.parametrize("name", NAMES)
def test_the_release_keeps_no_solution_and_no_hidden_test(name):
    ps, rel = problem_set(name), release(name)
    text = "\n".join(c.source for c in rel.cells)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    for q in ps.questions:
        answer = next(c for c in rel.cells if sets.nbgrader(c)["grade_id"] == q.answer).source
        assert "raise NotImplementedError()" in answer
        if q.variable:
            assert answer.startswith(f"{q.variable} = None")
    for w in ps.written:
        assert next(c for c in rel.cells if sets.nbgrader(c)["grade_id"] == w).source == "YOUR ANSWER HERE"


def _instructors_section() -> str:
    text = (Path(__file__).resolve().parents[2] / "INSTRUCTORS.md").read_text()
    start = text.index("## Graded problem sets")
    return text[start:text.index("\n## ", start + 1)]


def test_instructors_md_states_each_sets_time_and_points():
    rows = re.findall(r"^\| `(ps\d_\w+)` \| [^|]+ \| (\d+) \| (\d+) \+ (\d+) \|", _instructors_section(), re.M)
    assert {name: (int(auto), int(hand), int(minutes)) for name, minutes, auto, hand in rows} == SCHEME


def test_instructors_md_states_each_samples_score():
    section, ps = _instructors_section(), problem_set(NAMES[0])
    assert f"| sample (set 1) | what it is | score of {ps.total:g} |" in section
    rows = re.findall(r"^\| (`[a-z0-9-]+`(?:, `[a-z0-9-]+`)*) \| [^|]+ \| (\d+) \|$", section, re.M)
    stated = {n: float(score) for names, score in rows for n in re.findall(r"`([a-z0-9-]+)`", names)}
    assert stated == {s.name: s.expected(ps) for s in samples.samples(ps)}
