"""Explorers at the learner's width (issue 16 items 1 and 4), in JupyterLab + chromium: at 1280 x 720 (file browser
open) and 1920 x 1080 the figure is rendered again at the width it is shown (its canvases' pixels = CSS px x the
screen's ratio, no upscaled bitmap), fills the output up to 1200 px, no text is under 11 CSS px, nothing scrolls
inside it, it fits 840 x 600 on the laptop; the 'more controls' toggle shows the other controls.
Screenshots: build/e2e/layout/."""
from __future__ import annotations

import explorer_checks as ec
import fit_keyboard as fk
from scenario import Notebook

CELLS = [
    "import stepviz as sv",
    "explorer = sv.live.explore(sv.QuadraticBowl((2.0, 4.0)), 'GD', lr=0.05, lr_range=(1e-3, 1.0))\nexplorer",
    "heavy = sv.live.momentum_explorer('bowl', 'Momentum', lr=0.000164, decay=0.058, momentum=0.55, steps=150)\n"
    "heavy.show_first('momentum', 'preset')",
]

# What the page shows of one explorer: its size, the output's, the figure's canvases (CSS and backing pixels), the
# smallest text the figure reports (picture and drawn texts) and the smallest text of its HTML (controls, readout).
MEASURE = """
(root) => {
  const px = (e) => e.getBoundingClientRect();
  const out = root.closest('.jp-OutputArea-output') || root.parentElement;
  const stage = root.querySelector('.stepviz-stage');
  const canvases = [...stage.querySelectorAll('canvas')].map((c) => ({css: px(c).width, backing: c.width}));
  let smallestHtml = Infinity, smallestWhat = '';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || !e || !e.offsetParent) continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < smallestHtml) { smallestHtml = size; smallestWhat = n.textContent.trim().slice(0, 40); }
  }
  const scrollers = [...root.querySelectorAll('*')].filter((e) => (e.scrollWidth > e.clientWidth + 1
      || e.scrollHeight > e.clientHeight + 1) && ['auto', 'scroll'].some((v) => [getComputedStyle(e).overflowX,
      getComputedStyle(e).overflowY].includes(v))).length;
  // the explorer's content: the box spans the output, its figure and controls end where they end
  const left = px(root).left;
  const parts = [...root.querySelectorAll('canvas, input, button, select, .noUi-target')].filter((e) => e.offsetParent)
    .map((e) => px(e).right);
  const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = texts.nextNode(); n; n = texts.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement || !n.parentElement.offsetParent) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    parts.push(range.getBoundingClientRect().right);
  }
  const right = Math.max(...parts);
  return {width: right - left, height: px(root).height, output: out.clientWidth, stage: px(stage).width,
          canvases, ratio: window.devicePixelRatio, smallestFigure: parseFloat(stage.dataset.smallestText),
          smallestHtml, smallestWhat, scrollers, rootScroll: root.scrollWidth - root.clientWidth};
}
"""


def measure(nb, ex, variable):
    """Wait until the kernel's picture has the width the page shows, then measure."""
    page = nb.page
    for _ in range(80):
        m = ex.root.evaluate(MEASURE)
        size = nb.value(f"list({variable}.canvas.size)")
        if 0 <= min(max(m["output"], 600), 1200) - size[0] < 10 and abs(m["stage"] - min(m["output"], size[0])) <= 1:
            break
        page.wait_for_timeout(250)
    m["kernel_size"] = size
    m["png"] = nb.value(f"__import__('PIL.Image', fromlist=['x']).open(__import__('io').BytesIO({variable}.canvas.picture)).size")
    return m


def check(m, viewport, what, problems):
    w, ratio = m["kernel_size"][0], m["ratio"]
    if not 0 <= min(max(m["output"], 600), 1200) - w < 10:
        problems.append(f"{what}: picture {w} px wide in an output of {m['output']} px")
    if abs(m["stage"] - min(m["output"], w)) > 1:
        problems.append(f"{what}: figure shown {m['stage']} px wide, picture {w}, output {m['output']}")
    if tuple(m["png"]) != (round(w * ratio), round(m["kernel_size"][1] * ratio)):
        problems.append(f"{what}: the picture has {m['png']} pixels for {m['kernel_size']} CSS px at ratio {ratio}")
    for c in m["canvases"]:
        if abs(c["backing"] - c["css"] * ratio) > 1:
            problems.append(f"{what}: a canvas of {c['css']} CSS px has {c['backing']} pixels (scaled, ratio {ratio})")
    if m["smallestFigure"] < 11 or m["smallestHtml"] < 11:
        problems.append(f"{what}: text of {m['smallestFigure']} px in the figure / {m['smallestHtml']} px "
                        f"({m['smallestWhat']!r}) in the controls")
    if m["scrollers"] or m["rootScroll"] > 1:
        problems.append(f"{what}: scrolls inside ({m['scrollers']} scrolling boxes, {m['rootScroll']} px)")
    if viewport == fk.LAPTOP and (m["width"] > 841 or m["height"] > 600):
        problems.append(f"{what}: {m['width']:.0f} x {m['height']:.0f} px at 1280 x 720, more than 840 x 600")


def test_explorers_take_the_width_they_are_shown_at(lab, lab_cleanup, new_context, artifacts, e2e_report):
    shots = artifacts / "layout"
    shots.mkdir(parents=True, exist_ok=True)
    problems, record = [], {}
    e2e_report["layout"] = record
    guard = new_context(viewport={"width": 1920, "height": 1080})
    page = guard.watch(guard.context.new_page())
    nb = Notebook.scratch(page, lab, "layout_scratch.ipynb", CELLS)
    for viewport, name in (({"width": 1920, "height": 1080}, "1920"), (fk.LAPTOP, "1280")):
        page.set_viewport_size(viewport)
        if viewport == fk.LAPTOP:
            page.evaluate(fk.OPEN_FILE_BROWSER)
        for variable in ("explorer", "heavy"):
            ex = nb.explorer(variable)
            ex.root.scroll_into_view_if_needed()
            m = measure(nb, ex, variable)
            record[f"{variable}@{name}"] = {k: m[k] for k in ("width", "height", "output", "stage", "kernel_size",
                                                              "smallestFigure", "smallestHtml")}
            check(m, viewport, f"{variable} at {name}", problems)
            ec.screenshot(ex.root, shots / f"{variable}-{name}.png")
    # progressive controls: the step size, Play and the iteration first; 'more controls' shows the rest
    ex = nb.explorer("explorer")
    steps = ex.root.locator(".stepviz-steps")
    assert ex.root.locator(".stepviz-lr").is_visible() and ex.root.locator(".stepviz-play").is_visible()
    assert not steps.is_visible(), "the steps slider shows before 'more controls' is pressed"
    toggle = ex.root.locator(".stepviz-more-toggle button, button.stepviz-more-toggle").first
    toggle.focus()
    page.keyboard.press("Enter")  # a keyboard user opens it too
    steps.wait_for(state="visible", timeout=10_000)
    assert nb.value("explorer.panel.toggle.value") is True
    m = ex.root.evaluate(MEASURE)
    record["explorer@1280 more controls"] = {"height": m["height"]}
    ec.screenshot(ex.root, shots / "explorer-1280-more.png")
    assert not problems, "\n".join(problems)
    assert not nb.problems()
