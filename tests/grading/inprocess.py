"""Grade a submission in this process, the way ``nbgrader autograde`` does, for the fast per-set tests.

autograde puts the source's locked cells back (test cells with their hidden tests, the read-only cells), runs every
cell in order and scores each test cell: full points if it raised nothing and wrote nothing to stderr. Here the
cells run with ``exec`` in one namespace, an answer cell under a short time limit (SIGALRM; nbgrader's limit is the
same for every cell, but here the course's own cells get a generous one, so a loaded machine cannot fail them).
Read-only code cells (imports, a problem's setup) do not depend on answers: :class:`Grader` runs each once per set
and reuses what it defined.
The real nbgrader pipeline runs in test_pipeline.py; this is its fast stand-in for every sample of every set.
"""
from __future__ import annotations

import contextlib
import io
import signal
import traceback
from dataclasses import dataclass

from assignments import sets


class CellTimeout(Exception):
    pass


@dataclass
class CellResult:
    ok: bool
    output: str           # stdout and, if it failed, the error
    timed_out: bool = False


def _alarm(signum, frame):
    raise CellTimeout("the cell ran past its time limit")


class Grader:
    def __init__(self, ps: sets.ProblemSet, timeout: float = 1.0, course_timeout: float = 120.0):
        self.ps, self.timeout, self.course_timeout, self._shared = ps, timeout, course_timeout, {}

    def graded(self, submitted):
        """The cells autograde runs: the submission's answers, the source's locked cells."""
        source = {sets.nbgrader(c).get("grade_id"): c for c in self.ps.notebook.cells}
        out = []
        for cell in submitted.cells:
            meta = sets.nbgrader(cell)
            locked = meta.get("locked") or sets.is_test(cell)
            out.append(source[meta["grade_id"]] if locked and meta.get("grade_id") in source else cell)
        return out

    def _run(self, src: str, gid: str, ns: dict, timeout: float) -> CellResult:
        out, err = io.StringIO(), io.StringIO()
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                exec(compile(src, f"<cell {gid}>", "exec"), ns)
        except CellTimeout:
            return CellResult(False, out.getvalue() + "CellTimeout", timed_out=True)
        except Exception:
            return CellResult(False, out.getvalue() + traceback.format_exc())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return CellResult(not err.getvalue(), out.getvalue() + err.getvalue())

    def grade(self, submitted) -> dict:
        """grade_id -> CellResult for every code cell of the graded notebook (its namespace: ``self.namespace``)."""
        ns, results = {"__name__": "__main__"}, {}
        self.namespace = ns
        for cell in self.graded(submitted):
            if cell.cell_type != "code":
                continue
            gid = sets.nbgrader(cell)["grade_id"]
            shared = sets.nbgrader(cell).get("locked") and not sets.is_test(cell)
            if shared and gid in self._shared:
                ns.update(self._shared[gid])
                results[gid] = CellResult(True, "")
                continue
            before = dict(ns)
            limit = self.timeout if sets.is_answer(cell) else self.course_timeout
            results[gid] = self._run(cell.source, gid, ns, limit)
            if shared and results[gid].ok:
                self._shared[gid] = {k: v for k, v in ns.items() if k not in before or before[k] is not v}
        return results

    def failing(self, results: dict) -> frozenset:
        return frozenset(t for t in self.ps.test_ids if not results[t].ok)
