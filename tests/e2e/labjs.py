"""JavaScript run inside JupyterLab's page (window.jupyterapp is exposed by the server flag
--LabApp.expose_app_in_browser). Each constant is a function expression for page.evaluate()."""

# The notebook panel open on `path`, or null.
_PANEL = """
const panelFor = (path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.content.model) return w;
  }
  return null;
};
"""

# True once the notebook's session has a kernel that is idle and connected (not the toolbar icon).
KERNEL_READY = _PANEL + """
(path) => {
  const panel = panelFor(path);
  const session = panel && panel.sessionContext && panel.sessionContext.session;
  const kernel = session && session.kernel;
  return !!kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected'
         && panel.content.widgets.length > 0;
}
"""

# Record every error and stderr message the kernel publishes, whichever cell or widget callback
# caused it (errors in slider callbacks do not land in a cell's outputs in JupyterLab).
INSTALL_IOPUB_SPY = _PANEL + """
(path) => {
  const kernel = panelFor(path).sessionContext.session.kernel;
  window.__svIopub = [];
  window.__svComms = {};  // comm id -> which widget model, and whether the kernel closed it
  kernel.iopubMessage.connect((_, msg) => {
    const t = msg.header.msg_type;
    if (t === 'error') {
      window.__svIopub.push(`error: ${msg.content.ename}: ${msg.content.evalue}`);
    } else if (t === 'stream' && msg.content.name === 'stderr') {
      window.__svIopub.push(`stderr: ${msg.content.text}`);
    } else if (t === 'comm_open') {
      const state = (msg.content.data && msg.content.data.state) || {};
      window.__svComms[msg.content.comm_id] = {model: state._model_name || msg.content.target_name};
    } else if (t === 'comm_close') {
      const c = window.__svComms[msg.content.comm_id] || (window.__svComms[msg.content.comm_id] = {});
      c.closed = true;
    }
  });
  return true;
}
"""

COMM_INFO = "(id) => (window.__svComms || {})[id] || null"

# JupyterLab's widget manager opens a control comm (target jupyter.widget.control) as soon as the kernel connects;
# before the notebook imports ipywidgets the kernel answers "No such comm target registered" and then "No such
# comm: <id>" to the manager's request on it. Comms the front end makes have dashed UUIDs (ipywidgets' model ids
# are plain hex): such a message is that handshake race, shown in no cell and not the notebook's doing.
BENIGN_KERNEL_MESSAGES = (r"^stderr: No such comm target registered: jupyter\.widget\.control\s*$",
                          r"^stderr: No such comm: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$")

IOPUB_PROBLEMS = "() => window.__svIopub || []"

# Run all cells and resolve when the last has finished (NotebookActions.runAll's promise).
RUN_ALL = _PANEL + """
async ([path, timeoutMs]) => {
  const app = window.jupyterapp;
  const panel = panelFor(path);
  app.shell.activateById(panel.id);
  const run = app.commands.execute('notebook:run-all-cells');
  const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`run-all did not finish in ${timeoutMs} ms`)), timeoutMs));
  const ok = await Promise.race([run, timeout]);
  return ok;
}
"""

# Kernel idle, connected, and every code cell has run (has an execution count).
ALL_EXECUTED = _PANEL + """
(path) => {
  const panel = panelFor(path);
  const kernel = panel.sessionContext.session.kernel;
  if (!(kernel.status === 'idle' && kernel.connectionStatus === 'connected')) return false;
  const cells = panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type === 'code' && c.sharedModel.getSource().trim() && c.executionCount === null) return false;
  }
  return true;
}
"""

# The saved form of every code cell's outputs, from the notebook model (what would be written to disk).
CELL_OUTPUTS = _PANEL + """
(path) => {
  const panel = panelFor(path);
  const cells = panel.content.model.cells;
  const out = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type === 'code') out.push({index: i, source: c.sharedModel.getSource(), outputs: c.outputs.toJSON()});
  }
  return out;
}
"""

# Silent kernel request: returns the value of a Python expression as text/plain (user_expressions).
KERNEL_EVAL = _PANEL + """
async ([path, code, expr]) => {
  const kernel = panelFor(path).sessionContext.session.kernel;
  const future = kernel.requestExecute(
      {code, silent: true, store_history: false, user_expressions: {value: expr}});
  const reply = await future.done;
  const value = reply.content.user_expressions && reply.content.user_expressions.value;
  if (!value || value.status !== 'ok') return {error: JSON.stringify(value || reply.content)};
  return {text: value.data['text/plain']};
}
"""

# What the browser shows inside the notebook's output areas.
DOM_SUMMARY = _PANEL + """
(path) => {
  const node = panelFor(path).content.node;
  const outputs = [...node.querySelectorAll('.jp-OutputArea-output')];
  const texts = outputs.map(o => o.innerText || '');
  const plain = [...node.querySelectorAll('.jp-OutputArea-output .jp-RenderedText pre, .jp-OutputArea-output > pre')]
      .map(p => p.innerText || '');
  // Output areas whose model holds a widget view, and how many of those show a rendered widget.
  const panel = panelFor(path);
  let widgetOutputs = 0, widgetRendered = 0;
  for (const cellWidget of panel.content.widgets) {
    const area = cellWidget.outputArea;
    if (!area) continue;
    const model = area.model;
    for (let i = 0; i < model.length; i++) {
      if (!model.get(i).data['application/vnd.jupyter.widget-view+json']) continue;
      widgetOutputs++;
      const child = area.widgets[i];
      const node = child && child.node;
      if (node && node.querySelector('.jupyter-widgets:not(.jupyter-widgets-view-placeholder)')
          && !node.innerText.includes('Error displaying widget')) widgetRendered++;
    }
  }
  return {
    widgetOutputs, widgetRendered,
    sliders: node.querySelectorAll('.jp-OutputArea-output .widget-slider, .jp-OutputArea-output .stepviz-stepper').length,
    liveCanvases: node.querySelectorAll('.jp-OutputArea-output .stepviz-canvas').length,
    canvases: node.querySelectorAll('.jp-OutputArea-output .jupyter-matplotlib-canvas-div').length,
    explorers: node.querySelectorAll('.jp-OutputArea-output .stepviz-explorer').length,
    errorDisplaying: texts.filter(t => t.includes('Error displaying widget')).length,
    loading: texts.filter(t => t.includes('Loading widget')).length,
    stderrNodes: node.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length,
    plainTexts: plain,
    // figures a screen reader cannot describe: output images without alt text, explorer canvases
    // without an aria-label
    imagesWithoutAlt: [...node.querySelectorAll('.jp-OutputArea-output img')]
        .filter(i => !(i.getAttribute('alt') || '').trim()).length,
    images: node.querySelectorAll('.jp-OutputArea-output img').length,
    canvasesWithoutLabel: [...node.querySelectorAll('.jp-OutputArea-output .stepviz-canvas')]
        .filter(c => !(c.getAttribute('aria-label') || c.querySelector('[aria-label]'))).length,
  };
}
"""

# Watch the canvases of one element (ipympl's, or the stepviz canvas widget's static and moving layers):
# record the time of the first input event the test makes (pointer move while a button is down, or a
# key press) and the time of every frame whose pixels differ from the frame before.
# A canvas's pixels are read only after something drew on it: the 2D context's drawing methods mark their
# canvas (installed once per page). Reading both 960x371 layers every frame took ~47 % of a core (the
# measurement competed with the kernel and the page it measured, on 2 cores); a canvas nobody drew on since
# the last frame cannot have changed (a new width clears it, and the explorer then draws it again).
ARM_PIXEL_WATCH = """
(root) => {
  const canvases = [...root.querySelectorAll('.jupyter-matplotlib-canvas-div canvas, canvas.stepviz-layer')];
  if (!window.__svDrawMarks) {
    window.__svDrawMarks = true;
    const proto = CanvasRenderingContext2D.prototype;
    for (const name of ['clearRect', 'fillRect', 'strokeRect', 'fill', 'stroke', 'drawImage', 'putImageData',
                        'fillText', 'strokeText']) {
      const draw = proto[name];
      proto[name] = function (...args) { if (this.canvas) this.canvas.__svDrawn = true; return draw.apply(this, args); };
    }
  }
  const hashes = new Map();
  const hashOf = (c) => {
    if (c.__svDrawn === false && hashes.has(c)) return hashes.get(c);
    c.__svDrawn = false;
    let h = 0;
    if (c.width && c.height) {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) | 0;
    }
    hashes.set(c, h);
    return h;
  };
  const signature = () => {
    let h = 0;
    for (const c of canvases) h = (h * 131 + hashOf(c)) | 0;
    return h;
  };
  if (window.__svWatch && window.__svWatch.stop) window.__svWatch.stop();
  const w = {before: signature(), tInput: null, tChange: null, tLast: null, changes: 0, times: [],
             stopped: false};
  const onInput = (ev) => {
    if (w.tInput !== null) return;
    if (ev.type === 'pointermove' && !ev.buttons) return;
    w.tInput = performance.now();
  };
  document.addEventListener('pointermove', onInput, true);
  document.addEventListener('keydown', onInput, true);
  // Each frame's pixels are read once the frame's animation callbacks (the explorer draws in one) and its
  // rendering are done: a task queued from the frame's first callback. Read inside that callback, a change
  // drawn in the same frame was seen only a frame later (16.7 ms added to every latency).
  const check = () => {
    if (w.stopped) return;
    const s = signature();
    if (s !== w.before) {
      w.changes += 1;
      const now = performance.now();
      if (w.tChange === null) w.tChange = now;
      w.tLast = now;
      w.times.push(now);
      w.before = s;
    }
  };
  const tick = () => {
    if (w.stopped) return;
    setTimeout(check, 0);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  w.stop = () => {
    w.stopped = true;
    document.removeEventListener('pointermove', onInput, true);
    document.removeEventListener('keydown', onInput, true);
  };
  window.__svWatch = w;
  return canvases.length;
}
"""

# The same watch on the moving layer only (the paths the browser draws), for frame rates: a drag of the step
# size or Play changes only that layer, and reading the picture's pixels too would double the watch's own cost
# per frame (~2 ms a 1000 x 370 canvas here), which competes with the drawing it measures.
ARM_MOVING_WATCH = ARM_PIXEL_WATCH.replace("'.jupyter-matplotlib-canvas-div canvas, canvas.stepviz-layer'",
                                           "'.jupyter-matplotlib-canvas-div canvas, canvas.stepviz-moving'")
assert ARM_MOVING_WATCH != ARM_PIXEL_WATCH

# Frames (pixel changes) the watch saw between two performance.now() times.
PIXEL_WATCH_FRAMES = """
([t0, t1]) => { const w = window.__svWatch; return w ? w.times.filter(t => t >= t0 && t <= t1).length : 0; }
"""

NOW = "() => performance.now()"

# Count the messages the page sends to the kernel (comm messages: widget value updates).
INSTALL_SEND_SPY = _PANEL + """
(path) => {
  const kernel = panelFor(path).sessionContext.session.kernel;
  if (window.__svSend) return true;
  window.__svSend = [];
  kernel.anyMessage.connect((_, args) => {
    if (args.direction === 'send' && args.msg.header.msg_type === 'comm_msg') {
      window.__svSend.push(performance.now());
    }
  });
  return true;
}
"""

SENT_BETWEEN = "([t0, t1]) => (window.__svSend || []).filter(t => t >= t0 && t <= t1).length"

PIXEL_WATCH_RESULT = """
() => { const w = window.__svWatch;
        return w ? {tInput: w.tInput, tChange: w.tChange, tLast: w.tLast, changes: w.changes} : null; }
"""

PIXEL_WATCH_CHANGED = "() => window.__svWatch && window.__svWatch.tChange !== null"

# The figure changed, and since then neither the figure nor the kernel has been busy for `quietMs`:
# the frame for the final slider value is on screen (a redraw slower than quietMs keeps the kernel busy).
PIXEL_WATCH_SETTLED = _PANEL + """
([path, quietMs]) => {
  const w = window.__svWatch;
  const kernel = panelFor(path).sessionContext.session.kernel;
  const now = performance.now();
  if (!w) return false;
  if (kernel.status !== 'idle') w.tBusy = now;
  return w.tLast !== null && now - w.tLast > quietMs && now - (w.tBusy || 0) > quietMs;
}
"""

STOP_PIXEL_WATCH = "() => { if (window.__svWatch) window.__svWatch.stop(); return true; }"

# Kernel-side count of what the displayed widgets contain, walking from the root widgets displayed
# in the cells' outputs. One entry per displayed occurrence (a widget shown twice renders twice).
COUNT_CODE = r'''
def __stepviz_e2e_count(root_ids):
    from ipywidgets import Widget
    from ipywidgets.widgets.widget import _instances
    counts = [0, 0, 0, 0]  # sliders, ipympl canvases, roots found in the kernel, stepviz canvases

    def walk(w, seen):  # seen: the widgets met under this root (a slider referenced twice renders once)
        if id(w) in seen:
            return
        seen.add(id(w))
        view = getattr(w, "_view_name", None) or ""
        if view.endswith("SliderView") or getattr(w, "kind", None) == "stepper":
            counts[0] += 1
        if getattr(w, "_model_module", "") == "jupyter-matplotlib" and getattr(w, "_model_name", "") == "MPLCanvasModel":
            counts[1] += 1
        if str(getattr(w, "_anywidget_id", "")).endswith(".LiveCanvas"):
            counts[3] += 1
        for name in w.keys:
            if name in ("layout", "style", "toolbar", "controls"):
                continue
            value = getattr(w, name, None)
            items = value if isinstance(value, (list, tuple)) else [value]
            for item in items:
                if isinstance(item, Widget):
                    walk(item, seen)
                elif isinstance(item, dict):  # Output widget: outputs holding widget views
                    data = item.get("data")
                    mid = (data.get("application/vnd.jupyter.widget-view+json", {}).get("model_id")
                           if isinstance(data, dict) else None)
                    if mid in _instances:
                        walk(_instances[mid], seen)

    for mid in root_ids:
        if mid in _instances:
            counts[2] += 1
            walk(_instances[mid], set())
    return counts
'''
