"""Fit and keyboard checks of one explorer in JupyterLab (test_lab.py): at 1280 x 720 with the file browser
open every explorer fits (no horizontal scroll inside it, its height within the notebook's view), Tab moves
through it and out of it (and Shift+Tab out backwards), and every control it focuses shows a focus ring."""
from __future__ import annotations

import explorer_checks as ec

LAPTOP = {"width": 1280, "height": 720}

OPEN_FILE_BROWSER = "() => { window.jupyterapp.shell.activateById('filebrowser'); return true; }"

FIT = """
(root) => {
  const out = root.closest('.jp-OutputArea-output') || root.parentElement;
  const view = root.closest('.jp-Notebook') || document.documentElement;
  const r = root.getBoundingClientRect();
  const over = [...root.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1
      && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).length;
  return {width: Math.round(r.width), height: Math.round(r.height), outputWidth: out.clientWidth,
          viewHeight: view.clientHeight, rootScroll: root.scrollWidth - root.clientWidth,
          outputScroll: out.scrollWidth - out.clientWidth, scrollersInside: over};
}
"""

# Where focus is: inside the explorer or not, what it is, and whether it shows a focus indicator.
FOCUS = """
(root) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {inside: false, what: 'body', ring: false};
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || (s.boxShadow && s.boxShadow !== 'none');
  const what = el.tagName.toLowerCase() + (el.type ? `[${el.type}]` : '') + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
  return {inside: root.contains(el), what, ring: !!ring, label: el.getAttribute('aria-label') || el.innerText || ''};
}
"""

FIRST_FOCUSABLE = """
(root) => {
  const sel = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
  const all = [...root.querySelectorAll(sel)].filter(e => !e.disabled && e.offsetParent !== null);
  if (!all.length) return false;
  all[0].focus();
  return all.length;
}
"""


def check_fit(page, explorer, problems, what) -> dict:
    """The explorer as first shown ('more controls' closed; its height opened is recorded as height_more)."""
    ec.show_more(explorer)
    more = explorer.evaluate(FIT)["height"]
    ec.show_less(explorer)
    explorer.scroll_into_view_if_needed()
    f = explorer.evaluate(FIT)
    f["height_more"] = more
    if f["rootScroll"] > 1 or f["outputScroll"] > 1 or f["scrollersInside"]:
        problems.append(f"{what}: scrolls horizontally at 1280x720 with the file browser open ({f})")
    if f["width"] > f["outputWidth"] + 1:
        problems.append(f"{what}: {f['width']} px wide in an output area of {f['outputWidth']} px")
    if f["height"] > f["viewHeight"]:
        problems.append(f"{what}: {f['height']} px tall, the notebook shows {f['viewHeight']} px")
    return f


def check_key_range(page, explorer, problems, what, most=25) -> int:
    """Home, then ArrowRight until the step-size slider reaches its end: the presses it took (~20 wanted)."""
    slider = explorer.locator(".stepviz-lr input[type=range]")
    slider.focus()
    page.keyboard.press("Home")
    end = slider.get_attribute("max")
    for n in range(1, most + 1):
        page.keyboard.press("ArrowRight")
        if slider.input_value() == end:
            break
    else:
        problems.append(f"{what}: {most} arrow presses do not cross the step-size slider's range")
        return most
    page.keyboard.press("PageDown")
    if int(slider.input_value()) >= int(end) - 1:
        problems.append(f"{what}: PageDown moved the step-size slider less than one arrow press")
    return n


def check_tab(page, explorer, problems, what, limit=60) -> dict:
    """Tab from the explorer's first control until focus leaves it; then Shift+Tab from its first control."""
    n = explorer.evaluate(FIRST_FOCUSABLE)
    if not n:
        problems.append(f"{what}: nothing in it takes keyboard focus")
        return {}
    visited, no_ring = [], []
    for _ in range(limit):
        f = explorer.evaluate(FOCUS)
        if not f["inside"]:
            break
        visited.append(f["what"])
        if not f["ring"]:
            no_ring.append(f["what"])
        page.keyboard.press("Tab")
    else:
        problems.append(f"{what}: Tab is trapped inside it ({limit} presses, still inside: {visited[-3:]})")
    explorer.evaluate(FIRST_FOCUSABLE)
    page.keyboard.press("Shift+Tab")
    if explorer.evaluate(FOCUS)["inside"]:
        problems.append(f"{what}: Shift+Tab from its first control stays inside it")
    if no_ring:
        problems.append(f"{what}: no visible focus ring on {sorted(set(no_ring))}")
    names = " ".join(visited)
    for needed in ("input[range]", "button"):
        if needed not in names:
            problems.append(f"{what}: Tab never reached a {needed} (visited {visited})")
    return {"tab_stops": len(visited), "focusable": n}
