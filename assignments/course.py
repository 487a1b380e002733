"""Run the problem sets through nbgrader: the student versions (``make assignments``) and the whole grading loop
on the sample submissions (``make grade-demo``), in an nbgrader course directory (by default build/).

    python -m assignments.course release [--root build] [--sets ps1 ps2 ...]
    python -m assignments.course demo [--root build] [--sets ...] [--timeout 5] [--samples PATTERN ...]
                                      [--validate SAMPLE ...]

``release`` copies source/ and nbgrader_config.py into the course directory and runs ``generate_assignment``:
build/release/<set>/<set>.ipynb. ``demo`` releases every set, then writes every sample submission of the sets
named by --sets (assignments.samples) to build/submitted/<sample>/<set>/, runs ``autograde``, grades the written
answers that are the model answer (what a grader does in formgrader; any other text stays 'needs manual
grading'), runs ``generate_feedback`` (build/feedback/), ``export`` (build/grades.csv) and ``validate`` on each
submission, and compares every outcome with what the sample must get: build/grade-demo.md (the table) and
build/grade-demo.json. It exits with 1 if any outcome differs.
The steps run in one process through nbgrader's Python API (the same calls formgrader makes).
"""
from __future__ import annotations

import argparse
import contextlib
import fnmatch
import html
import json
import os
import re
import shutil
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from . import samples as samples_mod
from . import sets

COURSE = Path(__file__).resolve().parent
CONFIG = "nbgrader_config.py"


def _nbgrader():
    """nbgrader's API, imported late (it is an instructor dependency) and quietly: nbgrader 0.9 with SQLAlchemy 2
    warns about its own relationship cascades (harmless: the grades are the same)."""
    from sqlalchemy.exc import SAWarning
    warnings.filterwarnings("ignore", category=SAWarning)
    # nbgrader runs the `alembic` command of this environment to create its database
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    import nbgrader.apps.api as api
    return api


def api(root: Path, timeout: float | None = None):
    """An NbGraderAPI for the course directory ``root``, configured by its nbgrader_config.py."""
    from traitlets.config.loader import PyFileConfigLoader

    nbg = _nbgrader()
    config = PyFileConfigLoader(CONFIG, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if timeout is not None:
        config.Execute.timeout = int(timeout)
    return nbg.NbGraderAPI(config=config)


def _check(result: dict, what: str) -> str:
    if not result.get("success"):
        raise RuntimeError(f"nbgrader {what} failed:\n{result.get('log', '')}\n{result.get('error', '')}")
    return result.get("log", "")


def release(root: Path, names: list, timeout: float | None = None):
    """The student versions of ``names`` in root/release/ (nbgrader generate_assignment); returns the API."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(COURSE / CONFIG, root / CONFIG)
    for name in names:
        shutil.rmtree(root / "source" / name, ignore_errors=True)
        shutil.copytree(sets.SOURCE / name, root / "source" / name)
    nb_api = api(root, timeout)
    for name in names:
        _check(nb_api.generate_assignment(name), f"generate_assignment {name}")
        print(f"  release/{name}/{name}.ipynb")
    return nb_api


@dataclass
class Outcome:
    """What one sample got, and whether that is what it must get."""
    problem_set: str
    sample: str
    about: str
    expected: float
    score: float
    max_score: float
    failing: list                  # test cells that scored 0
    expected_failing: list
    hint: str = ""
    hint_in_feedback: bool = True
    timed_out: list = field(default_factory=list)     # answer cells stopped by the per-cell time limit
    ran_after_timeout: bool = True                    # every later cell was still executed
    edited: list = field(default_factory=list)        # locked cells the submission changed
    restored: bool = True                             # ... put back by autograde
    validate: str = ""                                # 'passes', 'changed' or the failing test cells
    validate_agrees: bool = True
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (self.score == self.expected and sorted(self.failing) == sorted(self.expected_failing)
                and self.hint_in_feedback and self.ran_after_timeout and self.restored and self.validate_agrees)


def _text(path: Path) -> str:
    """The visible text of an HTML page, its line breaks undone (the verdicts are wrapped)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))).split())


def _grade_written(gradebook, ps: sets.ProblemSet, sample: str, autograded) -> None:
    """Full marks for a written answer that is the model answer; anything else waits for a human grader."""
    cells = {sets.nbgrader(c).get("grade_id"): c for c in autograded.cells}
    for gid in ps.written:
        if cells[gid].source.strip() == ps.cell(gid).source.strip():
            grade = gradebook.find_grade(gid, ps.name, ps.name, sample)
            grade.manual_score = grade.max_score
    gradebook.db.commit()


def _validate(validator, path: Path, submitted) -> tuple:
    """nbgrader validate on a submission: 'passes', 'changed' or the grade_ids of the test cells that fail."""
    result = validator.validate(str(path))
    if result.get("changed") or result.get("type_changed"):
        return "changed", []
    by_source = {c.source.strip(): sets.nbgrader(c).get("grade_id") for c in submitted.cells}
    failed = sorted(by_source.get(c["source"], "?") for c in result.get("failed", []))
    tests = [gid for gid in failed if gid in tests_of(submitted)]
    return ("fails " + ", ".join(tests)) if tests else "passes", tests


def tests_of(nb) -> set:
    return {sets.nbgrader(c).get("grade_id") for c in nb.cells if sets.is_test(c)}


def _outcome(root, ps, sample, release_nb, gradebook, validator, seconds) -> Outcome:
    name = ps.name
    submission = gradebook.find_submission(name, sample.name)
    grades = {g.name: g for nb in submission.notebooks for g in nb.grades}
    failing = sorted(t for t in ps.test_ids if (grades[t].auto_score or 0.0) < grades[t].max_score)
    out = Outcome(name, sample.name, sample.about, sample.expected(ps), float(submission.score),
                  float(submission.max_score), failing, sorted(sample.failing), sample.hint, seconds=seconds)
    feedback = root / "feedback" / sample.name / name / f"{name}.html"
    out.hint_in_feedback = feedback.is_file() and sample.hint in _text(feedback)
    autograded = nbformat.read(root / "autograded" / sample.name / name / f"{name}.ipynb", as_version=4)
    code = [c for c in autograded.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
            out.timed_out.append(sets.nbgrader(cell)["grade_id"])
            out.ran_after_timeout &= all(c.get("execution_count") for c in code[i + 1:])
    out.ran_after_timeout &= out.timed_out == ([sample.timeout] if sample.timeout else [])
    submitted_path = root / "submitted" / sample.name / name / f"{name}.ipynb"
    submitted = nbformat.read(submitted_path, as_version=4)
    released = {sets.nbgrader(c).get("grade_id"): c.source for c in release_nb.cells}
    graded = {sets.nbgrader(c).get("grade_id"): c.source for c in autograded.cells}
    for cell in submitted.cells:
        gid = sets.nbgrader(cell).get("grade_id")
        if sets.nbgrader(cell).get("locked") and cell.source != released[gid]:
            out.edited.append(gid)
            out.restored &= graded[gid] == ps.cell(gid).source
    out.restored &= sorted(out.edited) == sorted(sample.edits)
    if validator is not None:
        out.validate, failed = _validate(validator, submitted_path, submitted)
        if out.validate == "changed":
            out.validate_agrees = bool(sample.edits)
        else:
            visible = [t for t in ps.test_ids if released[t] == ps.cell(t).source]  # no hidden tests in it
            out.validate_agrees = (not sample.edits and set(failed) <= set(failing)
                                   and all((t in failed) == (t in failing) for t in visible))
    return out


@contextlib.contextmanager
def _step(text: str):
    """Print what nbgrader is doing and, when it is done, how long it took."""
    print(text, end=" ... ", flush=True)
    start = time.perf_counter()
    yield
    print(f"{time.perf_counter() - start:.0f} s", flush=True)


def demo(root: Path, names: list, timeout: float = 5.0, validate=True, only=None) -> list:
    """Release every set, then the whole grading loop on the sample submissions of ``names`` (those whose names
    match one of the patterns ``only``, if given); returns their outcomes. ``validate``: run nbgrader validate
    on every submission (True), on none (False) or on the samples it names."""
    for step in ("submitted", "autograded", "feedback"):
        shutil.rmtree(root / step, ignore_errors=True)
    (root / "gradebook.db").unlink(missing_ok=True)
    print(f"nbgrader generate_assignment (course directory {root})")
    nb_api = release(root, sets.names(), timeout)
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin
    from nbgrader.validator import Validator

    outcomes = []
    for name in names:
        ps = sets.load(name)
        release_nb = nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4)
        todo = [s for s in samples_mod.samples(ps) if only is None or any(fnmatch.fnmatch(s.name, p) for p in only)]
        for sample in todo:
            path = root / "submitted" / sample.name / name / f"{name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(sample.notebook(release_nb), path)
        seconds = {}
        with _step(f"nbgrader autograde {name}: {len(todo)} sample submissions (per-cell time limit {timeout:g} s)"):
            for sample in todo:
                start = time.perf_counter()
                _check(nb_api.autograde(name, sample.name), f"autograde {name} for {sample.name}")
                seconds[sample.name] = time.perf_counter() - start
        with Gradebook(nb_api.coursedir.db_url, nb_api.coursedir.course_id) as gradebook:
            for sample in todo:
                autograded = nbformat.read(root / "autograded" / sample.name / name / f"{name}.ipynb", as_version=4)
                _grade_written(gradebook, ps, sample.name, autograded)
        with _step(f"nbgrader generate_feedback {name}"):
            _check(nb_api.generate_feedback(name), f"generate_feedback {name}")
        checked = [s for s in todo if validate is True or (validate and s.name in validate)]
        with _step(f"nbgrader validate: {len(checked)} submissions"), \
                Gradebook(nb_api.coursedir.db_url, nb_api.coursedir.course_id) as gradebook:
            validator = Validator(parent=nb_api)
            outcomes += [_outcome(root, ps, s, release_nb, gradebook, validator if s in checked else None,
                                  seconds[s.name]) for s in todo]
    with Gradebook(nb_api.coursedir.db_url, nb_api.coursedir.course_id) as gradebook:
        CsvExportPlugin(to=str(root / "grades.csv"), parent=nb_api).export(gradebook)
    print(f"nbgrader export: {root / 'grades.csv'}")
    return outcomes


def table(outcomes: list) -> str:
    """The outcomes as a markdown table."""
    rows = ["| set | sample | what it is | expected | score | test cells at 0 | feedback names it | validate | ok |",
            "|---|---|---|---|---|---|---|---|---|"]
    for o in outcomes:
        notes = [o.validate]
        if o.timed_out:
            notes.append(f"time limit: {', '.join(o.timed_out)}")
        if o.edited:
            notes.append(f"edited locked: {', '.join(o.edited)}" + (" (restored)" if o.restored else ""))
        named = ("yes: " + o.hint[:40] if o.hint_in_feedback else "NO") if o.hint else ""
        rows.append(f"| {o.problem_set[:3]} | {o.sample} | {o.about} | {o.expected:g} | "
                    f"{o.score:g} / {o.max_score:g} | {len(o.failing)} | {named} | {'; '.join(notes)} | "
                    f"{'✓' if o.ok else '✗'} |")
    return "\n".join(rows)


def _names(chosen) -> list:
    every = sets.names()
    if not chosen:
        return every
    picked = [n for n in every if any(n == c or n.startswith(f"{c}_") for c in chosen)]
    if len(picked) != len(chosen):
        raise SystemExit(f"unknown problem set in {chosen}; the sets are {every}")
    return picked


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["release", "demo"])
    parser.add_argument("--root", type=Path, default=Path("build"), help="the nbgrader course directory")
    parser.add_argument("--sets", nargs="*", help="problem sets to release (release) or grade (demo), e.g. ps1; "
                                                  "default all")
    parser.add_argument("--timeout", type=float, default=5.0, help="per-cell time limit of the demo, in seconds")
    parser.add_argument("--samples", nargs="*", metavar="PATTERN",
                        help="grade only the samples whose names match (e.g. solution 'gd-rule-*'); default all")
    parser.add_argument("--validate", nargs="*", metavar="SAMPLE",
                        help="run nbgrader validate on these samples only (default: on every one)")
    args = parser.parse_args(argv)
    root, names = args.root.resolve(), _names(args.sets)
    if args.command == "release":
        print(f"nbgrader generate_assignment (course directory {root})")
        release(root, names)
        return 0
    start = time.perf_counter()
    outcomes = demo(root, names, args.timeout, True if args.validate is None else set(args.validate), args.samples)
    text = table(outcomes)
    (root / "grade-demo.md").write_text(text + "\n", encoding="utf-8")
    (root / "grade-demo.json").write_text(json.dumps([{**asdict(o), "ok": o.ok} for o in outcomes], indent=1),
                                          encoding="utf-8")
    print(text)
    bad = [o for o in outcomes if not o.ok]
    print(f"\n{len(outcomes) - len(bad)} of {len(outcomes)} sample submissions graded as expected in "
          f"{time.perf_counter() - start:.0f} s. Grades: {root / 'grades.csv'}; feedback: "
          f"{root / 'feedback'}/<sample>/<set>/<set>.html; the table: {root / 'grade-demo.md'}.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
