#!/usr/bin/env python
"""Static course export: execute every notebook and write build/html/.

    python tools/build_html.py [--out build/html] [--notebooks notebooks] [--jobs N]

Writes an index page that links the notebooks in reading order, and one page per notebook with its
outputs and its widget state stored, so that a page opened without a kernel still shows every figure and
every to_jshtml animation, and every explorer's step-size slider, Play and iteration slider still move its
path (the explorers' canvases keep their whole step-size sweep in their stored state).

The pages are self-contained and work offline (file:// or any static host): the scripts nbconvert
would fetch from public CDNs (require.js, the Jupyter widgets HTML manager, MathJax) and the ones the
HTML manager would fetch (anywidget's front end; Font Awesome for matplotlib's animation buttons) are
copied into build/html/static/:
  - anywidget: from the installed anywidget package (so it always matches the Python side); each
    explorer's own ES module travels inline in its stored state;
  - the rest: from the npm registry with `npm pack` at the versions pinned below, cached in
    build/vendor/ (needs node/npm, which this project's machines have).
A notebook that raises stops the build with the error (nbclient's CellExecutionError).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]

# npm packages copied into static/: name@version -> {path inside the package: path under static/}
VENDOR = {
    # The widget manager for pages without a kernel; 1.0.x renders ipywidgets 8 state.
    "@jupyter-widgets/html-manager@1.0.15": {"package/dist": "html-manager"},
    "requirejs@2.3.7": {"package/require.js": "require.js"},
    "mathjax@3.2.2": {
        "package/es5/tex-chtml-full.js": "mathjax/es5/tex-chtml-full.js",
        "package/es5/output/chtml/fonts/woff-v2": "mathjax/es5/output/chtml/fonts/woff-v2",
    },
    # matplotlib's to_jshtml links Font Awesome 4 from a CDN for its buttons' icons.
    "font-awesome@4.7.0": {"package/css": "font-awesome/css", "package/fonts": "font-awesome/fonts"},
}
FONT_AWESOME_CDN = re.compile(r"https?://[^\"'\s]*/font-awesome/[0-9.]+/css/font-awesome(?:\.min)?\.css")

TEMPLATE = r"""
{%- extends 'lab/index.html.j2' -%}

{%- block html_head_js_requirejs -%}
<script src="static/require.js"></script>
<script>
  // The HTML widget manager asks require.js for third-party widget modules before any CDN; its own
  // modules find their fonts next to where require.js says they live.
  require.config({paths: {
    "anywidget": "static/anywidget/index",
    "@jupyter-widgets": "static/html-manager",
    "@jupyter-widgets/html-manager/dist": "static/html-manager"
  }});
</script>
{%- endblock html_head_js_requirejs -%}

{%- block html_head_js_mathjax -%}
<script>
  // MathJax 3, with the one MathJax 2 call the widget code makes (MathJax.Hub.Queue(["Typeset", ...]))
  // mapped onto it; jobs queued before MathJax has loaded run once it is ready.
  (function () {
    var pending = [];
    var hub = {Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var job = arguments[i];
        if (!(Array.isArray(job) && job[0] === 'Typeset')) continue;
        var el = job[2];
        var run = function () { return window.MathJax.typesetPromise(el ? [el] : undefined).catch(function () {}); };
        if (window.MathJax && window.MathJax.typesetPromise) run(); else pending.push(run);
      }
    }};
    window.MathJax = {
      tex: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
            processEscapes: true, processEnvironments: true, tags: 'ams'},
      options: {ignoreHtmlClass: 'tex2jax_ignore', processHtmlClass: 'tex2jax_process'},
      startup: {ready: function () {
        window.MathJax.startup.defaultReady();
        window.MathJax.Hub = hub;
        pending.splice(0).forEach(function (run) { run(); });
      }},
      Hub: hub
    };
  })();
</script>
<script src="static/mathjax/es5/tex-chtml-full.js" defer></script>
{%- endblock html_head_js_mathjax -%}

{%- block html_head_js_mermaidjs -%}
{%- endblock html_head_js_mermaidjs -%}

{%- block html_head_css -%}
<!-- Icons of matplotlib's to_jshtml animation buttons (it links them from a CDN; that link, if left
     in the output, is pointed here too). -->
<link rel="stylesheet" href="static/font-awesome/css/font-awesome.min.css">
<style>
  nav.stepviz-nav { max-width: 1100px; margin: 0 auto; padding: 8px 16px; font-family: var(--jp-ui-font-family);
                    display: flex; justify-content: space-between; border-bottom: 1px solid #ddd; }
  nav.stepviz-nav a { text-decoration: none; }
  .jupyter-widgets { font-family: var(--jp-ui-font-family); }
  /* Contrast (WCAG AA, checked by tests/e2e/test_axe.py): the In/Out prompts are grey-700 at half opacity
     in JupyterLab's light theme (#b0b0b0, 2.2:1), some code colours under 4.5:1 on the input's grey. */
  :root {
    --jp-cell-prompt-not-active-opacity: 1;
    --jp-cell-prompt-not-active-font-color: #616161;
    --jp-mirror-editor-number-color: #006600;
    --jp-mirror-editor-comment-color: #3b6e6e;
    --jp-mirror-editor-operator-color: #7a1fc2;
    --jp-mirror-editor-meta-color: #7a1fc2;
  }
  /* Links in prose are underlined: told from the text around them by more than colour. */
  .jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }
</style>
{%- endblock html_head_css -%}

{%- block body_header -%}
{{ super() }}
<nav class="stepviz-nav">
  <span>{{ resources.stepviz_prev | safe }}</span><a href="index.html">Course index</a><span>{{ resources.stepviz_next | safe }}</span>
</nav>
{%- endblock body_header -%}
"""

INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<script>window.MathJax = {{tex: {{inlineMath: [['$', '$'], ['\\\\(', '\\\\)']]}}}};</script>
<script src="static/mathjax/es5/tex-chtml-full.js" defer></script>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 820px;
         margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }}
  ol.course {{ padding-left: 1.5em; }}
  ol.course li {{ margin: 0.8em 0; }}
  ol.course a {{ font-size: 1.15em; font-weight: 600; text-decoration: none; }}
  .summary {{ color: #444; margin: 0.2em 0 0; }}
  .summary p, .summary ul {{ margin: 0.2em 0; }}
  .time {{ color: #595959; }}
  footer {{ margin-top: 3em; color: #595959; font-size: 0.9em; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{intro}</p>
<ol class="course">
{items}
</ol>
</main>
<footer>Static pages, built {built}: every figure and animation as it was when the course was built. In the
explorers, the step-size slider, Play and the iteration slider work here too; the other controls need a running
kernel: run the notebooks in JupyterLab (<code>make lab</code>) for those.</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------------
# Vendored scripts
# --------------------------------------------------------------------------------------------------
def _npm_pack(spec: str, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    stem = spec.lstrip("@").replace("/", "-").replace("@", "-")
    tgz = cache / f"{stem}.tgz"
    if not tgz.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit(f"npm is needed to fetch {spec} for the static pages (apt-get install npm)")
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                [npm, "pack", spec, "--silent", "--pack-destination", tmp],
                check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
            shutil.move(Path(tmp) / out, tgz)
    return tgz


def _extract(tgz: Path, mapping: dict[str, str], static: Path) -> None:
    with tarfile.open(tgz) as tar:
        members = tar.getmembers()
        for src, dst in mapping.items():
            for m in members:
                if not m.isfile() or not (m.name == src or m.name.startswith(src + "/")):
                    continue
                if m.name.endswith(".map"):
                    continue
                rel = m.name[len(src):].lstrip("/")
                target = static / dst / rel if rel else static / dst
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(m) as fsrc, open(target, "wb") as fdst:
                    shutil.copyfileobj(fsrc, fdst)


def vendor_static(static: Path, cache: Path) -> None:
    static.mkdir(parents=True, exist_ok=True)
    for spec, mapping in VENDOR.items():
        _extract(_npm_pack(spec, cache), mapping, static)
    # anywidget's front end (an AMD module on @jupyter-widgets/base) runs each widget's ES module, which
    # the stored widget state carries inline (_esm): nothing else to fetch.
    import anywidget

    dst = static / "anywidget"
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path(anywidget.__file__).parent / "nbextension" / "index.js", dst / "index.js")


# --------------------------------------------------------------------------------------------------
# Execution
# --------------------------------------------------------------------------------------------------
def current_env_kernel(tmp: Path) -> None:
    """Make kernel 'python3' this interpreter, whatever user-level kernelspecs exist."""
    spec = tmp / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python",
    }))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(tmp), os.environ.get("JUPYTER_PATH")]))


def execute(path: Path, timeout: int) -> tuple[nbformat.NotebookNode, float]:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb, time.perf_counter() - t0


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------
def title_and_summary(nb) -> tuple[str, str, str]:
    """The notebook's title (first '# ' heading), its 'What you will learn' text and its time estimate,
    from the opening markdown cell."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        src = cell.source
        m = re.search(r"^# (.+)$", src, re.M)
        if not m:
            continue
        learn = re.search(r"\*\*What you will learn:?\*\*:?\s*(.*?)(?=\n\s*\n|\*\*Time:|\Z)", src, re.S)
        minutes = re.search(r"\*\*Time:?\*\*:?\s*([^*\n]*?)\s*(?:\*\*|\n|$)", src)
        return (m.group(1).strip(), learn.group(1).strip() if learn else "",
                minutes.group(1).strip(" .") if minutes else "")
    return "", "", ""


def markdown(text: str) -> str:
    """Markdown (with $math$ kept for MathJax) to HTML, as nbconvert renders notebook cells."""
    from nbconvert.filters.markdown import markdown2html

    return markdown2html(text)


def rewrite_links(page: str, stems: set[str]) -> str:
    """Links between notebooks point at the exported pages; Font Awesome at the local copy."""
    def repl(m):
        stem, anchor = m.group(2), m.group(3) or ""
        if stem in stems:
            return f'{m.group(1)}"{stem}.html{anchor}"'
        return m.group(0)

    page = re.sub(r'(href=)"(?:\./)?([^"#:/?]+)\.ipynb(#[^"]*)?"', repl, page)
    return FONT_AWESOME_CDN.sub("static/font-awesome/css/font-awesome.min.css", page)


def export(nb, name: str, stems: set[str], prev_link: str, next_link: str) -> str:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"stepviz_page.html.j2": TEMPLATE})],
        template_file="stepviz_page.html.j2",
        widget_renderer_url="static/html-manager/embed-amd.js",
        require_js_url="static/require.js",
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": name},
                       "stepviz_prev": prev_link, "stepviz_next": next_link},
    )
    return rewrite_links(body, stems)


def build(out: Path, notebooks: Path, timeout: int, jobs: int) -> dict:
    paths = sorted(notebooks.glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {notebooks}")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    vendor_static(out / "static", REPO / "build" / "vendor")
    tmp = Path(tempfile.mkdtemp(prefix="stepviz-html-"))
    current_env_kernel(tmp)
    os.environ.setdefault("MPLCONFIGDIR", str(tmp / "matplotlib"))

    stems = {p.stem for p in paths}
    timings: dict[str, float] = {}
    executed: dict[str, nbformat.NotebookNode] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(execute, p, timeout): p for p in paths}
        for fut in concurrent.futures.as_completed(futures):
            p = futures[fut]
            try:
                nb, seconds = fut.result()
            except Exception as exc:
                for f in futures:
                    f.cancel()
                raise SystemExit(f"{p.name} failed to execute:\n{exc}") from None
            executed[p.stem], timings[p.name] = nb, round(seconds, 2)
            print(f"executed {p.name} in {seconds:.1f} s", flush=True)

    items = []
    for i, p in enumerate(paths):
        nb = executed[p.stem]
        title, summary, minutes = title_and_summary(nb)
        prev_link = f'<a href="{paths[i - 1].stem}.html">&larr; previous</a>' if i > 0 else ""
        next_link = f'<a href="{paths[i + 1].stem}.html">next &rarr;</a>' if i + 1 < len(paths) else ""
        page = export(nb, title or p.stem, stems, prev_link, next_link)
        (out / f"{p.stem}.html").write_text(page, encoding="utf-8")
        items.append(
            f'<li><a href="{p.stem}.html">{html.escape(title or p.stem)}</a>'
            + (f' <span class="time">({html.escape(minutes)})</span>' if minutes else "")
            + (f'<div class="summary">{markdown(summary)}</div>' if summary else "") + "</li>"
        )
    (out / "index.html").write_text(INDEX.format(
        title="stepviz: the step size of gradient descent",
        intro="An interactive course in Jupyter notebooks. Read them in this order:",
        items="\n".join(items), built=time.strftime("%Y-%m-%d"),
    ), encoding="utf-8")
    (out / "build.json").write_text(json.dumps({"execute_seconds": timings}, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)
    return timings


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "html")
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks executed at once")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    timings = build(args.out.resolve(), args.notebooks.resolve(), args.timeout, args.jobs)
    print(f"wrote {args.out}/index.html and {len(timings)} pages in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
