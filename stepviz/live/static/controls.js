// Built by esbuild from stepviz/live/js (npm run build): edit those files, not this one.

// stepviz/live/js/format.js
function fmt(v) {
  v = Number(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(3)));
  return v.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
}

// stepviz/live/js/icons.js
var SVG = "http://www.w3.org/2000/svg";
var SHAPES = {
  // A triangle with an exclamation mark.
  warning: [
    ["path", {
      d: "M8 1.5 15.2 14.5H.8Z",
      fill: "none",
      stroke: "currentColor",
      "stroke-width": "1.5",
      "stroke-linejoin": "round"
    }],
    ["path", { d: "M8 6v4.2M8 11.7v.8", stroke: "currentColor", "stroke-width": "1.6", "stroke-linecap": "round" }]
  ],
  play: [["path", { d: "M4 2.5 13 8 4 13.5Z", fill: "currentColor" }]],
  pause: [
    ["rect", { x: "3.5", y: "2.5", width: "3", height: "11", fill: "currentColor" }],
    ["rect", { x: "9.5", y: "2.5", width: "3", height: "11", fill: "currentColor" }]
  ]
};
function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({
    viewBox: "0 0 16 16",
    width: "1em",
    height: "1em",
    "aria-hidden": "true",
    focusable: "false",
    class: `stepviz-icon stepviz-icon-${name}`
  })) {
    svg.setAttribute(k, v);
  }
  svg.style.verticalAlign = "-0.125em";
  svg.style.marginRight = "0.3em";
  for (const [tag, attrs] of SHAPES[name]) {
    const shape = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) shape.setAttribute(k, v);
    svg.append(shape);
  }
  return svg;
}

// stepviz/live/js/keys.js
function nextIndex(key, shift, i, count, presses = 20, marks = []) {
  const n = count - 1;
  const big = Math.max(1, Math.round(n / presses));
  const page = Math.max(big + 1, Math.round(n / 4));
  const clamp = (j2) => Math.min(Math.max(j2, 0), n);
  let j;
  switch (key) {
    case "ArrowRight":
    case "ArrowUp":
      j = i + (shift ? 1 : big);
      break;
    case "ArrowLeft":
    case "ArrowDown":
      j = i - (shift ? 1 : big);
      break;
    case "PageUp":
      return clamp(i + page);
    case "PageDown":
      return clamp(i - page);
    case "Home":
      return 0;
    case "End":
      return n;
    default:
      return null;
  }
  j = clamp(j);
  if (!shift) {
    const passed = marks.filter((m) => j > i ? m > i && m < j : m < i && m > j);
    if (passed.length) j = j > i ? Math.min(...passed) : Math.max(...passed);
  }
  return j;
}
function snapIndex(i, marks, radius = 2) {
  let best = i, gap = radius + 1;
  for (const m of marks) if (Math.abs(m - i) < gap) {
    best = m;
    gap = Math.abs(m - i);
  }
  return best;
}
function keepKeys(el) {
  const guard = (node) => {
    if (node.dataset.stepvizKeys) return;
    node.dataset.stepvizKeys = "1";
    node.setAttribute("data-lm-suppress-shortcuts", "true");
    node.addEventListener("focusin", (ev) => {
      if (ev.target instanceof Element) ev.target.setAttribute("data-lm-suppress-shortcuts", "true");
    });
    node.addEventListener("keydown", (ev) => {
      if (ev.key !== "Tab") ev.stopPropagation();
    });
  };
  guard(el);
  let tries = 0;
  const find = () => {
    const box = el.closest(".stepviz-explorer");
    if (box) guard(box);
    else if (++tries < 200) setTimeout(find, 50);
  };
  find();
}

// stepviz/live/js/controls.js
var SAVE_AFTER_MS = 150;
var THUMB = 16;
var uid = 0;
function placeTicks(box, marks, count, width) {
  box.replaceChildren();
  const groups = [];
  for (const { index, label } of [...marks].sort((a, b) => a.index - b.index)) {
    const x = THUMB / 2 + index / Math.max(count - 1, 1) * (width - THUMB);
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
    if (!root) {
      if (!el.isConnected && ++tries < 200) timer = setTimeout(attach, 50);
      return;
    }
    name(root);
    observer = new MutationObserver(() => name(root));
    observer.observe(root, { childList: true, subtree: true });
  };
  attach();
  return () => {
    clearTimeout(timer);
    if (observer) observer.disconnect();
  };
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
  const marks = () => (model.get("marks") || []).map((m) => ({ index: stops().indexOf(m.value), label: m.label })).filter((m) => m.index >= 0);
  const markIndices = () => marks().map((m) => m.index);
  let editing = false;
  const show = () => {
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
  const ticksAt = (w) => {
    width = w || width;
    if (width) placeTicks(ticks, marks(), stops().length, width);
  };
  let timer = null;
  const save = () => {
    clearTimeout(timer);
    timer = null;
    model.save_changes();
  };
  const choose = (i, now, exact) => {
    const s = stops();
    i = Math.min(Math.max(i, 0), s.length - 1);
    const v = exact === void 0 ? s[i] : exact;
    if (i !== model.get("index") || v !== model.get("value")) model.set({ index: i, value: v });
    if (now) save();
    else if (timer === null) timer = setTimeout(save, SAVE_AFTER_MS);
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
    s.forEach((x, j) => {
      if (Math.abs(Math.log(x / v)) < Math.abs(Math.log(s[i] / v))) i = j;
    });
    choose(i, true, v);
    show();
  };
  value.addEventListener("focus", () => {
    editing = true;
    value.select();
  });
  value.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      commit();
    } else if (ev.key === "Escape") {
      editing = false;
      value.value = fmt(stops()[model.get("index")]);
    }
  });
  value.addEventListener("blur", () => {
    if (editing) commit();
  });
  for (const name of ["index", "stops", "marks", "description", "disabled", "tooltip"]) model.on(`change:${name}`, show);
  model.on("change:stops", () => ticksAt());
  model.on("change:marks", () => ticksAt());
  const resize = new ResizeObserver((entries) => ticksAt(entries[entries.length - 1].contentRect.width));
  resize.observe(input);
  show();
  return () => {
    clearTimeout(timer);
    resize.disconnect();
    unname();
  };
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
  const end = () => iteration ? iteration.get("max") : 0;
  const frame = (now) => {
    if (!model.get("playing")) {
      raf = null;
      return;
    }
    const rate = end() / Math.max(model.get("seconds"), 0.1);
    const p = Math.min(p0 + (now - t0) / 1e3 * rate, end());
    model.set("position", p);
    if (iteration && Math.floor(p) !== iteration.get("value")) iteration.set("value", Math.floor(p));
    if (p >= end()) {
      stopPlaying();
      return;
    }
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
    if (iteration) iteration.save_changes();
  }
  const playingSomewhere = () => raf !== null || model.get("playing") && performance.now() - lastTick < 300;
  button.addEventListener("click", () => playingSomewhere() ? stopPlaying() : startPlaying());
  model.on("change:position", () => {
    lastTick = performance.now();
  });
  model.on("change:playing", show);
  model.on("change:disabled", show);
  const ref = model.get("iteration");
  if (ref) host.getModel(ref).then((m) => {
    iteration = m;
  });
  show();
  return () => {
    if (raf !== null) cancelAnimationFrame(raf);
  };
}
var controls_default = {
  render(ctx) {
    return ctx.model.get("kind") === "player" ? renderPlayer(ctx) : renderStepper(ctx);
  }
};
export {
  controls_default as default
};
