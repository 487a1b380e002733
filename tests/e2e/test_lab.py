"""Every notebook, opened in JupyterLab in chromium as a learner would: run all, look, drag, play.

Catches what kernel-side tests cannot: a widget printed as `FloatSlider(value=...)` text, 'Error
displaying widget', a figure that never updates, an ipywidgets/ipympl version that does not match its
JupyterLab extension, a request to the internet.
"""
from __future__ import annotations

import json
import re
import statistics
import time

import explorer_checks as ec
import fit_keyboard as fk
import labjs

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# What a widget looks like when the browser fell back to its text/plain repr.
WIDGET_REPR = re.compile(
    r"^\s*(?:[A-Z]\w*(?:Slider|Box|Button|Dropdown|Play|Text|Output|Checkbox|Tab|Accordion|Canvas|Toolbar)\w*"
    r"|VBox|HBox|Box|Canvas|Play)\((?:value|children|description|layout|options|toolbar|figure|_dom_classes)=",
    re.M,
)
RUN_TIMEOUT_MS = 300_000


def check_explorer(page, path, explorer, index, problems, shots, cdp_port=None):
    """Drag the step-size slider with the mouse and the keyboard, change another control, press Play."""
    out = {"index": index}
    what = f"explorer {index}"
    explorer.scroll_into_view_if_needed()
    lr_slider = explorer.locator(".stepviz-lr")
    lr_handle = explorer.locator(ec.LR_HANDLE)
    if lr_handle.count() != 1:
        problems.append(f"{what}: expected one step-size slider (.stepviz-lr), found {lr_handle.count()}")
        return out
    n_canvas = explorer.evaluate(labjs.ARM_PIXEL_WATCH)
    page.evaluate(labjs.STOP_PIXEL_WATCH)
    if n_canvas == 0:
        problems.append(f"{what}: no figure canvas inside .stepviz-explorer")
        return out
    ec.screenshot(explorer, shots / f"explorer{index}-before.png")

    # -- mouse: drag the handle to the right ---------------------------------------------------
    lr_handle.scroll_into_view_if_needed()
    before = ec.slider_value(lr_slider)
    explorer.evaluate(labjs.ARM_PIXEL_WATCH)
    x, y = ec.handle_center(lr_handle)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 25, y, steps=5)
    page.mouse.up()
    result = ec.wait_pixels(page, path)
    after = ec.slider_value(lr_slider)
    for dx in (-25, 100):  # at the right end, drag left; a sweep of a few stops (12's four) snaps back under 25 px
        if after != before:
            break
        explorer.evaluate(labjs.ARM_PIXEL_WATCH)
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + dx, y, steps=5)
        page.mouse.up()
        result = ec.wait_pixels(page, path)
        after = ec.slider_value(lr_slider)
    out["mouse_latency_ms"] = ec.latency(result)
    out["mouse_final_frame_ms"] = ec.latency(result, "tLast")
    out["lr_mouse"] = [before, after]
    if after == before:
        problems.append(f"{what}: dragging the step-size slider did not move it ({before})")
    elif result["tChange"] is None:
        problems.append(f"{what}: dragging the step-size slider ({before} -> {after}) "
                        "did not change the figure's pixels within 15 s")
    ec.screenshot(explorer, shots / f"explorer{index}-after-drag.png")

    # -- keyboard: focus the handle, arrow keys --------------------------------------------------
    out["key_latencies_ms"] = ec.key_steps(page, path, explorer, lr_slider,
                                           ["ArrowLeft", "ArrowLeft", "ArrowRight"], problems,
                                           f"{what}, step-size slider")

    # -- a continuous drag: distinct frames per second --------------------------------------------
    out["drag_fps"] = ec.continuous_drag(page, path, lr_handle, explorer, cdp_port=cdp_port)
    ec.screenshot(explorer, shots / f"explorer{index}-after-long-drag.png")

    # -- another control (the kernel recomputes): key steps on 'steps' ------------------------------
    steps = ec.steps_slider(explorer)
    if steps.count():
        out["other_latencies_ms"] = ec.key_steps(page, path, explorer, steps,
                                                 ["ArrowRight", "ArrowLeft", "ArrowRight"], problems,
                                                 f"{what}, steps slider")

    # -- Play: the iteration slider advances (and the figure follows) ---------------------------
    if explorer.locator(".stepviz-play button").count() == 0 or explorer.locator(".stepviz-iteration").count() == 0:
        problems.append(f"{what}: missing Play (.stepviz-play) or iteration slider (.stepviz-iteration)")
        return out
    played = ec.play(page, path, explorer)
    values = played.pop("play_values")
    out.update(played)
    out["play_values"] = sorted(set(v for v in values if v is not None))[:6]
    advanced = any(b > a for a, b in zip(values, values[1:]) if a is not None and b is not None)
    if not advanced:
        problems.append(f"{what}: Play did not advance the iteration slider (saw {values[:8]}; the button said "
                        f"{played['play_labels']})")
    elif not played["play_fps"]:
        problems.append(f"{what}: Play advanced the iteration slider but the figure did not change")
    ec.screenshot(explorer, shots / f"explorer{index}-after-play.png")
    return out


def test_notebook_in_jupyterlab(notebook, lab, lab_cleanup, new_context, artifacts, e2e_report, cdp_port):
    shots = artifacts / notebook.removesuffix(".ipynb")
    shots.mkdir(parents=True, exist_ok=True)
    guard = new_context()
    page = guard.watch(guard.context.new_page())
    problems: list[str] = []
    record: dict = {}
    e2e_report[f"lab/{notebook}"] = record

    t0 = time.perf_counter()
    # ?reset: a fresh workspace, so the notebooks of earlier tests are not reopened (with kernels).
    page.goto(lab.url(f"/lab/tree/{notebook}", query="reset"))
    page.wait_for_function(labjs.KERNEL_READY, arg=notebook, timeout=90_000)
    record["open_s"] = round(time.perf_counter() - t0, 2)
    page.evaluate(labjs.INSTALL_IOPUB_SPY, notebook)

    # -- run all cells ----------------------------------------------------------------------------
    t1 = time.perf_counter()
    page.evaluate(labjs.RUN_ALL, [notebook, RUN_TIMEOUT_MS])
    page.wait_for_function(labjs.ALL_EXECUTED, arg=notebook, timeout=RUN_TIMEOUT_MS)
    record["run_all_s"] = round(time.perf_counter() - t1, 2)

    cells = page.evaluate(labjs.CELL_OUTPUTS, notebook)
    for cell in cells:
        for out in cell["outputs"]:
            if out["output_type"] == "error":
                problems.append(f"cell {cell['index']}: {out['ename']}: {out['evalue']}")
            elif out["output_type"] == "stream" and out.get("name") == "stderr":
                problems.append(f"cell {cell['index']}: stderr: {''.join(out['text'])[:300]}")
    root_ids = [
        out["data"][WIDGET_MIME]["model_id"]
        for cell in cells for out in cell["outputs"]
        if WIDGET_MIME in out.get("data", {})
    ]

    # -- every widget rendered: the DOM holds as many sliders and canvases as the kernel displayed --
    page.evaluate(labjs.KERNEL_EVAL, [notebook, labjs.COUNT_CODE, "None"])
    reply = page.evaluate(labjs.KERNEL_EVAL, [notebook, "", f"__stepviz_e2e_count({json.dumps(root_ids)})"])
    assert "text" in reply, f"could not count widgets in the kernel: {reply}"
    want_sliders, want_canvases, roots_found, want_live = json.loads(reply["text"])
    t2 = time.perf_counter()
    deadline = t2 + 30
    while True:
        dom = page.evaluate(labjs.DOM_SUMMARY, notebook)
        settled = (dom["loading"] == 0 and dom["sliders"] >= want_sliders and dom["canvases"] >= want_canvases
                   and dom["liveCanvases"] >= want_live and dom["widgetRendered"] >= dom["widgetOutputs"])
        if settled or time.perf_counter() > deadline:
            break
        page.wait_for_timeout(250)
    record["render_s"] = round(time.perf_counter() - t2, 2)
    record.update(sliders=dom["sliders"], canvases=dom["canvases"] + dom["liveCanvases"], explorers=dom["explorers"],
                  widget_outputs=len(root_ids))
    page.screenshot(path=str(shots / "after-run-all.png"))

    if roots_found != len(root_ids):
        problems.append(f"{len(root_ids) - roots_found} displayed widget(s) no longer exist in the kernel")
    if dom["widgetRendered"] < dom["widgetOutputs"]:
        problems.append(
            f"{dom['widgetOutputs'] - dom['widgetRendered']} of {dom['widgetOutputs']} widget outputs are not shown "
            "as widgets (JupyterLab fell back to the static image/text: widget extension missing or "
            "not matching the Python package?)")
    if dom["sliders"] != want_sliders:
        problems.append(f"rendered {dom['sliders']} sliders, the kernel displayed {want_sliders}")
    if dom["canvases"] != want_canvases:
        problems.append(f"rendered {dom['canvases']} ipympl canvases, the kernel displayed {want_canvases}")
    if dom["liveCanvases"] != want_live:
        problems.append(f"rendered {dom['liveCanvases']} explorer canvases, the kernel displayed {want_live}")
    if dom["imagesWithoutAlt"]:
        problems.append(f"{dom['imagesWithoutAlt']} of {dom['images']} output images have no alt text")
    if dom["canvasesWithoutLabel"]:
        problems.append(f"{dom['canvasesWithoutLabel']} explorer canvases have no aria-label")
    if dom["errorDisplaying"]:
        problems.append(f"{dom['errorDisplaying']} output(s) show 'Error displaying widget'")
    if dom["loading"]:
        problems.append(f"{dom['loading']} output(s) still show 'Loading widget...' after 30 s")
    if dom["stderrNodes"]:
        problems.append(f"{dom['stderrNodes']} stderr/error output(s) shown in the notebook")
    for text in dom["plainTexts"]:
        if WIDGET_REPR.search(text):
            problems.append(f"a widget is shown as plain text: {text[:120]!r}")

    # -- drag, type, play: each explorer -----------------------------------------------------------
    explorers = page.locator(".jp-OutputArea-output .stepviz-explorer")
    record["explorer_checks"] = [
        check_explorer(page, notebook, explorers.nth(i), i, problems, shots, cdp_port) for i in range(explorers.count())
    ]
    mouse = [e["mouse_latency_ms"] for e in record["explorer_checks"] if e.get("mouse_latency_ms") is not None]
    keys = [v for e in record["explorer_checks"] for v in e.get("key_latencies_ms", []) if v is not None]
    if mouse:
        record["mouse_latency_ms_median"] = statistics.median(mouse)
    if keys:
        record["key_latency_ms_median"] = statistics.median(keys)
        record["key_latency_ms_max"] = max(keys)
    others = [v for e in record["explorer_checks"] for v in e.get("other_latencies_ms", []) if v is not None]
    if others:
        record["other_latency_ms_median"] = statistics.median(others)

    # -- a laptop: 1280 x 720 with the file browser open; every explorer fits and lets Tab through ------
    page.set_viewport_size(fk.LAPTOP)
    page.evaluate(fk.OPEN_FILE_BROWSER)
    page.wait_for_timeout(800)
    for i in range(explorers.count()):
        ex = explorers.nth(i)
        checks = record["explorer_checks"][i]
        checks["fit"] = fk.check_fit(page, ex, problems, f"explorer {i}")
        checks.update(fk.check_tab(page, ex, problems, f"explorer {i}"))
        ec.screenshot(ex, shots / f"explorer{i}-laptop.png")
        checks["presses_to_cross"] = fk.check_key_range(page, ex, problems, f"explorer {i}")
    page.screenshot(path=str(shots / "laptop.png"))

    # Errors or warnings the kernel sent while the cells ran or the widgets were driven.
    page.wait_for_timeout(300)
    for item in page.evaluate(labjs.IOPUB_PROBLEMS):
        text = item.strip()
        if any(re.match(pattern, text) for pattern in labjs.BENIGN_KERNEL_MESSAGES):
            continue
        m = re.search(r"No such comm: ([0-9a-f]+)", text)
        if m:
            info = page.evaluate(labjs.COMM_INFO, m.group(1)) or {}
            text += (f" (a {info.get('model', 'widget')} the kernel "
                     f"{'had closed' if info.get('closed') else 'did not open in this session'}; the browser "
                     "still sent it a message)")
        problems.append(f"kernel {text[:400]}")
    for url in guard.blocked:
        problems.append(f"request left loopback (aborted): {url}")
    for err in guard.page_errors:
        problems.append(f"uncaught error in the page: {err[:300]}")
    record["total_s"] = round(time.perf_counter() - t0, 2)
    record["problems"] = problems
    assert not problems, f"{notebook} in JupyterLab:\n  " + "\n  ".join(problems)
