"""The problem sets in source/: their questions, test cells, points and model answers, read from the notebooks'
nbgrader metadata (nothing here repeats what a notebook says).

A question is an autograded answer cell and the test cells that follow it; its grade_ids are the answer's
``psN_<name>`` and ``psN_<name>_test`` (visible tests, with hidden tests inside) or ``psN_<name>_more`` (hidden
tests only). The written answer is a markdown cell graded by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

SOURCE = Path(__file__).resolve().parent / "source"
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
#: A visible test of a function the learner writes: grading.expect_rule(<function>, "<kind>").
EXPECT_RULE = re.compile(r'grading\.expect_rule\((\w+),\s*"([^"]+)"\)')
#: The variable an answer cell sets: its first line, "my_x = None  # ...".
ANSWER_VARIABLE = re.compile(r"^(my_\w+) = None\b")


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_test(cell) -> bool:
    return nbgrader(cell).get("grade", False) and not nbgrader(cell).get("solution", False)


def is_answer(cell) -> bool:
    return cell.cell_type == "code" and nbgrader(cell).get("solution", False)


def is_written(cell) -> bool:
    meta = nbgrader(cell)
    return cell.cell_type == "markdown" and meta.get("solution", False) and meta.get("grade", False)


def without_markers(source: str, markers=SOLUTION_MARKERS) -> str:
    """The source with the marker lines removed: a solution cell as a learner would complete it."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in markers)


@dataclass(frozen=True)
class Question:
    answer: str                # grade_id of the answer cell
    tests: tuple               # grade_ids of its test cells
    kind: str | None = None    # the kind of function the learner writes (checked with grading.expect_rule)
    function: str | None = None
    variable: str | None = None  # for a value, the variable the answer cell sets


@dataclass(frozen=True)
class ProblemSet:
    name: str
    notebook: nbformat.NotebookNode
    questions: tuple
    written: tuple             # grade_ids of the answers graded by hand

    @property
    def path(self) -> Path:
        return SOURCE / self.name / f"{self.name}.ipynb"

    def cell(self, grade_id: str):
        return next(c for c in self.notebook.cells if nbgrader(c).get("grade_id") == grade_id)

    def points(self, grade_id: str) -> float:
        return float(nbgrader(self.cell(grade_id))["points"])

    @property
    def test_ids(self) -> tuple:
        return tuple(t for q in self.questions for t in q.tests)

    @property
    def auto_points(self) -> float:
        return sum(self.points(t) for t in self.test_ids)

    @property
    def total(self) -> float:
        return self.auto_points + sum(self.points(w) for w in self.written)

    def question(self, grade_id: str) -> Question:
        return next(q for q in self.questions if grade_id == q.answer or grade_id in q.tests)


def names() -> list:
    """The problem sets, in order (their folders in source/)."""
    return sorted(p.name for p in SOURCE.iterdir() if (p / f"{p.name}.ipynb").is_file())


def load(name: str) -> ProblemSet:
    """The problem set ``name`` from source/, its questions in notebook order."""
    path = SOURCE / name / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    questions, written, current = [], [], None
    for cell in nb.cells:
        gid = nbgrader(cell).get("grade_id")
        if is_answer(cell):
            current = {"answer": gid, "tests": []}
            var = ANSWER_VARIABLE.match(cell.source)
            current["variable"] = var.group(1) if var else None
            questions.append(current)
        elif is_test(cell):
            if current is None:
                raise ValueError(f"{name}: test cell {gid} comes before any answer cell")
            current["tests"].append(gid)
            rule = EXPECT_RULE.search(cell.source)
            if rule:
                current["function"], current["kind"] = rule.groups()
        elif is_written(cell):
            written.append(gid)
    return ProblemSet(name, nb, tuple(Question(q["answer"], tuple(q["tests"]), q.get("kind"), q.get("function"),
                                               q.get("variable")) for q in questions), tuple(written))


def release(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version of a source notebook, made in memory by nbgrader's own preprocessors (solutions
    replaced by the stub, hidden tests removed), as ``nbgrader generate_assignment`` does without a database."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions, LockCells

    out = nbformat.reads(nbformat.writes(nb), as_version=4)
    for pre in (LockCells(), ClearSolutions(), ClearHiddenTests()):
        out, _ = pre.preprocess(out, {})
    return out
