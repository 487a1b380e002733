"""The prose mutation harness's workers (tools/mutate_prose), end to end on a small made-up project: a notebook
and a lesson test module that read its prose in every way the harness must handle. Each number's verdict is
known in advance; the real pytest on the mutated copies must agree with the in-process ones."""
import json
import shutil
from pathlib import Path

import pytest

from tools.mutate_prose import report, run

LESSON = {
    "98_fake_lesson": [
        "# 98 · A fake lesson\n\nCrash: 1. The limit is 2.5. Nobody reads 123. A loose claim: about 7.1.\n"
        "The scan finds 4.4 here.",
        "At import: lr = 0.3. In a fixture: steps = 60. Cached: 5.5. Broken: 8.8. Polluted: 3.3.",
    ],
    "99_opened_file": ["# 99 · Opened\n\nThe file says 6.5."],
    "97_kept_text": ["Kept: 9.5."],
}

TESTS = {
    "test_fake_lesson.py": '''
import os
from functools import lru_cache

import pytest

from .prose import NUM, markdown, stated

NB = "98_fake_lesson"
LR = stated(NB, rf"lr = ({NUM})")  # read at import
RUNS = []


def test_crash():
    if stated(NB, rf"Crash: ({NUM})") != 1:
        os._exit(3)


def test_limit():
    assert stated(NB, rf"The limit is ({NUM})") == 2.5


def test_loose():
    assert abs(stated(NB, rf"about ({NUM})") - 7) < 1


def test_scan():
    assert "finds 4.4 here" in markdown(NB)


def test_at_import():
    assert LR == 0.3


@pytest.fixture(scope="module")
def steps():
    return stated(NB, rf"steps = ({NUM})")


def test_fixture(steps):
    assert steps == 60


@lru_cache(maxsize=None)
def cached():
    return stated(NB, rf"Cached: ({NUM})")


def test_cached():
    assert cached() == 5.5


def test_broken():
    assert stated(NB, rf"Broken: ({NUM})") == 9.9


def test_polluted():
    RUNS.append(1)
    assert stated(NB, rf"Polluted: ({NUM})") == 3.3 and len(RUNS) < 3

''',
    "test_kept_text.py": '''
from .prose import markdown

KEPT = []


def test_kept():
    if not KEPT:
        KEPT.append(markdown("97_kept_text"))
    assert "Kept: 9.5." in KEPT[0]
''',
    "test_opened_file.py": '''
import json

from .prose import NOTEBOOKS


def test_reads_the_file_itself():
    nb = json.loads((NOTEBOOKS / "99_opened_file.ipynb").read_text(encoding="utf-8"))
    assert "says 6.5." in "".join(nb["cells"][0]["source"])
''',
}

#: number -> (verdict, how, the test that catches it or reads it)
EXPECTED = {
    "98": ("exempt", "in-process", None), "1": ("error", None, None),
    "2.5": ("caught", "in-process", "test_limit"), "123": ("survived", "in-process", None),
    "7.1": ("survived", "in-process", "test_loose"), "4.4": ("caught", "in-process", "test_scan"),
    "0.3": ("caught", "subprocess", "test_at_import"), "60": ("caught", "subprocess", "test_fixture"),
    "5.5": ("caught", "subprocess", "test_cached"), "8.8": ("survived", "in-process", "test_broken"),
    "3.3": ("unsure", "in-process", "test_polluted"), "9.5": ("caught", "subprocess", "test_kept"),
    "99": ("exempt", "subprocess", None), "6.5": ("caught", "subprocess", "test_reads_the_file_itself"),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "tests" / "lessons").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "lessons" / "__init__.py").write_text("")
    shutil.copy(Path(__file__).parent / "lessons" / "prose.py", root / "tests" / "lessons" / "prose.py")
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\nfilterwarnings = ["error"]\n')
    for name, source in TESTS.items():
        (root / "tests" / "lessons" / name).write_text(source)
    for stem, cells in LESSON.items():
        nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": c} for c in cells]
              + [{"cell_type": "code", "metadata": {}, "source": "x = 1", "outputs": [], "execution_count": None}],
              "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (root / "notebooks" / f"{stem}.ipynb").write_text(json.dumps(nb))
    mutations = run.plan(root)
    results, baselines = run.run_mutations(mutations, root, jobs=2, workdir=root / "work", timeout=120)
    return root, mutations, results, baselines


def test_every_number_gets_its_verdict(project):
    root, mutations, results, baselines = project
    assert sorted(m.old for m in mutations) == sorted(EXPECTED)
    for m in mutations:
        verdict, how, test = EXPECTED[m.old]
        r = results[m.id]
        assert report.status(m, r) == verdict, (m.old, r)
        if how:
            assert r["how"] == how, (m.old, r)
        if verdict in ("caught", "unsure"):
            assert r["test"].endswith(f"::{test}"), (m.old, r)
        elif test:
            assert [t.split("::")[-1] for t in r["read_by"]] == [test], (m.old, r)
        elif verdict == "survived":
            assert r["read_by"] == [] and r["scanned_by"] == [], (m.old, r)  # test_scan's use was learnt


def test_a_dead_worker_costs_one_mutation_and_a_new_one_takes_the_rest(project):
    root, mutations, results, baselines = project
    crash = next(m for m in mutations if m.old == "1")
    assert "exited 3" in results[crash.id]["error"]
    later = [m for m in mutations if m.notebook == crash.notebook and m.start > crash.start or m.cell > crash.cell]
    assert later and all(results[m.id]["verdict"] != "error" for m in later)


def test_the_baseline_line_says_what_passed_and_what_was_learnt(project):
    root, mutations, results, baselines = project
    base = baselines["98_fake_lesson"]
    assert base["baseline"]["tests/lessons/test_fake_lesson.py::test_broken"] == "failed"
    assert base["baseline"]["tests/lessons/test_fake_lesson.py::test_limit"] == "passed"
    assert base["learnt"] == {"tests/lessons/test_fake_lesson.py::test_scan": True}
    assert baselines["97_kept_text"]["learnt"] == {"tests/lessons/test_kept_text.py::test_kept": False}  # kept it
    assert set(base["unrepeatable"]) == {"<import>", "tests/lessons/test_fake_lesson.py::test_fixture:setup",
                                         "tests/lessons/test_fake_lesson.py::test_cached:call"}
    assert list(baselines["99_opened_file"]["unrepeatable"]) == [
        "tests/lessons/test_opened_file.py::test_reads_the_file_itself:call"]


def test_the_real_pytest_agrees_on_the_in_process_verdicts(project):
    root, mutations, results, baselines = project
    checks = run.verify(mutations, results, count=2, seed=1, root=root, jobs=2)
    assert [c["in_process"] for c in checks] == ["caught", "survived"]
    assert all(c["in_process"] == c["pytest"] for c in checks), checks


def test_the_report_lists_survivors_and_rules(project, tmp_path):
    root, mutations, results, baselines = project
    meta = {"seed": 0, "seconds": 1.0, "mutate_seconds": 1.0, "jobs": 2}
    summary, ok = report.write(tmp_path, mutations, results, baselines, [], meta)
    assert not ok and "caught 7 · exempt 2 · survived 3 · unsure 1 · errors 1" in summary
    md = (tmp_path / "report.md").read_text()
    assert "Nobody reads ⟦123→126⟧." in md and "no test reads its sentence" in md
    assert "read only by tests that fail without the mutation: test_broken" in md
    assert "| section-number |" in md
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["totals"] == {"caught": 7, "exempt": 2, "survived": 3, "unsure": 1, "error": 1}
