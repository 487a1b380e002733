"""A persistent worker: it imports a notebook's lesson tests once, runs them once to learn which test reads
what (:mod:`.readers`), then for each mutation reruns, in the same process, only the tests whose reads of the
prose change.

    python -m tools.mutate_prose.worker JOB.json OUT.jsonl

JOB is {"root", "test_files": {notebook: [its lesson test files]}, "mutations": [{"id", "notebook", "cell", "start",
"end", "old", "new"}]}.
OUT gets one JSON object per line: first {"baseline": {test id: outcome}, "seconds", "file_seconds", "learnt",
"unrepeatable"}, then one per mutation in the job's order: {"id", "verdict": "caught" | "survived" | "unsure",
"test": the test that failed, "error": its first line, "read_by": tests whose reads of a sentence changed,
"scanned_by": the other tests whose reads changed (of a whole text), "how": "in-process" | "subprocess", "seconds"}.

Why a rerun in-process gives pytest's verdict: a test none of whose reads changes runs exactly as before, and a
rerun goes through pytest's whole protocol (fixtures, capture, warnings as errors). Reads a rerun cannot repeat
(at import, in a fixture's set-up, inside an lru_cache'd helper, a text a test keeps from one run to the next)
or a notebook file opened by other code send that mutation to a real pytest subprocess instead
(:mod:`.real_pytest`). A mutation is caught only when a test
that passes on the unmutated text fails (or errors) on the mutated one and passes again once the text is
restored; a failure that persists is "unsure".
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pytest

from . import real_pytest
from .readers import COLLECT, Readers, ReProxy


class Runner:
    """The pytest plugin that replaces pytest's run loop by the baseline run and the mutations."""

    def __init__(self, job: dict, out):
        self.job, self.out, self.reports = job, out, {}
        sys.path.insert(0, job["root"])
        from tests.lessons import prose  # the project's, from job["root"]
        self.readers = Readers(prose)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item):
        return (yield from self._in(item, "setup"))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        return (yield from self._in(item, "call"))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item):
        return (yield from self._in(item, "teardown"))

    def _in(self, item, phase):
        self.readers.context = f"{item.nodeid}:{phase}"
        try:
            return (yield)
        finally:
            self.readers.context = COLLECT

    def pytest_runtest_logreport(self, report):
        self.reports[report.when] = report

    def run(self, item, items):
        """One test through pytest's whole protocol (fixtures, capture, warnings as errors): passed, failed,
        error (set-up or teardown), skipped or xfailed, and the first line of what went wrong."""
        siblings = [i for i in items if i.parent is item.parent and i is not item]
        self.reports = {}
        item.session._setupstate.teardown_exact(item)  # the fixtures of another module, if the last run was there
        item.ihook.pytest_runtest_protocol(item=item, nextitem=siblings[0] if siblings else None)
        for when in ("setup", "call", "teardown"):
            rep = self.reports.get(when)
            if rep is not None and rep.failed:
                crash = getattr(getattr(rep.longrepr, "reprcrash", None), "message", None) or str(rep.longrepr)
                return ("failed" if when == "call" else "error"), (crash.strip().splitlines() or [""])[0][:300]
        call = self.reports.get("call")
        if call is None or call.skipped:
            return ("xfailed" if hasattr(call, "wasxfail") else "skipped"), ""
        return "passed", ""

    def pytest_runtestloop(self, session):
        items, t0 = session.items, time.perf_counter()
        for mod in list(sys.modules.values()):
            if getattr(mod, "__name__", "").startswith("tests.") and mod is not self.readers.prose:
                self.readers.cached_code |= {v.__wrapped__.__code__ for v in vars(mod).values()
                                             if hasattr(v, "cache_clear") and hasattr(getattr(v, "__wrapped__", 0), "__code__")}
        baseline, seconds = {}, {}
        for item in items:
            t = time.perf_counter()
            baseline[item.nodeid] = self.run(item, items)[0]
            seconds[item.nodeid] = time.perf_counter() - t
        self.baseline, self.seconds = baseline, seconds
        learnt = self.learn(items)
        self.readers.watching = self.readers.recording = False  # what the unmutated text gives is known
        per_file = {}
        for test, t in seconds.items():
            per_file[test.split("::")[0]] = per_file.get(test.split("::")[0], 0) + t
        self._write({"baseline": baseline, "seconds": time.perf_counter() - t0, "file_seconds": per_file,
                     "learnt": learnt, "unrepeatable": self.readers.unrepeatable})
        for m in self.job["mutations"]:
            self._write(self.mutation(m, items))
        return True

    def learn(self, items) -> dict:
        """Run once more, with Texts, each passing test that takes a whole text; {test id: learnt or not}."""
        by_id, out = {i.nodeid: i for i in items}, {}
        for ctx in self.readers.whole_text_readers():
            test = ctx.rsplit(":", 1)[0]
            if not ctx.endswith(":call") or ctx in self.readers.unrepeatable or self.baseline.get(test) != "passed":
                continue
            log, before = [], self.readers.reads[ctx]
            modules = [m for name, m in list(sys.modules.items()) if name.startswith("tests.")
                       and m is not self.readers.prose and getattr(m, "re", None) is re]
            for mod in modules:
                mod.re = ReProxy(log)
            self.readers.learning, self.readers.reads[ctx], self.readers.unlearnable = log, {}, False
            try:
                outcome = self.run(by_id[test], items)[0]
            finally:
                self.readers.learning = None
                for mod in modules:
                    mod.re = re
            ok = outcome == "passed" and ctx not in self.readers.unrepeatable and not self.readers.unlearnable
            if ok and self.readers.reads[ctx].keys() == before.keys():  # the same reads as in the baseline
                self.readers.learnt(ctx, log)
            else:
                self.readers.reads[ctx], ok = before, False
            out[test] = ok
        return out

    def mutation(self, m: dict, items) -> dict:
        t0 = time.perf_counter()
        return self._mutation(m, items) | {"seconds": round(time.perf_counter() - t0, 3)}

    def _mutation(self, m: dict, items) -> dict:
        notebook = m["notebook"]
        cells = list(self.readers.cells(notebook))
        source = cells[m["cell"]]
        assert source[m["start"]:m["end"]] == m["old"], f"{m['id']}: the prose changed since the job was made"
        cells[m["cell"]] = source[:m["start"]] + m["new"] + source[m["end"]:]
        patch = {notebook: tuple(cells)}
        changed, specific = self.readers.changed(patch)
        tests = sorted({c.rsplit(":", 1)[0] for c in changed if c != COLLECT})
        specific = {c.rsplit(":", 1)[0] for c in specific if c != COLLECT}
        out = {"id": m["id"], "read_by": sorted(specific), "scanned_by": sorted(set(tests) - specific),
               "how": "in-process"}
        why = [self.readers.unrepeatable[c] for c in changed if c in self.readers.unrepeatable]
        if why:
            return out | self._subprocess(notebook, cells, why)
        by_id = {i.nodeid: i for i in items}
        candidates = sorted((by_id[t] for t in tests if self.baseline.get(t) == "passed"),
                            key=lambda i: (i.nodeid not in specific, self.seconds[i.nodeid]))
        try:
            for item in candidates:
                self.readers.patch, calls = patch, self.readers.calls
                outcome, error = self.run(item, items)
                self.readers.patch = {}
                if self.readers.calls == calls:  # it read nothing this time: it keeps what it read before
                    return out | self._subprocess(notebook, cells, [f"{item.nodeid} keeps what it read"])
                if outcome in ("failed", "error"):
                    again = self.run(item, items)[0]
                    verdict = "caught" if again == "passed" else "unsure"
                    return out | {"verdict": verdict, "test": item.nodeid, "error": error}
            return out | {"verdict": "survived"}
        finally:
            self.readers.patch = {}
            if "matplotlib.pyplot" in sys.modules:
                sys.modules["matplotlib.pyplot"].close("all")

    def _subprocess(self, notebook, cells, why) -> dict:
        failed = real_pytest.failures(self.job["root"], self.job["test_files"][notebook], notebook, tuple(cells))
        caught = sorted(t for t in failed if self.baseline.get(t) == "passed" or "::" not in t)
        return {"how": "subprocess", "why": sorted(set(why)), "verdict": "caught" if caught else "survived",
                "test": caught[0] if caught else None, "error": failed.get(caught[0]) if caught else None}

    def _write(self, obj):
        self.out.write(json.dumps(obj) + "\n")
        self.out.flush()


def main(job_path: str, out_path: str) -> int:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    with open(out_path, "a", encoding="utf-8") as out:
        runner = Runner(job, out)
        files = dict.fromkeys(f for fs in job["test_files"].values() for f in fs)
        args = [str(Path(job["root"]) / f) for f in files]
        args += ["-p", "no:terminal", *real_pytest.PLUGINS_OFF, "--rootdir", job["root"]]
        pytest.main(args, plugins=[runner])
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
