// Front ends of the explorers' fast controls (anywidget): the step-size slider and Play.
//
// Both change their model in the browser on every move or frame and send it to the kernel only when the
// learner settles (release, key, typed value, pause), so dragging and playing never wait for the kernel
// and work the same without one. The canvas (canvas.js) watches these models and redraws.

import { fmt } from "./format.js";
import { icon } from "./icons.js";
import { keepKeys, nextIndex, snapIndex } from "./keys.js";

const SAVE_AFTER_MS = 150;  // a drag sends the kernel its value at most this often
const THUMB = 16;           // px: chromium's range thumb; its centre runs from THUMB/2 to width - THUMB/2

let uid = 0;

/** Labels of the marked stops, placed left to right; a label that would overlap the one before joins it. */
function placeTicks(box, marks, count, width) {
  box.replaceChildren();
  const groups = [];
  for (const { index, label } of [...marks].sort((a, b) => a.index - b.index)) {
    const x = THUMB / 2 + (index / Math.max(count - 1, 1)) * (width - THUMB);
    const tick = document.createElement("span");
    tick.className = "stepviz-tick";
    tick.style.left = `${x}px`;
    box.append(tick);
    const last = groups[groups.length - 1];
    if (last && x - last.x < 7 * (last.labels.join(", ").length + label.length) / 2 + 8) {
      last.labels.push(label);
      last.x = (last.x + x) / 2;
    } else {
      groups.push({ x, labels: [label] });
    }
  }
  for (const g of groups) {
    const text = document.createElement("span");
    text.className = "stepviz-tick-label";
    text.textContent = g.labels.join(", ");
    text.style.left = `${g.x}px`;
    box.append(text);
  }
}

/**
 * ipywidgets' sliders draw their handle as a div with role="slider" and their description as a <label> tied to
 * nothing, so a screen reader (and axe-core) finds a slider without a name. Name every such handle of the
 * explorer this stepper is in after its description, now and whenever a control is (re)drawn.
 */
function nameSliders(el) {
  let observer = null, timer = null, tries = 0;
  const name = (root) => {
    for (const handle of root.querySelectorAll('[role="slider"]:not([aria-label]):not([aria-labelledby])')) {
      const box = handle.closest(".widget-slider, .widget-hslider, .widget-vslider, .widget-inline-hbox");
      const label = box && box.querySelector(".widget-label");
      const text = label && (label.textContent.trim() || label.title || "").trim();
      if (text) handle.setAttribute("aria-label", text);
    }
  };
  const attach = () => {
    const root = el.closest(".stepviz-explorer");
    if (!root) {  // not in the page yet (the widget manager inserts views after rendering them)
      if (!el.isConnected && ++tries < 200) timer = setTimeout(attach, 50);
      return;
    }
    name(root);
    observer = new MutationObserver(() => name(root));
    observer.observe(root, { childList: true, subtree: true });
  };
  attach();
  return () => { clearTimeout(timer); if (observer) observer.disconnect(); };
}

function renderStepper({ model, el }) {
  const id = `stepviz-stepper-${++uid}`;
  const box = document.createElement("div");
  box.className = "stepviz-stepper widget-inline-hbox";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "stepviz-stepper-label";
  const track = document.createElement("div");
  track.className = "stepviz-stepper-track";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.step = "1";
  const ticks = document.createElement("div");
  ticks.className = "stepviz-ticks";
  ticks.setAttribute("aria-hidden", "true");
  track.append(input, ticks);
  const value = document.createElement("input");
  value.type = "text";
  value.inputMode = "decimal";
  value.className = "stepviz-stepper-value";
  value.spellcheck = false;
  box.append(label, track, value);
  el.appendChild(box);
  keepKeys(el);
  const unname = nameSliders(el);

  const stops = () => model.get("stops") || [];
  const marks = () => (model.get("marks") || []).map((m) => ({ index: stops().indexOf(m.value), label: m.label }))
    .filter((m) => m.index >= 0);
  const markIndices = () => marks().map((m) => m.index);
  let editing = false;
  const show = () => {  // the value: on every move, so nothing here asks the page for its layout
    const s = stops(), i = model.get("index"), name = model.get("description");
    label.textContent = name;
    input.max = String(Math.max(s.length - 1, 0));
    input.value = String(i);
    input.disabled = value.disabled = model.get("disabled");
    if (!editing) value.value = fmt(s[i]);
    const named = marks().find((m) => m.index === i);
    input.setAttribute("aria-valuetext", `${name} ${fmt(s[i])}${named ? ` (${named.label})` : ""}`);
    value.setAttribute("aria-label", `${name}: type a value from ${fmt(s[0])} to ${fmt(s[s.length - 1])}, then Enter`);
    input.title = model.get("tooltip") || "arrow keys: big steps that stop at the marked values; Shift+arrow: one small step";
  };
  let width = 0;
  const ticksAt = (w) => { width = w || width; if (width) placeTicks(ticks, marks(), stops().length, width); };
  let timer = null;
  const save = () => { clearTimeout(timer); timer = null; model.save_changes(); };
  const choose = (i, now, exact) => {
    const s = stops();
    i = Math.min(Math.max(i, 0), s.length - 1);
    const v = exact === undefined ? s[i] : exact;
    if (i !== model.get("index") || v !== model.get("value")) model.set({ index: i, value: v });
    if (now) save(); else if (timer === null) timer = setTimeout(save, SAVE_AFTER_MS);
  };
  input.addEventListener("input", () => {
    const i = snapIndex(Number(input.value), markIndices());
    if (i !== Number(input.value)) input.value = String(i);
    choose(i, false);
  });
  input.addEventListener("change", () => choose(Number(input.value), true));
  input.addEventListener("keydown", (ev) => {
    const j = nextIndex(ev.key, ev.shiftKey, model.get("index"), stops().length, model.get("presses"), markIndices());
    if (j === null) return;
    ev.preventDefault();
    choose(j, true);
  });
  // A typed value: the nearest stop at once, and the kernel (if any) makes the value itself a stop.
  const commit = () => {
    const s = stops(), v = Number(value.value.trim().replace(",", "."));
    editing = false;
    if (!value.value.trim() || !Number.isFinite(v) || v < s[0] || v > s[s.length - 1]) {
      value.setCustomValidity(`a number from ${fmt(s[0])} to ${fmt(s[s.length - 1])}`);
      value.reportValidity();
      value.setAttribute("aria-invalid", "true");
      value.value = fmt(s[model.get("index")]);
      return;
    }
    value.setCustomValidity("");
    value.removeAttribute("aria-invalid");
    let i = 0;
    s.forEach((x, j) => { if (Math.abs(Math.log(x / v)) < Math.abs(Math.log(s[i] / v))) i = j; });
    choose(i, true, v);
    show();
  };
  value.addEventListener("focus", () => { editing = true; value.select(); });
  value.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { ev.preventDefault(); commit(); }
    else if (ev.key === "Escape") { editing = false; value.value = fmt(stops()[model.get("index")]); }
  });
  value.addEventListener("blur", () => { if (editing) commit(); });
  for (const name of ["index", "stops", "marks", "description", "disabled", "tooltip"]) model.on(`change:${name}`, show);
  model.on("change:stops", () => ticksAt());
  model.on("change:marks", () => ticksAt());
  const resize = new ResizeObserver((entries) => ticksAt(entries[entries.length - 1].contentRect.width));
  resize.observe(input);
  show();
  return () => { clearTimeout(timer); resize.disconnect(); unname(); };
}

function renderPlayer({ model, el, host }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "stepviz-play-button jupyter-button widget-button";
  el.appendChild(button);
  keepKeys(el);
  let iteration = null, raf = null, t0 = 0, p0 = 0, lastTick = 0;
  const show = () => {
    const playing = model.get("playing");
    button.replaceChildren(icon(playing ? "pause" : "play"), playing ? "Pause" : "Play");
    button.setAttribute("aria-label", playing ? "Pause the animation" : "Play the run step by step");
    button.setAttribute("aria-pressed", String(playing));
    button.disabled = model.get("disabled");
  };
  const end = () => (iteration ? iteration.get("max") : 0);
  // The animation belongs to the view that started it; every view of the model sees `playing`, and a
  // Pause pressed in any of them ends it at the next frame.
  const frame = (now) => {
    if (!model.get("playing")) { raf = null; return; }
    const rate = end() / Math.max(model.get("seconds"), 0.1);  // iterations per second
    const p = Math.min(p0 + ((now - t0) / 1000) * rate, end());
    model.set("position", p);
    if (iteration && Math.floor(p) !== iteration.get("value")) iteration.set("value", Math.floor(p));
    if (p >= end()) { stopPlaying(); return; }
    raf = requestAnimationFrame(frame);
  };
  const startPlaying = () => {
    if (!iteration) return;
    p0 = iteration.get("value") >= end() ? 0 : iteration.get("value");
    t0 = performance.now();
    model.set({ playing: true, position: p0 });
    iteration.set("value", Math.floor(p0));
    raf = requestAnimationFrame(frame);
  };
  function stopPlaying() {
    if (raf !== null) cancelAnimationFrame(raf);
    raf = null;
    model.set("playing", false);
    model.save_changes();
    if (iteration) iteration.save_changes();  // the kernel learns where the animation stopped
  }
  // Playing somewhere: this view's animation, or another view's whose position moved in the last moments (a
  // 'playing' flag nobody animates any more, e.g. its view was closed, does not take a click to clear).
  const playingSomewhere = () => raf !== null || (model.get("playing") && performance.now() - lastTick < 300);
  button.addEventListener("click", () => (playingSomewhere() ? stopPlaying() : startPlaying()));
  model.on("change:position", () => { lastTick = performance.now(); });
  model.on("change:playing", show);
  model.on("change:disabled", show);
  const ref = model.get("iteration");
  if (ref) host.getModel(ref).then((m) => { iteration = m; });
  show();
  return () => { if (raf !== null) cancelAnimationFrame(raf); };
}

export default {
  render(ctx) {
    return ctx.model.get("kind") === "player" ? renderPlayer(ctx) : renderStepper(ctx);
  },
};
