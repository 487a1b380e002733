"""Accessibility (issue 16, item 8): axe-core (the npm package pinned in package-lock.json) on every notebook in
JupyterLab with its outputs, and on every page of the static export (make html), index.html included.

The course answers for what it puts on the page: in JupyterLab the cells' outputs and rendered markdown, in the
export the whole page (the notebooks, the export template of tools/build_html.py and the index). Serious and
critical violations there fail the test. What JupyterLab's own interface has is reported (build/e2e/axe.json and
the measurements at the end of the run), not asserted: the course cannot change it.
"""
from __future__ import annotations

import json
from pathlib import Path

import labjs
import pytest
from conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS = ("serious", "critical")
RUN_TIMEOUT_MS = 300_000

# axe.run on the page, then each serious/critical node sorted: the course's output (inside a cell's output
# area or rendered markdown) or JupyterLab's own interface. The static pages are the course's throughout.
RUN_AXE = """
async ([impacts, ours]) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const out = [];
  for (const v of result.violations) {
    if (!impacts.includes(v.impact)) continue;
    for (const node of v.nodes) {
      let el = null;
      try { el = node.target.length === 1 ? document.querySelector(node.target[0]) : null; } catch (e) {}
      const course = ours === '*' || !!(el && el.closest(ours));
      out.push({rule: v.id, impact: v.impact, course, target: node.target.join(' >> '),
                html: node.html.slice(0, 160), summary: (node.failureSummary || '').slice(0, 240)});
    }
  }
  return {violations: out, version: axe.version};
}
"""
COURSE_OUTPUT = ".jp-OutputArea-output, .jp-MarkdownOutput"
# Item 7: emoji and pictographic symbols render as boxes without an emoji font; what the course shows has none.
PICTOGRAPHS = """(sel) => [...document.querySelectorAll(sel)].map(e => e.innerText || '')
    .flatMap(t => t.match(/\\p{Extended_Pictographic}/gu) || [])"""


def axe_violations(page, ours: str) -> dict:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `npm ci` (make e2e does) to install the pinned axe-core")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, [list(IMPACTS), ours])


def counts(violations) -> dict:
    out: dict[str, int] = {}
    for v in violations:
        out[v["rule"]] = out.get(v["rule"], 0) + 1
    return dict(sorted(out.items()))


def describe(violations, limit=12) -> str:
    lines = [f"{v['impact']} {v['rule']}: {v['target']} {v['html']!r} ({v['summary']})" for v in violations[:limit]]
    more = len(violations) - limit
    return "\n  ".join(lines + ([f"... and {more} more"] if more > 0 else []))


@pytest.fixture(scope="session")
def axe_record(artifacts):
    record: dict = {}
    yield record
    if record:
        path = artifacts / "axe.json"
        old = json.loads(path.read_text()) if path.exists() else {}
        old.update(record)
        path.write_text(json.dumps(old, indent=2, sort_keys=True))


# ----------------------------------------------------------------------------------------------------------
# The static export (the html_dir and static_server fixtures of test_static.py)
# ----------------------------------------------------------------------------------------------------------
from test_static import html_dir, static_server  # noqa: E402,F401  (fixtures)

WIDGETS_SHOWN = """() => {
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  const done = !views || document.querySelectorAll('.jupyter-widgets').length > 0;
  const math = !window.MathJax || !window.MathJax.startup || window.MathJax.startup.document !== undefined;
  return done && math && !document.body.innerText.includes('Loading widget');
}"""


def static_pages():
    from conftest import notebook_names

    return ["index.html"] + [Path(n).stem + ".html" for n in notebook_names()]


@pytest.mark.parametrize("name", static_pages())
def test_axe_static_page(name, static_server, new_context, e2e_report, axe_record):
    guard = new_context(viewport={"width": 1280, "height": 900})
    page = guard.watch(guard.context.new_page())
    page.goto(f"{static_server}/{name}", wait_until="load")
    page.wait_for_function(WIDGETS_SHOWN, timeout=30_000)
    page.wait_for_timeout(1500)  # MathJax and the widgets' canvases settle
    result = axe_violations(page, "*")
    found = result["violations"]
    axe_record[f"html/{name}"] = {"axe": result["version"], "serious_or_critical": counts(found), "nodes": found}
    e2e_report[f"axe/html/{name}"] = {"serious_or_critical": len(found), "by_rule": counts(found)}
    assert not found, f"{name}: {len(found)} serious/critical axe violations:\n  {describe(found)}"
    assert page.evaluate(PICTOGRAPHS, COURSE_OUTPUT + ", ol.course") == []


# ----------------------------------------------------------------------------------------------------------
# JupyterLab, every notebook run with its outputs
# ----------------------------------------------------------------------------------------------------------
def test_axe_in_jupyterlab(notebook, lab, lab_cleanup, new_context, e2e_report, axe_record):
    guard = new_context(viewport={"width": 1280, "height": 900})
    page = guard.watch(guard.context.new_page())
    page.goto(lab.url(f"/lab/tree/{notebook}", query="reset"))
    page.wait_for_function(labjs.KERNEL_READY, arg=notebook, timeout=90_000)
    page.evaluate(labjs.RUN_ALL, [notebook, RUN_TIMEOUT_MS])
    page.wait_for_function(labjs.ALL_EXECUTED, arg=notebook, timeout=RUN_TIMEOUT_MS)
    for _ in range(120):  # the widgets render after their cells have run
        dom = page.evaluate(labjs.DOM_SUMMARY, notebook)
        if dom["loading"] == 0 and dom["widgetRendered"] >= dom["widgetOutputs"]:
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(1000)
    result = axe_violations(page, COURSE_OUTPUT)
    ours = [v for v in result["violations"] if v["course"]]
    lab_own = [v for v in result["violations"] if not v["course"]]
    axe_record[f"lab/{notebook}"] = {"axe": result["version"], "course": counts(ours),
                                     "jupyterlab": counts(lab_own), "nodes": result["violations"]}
    e2e_report[f"axe/lab/{notebook}"] = {"course": len(ours), "jupyterlab": len(lab_own),
                                         "course_by_rule": counts(ours), "jupyterlab_by_rule": counts(lab_own)}
    assert page.evaluate(PICTOGRAPHS, COURSE_OUTPUT) == []
    assert not ours, (f"{notebook} in JupyterLab: {len(ours)} serious/critical axe violations in the course's "
                      f"output:\n  {describe(ours)}")
