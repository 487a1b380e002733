"""`make mutate`: every number of every notebook's markdown changed in turn; the lesson tests that read it rerun
in persistent workers (:mod:`.worker`), one per notebook, as many at once as the machine has cores; a few
verdicts checked against the real pytest (:mod:`.real_pytest`); the report written to build/mutate/.

    python -m tools.mutate_prose [--notebooks 01 09] [--seed 0] [--sample N] [--jobs J] [--verify K]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import numbers, real_pytest, report

ROOT = Path(__file__).resolve().parents[2]


def notebooks(root: Path = ROOT) -> list:
    return sorted(p.stem for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def markdown_cells(root: Path, notebook: str) -> tuple:
    """The notebook's markdown cells as tests/lessons/prose.py's ``cells`` reads them."""
    nb = json.loads((root / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    return tuple("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def lesson_test_files(root: Path, notebook: str) -> list:
    """tests/lessons/test_<topic>.py, and every other lesson test module that names the notebook."""
    own = f"tests/lessons/test_{notebook.split('_', 1)[1]}.py"
    others = [f"tests/lessons/{p.name}" for p in sorted((root / "tests" / "lessons").glob("test_*.py"))
              if notebook in p.read_text(encoding="utf-8") and f"tests/lessons/{p.name}" != own]
    return [own, *others]


def plan(root: Path = ROOT, which=None, seed: int = 0) -> list:
    """Every number's mutation, for the notebooks whose names start with one of ``which`` (all if None)."""
    chosen = [nb for nb in notebooks(root) if not which or nb.startswith(tuple(which))]
    return [m for nb in chosen for m in numbers.mutations(nb, seed, markdown_cells(root, nb))]


def sample(mutations: list, per_notebook: int, seed: int) -> list:
    """A fixed sample: ``per_notebook`` mutations of numbers no rule exempts, from each notebook."""
    rng, out = random.Random(seed), []
    for nb in dict.fromkeys(m.notebook for m in mutations):
        candidates = [m for m in mutations if m.notebook == nb and m.rule is None]
        out += sorted(rng.sample(candidates, min(per_notebook, len(candidates))), key=mutations.index)
    return out


def run_mutations(mutations: list, root: Path = ROOT, jobs: int | None = None, workdir: Path | None = None,
                  timeout: float = 300, per_worker: int = 1) -> tuple:
    """Run every mutation in workers, each taking ``per_worker`` notebooks (one: the best balance; more: fewer
    start-ups, for small samples), ``jobs`` workers at a time. Returns ({mutation id: the worker's result},
    {notebook: its worker's baseline line}). A worker that dies or is silent for ``timeout`` seconds costs the
    mutation it was running (verdict 'error'); a new worker takes the rest."""
    jobs = jobs or os.cpu_count() or 1
    workdir = Path(workdir or ROOT / "build" / "mutate" / "work")
    workdir.mkdir(parents=True, exist_ok=True)
    nbs = list(dict.fromkeys(m.notebook for m in mutations))
    count = -(-len(nbs) // per_worker)  # workers needed
    groups = [nbs[i::count] for i in range(count)]
    queue = deque(sorted((([m for m in mutations if m.notebook in g], 0) for g in groups), key=lambda j: -len(j[0])))
    results, baselines, running, started = {}, {}, [], 0
    while queue or running:
        while queue and len(running) < jobs:
            ms, attempt = queue.popleft()
            started += 1
            running.append(_start(root, workdir / f"{ms[0].notebook}-{started}", ms, attempt))
        time.sleep(0.2)
        for w in list(running):
            lines = _lines(w["out"])
            if len(lines) > w["seen"]:
                w["seen"], w["last"] = len(lines), time.monotonic()
            stuck = time.monotonic() - w["last"] > timeout
            if w["proc"].poll() is None and not stuck:
                continue
            if stuck:
                w["proc"].kill()
            w["proc"].wait()
            running.remove(w)
            lines = _lines(w["out"])
            for nb in {m.notebook for m in w["mutations"]} if lines and "baseline" in lines[0] else ():
                wall = baselines.get(nb, {}).get("wall", 0) + time.monotonic() - w["started"]
                baselines[nb] = lines[0] | {"wall": wall}
            results.update((r["id"], r) for r in lines[1:])
            left = [m for m in w["mutations"] if m.id not in results]
            if not left:
                continue
            why = f"worker {'silent for %d s' % timeout if stuck else 'exited %s' % w['proc'].returncode}; see {w['log']}"
            hopeless = not lines or w["attempt"] >= 3  # it could not even run the baseline, or keeps dying
            for m in (left if hopeless else left[:1]):
                results[m.id] = {"id": m.id, "verdict": "error", "error": why, "read_by": []}
            if not hopeless and left[1:]:
                queue.appendleft((left[1:], w["attempt"] + 1))
    return results, baselines


def _start(root: Path, stem: Path, mutations: list, attempt: int) -> dict:
    job = {"root": str(root), "test_files": {nb: lesson_test_files(root, nb) for nb in {m.notebook for m in mutations}},
           "mutations": [{"id": m.id, "notebook": m.notebook, "cell": m.cell, "start": m.start, "end": m.end,
                          "old": m.old, "new": m.new} for m in mutations]}
    paths = {k: stem.with_suffix(f".{k}") for k in ("json", "jsonl", "log")}
    paths["json"].write_text(json.dumps(job), encoding="utf-8")
    paths["jsonl"].unlink(missing_ok=True)
    with open(paths["log"], "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "tools.mutate_prose.worker", str(paths["json"]),
                                 str(paths["jsonl"])], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    return {"proc": proc, "out": paths["jsonl"], "log": paths["log"], "mutations": mutations,
            "attempt": attempt, "seen": 0, "last": time.monotonic(), "started": time.monotonic()}


def _lines(path: Path) -> list:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text[:text.rfind("\n") + 1].splitlines() if line]


def verify(mutations: list, results: dict, count: int, seed: int = 0, root: Path = ROOT, jobs: int | None = None) -> list:
    """Run the real pytest on ``count`` mutated notebooks (half of them caught in-process, half survived) and
    on each notebook unmutated; a mutation is caught there when a test fails that did not fail unmutated."""
    rng = random.Random(seed)
    decided = [m for m in mutations if results.get(m.id, {}).get("how") == "in-process"]
    pick = []
    for verdict, k in (("caught", count // 2), ("survived", count - count // 2)):
        pool = [m for m in decided if results[m.id]["verdict"] == verdict]
        pick += rng.sample(pool, min(k, len(pool)))

    def failures(nb, mutation=None):
        cells = markdown_cells(root, nb)
        return real_pytest.failures(str(root), lesson_test_files(root, nb), nb, mutation.apply(cells) if mutation else None)

    with ThreadPoolExecutor(jobs or os.cpu_count() or 1) as pool:
        plain = dict(zip(nbs := sorted({m.notebook for m in pick}), pool.map(failures, nbs)))
        mutated = list(pool.map(lambda m: failures(m.notebook, m), pick))
    out = []
    for m, failed in zip(pick, mutated):
        new = sorted(set(failed) - set(plain[m.notebook]))
        out.append({"id": m.id, "sentence": m.sentence, "in_process": results[m.id]["verdict"],
                    "pytest": "caught" if new else "survived", "failed": new[:3]})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.mutate_prose", description=__doc__.split("\n\n")[0])
    ap.add_argument("--notebooks", nargs="*", help="notebook name prefixes, e.g. 01 09 (default: all)")
    ap.add_argument("--seed", type=int, default=0, help="0: the last digit + 3; other seeds: a random digit")
    ap.add_argument("--sample", type=int, help="only this many non-exempt numbers per notebook")
    ap.add_argument("--sample-seed", type=int, default=21)
    ap.add_argument("--jobs", type=int, default=os.cpu_count(), help="workers at once (default: the cores)")
    ap.add_argument("--verify", type=int, default=8, help="mutations checked against the real pytest")
    ap.add_argument("--timeout", type=float, default=300, help="seconds a worker may be silent")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "mutate")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    mutations = plan(ROOT, args.notebooks, args.seed)
    if args.sample:
        mutations = sample(mutations, args.sample, args.sample_seed)
    print(f"{len(mutations)} mutations in {len({m.notebook for m in mutations})} notebooks, {args.jobs} workers at once")
    results, baselines = run_mutations(mutations, ROOT, args.jobs, args.out / "work", args.timeout)
    mutate_seconds = time.perf_counter() - t0
    checks = verify(mutations, results, args.verify, args.seed, ROOT, args.jobs) if args.verify else []
    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    summary, ok = report.write(args.out, mutations, results, baselines, checks, vars(args) | {
        "mutate_seconds": mutate_seconds, "seconds": time.perf_counter() - t0, "cpu_seconds": cpu})
    print(summary)
    return 0 if ok else 1
