"""The mutation report: per notebook, per exemption rule, every survivor with its sentence (build/mutate/)."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from .numbers import WHY

STATUSES = ("caught", "exempt", "survived", "unsure", "error")


def status(m, result: dict) -> str:
    """caught (a test fails), exempt (a rule applies and no test fails), survived, unsure or error."""
    verdict = result.get("verdict", "error")
    if verdict == "survived" and m.rule:
        return "exempt"
    return verdict


def note(result: dict, baseline: dict) -> str:
    """Why a mutation survived, as far as the harness knows."""
    readers, scanners = result.get("read_by") or [], result.get("scanned_by") or []
    if not readers:
        return "no test reads its sentence" + (f" ({len(scanners)} tests that search the whole text still pass)"
                                               if scanners else "")
    names = ", ".join(t.split("::")[-1] for t in readers)
    if all(baseline.get(t) != "passed" for t in readers):
        return f"read only by tests that fail without the mutation: {names}"
    return f"read by {names}, which still pass"


def summarize(mutations: list, results: dict, baselines: dict) -> dict:
    rows, rules = {}, {name: Counter() for name in WHY}
    for m in mutations:
        s = status(m, results.get(m.id, {}))
        rows.setdefault(m.notebook, Counter())[s] += 1
        if m.rule:
            rules[m.rule][s] += 1
    total = sum(rows.values(), Counter())
    survivors = [m for m in mutations if status(m, results.get(m.id, {})) in ("survived", "unsure", "error")]
    return {"rows": rows, "total": total, "rules": rules, "survivors": survivors,
            "kinds": Counter(m.kind for m in survivors if status(m, results[m.id]) == "survived")}


def write(out: Path, mutations: list, results: dict, baselines: dict, checks: list, meta: dict) -> tuple:
    """Write report.md and report.json under ``out``; return (a short summary, whether all is well: no
    survivor, no error, and the real pytest agrees on every check)."""
    out.mkdir(parents=True, exist_ok=True)
    s = summarize(mutations, results, baselines)
    base = {nb: b.get("baseline", {}) for nb, b in baselines.items()}
    t = s["total"]
    head = (f"{len(mutations)} numbers · caught {t['caught']} · exempt {t['exempt']} · survived {t['survived']}"
            f" · unsure {t['unsure']} · errors {t['error']} · wall time {meta['seconds']:.0f} s "
            f"({meta['mutate_seconds']:.0f} s mutating, {meta['jobs']} workers at once"
            + (f"; CPU {meta['cpu_seconds']:.0f} s" if "cpu_seconds" in meta else "") + ")")
    agree = sum(c["in_process"] == c["pytest"] for c in checks)
    md = ["# Prose mutation report (issue 21)", "", f"Seed {meta['seed']}" + (
        f", sample of {meta['sample']} per notebook (seed {meta['sample_seed']})" if meta.get("sample") else "")
        + ". " + head + ".", "", "| notebook | numbers | caught | exempt | survived | unsure | error |",
        "|---|---:|---:|---:|---:|---:|---:|---:|"]
    md[-2] += " worker s |"
    for nb, c in [*s["rows"].items(), ("**total**", t)]:
        wall = baselines.get(nb, {}).get("wall")
        md.append(f"| {nb} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in STATUSES)
                  + (f" | {wall:.0f} |" if wall else " | |"))
    md += ["", "## Exemption rules", "", "A number a rule covers is exempt unless a test catches it anyway.", "",
           "| rule | why | exempt | caught anyway |", "|---|---|---:|---:|"]
    md += [f"| {name} | {WHY[name]} | {c['exempt']} | {c['caught']} |" for name, c in s["rules"].items()]
    md += ["", f"## Survivors: {sum(s['kinds'].values())} "
           f"({', '.join(f'{k} {n}' for k, n in s['kinds'].most_common())})", "",
           "Kind: *parameter* of a prompt (a question, Try this, an exercise), *formula* (a constant of a symbolic "
           "expression) or *claim* (a value stated, computed or worked out). ⟦old→new⟧ marks the mutation. No rule exempts "
           "a formula's constants: tests/lessons/test_formulas.py evaluates every stated term written like one of the "
           "course's formulas (tests/lessons/formulas.py COURSE) and every worked = or ≈ between numbers."]
    for nb in s["rows"]:
        mine = [m for m in s["survivors"] if m.notebook == nb]
        if mine:
            md += ["", f"### {nb} ({len(mine)})", ""]
        for m in mine:
            r = results.get(m.id, {})
            extra = note(r, base.get(nb, {})) if r.get("verdict") == "survived" else f"**{r.get('verdict')}**: {r.get('error')}"
            md.append(f"- `{m.id}` {m.kind}, {m.where}/{m.notation}{', rule ' + m.rule if m.rule else ''}: "
                      f"{m.sentence} — {extra}")
    if checks:
        md += ["", f"## The real pytest agrees on {agree} of {len(checks)} spot checks", "",
               "| mutation | in-process | pytest | tests failing |", "|---|---|---|---|"]
        md += [f"| `{c['id']}` | {c['in_process']} | {c['pytest']} | {', '.join(c['failed'])} |" for c in checks]
    coarse = [t for b in baselines.values() for t, ok in b.get("learnt", {}).items() if not ok]
    if coarse:
        md += ["", "## Tests that rerun for every mutation of their notebook", "",
               "They take the whole text and use it in a way the harness cannot learn (e.g. a compiled pattern); "
               "a `re.search(..., markdown(NB))` or `stated(...)` instead makes `make mutate` faster.", ""]
        md += [f"- {t}" for t in coarse]
    unrepeatable = {nb: b.get("unrepeatable") for nb, b in baselines.items() if b.get("unrepeatable")}
    if unrepeatable:
        md += ["", "## Reads a rerun cannot repeat (their mutations ran in a pytest subprocess)", ""]
        md += [f"- {nb}: {ctx}: {why}" for nb, d in unrepeatable.items() for ctx, why in d.items()]
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "report.json").write_text(json.dumps({
        "meta": {k: str(v) if isinstance(v, Path) else v for k, v in meta.items()},
        "totals": dict(t), "notebooks": {nb: dict(c) for nb, c in s["rows"].items()},
        "rules": {name: {"why": WHY[name], **c} for name, c in s["rules"].items()},
        "baselines": baselines, "checks": checks,
        "mutations": [asdict(m) | {"status": status(m, results.get(m.id, {})), **results.get(m.id, {})}
                      for m in mutations]}, indent=1, ensure_ascii=False), encoding="utf-8")
    ok = not (t["survived"] or t["unsure"] or t["error"]) and agree == len(checks)
    return f"{head}\nreport: {out / 'report.md'}", ok
