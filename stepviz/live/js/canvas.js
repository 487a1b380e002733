// The figure of a stepviz explorer (anywidget front end of stepviz.live.canvas.LiveCanvas).
//
// The kernel sends a picture of the static layer (matplotlib: contours, axes, ticks, legends) and a scene:
// typed marks, the axes they are drawn on, per-stop texts and one buffer with every run of the step-size
// sweep. This module checks the scene, draws it over the picture for the step-size stop and the iteration
// the controls show (their models are watched here, through anywidget's host.getModel), so the step-size
// slider, Play and the iteration slider never wait for the kernel and work without one. A scene that does
// not check out is not drawn: the last good one stays, and one line says what was wrong.

import { SceneError, unpack } from "./buffers.js";
import { icon } from "./icons.js";
import { keepKeys } from "./keys.js";
import { drawScene, showSegments, stopFreePrefix, validateScene } from "./scene.js";
import { clickedAxes, fromPixel } from "./transform.js";

const KERNEL_ANSWER_MS = 2500;
const RESIZE_MS = 150;  // a width that rested this long is sent to the kernel  // no answer to 'hello' within this: no kernel behind this figure (yet)

function element(tag, className, parent) {
  const node = document.createElement(tag);
  node.className = className;
  if (parent) parent.append(node);
  return node;
}

function render({ model, el, host }) {
  const root = element("div", "stepviz-canvas", el);
  const stage = element("div", "stepviz-stage", root);
  stage.setAttribute("role", "img");
  const picture = element("canvas", "stepviz-layer stepviz-static", stage);
  const moving = element("canvas", "stepviz-layer stepviz-moving", stage);
  const problem = element("div", "stepviz-problem", root);
  problem.setAttribute("role", "status");
  problem.hidden = true;
  const readout = element("div", "stepviz-readout", root);
  readout.setAttribute("aria-live", "polite");
  const note = element("div", "stepviz-kernel-note", root);
  note.hidden = true;
  keepKeys(el);

  let scene = null, arrays = {}, bitmap = null, queued = false, stop = 0, iteration = 0, position = null;
  let sceneProblem = "", live = null, shownText = "", drawnVersion = null;
  const under = document.createElement("canvas");  // pixels of the scene's stop-free marks (stopFreePrefix)
  let underKey = null;
  const controls = {}, toggles = {};

  const size = () => model.get("size") || [640, 360];
  let shownScale = 1, ratio = 1;
  /** Size the stage and both canvases to the width available (never wider than the picture); true when a
   *  canvas changed size (which clears it: the caller repaints). */
  function layout() {
    const [w, h] = size();
    const shown = Math.min(stage.parentElement ? stage.parentElement.clientWidth || w : w, w);
    shownScale = shown / w;
    stage.style.width = `${shown}px`;
    stage.style.height = `${h * shownScale}px`;
    const dpr = window.devicePixelRatio || 1;
    let changed = false;
    for (const c of [picture, moving]) {
      const cw = Math.round(w * shownScale * dpr), ch = Math.round(h * shownScale * dpr);
      if (c.width !== cw || c.height !== ch) { c.width = cw; c.height = ch; changed = true; }
      c.style.width = `${w * shownScale}px`;
      c.style.height = `${h * shownScale}px`;
    }
    ratio = shownScale * dpr;
    return changed;
  }
  layout();

  /** One line under the figure: what failed (in the kernel or here), the picture marked stale. */
  function showProblem() {
    const stale = Boolean(sceneProblem) || model.get("stale");
    const text = [model.get("error"), sceneProblem].filter(Boolean).join("; ");
    problem.hidden = !text;
    const words = text ? `${text}${stale ? ". The figure shows the last result that worked." : ""}` : "";
    problem.replaceChildren(...(text ? [icon("warning"), words] : []));
    stage.classList.toggle("stepviz-stale", stale);
  }

  function paintPicture() {
    const ctx = picture.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, picture.width, picture.height);
    if (bitmap) ctx.drawImage(bitmap, 0, 0, picture.width, picture.height);
  }
  function paintMoving() {
    queued = false;
    const ctx = moving.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, moving.width, moving.height);
    if (!scene) return;
    // A scene of one stop (sent first, the whole sweep after it) draws only at that stop; it says it is drawn
    // anyway (the kernel may hold the whole sweep back until then), as the slider may have left that stop.
    if (scene.only !== null && scene.only !== stop) { sayDrawn(); return; }
    const pos = position === null ? iteration : position;
    let from = 0;
    if (scene.under > 0) {  // the marks under the others that no stop changes: drawn again only when they change
      const key = [scene.version, pos, JSON.stringify(toggles), moving.width, moving.height, ratio].join(":");
      if (key !== underKey) {
        if (under.width !== moving.width || under.height !== moving.height) {
          under.width = moving.width; under.height = moving.height;
        }
        const u = under.getContext("2d");
        u.setTransform(1, 0, 0, 1, 0, 0);
        u.clearRect(0, 0, under.width, under.height);
        u.setTransform(ratio, 0, 0, ratio, 0, 0);
        drawScene(u, scene, arrays, stop, pos, toggles, size(), [0, scene.under]);
        underKey = key;
      }
      ctx.drawImage(under, 0, 0);
      from = scene.under;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const drawn = drawScene(ctx, scene, arrays, stop, pos, toggles, size(), [from, scene.marks.length]);
    // the smallest text on the figure as shown (the picture's and the drawn texts', scaled): e2e tests read it
    stage.dataset.smallestText = (Math.min(model.get("smallest_text") || Infinity, drawn) * shownScale).toFixed(2);
    const texts = scene.texts || {};
    const pick = (name) => { const t = texts[name]; return t && t.length ? t[Math.min(stop, t.length - 1)] : null; };
    sayDrawn();
    const key = `${stop}:${scene.version}`;
    if (shownText !== key) {  // the readout and the label change with the stop, not with every frame
      shownText = key;
      showSegments(readout, pick("readout") || []);
      const alt = pick("alt") || model.get("alt") || "";
      if (stage.getAttribute("aria-label") !== alt) stage.setAttribute("aria-label", alt);
    }
  }
  /** Tell the kernel a new scene is on screen: it may hold the whole sweep or the picture back until then. */
  function sayDrawn() {
    if (scene.version !== drawnVersion && live !== false) {
      drawnVersion = scene.version;
      model.send({ event: "drawn", version: scene.version });
    }
  }
  const redraw = () => { if (!queued) { queued = true; requestAnimationFrame(paintMoving); } };

  /** The readout never shrinks: a drag changes its text every frame, and a readout that grew or shrank would
   *  move everything below it (a layout of the whole notebook per frame, the controls jumping under the mouse).
   *  It takes the height of the longest text of each new scene, and keeps the tallest it has had. */
  let readoutHeight = 0;
  function reserveReadout(texts) {
    let longest = null, most = -1;
    for (const segments of texts.readout || []) {
      const n = segments.reduce((a, [, t]) => a + t.length, 0);
      if (n > most) { most = n; longest = segments; }
    }
    if (!longest) return;
    showSegments(readout, longest);
    readoutHeight = Math.max(readoutHeight, readout.offsetHeight);
    if (readoutHeight) readout.style.minHeight = `${readoutHeight}px`;
    shownText = "";
  }

  function loadScene() {
    const only = model.get("only");
    const next = { axes: model.get("axes"), marks: model.get("marks"), texts: model.get("texts") || {},
      version: model.get("version"), only: Number.isInteger(only) && only >= 0 ? only : null };
    try {
      const a = unpack(model.get("data"), model.get("shapes"));
      validateScene(next, a);
      next.under = stopFreePrefix(next, a);
      scene = next;
      arrays = a;
      sceneProblem = "";
      if (next.only === null) reserveReadout(next.texts);  // one stop's texts: measured with the whole sweep's
    } catch (e) {
      if (!(e instanceof SceneError)) throw e;
      sceneProblem = `this figure's data cannot be drawn (${e.message})`;
    }
    showProblem();
    redraw();
  }
  async function loadPicture() {
    const png = model.get("picture");
    if (!png || !png.byteLength) { bitmap = null; paintPicture(); return; }
    const bytes = png instanceof ArrayBuffer ? png : png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength);
    try {
      const next = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
      if (bitmap && bitmap.close) bitmap.close();
      bitmap = next;
    } catch (e) {
      sceneProblem = "this figure's picture cannot be decoded";
      showProblem();
    }
    paintPicture();
  }
  model.on("change:version", loadScene);
  model.on("change:picture", loadPicture);
  model.on("change:error", showProblem);
  model.on("change:stale", showProblem);
  model.on("change:pending", () => stage.classList.toggle("stepviz-pending", Boolean(model.get("pending"))));
  model.on("change:size", () => { layout(); paintPicture(); redraw(); });
  model.on("change:smallest_text", redraw);
  // The width the figure has on the page (and the screen's pixel ratio) goes to the kernel, which renders the
  // picture again at that size: once the width has rested for RESIZE_MS, and only when it changed.
  let reported = "", resizeTimer = null;
  function reportWidth() {
    resizeTimer = null;
    const width = root.clientWidth, ratio = window.devicePixelRatio || 1;
    const key = `${width}:${ratio}`;
    if (!width || key === reported) return;
    reported = key;
    model.send({ event: "resize", width, ratio });
  }
  let readoutWidth = 0;
  const observer = new ResizeObserver(() => {
    if (layout()) { paintPicture(); redraw(); }
    if (resizeTimer) clearTimeout(resizeTimer);
    resizeTimer = setTimeout(reportWidth, RESIZE_MS);
    if (scene && readout.clientWidth && readout.clientWidth !== readoutWidth) {  // attached, or a new width
      readoutWidth = readout.clientWidth;
      reserveReadout(scene.texts);
      redraw();  // the readout measured with the longest text shows the stop's own text again
    }
  });
  observer.observe(el);

  // A click on axes that take clicks (the contour plot: a new start point) goes to the kernel.
  const axesAt = (ev) => {
    const r = moving.getBoundingClientRect();
    const px = (ev.clientX - r.left) / shownScale, py = (ev.clientY - r.top) / shownScale;
    return [clickedAxes(scene.axes, px, py), px, py];
  };
  stage.addEventListener("click", (ev) => {
    if (!scene || live === false) return;
    const [i, px, py] = axesAt(ev);
    if (i < 0) return;
    const [x, y] = fromPixel(scene.axes[i], px, py);
    model.send({ event: "click", axes: i, x, y });
  });
  stage.addEventListener("pointermove", (ev) => {
    if (scene) stage.style.cursor = axesAt(ev)[0] >= 0 && live !== false ? "crosshair" : "";
  });

  // Is a kernel behind this figure? Ask it: without one (a static page, a notebook reopened with its
  // saved widgets) only the controls drawn from the stored runs work: say so, and disable the others
  // until an answer comes (a busy kernel answers late).
  const refs = model.get("controls") || {};
  const kernelModels = Promise.all((refs.kernel || []).map((ref) => host.getModel(ref).catch(() => null)));
  const disabledByUs = new Map();
  async function setLive(value) {
    if (live === value) return;
    live = value;
    note.hidden = live;
    note.textContent = live ? "" : model.get("kernel_note");
    for (const m of await kernelModels) {
      if (!m) continue;
      if (!live && !disabledByUs.has(m)) { disabledByUs.set(m, [m.get("disabled"), m.get("tooltip")]); m.set("disabled", true); m.set("tooltip", "needs a running kernel"); }
      if (live && disabledByUs.has(m)) { const [d, t] = disabledByUs.get(m); disabledByUs.delete(m); m.set("disabled", d); m.set("tooltip", t); }
    }
  }
  model.on("msg:custom", (msg) => { if (msg && msg.event === "alive") setLive(true); });
  const noAnswer = setTimeout(() => { if (live !== true) setLive(false); }, KERNEL_ANSWER_MS);
  model.send({ event: "hello" });

  // The controls: the step-size stop, the iteration, and Play's fractional position.
  async function connect() {
    if (refs.lr) {
      controls.lr = await host.getModel(refs.lr);
      stop = controls.lr.get("index");
      controls.lr.on("change:index", () => { stop = controls.lr.get("index"); redraw(); });
    }
    if (refs.iteration) {
      controls.iteration = await host.getModel(refs.iteration);
      iteration = controls.iteration.get("value");
      controls.iteration.on("change:value", () => { iteration = controls.iteration.get("value"); redraw(); });
    }
    if (refs.play) {
      controls.play = await host.getModel(refs.play);
      const follow = () => {
        position = controls.play.get("playing") ? controls.play.get("position") : null;
        redraw();
      };
      controls.play.on("change:position", follow);
      controls.play.on("change:playing", follow);
    }
    for (const [name, ref] of Object.entries(refs.toggles || {})) {  // e.g. 'show look-ahead points'
      const m = await host.getModel(ref);
      toggles[name] = m.get("value");
      m.on("change:value", () => { toggles[name] = m.get("value"); redraw(); });
    }
    redraw();
  }

  loadScene();
  loadPicture();
  connect();
  return () => { clearTimeout(noAnswer); clearTimeout(resizeTimer); observer.disconnect(); if (bitmap && bitmap.close) bitmap.close(); };
}

export default { render };
