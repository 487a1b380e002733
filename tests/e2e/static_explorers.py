"""What test_static.py checks on every explorer of an exported page (no kernel): the step-size slider
changes the path, Play animates it, the other controls say they need a kernel, and the explorer's stored
widget state stays within its budget."""
from __future__ import annotations

import json
import re

STATE_BUDGET = 2_000_000  # bytes of stored widget state per explorer (issue 11)

SIGNATURE = """
(root) => {
  let h = 0;
  for (const c of root.querySelectorAll('canvas.stepviz-layer')) {
    if (!c.width || !c.height) continue;
    const d = c.getContext('2d', {willReadFrequently: true}).getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) | 0;
  }
  return h;
}
"""

PICTURE_DRAWN = """
(root) => {
  const c = root.querySelector('canvas.stepviz-static');
  if (!c || !c.width) return false;
  const d = c.getContext('2d', {willReadFrequently: true}).getImageData(0, 0, c.width, c.height).data;
  let set = 0;
  for (let i = 3; i < d.length; i += 4 * 13) if (d[i] !== 0) set++;
  return set > 0;
}
"""


def stored_state_per_explorer(html: str) -> list[int]:
    """Bytes of stored widget state (JSON, buffers as base64) reachable from each explorer's root box."""
    m = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
    if not m:
        return []
    state = json.loads(m.group(1))["state"]
    refs = re.compile(r"(?:IPY_MODEL_|anywidget:)([0-9a-f]{32})")

    def reachable(root):
        seen, todo = set(), [root]
        while todo:
            mid = todo.pop()
            if mid in seen or mid not in state:
                continue
            seen.add(mid)
            todo += refs.findall(json.dumps(state[mid]["state"]))
        return seen

    sizes = []
    for mid, model in state.items():
        if "stepviz-explorer" in model["state"].get("_dom_classes", []):
            sizes.append(sum(len(json.dumps(state[w])) for w in reachable(mid)))
    return sizes


def check_explorers(page, problems) -> dict:
    explorers = page.locator(".stepviz-explorer")
    out = {"explorers": explorers.count(), "lr_changes_path": 0, "play_animates": 0, "kernel_note": 0}
    for i in range(explorers.count()):
        ex = explorers.nth(i)
        what = f"explorer {i}"
        ex.scroll_into_view_if_needed()
        if not ex.evaluate(PICTURE_DRAWN):
            problems.append(f"{what}: its static picture is blank")
        lr = ex.locator(".stepviz-lr input[type=range]")
        before = ex.evaluate(SIGNATURE)
        lr.focus()
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(200)
        if ex.evaluate(SIGNATURE) == before:
            problems.append(f"{what}: the step-size slider did not change the figure without a kernel")
        else:
            out["lr_changes_path"] += 1
        it = ex.locator(".stepviz-iteration .widget-readout").first
        start = it.inner_text()
        before = ex.evaluate(SIGNATURE)
        ex.locator(".stepviz-play button").click()
        page.wait_for_timeout(700)
        if ex.evaluate(SIGNATURE) == before or it.inner_text() == start:
            problems.append(f"{what}: Play did not animate without a kernel (iteration {start} -> {it.inner_text()})")
        else:
            out["play_animates"] += 1
        ex.locator(".stepviz-play button").click()  # pause
        note = ex.locator(".stepviz-kernel-note")
        try:  # the figure asks for its kernel and says so when none answers (within a few seconds)
            note.first.wait_for(state="visible", timeout=8_000)
        except Exception:
            pass
        disabled = ex.locator("select:disabled, input:disabled, button:disabled, .widget-slider .noUi-target[disabled]")
        if not (note.count() and note.first.is_visible() and "kernel" in note.first.inner_text()):
            problems.append(f"{what}: no visible note that the other controls need a kernel")
        elif disabled.count() == 0:
            problems.append(f"{what}: the controls that need a kernel are not disabled")
        else:
            out["kernel_note"] += 1
    return out
