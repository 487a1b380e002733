"""Try-this scenarios in JupyterLab, as a learner does them: open a notebook and run it, find an explorer, act
on it with the real mouse and keys, read what the page shows (the readout, the aria-label, the controls'
values) and, where the text makes a claim about numbers, what the kernel holds.

    nb = Notebook.open(page, lab, "00_start_here.ipynb")
    ex = nb.explorer("explorer")            # the explorer the cell's variable `explorer` holds
    ex.type_step_size(0.22)                 # type into the step-size slider's number box, Enter
    assert "diverged at step" in ex.readout()
    ex.click_axes(0, x=0.5, y=-1.0)         # a click on the contour plot at data point (0.5, -1.0)
    assert nb.kernel("explorer.controls['x0'].value") == "0.5"

A scratch notebook (``Notebook.scratch(page, lab, cells)``) holds code written for one test.
"""
from __future__ import annotations

import ast
import json
import re
import time

import explorer_checks as ec
import labjs

# The notebook as a learner would see it change: cells (type, source), which is active, the mode.
NOTEBOOK_STATE = labjs._PANEL + """
(path) => {
  const panel = panelFor(path);
  const nb = panel.content;
  const cells = [];
  for (let i = 0; i < nb.model.cells.length; i++) {
    const c = nb.model.cells.get(i);
    cells.push([c.type, c.sharedModel.getSource()]);
  }
  return {cells, active: nb.activeCellIndex, mode: nb.mode, dirty: panel.context.model.dirty};
}
"""

# Where explorer `i` of the page draws axes `a` (its box in picture pixels -> page pixels), from the state the
# canvas received.
AXES_BOX = """
([root, a]) => {
  const stage = root.querySelector('.stepviz-stage');
  const r = stage.getBoundingClientRect();
  return {left: r.left, top: r.top, width: r.width, height: r.height};
}
"""


class Notebook:
    def __init__(self, page, lab, name):
        self.page, self.lab, self.name = page, lab, name

    @classmethod
    def open(cls, page, lab, name, run_all=True, timeout_ms=300_000):
        page.goto(lab.url(f"/lab/tree/{name}", query="reset"))
        page.wait_for_function(labjs.KERNEL_READY, arg=name, timeout=90_000)
        page.evaluate(labjs.INSTALL_IOPUB_SPY, name)
        nb = cls(page, lab, name)
        if run_all:
            page.evaluate(labjs.RUN_ALL, [name, timeout_ms])
            page.wait_for_function(labjs.ALL_EXECUTED, arg=name, timeout=timeout_ms)
            page.locator(".jp-OutputArea-output .stepviz-explorer").first.wait_for(timeout=30_000)
            page.wait_for_timeout(500)
        return nb

    @classmethod
    def scratch(cls, page, lab, name, cells, run_all=True):
        """A notebook made of ``cells`` (code) in the server's folder, opened and run."""
        import nbformat

        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
        nbformat.write(nb, lab.root / name)
        return cls.open(page, lab, name, run_all=run_all)

    def kernel(self, expr: str, code: str = "") -> str:
        """The repr of a Python expression evaluated in the notebook's kernel (after running ``code``)."""
        reply = self.page.evaluate(labjs.KERNEL_EVAL, [self.name, code, expr])
        assert "text" in reply, f"the kernel could not evaluate {expr!r}: {reply}"
        return reply["text"]

    def value(self, expr: str):
        """A Python value from the kernel (through JSON)."""
        return json.loads(ast.literal_eval(self.kernel(f"__import__('json').dumps({expr})")))

    def state(self) -> dict:
        return self.page.evaluate(NOTEBOOK_STATE, self.name)

    def problems(self) -> list[str]:
        """Errors and stderr the kernel published (cells and widget callbacks), without the widget manager's
        handshake race that no notebook causes (labjs.BENIGN_KERNEL_MESSAGES)."""
        return [p for p in self.page.evaluate(labjs.IOPUB_PROBLEMS)
                if not any(re.match(b, p.strip()) for b in labjs.BENIGN_KERNEL_MESSAGES)]

    def explorer(self, variable: str) -> "Explorer":
        """The explorer shown by the cell whose last line is ``variable`` (or ``variable.show_first(...)``)."""
        cells = self.page.locator(".jp-Notebook .jp-CodeCell")
        for i in range(cells.count()):
            cell = cells.nth(i)
            source = cell.locator(".jp-InputArea-editor").inner_text()
            if re.search(rf"^\s*{re.escape(variable)}(\.show_first\(.*\))?\s*$", source, re.M):
                box = cell.locator(".jp-OutputArea-output .stepviz-explorer").first
                box.wait_for(timeout=30_000)
                return Explorer(self, box, variable)
        raise LookupError(f"no cell of {self.name} shows {variable!r}")


class Explorer:
    def __init__(self, notebook: Notebook, locator, variable: str):
        self.nb, self.root, self.variable = notebook, locator, variable
        self.page = notebook.page

    # --- what the page shows -------------------------------------------------------------------------
    def readout(self) -> str:
        return self.root.locator(".stepviz-readout").inner_text()

    def label(self) -> str:
        return self.root.locator(".stepviz-stage").get_attribute("aria-label") or ""

    def problem(self) -> str:
        p = self.root.locator(".stepviz-problem")
        return p.inner_text() if p.is_visible() else ""

    def slider(self, description: str):
        """The control whose label reads ``description`` (a noUiSlider, a dropdown, the step-size slider); 'more
        controls' opened first if it is behind it."""
        ec.show_more(self.root)
        by_label = self.root.locator(".widget-inline-hbox, .stepviz-stepper").filter(
            has=self.page.locator(".widget-label, .stepviz-stepper-label",
                                  has_text=re.compile(rf"^\s*{re.escape(description)}\s*$")))
        return by_label.first

    def shown_value(self, description: str) -> str:
        """The value a control shows: a slider's readout, the step-size box, a dropdown's choice."""
        c = self.slider(description)
        for sel, read in ((".stepviz-stepper-value", "value"), (".widget-readout", "text"), ("select", "value")):
            node = c.locator(sel)
            if node.count():
                text = node.first.input_value() if read == "value" else node.first.inner_text().strip()
                return text.replace("\u2212", "-")  # ipywidgets writes a minus sign
        raise LookupError(f"{description!r} shows no value")

    def py(self, expr: str):
        """``expr`` about this explorer, evaluated in the kernel: 'ex' is the explorer."""
        return self.nb.value(f"(lambda ex: {expr})({self.variable})")

    # --- acting --------------------------------------------------------------------------------------
    def arm(self):
        self.root.evaluate(labjs.ARM_PIXEL_WATCH)

    def settle(self, timeout_ms=15_000):
        """Wait for the figure to change and then for figure and kernel to be still."""
        return ec.wait_pixels(self.page, self.nb.name, timeout_ms=timeout_ms)

    def quiet(self, ms=600):
        """Wait until the kernel is idle and ``ms`` have passed without a new frame."""
        self.arm()
        self.page.wait_for_timeout(ms)
        self.page.wait_for_function(labjs.PIXEL_WATCH_SETTLED.replace("w.tLast !== null && ", ""),
                                    arg=[self.nb.name, ms], timeout=30_000)
        self.page.evaluate(labjs.STOP_PIXEL_WATCH)

    def type_into(self, description: str, text: str):
        """Type ``text`` into a control's value box (the step-size box or a slider's readout) and press Enter."""
        c = self.slider(description)
        box = c.locator(".stepviz-stepper-value, .widget-readout").first
        box.scroll_into_view_if_needed()
        box.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.arm()
        self.page.keyboard.press("Enter")
        return self.settle()

    def type_step_size(self, value):
        return self.type_into(self.py("ex.controls['lr'].description"), str(value))

    def choose(self, description: str, option: str):
        """Pick ``option`` in a dropdown with the keyboard: focus it, type the option's first letters, Enter."""
        select = self.slider(description).locator("select")
        select.focus()
        self.arm()
        select.select_option(option)  # the browser's own change event, as a pick with the mouse sends
        return self.settle()

    def press(self, selector: str, *keys):
        """Focus the element ``selector`` inside the explorer and press ``keys``."""
        ec.show_more(self.root)
        node = self.root.locator(selector).first
        node.scroll_into_view_if_needed()
        node.focus()
        for key in keys:
            self.page.keyboard.press(key)

    def drag_step_size_to(self, fraction: float):
        """Drag the step-size slider's thumb to ``fraction`` of its track with the mouse."""
        handle = self.root.locator(".stepviz-lr input[type=range]")
        handle.scroll_into_view_if_needed()
        x, y = ec.handle_center(handle)
        box = handle.bounding_box()
        target = box["x"] + 8 + fraction * (box["width"] - 16)
        self.arm()
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(target, y, steps=8)
        self.page.mouse.up()
        return self.settle()

    def tick_fraction(self, label: str) -> float:
        """Where the step-size slider's tick ``label`` sits on its track (0 ... 1)."""
        stops = self.py("list(ex.controls['lr'].stops)")
        value = {m["label"]: m["value"] for m in self.py("list(ex.controls['lr'].marks)")}[label]
        return stops.index(value) / (len(stops) - 1)

    def click_axes(self, axes: int, x: float, y: float):
        """Click axes ``axes`` of the figure at data point (x, y) (placed through the box the canvas was sent)."""
        ax = self.py(f"ex.canvas.axes[{axes}]")
        size = self.py("list(ex.canvas.size)")
        stage = self.root.locator(".stepviz-stage")
        stage.scroll_into_view_if_needed()
        r = stage.bounding_box()
        scale = r["width"] / size[0]
        (left, top, width, height), (x0, x1), (y0, y1) = ax["box"], ax["xlim"], ax["ylim"]
        px = left + (x - x0) / (x1 - x0) * width
        py = top + height - (y - y0) / (y1 - y0) * height
        self.arm()
        self.page.mouse.click(r["x"] + px * scale, r["y"] + py * scale)
        return self.settle()

    def click_button(self, text: str):
        """Click the explorer's button whose text contains ``text`` (e.g. 'heavy-ball optimum')."""
        button = self.root.locator("button", has_text=text).first
        button.scroll_into_view_if_needed()
        self.arm()
        button.click()
        return self.settle()

    def tick(self, text: str):
        """Click the checkbox whose label contains ``text``."""
        box = self.root.locator(".widget-checkbox", has_text=text).locator("input[type=checkbox]").first
        box.scroll_into_view_if_needed()
        self.arm()
        box.click()
        return self.settle()

    def slide_with_keys(self, description: str, *keys):
        """Focus the handle of the slider labelled ``description`` and press ``keys`` (e.g. 'End', 'Home')."""
        handle = self.slider(description).locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        self.arm()
        for key in keys:
            self.page.keyboard.press(key)
        return self.settle()

    def drag_slider_to(self, description: str, fraction: float):
        """Drag the noUiSlider labelled ``description`` with the mouse to ``fraction`` of its track."""
        c = self.slider(description)
        handle = c.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        x, y = ec.handle_center(handle)
        track = c.locator(".noUi-target").first.bounding_box()
        self.arm()
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(track["x"] + fraction * track["width"], y, steps=8)
        self.page.mouse.up()
        return self.settle()

    def text(self) -> str:
        """Everything the explorer shows as text (readout, notes, labels)."""
        return self.root.inner_text()

    def play(self, seconds=1.0):
        self.root.locator(".stepviz-play button").first.click()
        time.sleep(seconds)


__all__ = ["Notebook", "Explorer"]
