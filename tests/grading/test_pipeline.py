"""The real nbgrader pipeline, end to end and offline: what ``make assignments`` and ``make grade-demo`` run
(python -m assignments.course), in a temporary course directory.

Set 1 goes through the whole loop in every ``make test``: generate_assignment, every sample submission autograded
(the solution, each catalogued mistake, the untouched release, one that raises, one that never ends, one with an
edited test cell), the written answers, generate_feedback, export and validate. The outcomes are read back here from
nbgrader's own files (grades.csv, the feedback HTML, the autograded notebooks), not only from the demo's table.
All five sets: ``STEPVIZ_GRADE_ALL=1 pytest tests/grading/test_pipeline.py`` (a few minutes; ``make grade-demo``
runs the same).
"""
from __future__ import annotations

import csv
import fnmatch
import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from assignments import samples, sets
from stepviz.lessons import grading

REPO = Path(__file__).resolve().parents[2]
FIRST = sets.names()[0]
#: Per-cell time limit of the test runs: the endless sample waits this long; every other cell takes well under 1 s.
TIMEOUT = "5"
#: The samples make test grades here: every kind of failure and every mistake of the rule (the wrong values of
#: the other questions are graded in-process in test_samples.py, and by nbgrader in the full run).
SAMPLES = ["solution", "gd-rule-*", "raises", "loops", "edited-test", "untouched"]
#: validate runs a notebook once more: on these samples in make test (every sample in the full run)
VALIDATE = ["solution", "gd-rule-sign", "gd-rule-2-d-only", "edited-test", "untouched"]


def _graded_here(sample) -> bool:
    return any(fnmatch.fnmatch(sample.name, p) for p in SAMPLES)


def _course(*args, root: Path):
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assignments.course", *args, "--root", str(root)], cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout, time.perf_counter() - start


def _text(path: Path) -> str:
    """The visible text of a page, its line breaks undone (the verdicts are wrapped)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))).split())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    out, seconds = _course("demo", "--sets", FIRST, "--timeout", TIMEOUT, "--samples", *SAMPLES,
                           "--validate", *VALIDATE, root=root)
    print(f"\ngrade-demo on {FIRST}: {seconds:.0f} s")
    return root, out, json.loads((root / "grade-demo.json").read_text())


def test_make_assignments_releases_every_set(graded):
    root, out, _ = graded  # the demo releases every set first, as make assignments does
    for name in sets.names():
        ps = sets.load(name)
        nb = nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4)
        text = "\n".join(c.source for c in nb.cells)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, name
        for cell in nb.cells:
            meta = cell.metadata["nbgrader"]
            assert len(meta["checksum"]) == 32
            if meta["locked"]:
                assert cell.metadata["editable"] is False, meta["grade_id"]
        assert [c.metadata["nbgrader"]["grade_id"] for c in nb.cells] == \
               [c.metadata["nbgrader"]["grade_id"] for c in ps.notebook.cells]
        assert f"release/{name}/{name}.ipynb" in out


def test_every_sample_gets_its_expected_score_in_grades_csv(graded):
    root, out, outcomes = graded
    ps = sets.load(FIRST)
    expected = {s.name: s for s in samples.samples(ps) if _graded_here(s)}
    assert {"solution", "untouched", "raises", "loops", "edited-test", "gd-rule-2-d-only"} <= set(expected)
    assert {f"gd-rule-{samples._slug(m[0])}" for m in grading.mistakes("GD")} <= set(expected)
    with open(root / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == FIRST}
    assert set(rows) == set(expected)
    for name, sample in expected.items():
        assert float(rows[name]["score"]) == sample.expected(ps), name
        assert float(rows[name]["max_score"]) == ps.total
    assert float(rows["solution"]["score"]) == ps.total and float(rows["untouched"]["score"]) == 0
    assert all(o["ok"] for o in outcomes), [o for o in outcomes if not o["ok"]]
    assert f"{len(expected)} of {len(expected)} sample submissions graded as expected" in out


def test_the_feedback_names_each_mistake(graded):
    root, _, _ = graded
    for sample in filter(_graded_here, samples.samples(sets.load(FIRST))):
        page = root / "feedback" / sample.name / FIRST / f"{FIRST}.html"
        text = _text(page)
        assert sample.hint in text, (sample.name, sample.hint)
        score = re.search(r"Score: ([\d.]+) / ([\d.]+)", text)  # the page's total
        assert score and float(score.group(1)) == sample.expected(sets.load(FIRST)), sample.name


def test_an_endless_cell_stops_at_the_time_limit_and_grading_goes_on(graded):
    root, _, outcomes = graded
    loops = next(s for s in samples.samples(sets.load(FIRST)) if s.name == "loops")
    nb = nbformat.read(root / "autograded" / "loops" / FIRST / f"{FIRST}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    stopped = [i for i, c in enumerate(code) if any(o.get("ename") == "CellTimeoutError" for o in c.outputs)]
    assert [code[i].metadata["nbgrader"]["grade_id"] for i in stopped] == [loops.timeout]
    assert all(c.execution_count for c in code[stopped[0] + 1:])  # every later cell ran
    assert next(o for o in outcomes if o["sample"] == "loops")["score"] == loops.expected(sets.load(FIRST))


def test_an_edited_test_cell_is_detected_and_put_back(graded):
    root, _, outcomes = graded
    ps = sets.load(FIRST)
    edited = next(s for s in samples.samples(ps) if s.name == "edited-test")
    (gid, edit), = edited.edits.items()
    submitted = nbformat.read(root / "submitted" / "edited-test" / FIRST / f"{FIRST}.ipynb", as_version=4)
    autograded = nbformat.read(root / "autograded" / "edited-test" / FIRST / f"{FIRST}.ipynb", as_version=4)
    assert next(c for c in submitted.cells if c.id == gid).source == edit
    restored = next(c for c in autograded.cells if c.metadata["nbgrader"]["grade_id"] == gid)
    assert restored.source == ps.cell(gid).source
    outcome = next(o for o in outcomes if o["sample"] == "edited-test")
    assert outcome["validate"] == "changed" and outcome["edited"] == [gid] and outcome["restored"]


def test_validate_agrees_with_autograde(graded):
    _, _, outcomes = graded
    by = {o["sample"]: o for o in outcomes}
    assert by["solution"]["validate"] == "passes"
    assert by["gd-rule-sign"]["validate"] == "fails ps1_gd_rule_test"
    assert by["gd-rule-2-d-only"]["validate"] == "passes"  # its mistake shows in the hidden test only
    visible = [t for t in sets.load(FIRST).test_ids if not t.endswith("_more")]  # _more: hidden tests only
    assert by["untouched"]["validate"] == "fails " + ", ".join(sorted(visible))
    assert all(by[s]["validate_agrees"] for s in VALIDATE)


@pytest.mark.skipif(not os.environ.get("STEPVIZ_GRADE_ALL"), reason="the full run: set STEPVIZ_GRADE_ALL=1")
def test_every_set_through_the_whole_pipeline(tmp_path):
    out, seconds = _course("demo", "--timeout", TIMEOUT, root=tmp_path)
    outcomes = json.loads((tmp_path / "grade-demo.json").read_text())
    print(f"\ngrade-demo on all sets: {seconds:.0f} s\n{(tmp_path / 'grade-demo.md').read_text()}")
    assert {o["problem_set"] for o in outcomes} == set(sets.names())
    assert all(o["ok"] for o in outcomes), [o for o in outcomes if not o["ok"]]
