"""The static course export (make html), opened in chromium from a loopback HTTP server, no kernel.

Every page must show its figures, its to_jshtml animations with their controls, no error, and fetch
nothing from outside 127.0.0.1 (the export is self-contained). Every explorer keeps working from its stored
state: the step-size slider changes the path, Play animates it, the other controls say they need a kernel,
and its stored state stays within 2 MB (static_explorers.py).
"""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO, notebook_names, notebooks_dir
from static_explorers import STATE_BUDGET, check_explorers, stored_state_per_explorer

HTML_DIR = REPO / "build" / "html"

PAGE_SUMMARY = """
() => {
  const canvases = [...document.querySelectorAll('canvas.stepviz-static')];
  const blank = canvases.filter(c => {
    if (!c.width || !c.height) return true;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let set = 0;
    for (let i = 3; i < d.length; i += 4 * 13) if (d[i] !== 0) set++;
    return set === 0;
  }).length;
  const anims = [...document.querySelectorAll('.animation')];
  // Step each animation one frame forward with its own button: the frame image must change.
  const stepped = anims.filter(a => {
    const img = a.querySelector('img');
    const next = a.querySelector('button .fa-step-forward');
    if (!img || !next) return false;
    const before = img.src;
    next.closest('button').click();
    return img.src !== before;
  }).length;
  const text = document.body.innerText;
  return {
    widgetViews: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    widgetState: document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]').length,
    renderedWidgets: document.querySelectorAll('.jupyter-widgets.widget-container, .jupyter-widgets.widget-inline-hbox').length,
    canvases: canvases.length,
    blankCanvases: blank,
    sliders: document.querySelectorAll('.widget-slider').length,
    images: [...document.querySelectorAll('.jp-OutputArea-output img')].filter(i => i.complete && i.naturalWidth > 0).length,
    imagesWithoutAlt: [...document.querySelectorAll('.jp-OutputArea-output img')].filter(i => !(i.getAttribute('alt') || '').trim()).length,
    brokenImages: [...document.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth === 0).length,
    animations: anims.length,
    animationsStepping: stepped,
    animationsWithControls: anims.filter(a => a.querySelector('input[type=range]') && a.querySelectorAll('button').length >= 4 && a.querySelector('img') && a.querySelector('img').naturalWidth > 0).length,
    errorOutputs: document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
    errorDisplaying: (text.match(/Error displaying widget/g) || []).length,
    loadingWidget: (text.match(/Loading widget/g) || []).length,
    tracebacks: (text.match(/Traceback \\(most recent call last\\)/g) || []).length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
    rawMath: document.querySelectorAll('.jp-MarkdownOutput').length
        && [...document.querySelectorAll('.jp-MarkdownOutput')].some(m => /\\$\\$[^$]+\\$\\$/.test(m.innerText)),
    notebookLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => /\\.ipynb(#|$)/.test(h)),
  };
}
"""


@pytest.fixture(scope="session")
def html_dir():
    """build/html, built by `make html` (make e2e builds it first); built here if it is missing."""
    names = {Path(n).stem for n in notebook_names()}
    have = {p.stem for p in HTML_DIR.glob("*.html")} - {"index"}
    if not (HTML_DIR / "index.html").exists() or not names <= have:
        subprocess.run(
            [sys.executable, str(REPO / "tools" / "build_html.py"), "--out", str(HTML_DIR),
             "--notebooks", str(notebooks_dir())],
            check=True,
        )
    return HTML_DIR


@pytest.fixture(scope="session")
def static_server(html_dir):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_index_links_every_notebook_in_order(static_server, new_context, artifacts):
    guard = new_context()
    page = guard.watch(guard.context.new_page())
    page.goto(f"{static_server}/index.html")
    links = page.eval_on_selector_all("ol.course a", "els => els.map(a => a.getAttribute('href'))")
    assert links == [Path(n).stem + ".html" for n in notebook_names()]
    page.wait_for_function("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise")
    page.evaluate("() => window.MathJax.startup.promise")
    assert page.locator("mjx-merror").count() == 0, "MathJax could not typeset a summary on the index page"
    page.screenshot(path=str(artifacts / "index.png"), full_page=True)
    for href in links:
        response = page.request.get(f"{static_server}/{href}")
        assert response.ok, f"{href}: HTTP {response.status}"
    assert not guard.blocked and not guard.page_errors, (guard.blocked, guard.page_errors)


def test_static_page(notebook, html_dir, static_server, new_context, artifacts, e2e_report):
    stem = Path(notebook).stem
    guard = new_context(viewport={"width": 1200, "height": 1000})
    page = guard.watch(guard.context.new_page())
    page.goto(f"{static_server}/{stem}.html", wait_until="load")
    # The widget manager renders the stored state after load; MathJax typesets after load.
    page.wait_for_function(
        """() => {
          const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
          const done = !views || document.querySelectorAll('.jupyter-widgets').length > 0;
          const math = !window.MathJax || !window.MathJax.startup || window.MathJax.startup.document !== undefined;
          return done && math && !document.body.innerText.includes('Loading widget');
        }""",
        timeout=30_000,
    )
    page.wait_for_timeout(1000)  # images inside canvases are decoded asynchronously
    s = page.evaluate(PAGE_SUMMARY)
    shots = artifacts / stem
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "static-page.png"), full_page=True)
    e2e_report[f"html/{notebook}"] = {k: v for k, v in s.items() if k != "notebookLinks"}

    problems = []
    if s["widgetViews"] and not s["widgetState"]:
        problems.append("widget views but no stored widget state")
    if s["widgetViews"] and not s["renderedWidgets"]:
        problems.append(f"{s['widgetViews']} widget views, none rendered")
    if s["blankCanvases"]:
        problems.append(f"{s['blankCanvases']} of {s['canvases']} explorer figures show no static picture")
    if s["animations"] != s["animationsWithControls"]:
        problems.append(f"{s['animations'] - s['animationsWithControls']} animation(s) without image or controls")
    elif s["animations"] != s["animationsStepping"]:
        problems.append(f"{s['animations'] - s['animationsStepping']} animation(s) do not advance on 'next frame'")
    for key, what in [("errorOutputs", "stderr/error outputs"), ("errorDisplaying", "'Error displaying widget'"),
                      ("loadingWidget", "'Loading widget'"), ("tracebacks", "tracebacks"),
                      ("mathErrors", "MathJax errors"), ("brokenImages", "broken images"),
                      ("imagesWithoutAlt", "output images without alt text")]:
        if s[key]:
            problems.append(f"{s[key]} {what}")
    if s["rawMath"]:
        problems.append("display math left as raw $$...$$ text")
    if s["notebookLinks"]:
        problems.append(f"broken links to notebooks that do not exist (no page was built for them): "
                        f"{s['notebookLinks'][:5]}")
    sizes = stored_state_per_explorer((html_dir / f"{stem}.html").read_text(encoding="utf-8"))
    e2e_report[f"html/{notebook}"]["explorer_state_bytes"] = sizes
    for i, size in enumerate(sizes):
        if size > STATE_BUDGET:
            problems.append(f"explorer {i} stores {size / 1e6:.2f} MB of widget state (budget 2 MB)")
    e2e_report[f"html/{notebook}"].update(check_explorers(page, problems))
    page.screenshot(path=str(shots / "static-page-after-explorers.png"), full_page=True)
    problems += [f"request left loopback (aborted): {u}" for u in guard.blocked]
    problems += [f"uncaught error in the page: {e[:300]}" for e in guard.page_errors]
    problems += guard.http_errors
    problems += [f"console error: {e[:300]}" for e in guard.console_errors if not guard.http_errors]
    assert not problems, f"{stem}.html:\n  " + "\n  ".join(problems)
