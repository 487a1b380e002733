"""What the browser tests do to one explorer, and what they measure (used by test_lab.py and by
benchmarks/browser.py).

Every figure is timed from the input event the test makes to the frame whose pixels changed: a key
step and a short mouse drag on the step-size slider, a continuous 1.5 s drag (distinct frames per
second), a key step on another control (the steps slider: a kernel recomputation), and Play (frames
per second, and how many messages the page sent to the kernel meanwhile). The selectors work for the
ipympl explorers (noUiSlider handles) and for the canvas explorers (a native range input).
"""
from __future__ import annotations

import re
import time

import free_mouse
import labjs

LR_HANDLE = ".stepviz-lr .noUi-handle, .stepviz-lr input[type=range]"


def screenshot(element, path):
    try:
        element.screenshot(path=str(path))
    except Exception:  # a screenshot is evidence, not the test
        pass


def slider_value(slider):
    """The slider's value as the learner reads it: the readout (aria-valuenow is rounded to one
    decimal, and for a log slider it is the exponent), the step-size slider's number box, else the handle's
    aria value."""
    box = slider.locator(".stepviz-stepper-value")
    if box.count():
        return float(box.first.input_value())
    readout = slider.locator(".widget-readout")
    if readout.count():
        text = readout.first.inner_text().strip()
        try:
            return float(text.split("=")[-1])
        except ValueError:
            pass
    handle = slider.locator(".noUi-handle, input[type=range]").first
    value = handle.get_attribute("aria-valuenow")
    return None if value is None else float(value)


THUMB_CENTER = """
(el) => {
  const r = el.getBoundingClientRect();
  if (el.tagName !== 'INPUT') return [r.x + r.width / 2, r.y + r.height / 2];
  const f = (Number(el.value) - Number(el.min)) / ((Number(el.max) - Number(el.min)) || 1);
  const thumb = 16;  // chromium's range thumb: its centre runs from thumb/2 to width - thumb/2
  return [r.x + thumb / 2 + f * (r.width - thumb), r.y + r.height / 2];
}
"""


def handle_center(handle):
    """Where the mouse grabs the handle: a noUiSlider handle's centre, or a range input's thumb."""
    x, y = handle.evaluate(THUMB_CENTER)
    return x, y


def wait_pixels(page, path, timeout_ms=15_000, settle_ms=400):
    """Wait for the figure to change, then for figure and kernel to be still for `settle_ms` (so the
    frame for the final value is on screen); return the watch's timestamps."""
    try:
        page.wait_for_function(labjs.PIXEL_WATCH_CHANGED, timeout=timeout_ms)
        page.wait_for_function(labjs.PIXEL_WATCH_SETTLED, arg=[path, settle_ms], timeout=timeout_ms)
    except Exception:
        pass
    result = page.evaluate(labjs.PIXEL_WATCH_RESULT)
    page.evaluate(labjs.STOP_PIXEL_WATCH)
    return result


def latency(result, key="tChange"):
    """ms from the first input event to the first (tChange) or last (tLast) changed frame."""
    if result and result["tInput"] is not None and result[key] is not None:
        return round(result[key] - result["tInput"], 1)
    return None


def show_more(explorer):
    """Open the explorer's 'more controls' (the controls its lesson does not use first), if it has them closed."""
    more = explorer.locator(".stepviz-more-controls")
    if more.count() and not more.first.is_visible():
        explorer.locator(".stepviz-more-toggle").first.click()
        more.first.wait_for(state="visible", timeout=10_000)


def show_less(explorer):
    """Close the explorer's 'more controls' again (the explorer as a learner first sees it)."""
    more = explorer.locator(".stepviz-more-controls")
    if more.count() and more.first.is_visible():
        explorer.locator(".stepviz-more-toggle").first.click()
        more.first.wait_for(state="hidden", timeout=10_000)


def steps_slider(explorer):
    """The explorer's 'steps' slider (a control that needs the kernel to recompute)."""
    show_more(explorer)
    by_class = explorer.locator(".stepviz-steps")
    if by_class.count():
        return by_class.first
    return explorer.locator(".widget-slider").filter(
        has=explorer.page.locator(".widget-label", has_text=re.compile(r"^\s*steps\s*$"))).first


def key_steps(page, path, explorer, slider, keys, problems, what):
    """Press `keys` on the focused handle of `slider`; the latency of each to changed pixels."""
    out = []
    slider.locator(".noUi-handle, input[type=range]").first.focus()
    for key in keys:
        before = slider_value(slider)
        explorer.evaluate(labjs.ARM_PIXEL_WATCH)
        page.keyboard.press(key)
        result = wait_pixels(page, path)
        after = slider_value(slider)
        if after == before:
            problems.append(f"{what}: key {key} did not move the slider ({before})")
            break
        if result["tChange"] is None:
            problems.append(f"{what}: key {key} ({before} -> {after}) did not change the figure's pixels")
            break
        out.append(latency(result))
    return out


def continuous_drag(page, path, handle, explorer, seconds=1.5, rate=60, cdp_port=None):
    """Hold the handle and move the mouse steadily for `seconds` (`rate` moves per second) toward the
    slider's farther end; distinct frames per second seen while the button was down. With the browser's
    DevTools `cdp_port` the moves go out at that rate whatever the page does, as a real mouse's do
    (free_mouse.py); without it Playwright paces each move by the page's answer to the one before."""
    handle.scroll_into_view_if_needed()
    track = handle.locator("xpath=ancestor-or-self::*[contains(@class,'noUi-target') or self::input][1]").bounding_box()
    x, y = handle_center(handle)
    left, right = x - track["x"], track["x"] + track["width"] - x
    span = 0.85 * (right if right >= left else -left)
    n = int(seconds * rate)
    explorer.evaluate(labjs.ARM_MOVING_WATCH)
    if cdp_port is not None:
        mouse = free_mouse.FreeRunningMouse(cdp_port, path)
        try:
            t0 = page.evaluate(labjs.NOW)
            mouse.drag(x, y, span, seconds, rate)
            t1 = page.evaluate(labjs.NOW)
        finally:
            mouse.close()
    else:
        page.mouse.move(x, y)
        page.mouse.down()
        t0 = page.evaluate(labjs.NOW)
        start = time.perf_counter()
        for i in range(1, n + 1):
            page.mouse.move(x + span * i / n, y)
            pause = start + i / rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        t1 = page.evaluate(labjs.NOW)
        page.mouse.up()
    frames = page.evaluate(labjs.PIXEL_WATCH_FRAMES, [t0, t1])
    wait_pixels(page, path, timeout_ms=10_000)
    return round(frames / ((t1 - t0) / 1000), 1)


def play(page, path, explorer, seconds=1.2):
    """Press Play: frames per second of the figure, messages sent to the kernel meanwhile, the
    iteration slider's values seen; then pause."""
    button = explorer.locator(".stepviz-play button").first
    it_slider = explorer.locator(".stepviz-iteration")
    page.evaluate(labjs.INSTALL_SEND_SPY, path)
    explorer.evaluate(labjs.ARM_MOVING_WATCH)
    button.scroll_into_view_if_needed()
    button.click()
    t0 = page.evaluate(labjs.NOW)
    values, labels = [], []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        values.append(slider_value(it_slider))
        labels.append(button.inner_text())
        page.wait_for_timeout(100)
    t1 = page.evaluate(labjs.NOW)
    frames = page.evaluate(labjs.PIXEL_WATCH_FRAMES, [t0, t1])
    sent = page.evaluate(labjs.SENT_BETWEEN, [t0, t1])
    buttons = explorer.locator(".stepviz-play button")
    explorer.evaluate(labjs.ARM_PIXEL_WATCH)
    (buttons.nth(1) if buttons.count() >= 2 else buttons.first).click()  # pause
    wait_pixels(page, path, timeout_ms=5_000)
    return {"play_fps": round(frames / ((t1 - t0) / 1000), 1), "play_kernel_messages": sent,
            "play_values": values, "play_labels": sorted(set(labels))}


# Every control of an explorer that makes the kernel recompute, and the key that changes it by one step.
KERNEL_CONTROLS = """
(root) => {
  const out = [];
  const label = (el) => {
    const box = el.closest('.widget-inline-hbox, .widget-checkbox, .jupyter-widgets');
    const l = box && box.querySelector('.widget-label, label');
    return ((l && l.innerText) || el.getAttribute('aria-label') || el.innerText || '').trim();
  };
  root.querySelectorAll('select').forEach((el) => out.push({kind: 'select', label: label(el)}));
  root.querySelectorAll('.widget-hslider:not(.stepviz-iteration)').forEach((el) =>
      out.push({kind: 'slider', label: label(el.querySelector('.noUi-handle') || el)}));
  root.querySelectorAll('.widget-checkbox input').forEach((el) =>
      out.push({kind: 'checkbox', label: (el.closest('label') || el.parentElement).innerText.trim()}));
  return out.filter((c) => c.label);
}
"""


def control_steps(page, path, explorer, problems, what):
    """ms from a key press to new pixels for each control that needs the kernel (a dropdown's next option, a
    slider's next step, a checkbox toggled), five times (there, back, there, back, there: on 2 cores one step can
    take twice as long as the next): {label: (median ms to the first new pixels, median ms to the last frame: the
    new picture too)}."""
    import statistics

    out = {}
    show_more(explorer)  # every control, not only those the lesson shows first
    for control in explorer.evaluate(KERNEL_CONTROLS):
        box = explorer.locator(".widget-inline-hbox, .widget-checkbox").filter(
            has=page.locator(".widget-label, label", has_text=re.compile(rf"^\s*{re.escape(control['label'])}\s*$")))
        if not box.count():
            continue
        target, keys = {"select": ("select", ["ArrowDown", "ArrowUp"] * 2 + ["ArrowDown"]),
                        "slider": (".noUi-handle", ["ArrowRight", "ArrowLeft"] * 2 + ["ArrowRight"]),
                        "checkbox": ("input", ["Space"] * 5)}[control["kind"]]
        node = box.first.locator(target).first
        if node.evaluate("(el) => el.disabled === true || el.closest('[disabled]') !== null"):
            continue  # a control that does not apply (momentum for GD)
        at_end = node.evaluate("(el) => el.tagName === 'SELECT' ? el.selectedIndex === el.options.length - 1"
                               " : el.getAttribute('aria-valuenow') !== null"
                               " && el.getAttribute('aria-valuenow') === el.getAttribute('aria-valuemax')")
        if at_end:  # the last option or the slider's top (Adam in 08): step back first, so every key changes it
            keys = [{"ArrowDown": "ArrowUp", "ArrowUp": "ArrowDown", "ArrowRight": "ArrowLeft",
                     "ArrowLeft": "ArrowRight"}.get(k, k) for k in keys]
        node.scroll_into_view_if_needed()
        node.focus()
        first, last = [], []
        for key in keys:
            explorer.evaluate(labjs.ARM_PIXEL_WATCH)
            page.keyboard.press(key)
            result = wait_pixels(page, path)
            if result["tChange"] is None:
                problems.append(f"{what}: {key} on {control['label']} did not change the figure")
                break
            first.append(latency(result))
            last.append(latency(result, "tLast"))
        if first:
            out[control["label"]] = (statistics.median(first), statistics.median(last))
    return out
