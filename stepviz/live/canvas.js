// The moving layer of a stepviz explorer, drawn in the browser (anywidget front end of LiveCanvas).
//
// The kernel sends a picture of the static layer (matplotlib: contours, axes, ticks, legends) and, in
// one float32 buffer, every run of the step-size sweep. This module draws the runs over the picture,
// through the same data-to-pixel transform matplotlib used, for the step-size stop and the iteration the
// controls show. The controls' models are watched here directly (host.getModel), so the step-size
// slider, Play and the iteration slider never wait for the kernel and keep working without one.
//
// canvas.py loads this file after canvas_math.js (the transform, buffer views and texts it uses).

// --- drawing -------------------------------------------------------------------------------------

function strokePolyline(ctx, pts) {
  ctx.beginPath();
  let open = false;
  for (const [x, y] of pts) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) { open = false; continue; }
    if (open) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    open = true;
  }
  ctx.stroke();
}

/** Add one marker's outline to the current path (markers of one mark share one fill and one stroke). */
function markerPath(ctx, shape, x, y, r) {
  if (shape === "o" || shape === ".") {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  } else if (shape === "s") {
    ctx.rect(x - r, y - r, 2 * r, 2 * r);
  } else if (shape === "D") {
    ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y); ctx.closePath();
  } else if (shape === "v" || shape === "^") {
    const d = shape === "v" ? 1 : -1;
    ctx.moveTo(x - r, y - d * r * 0.6); ctx.lineTo(x + r, y - d * r * 0.6); ctx.lineTo(x, y + d * r); ctx.closePath();
  } else if (shape === "X") {  // matplotlib's filled x
    const a = r, b = r / 3;
    const p = [[b, 0], [a, a - b], [a - b, a], [0, b], [b - a, a], [-a, a - b], [-b, 0], [-a, b - a],
      [b - a, -a], [0, -b], [a - b, -a], [a, b - a]];
    p.forEach(([u, v], i) => (i ? ctx.lineTo(x + u, y + v) : ctx.moveTo(x + u, y + v)));
    ctx.closePath();
  } else if (shape === "*") {
    for (let i = 0; i < 10; i++) {
      const rad = i % 2 ? r * 0.45 : r, t = -Math.PI / 2 + (i * Math.PI) / 5;
      const u = x + rad * Math.cos(t), v = y + rad * Math.sin(t);
      if (i) ctx.lineTo(u, v); else ctx.moveTo(u, v);
    }
    ctx.closePath();
  } else {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

/** Markers of mark `m` at pixel points [[x, y], ...]: one path, one fill, one stroke. */
function drawMarker(ctx, m, x, y) { drawMarkers(ctx, m, [[x, y]]); }

function drawMarkers(ctx, m, points) {
  ctx.beginPath();
  let any = false;
  for (const [x, y] of points) {
    if (Number.isFinite(x) && Number.isFinite(y)) { markerPath(ctx, m.shape || "o", x, y, (m.size || 6) / 2); any = true; }
  }
  if (!any) return;
  if (m.fill && m.fill !== "none") { ctx.fillStyle = m.fill; ctx.fill(); }
  if (m.edge && m.edge !== "none" && (m.edgeWidth ?? 1) > 0) {
    ctx.lineWidth = m.edgeWidth ?? 1; ctx.strokeStyle = m.edge; ctx.setLineDash([]); ctx.stroke();
  }
}

function clipTo(ctx, ax) {
  const [l, t, w, h] = ax.box;
  ctx.beginPath();
  ctx.rect(l, t, w, h);
  ctx.clip();
}

function drawTextBox(ctx, text, x, y, font, align, boxed) {
  ctx.font = font;
  ctx.textAlign = align;
  ctx.textBaseline = "alphabetic";
  if (boxed) {
    const w = ctx.measureText(text).width, h = parseFloat(font) || 12;
    const x0 = align === "center" ? x - w / 2 : align === "right" ? x - w : x;
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.strokeStyle = "rgba(0,0,0,0.35)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(x0 - 4, y - h, w + 8, h + 5, 4); else ctx.rect(x0 - 4, y - h, w + 8, h + 5);
    ctx.fill();
    ctx.stroke();
  }
  ctx.fillStyle = "#111";
  ctx.fillText(text, x, y);
}

const isPairs = (a) => a.shape.length === 3 && a.shape[2] === 2;

/** y values against their index (times xstep) as (x, y) pairs. */
function xyOf(values, xstep) {
  const out = new Float32Array(2 * values.length);
  for (let i = 0; i < values.length; i++) { out[2 * i] = i * xstep; out[2 * i + 1] = values[i]; }
  return out;
}

/** Draw every mark of the scene for stop `s` and (possibly fractional) iteration `pos`. */
export function drawScene(ctx, scene, arrays, s, pos, toggles = {}) {
  const k = Math.floor(pos), frac = pos - k;
  const stops = arrays.stops ? row(arrays.stops, 0) : null;
  const gone = (m) => {
    if (!m.diverged || !arrays[m.diverged]) return false;
    const d = row(arrays[m.diverged], s)[0];
    return d >= 0 && d <= k;
  };
  const valueAt = (name) => {
    const a = arrays[name];
    if (!a) return undefined;
    const r = row(a, s);
    return r.length === 1 ? r[0] : r[Math.min(k, r.length - 1)];
  };
  for (const m of scene.marks) {
    const ax = scene.axes[m.axes];
    if (m.toggle && !toggles[m.toggle]) continue;
    if (m.when === "alive" && gone(m)) continue;
    if (m.when === "gone" && !gone(m)) continue;
    ctx.save();
    if (m.clip !== false && ax) clipTo(ctx, ax);
    ctx.globalAlpha = m.alpha ?? 1;
    ctx.lineJoin = "round";
    ctx.lineCap = "butt";
    if (m.kind === "line") {
      const a = arrays[m.data];
      if (a) {
        const pairs = isPairs(a);
        const values = row(a, s);
        const total = pairs ? values.length / 2 : values.length;
        const count = m.upto === "iteration" ? k + 1 : total;
        const pts = pathPixels(ax, values, pairs, count, m.upto === "iteration" ? frac : 0, m.xstep || 1, m.sign || 1);
        ctx.strokeStyle = m.color; ctx.lineWidth = m.width || 1.5; ctx.setLineDash(m.dash || []);
        strokePolyline(ctx, pts);
        if (m.dots) drawMarkers(ctx, { shape: "o", size: m.dots, fill: m.color }, pts.slice(0, count));
      }
    } else if (m.kind === "marker") {
      const a = arrays[m.data];
      if (a) {
        const pairs = isPairs(a);
        const values = pairs ? row(a, s) : xyOf(row(a, s), m.xstep || 1);
        let p = null;
        if (m.at === "start") p = [values[0], values[1]];
        else if (m.at === "last") p = lastFinite(ax, values, k + 1);
        else {  // the iteration shown (between two iterates while Play runs)
          const pts = pathPixels(ax, values, true, k + 1, frac);
          const q = pts[pts.length - 1];
          if (q) { drawMarker(ctx, m, q[0], q[1]); }
        }
        if (p) { const [x, y] = toPixel(ax, p[0], p[1]); drawMarker(ctx, m, x, y); }
      }
    } else if (m.kind === "above") {  // a marker at (k, alpha) wherever alpha exceeds the curve (a limit)
      const a = arrays[m.data];
      const alpha = stops ? stops[s] : NaN;
      if (a) {
        const values = row(a, s), points = [];
        for (let i = 0; i < values.length; i++) {
          if (alpha > values[i]) points.push(toPixel(ax, i * (m.xstep || 1), alpha));
        }
        drawMarkers(ctx, m, points);
      }
    } else if (m.kind === "links") {  // a segment from each iterate to its partner (look-ahead points)
      const a = arrays[m.data], b = arrays[m.to];
      if (a && b) {
        const p = row(a, s), q = row(b, s);
        ctx.strokeStyle = m.color; ctx.lineWidth = m.width || 1; ctx.setLineDash(m.dash || []);
        const n = m.upto === "iteration" ? Math.min(k, p.length / 2) : p.length / 2;
        ctx.beginPath();
        for (let i = 0; i < n; i++) {
          const [x0, y0] = toPixel(ax, p[2 * i], p[2 * i + 1]);
          const [x1, y1] = toPixel(ax, q[2 * i], q[2 * i + 1]);
          if ([x0, y0, x1, y1].every(Number.isFinite)) { ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); }
        }
        ctx.stroke();
        if (m.shape) {
          const points = [];
          for (let i = 0; i < n; i++) points.push(toPixel(ax, q[2 * i], q[2 * i + 1]));
          drawMarkers(ctx, m, points);
        }
      }
    } else if (m.kind === "affine") {  // the line y = a x + b of the iterate (a, b) shown, over m.x
      const a = arrays[m.data];
      if (a) {
        const v = row(a, s), i = Math.min(k, v.length / 2 - 1);
        const [sl, ic] = [v[2 * i], v[2 * i + 1]];
        if (Number.isFinite(sl) && Number.isFinite(ic)) {
          const [x0, x1] = m.x;
          ctx.strokeStyle = m.color; ctx.lineWidth = m.width || 1.5; ctx.setLineDash(m.dash || []);
          strokePolyline(ctx, [toPixel(ax, x0, sl * x0 + ic), toPixel(ax, x1, sl * x1 + ic)]);
        }
      }
    } else if (m.kind === "vline" || m.kind === "hline") {
      const v = m.at === "iteration" ? pos : m.at === "stop" ? (stops ? stops[s] : NaN) : valueAt(m.at);
      if (Number.isFinite(v)) {
        const [l, t, w, h] = ax.box;
        ctx.strokeStyle = m.color; ctx.lineWidth = m.width || 1; ctx.setLineDash(m.dash || []);
        ctx.beginPath();
        if (m.kind === "vline") { const [x] = toPixel(ax, v, ax.ylim[0]); ctx.moveTo(x, t); ctx.lineTo(x, t + h); }
        else { const [, y] = toPixel(ax, ax.xlim[0], v); ctx.moveTo(l, y); ctx.lineTo(l + w, y); }
        ctx.stroke();
      }
    } else if (m.kind === "point") {
      const x = m.x === "stop" ? (stops ? stops[s] : NaN) : m.x === "iteration" ? pos : valueAt(m.x);
      const y = valueAt(m.y);
      const [px, py] = toPixel(ax, x, y);
      drawMarker(ctx, m, px, py);
    } else if (m.kind === "text") {
      const entries = (scene.texts[m.texts] || [])[Math.min(s, (scene.texts[m.texts] || []).length - 1)];
      if (entries !== undefined) {
        const text = textAt(entries, k, valueAt);
        const [l, t, w, h] = ax.box;
        const font = `${m.size || 12}px DejaVu Sans, Verdana, Arial, sans-serif`;
        if (m.at === "title") drawTextBox(ctx, text, l + w / 2, t - 6, font, "center", false);
        else drawTextBox(ctx, text, l + 8, t + h - 9, font, "left", true);
      }
    }
    ctx.restore();
  }
}

// --- the widget ----------------------------------------------------------------------------------

/** The widget model itself (not anywidget's proxy) behind a reference 'anywidget:<id>'. */
async function rawModel(model, ref) {
  if (typeof ref !== "string" || !ref.includes(":")) return null;
  try { return await model.widget_manager.get_model(ref.slice(ref.indexOf(":") + 1)); } catch (e) { return null; }
}

function render({ model, el, host }) {
  const root = document.createElement("div");
  root.className = "stepviz-canvas";
  const stage = document.createElement("div");
  stage.className = "stepviz-stage";
  stage.setAttribute("role", "img");
  const picture = document.createElement("canvas");
  const moving = document.createElement("canvas");
  picture.className = "stepviz-layer stepviz-static";
  moving.className = "stepviz-layer stepviz-moving";
  stage.append(picture, moving);
  const readout = document.createElement("div");
  readout.className = "stepviz-readout";
  readout.setAttribute("aria-live", "polite");
  const note = document.createElement("div");
  note.className = "stepviz-kernel-note";
  note.hidden = true;
  root.append(stage, readout, note);
  el.appendChild(root);

  let scene = null, arrays = {}, bitmap = null, queued = false, stop = 0, iteration = 0, position = null;
  const controls = {}, toggles = {};

  const size = () => model.get("size") || [640, 360];
  let shownScale = 1;
  /** Size the stage and both canvases to the width available (never wider than the picture); true when a
   *  canvas changed size (which clears it: the caller repaints). */
  function layout() {
    const [w, h] = size();
    const shown = Math.min(stage.parentElement ? stage.parentElement.clientWidth || w : w, w);
    const scale = shown / w;
    shownScale = scale;
    stage.style.width = `${shown}px`;
    stage.style.height = `${h * scale}px`;
    const dpr = window.devicePixelRatio || 1;
    let changed = false;
    for (const c of [picture, moving]) {
      const cw = Math.round(w * scale * dpr), ch = Math.round(h * scale * dpr);
      if (c.width !== cw || c.height !== ch) { c.width = cw; c.height = ch; changed = true; }
      c.style.width = `${w * scale}px`;
      c.style.height = `${h * scale}px`;
    }
    ratio = scale * dpr;
    return changed;
  }
  let ratio = 1;
  layout();

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
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const pos = position === null ? iteration : position;
    drawScene(ctx, scene, arrays, stop, pos, toggles);
    const texts = scene.texts || {};
    const pick = (name) => { const t = texts[name]; return t && t.length ? t[Math.min(stop, t.length - 1)] : null; };
    const html = pick("readout");
    if (html !== null && readout.dataset.stop !== `${stop}:${model.get("version")}`) {
      readout.innerHTML = html;
      readout.dataset.stop = `${stop}:${model.get("version")}`;
    }
    const alt = pick("alt") || model.get("alt") || "";
    if (stage.getAttribute("aria-label") !== alt) stage.setAttribute("aria-label", alt);
  }
  const redraw = () => { if (!queued) { queued = true; requestAnimationFrame(paintMoving); } };

  function loadScene() {
    scene = { axes: model.get("axes"), marks: model.get("marks"), texts: model.get("texts") };
    arrays = unpack(model.get("data"), model.get("shapes"));
    redraw();
  }
  async function loadPicture() {
    const png = model.get("picture");
    if (!png || !png.byteLength) { bitmap = null; paintPicture(); return; }
    const bytes = png instanceof ArrayBuffer ? png : png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength);
    const next = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    if (bitmap && bitmap.close) bitmap.close();
    bitmap = next;
    paintPicture();
  }
  model.on("change:version", () => { loadScene(); });
  model.on("change:picture", () => { loadPicture(); });
  model.on("change:size", () => { layout(); paintPicture(); redraw(); });
  const observer = new ResizeObserver(() => { if (layout()) { paintPicture(); redraw(); } });
  observer.observe(el);

  // A click on axes that take clicks (the contour plot: a new start point) goes to the kernel.
  let live = true;
  stage.addEventListener("click", (ev) => {
    if (!scene || !live) return;
    const r = moving.getBoundingClientRect();
    const px = (ev.clientX - r.left) / shownScale, py = (ev.clientY - r.top) / shownScale;
    const i = clickedAxes(scene.axes, px, py);
    if (i < 0) return;
    const [x, y] = fromPixel(scene.axes[i], px, py);
    model.send({ event: "click", axes: i, x, y });
  });
  stage.addEventListener("pointermove", (ev) => {
    if (!scene) return;
    const r = moving.getBoundingClientRect();
    const i = clickedAxes(scene.axes, (ev.clientX - r.left) / shownScale, (ev.clientY - r.top) / shownScale);
    stage.style.cursor = i >= 0 && live ? "crosshair" : "";
  });

  // The controls: the step-size stop, the iteration, and Play's fractional position.
  async function connect() {
    const refs = model.get("controls") || {};
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
    // Without a kernel (a static page, a notebook opened with its saved widgets) only the controls
    // drawn from the stored runs work: say so, and disable the others.
    const probe = await rawModel(model, refs.lr || refs.iteration);
    const update = () => {
      live = !probe || probe.comm_live !== false;
      note.hidden = live;
      if (!live) {
        note.textContent = model.get("kernel_note");
        for (const ref of refs.kernel || []) {
          host.getModel(ref).then((m) => { m.set("disabled", true); m.set("tooltip", "needs a running kernel"); })
            .catch(() => {});
        }
      }
    };
    if (probe) probe.on("comm_live_update", update);
    update();
    redraw();
  }

  loadScene();
  loadPicture();
  connect();
  return () => { observer.disconnect(); if (bitmap && bitmap.close) bitmap.close(); };
}

export default { render };
