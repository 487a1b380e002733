// Front ends of the explorers' fast controls (anywidget): the step-size slider and Play.
//
// Both change their model in the browser on every move or frame and send it to the kernel only when
// the learner settles (release, key up, pause), so dragging and playing never wait for the kernel and
// work the same without one. The canvas (canvas.js) watches these models and redraws.

const SAVE_AFTER_MS = 150;  // a drag sends the kernel its value at most this often

/** Index moves of the step-size slider's keys: arrows cross the range in ~`presses` presses, Page
 *  keys in a quarter of that, Shift+arrow one stop. null for keys it does not handle. */
export function keyMove(key, shift, stops, presses = 20) {
  const n = stops - 1;
  const big = Math.max(1, Math.round(n / presses));
  const page = Math.max(big + 1, Math.round(n / 4));
  const step = shift ? 1 : big;
  switch (key) {
    case "ArrowRight": case "ArrowUp": return step;
    case "ArrowLeft": case "ArrowDown": return -step;
    case "PageUp": return page;
    case "PageDown": return -page;
    case "Home": return -n;
    case "End": return n;
    default: return null;
  }
}

/** Three significant digits, as short as possible: 0.05, 1.2, 1.19e-4. */
export function fmt(v) {
  v = Number(v);
  const text = Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toPrecision(3);
  return text.replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1").replace("e+", "e");
}

let uid = 0;

function renderStepper({ model, el }) {
  const id = `stepviz-stepper-${++uid}`;
  const box = document.createElement("div");
  box.className = "stepviz-stepper widget-inline-hbox";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "stepviz-stepper-label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.min = "0";
  input.step = "1";
  const out = document.createElement("output");
  out.htmlFor = id;
  out.className = "stepviz-stepper-value";
  box.append(label, input, out);
  el.appendChild(box);

  const stops = () => model.get("stops") || [];
  const show = () => {
    const s = stops(), i = model.get("index");
    label.textContent = model.get("description");
    input.max = String(Math.max(s.length - 1, 0));
    input.value = String(i);
    input.disabled = model.get("disabled");
    out.textContent = fmt(s[i]);
    input.setAttribute("aria-valuetext", `${model.get("description")} ${fmt(s[i])}`);
    input.title = model.get("tooltip") || "";
  };
  let timer = null;
  const save = () => { clearTimeout(timer); timer = null; model.save_changes(); };
  const choose = (i, now) => {
    const s = stops();
    i = Math.min(Math.max(i, 0), s.length - 1);
    if (i !== model.get("index")) model.set({ index: i, value: s[i] });
    if (now) save(); else if (timer === null) timer = setTimeout(save, SAVE_AFTER_MS);
  };
  input.addEventListener("input", () => choose(Number(input.value), false));
  input.addEventListener("change", () => choose(Number(input.value), true));
  input.addEventListener("keydown", (ev) => {
    const move = keyMove(ev.key, ev.shiftKey, stops().length, model.get("presses"));
    if (move === null) return;  // Tab, Escape, ... keep their meaning
    ev.preventDefault();
    choose(model.get("index") + move, true);
  });
  for (const name of ["index", "stops", "description", "disabled", "tooltip"]) model.on(`change:${name}`, show);
  show();
  return () => clearTimeout(timer);
}

function renderPlayer({ model, el, host }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "stepviz-play-button jupyter-button widget-button";
  el.appendChild(button);
  let iteration = null, raf = null, t0 = 0, p0 = 0;
  const show = () => {
    const playing = model.get("playing");
    button.textContent = playing ? "❚❚ Pause" : "▶ Play";
    button.setAttribute("aria-label", playing ? "Pause the animation" : "Play the run step by step");
    button.setAttribute("aria-pressed", String(playing));
    button.disabled = model.get("disabled");
  };
  const end = () => (iteration ? iteration.get("max") : 0);
  const frame = (now) => {
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
    cancelAnimationFrame(raf);
    raf = null;
    model.set("playing", false);
    model.save_changes();
    if (iteration) iteration.save_changes();  // the kernel learns where the animation stopped
  }
  button.addEventListener("click", () => (model.get("playing") ? stopPlaying() : startPlaying()));
  model.on("change:playing", show);
  model.on("change:disabled", show);
  const ref = model.get("iteration");
  if (ref) host.getModel(ref).then((m) => { iteration = m; });
  if (model.get("playing")) model.set("playing", false);
  show();
  return () => cancelAnimationFrame(raf);
}

export default {
  render(ctx) {
    return ctx.model.get("kind") === "player" ? renderPlayer(ctx) : renderStepper(ctx);
  },
};
