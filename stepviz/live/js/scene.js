// The moving layer of an explorer: a scene of typed marks (declared in stepviz/live/scene.py) drawn on a
// canvas over the matplotlib picture, for the step-size stop `s` and the (possibly fractional) iteration
// shown. validateScene checks what the kernel (or a saved notebook) sent before anything is drawn.

import { row, SceneError } from "./buffers.js";
import { fmt } from "./format.js";
import { pixelMap, toPixel } from "./transform.js";

// --- what a scene may hold ---------------------------------------------------------------------------

const NUMBERS = ["alpha", "width", "dots", "xstep", "sign", "size", "edge_width"];
const ARRAY_FIELDS = { line: ["data"], marker: ["data"], above: ["data"], links: ["data", "to"], affine: ["data"],
  vline: [], hline: [], point: ["y"], text: [] };
const AT = { marker: ["start", "iteration", "last"], text: ["title", "status", "key"] };
const TONES = new Set(["", "strong", "warn", "sup", "br"]);
const finite = (v) => typeof v === "number" && Number.isFinite(v);

function checkAxes(ax, i) {
  const ok = ax && Array.isArray(ax.box) && ax.box.length === 4 && ax.box.every(finite) && ax.box[2] > 0 && ax.box[3] > 0
    && ["xlim", "ylim"].every((k) => Array.isArray(ax[k]) && ax[k].length === 2 && ax[k].every(finite) && ax[k][0] !== ax[k][1])
    && ["xscale", "yscale"].every((k) => ax[k] === "linear" || ax[k] === "log")
    && (ax.xscale !== "log" || ax.xlim.every((v) => v > 0)) && (ax.yscale !== "log" || ax.ylim.every((v) => v > 0));
  if (!ok) throw new SceneError(`axes ${i} is not a box with finite limits and a linear or log scale`);
}

/** Throw a SceneError naming the first thing in `scene` ({axes, marks, texts}) that cannot be drawn from `arrays`. */
export function validateScene(scene, arrays) {
  if (!scene || !Array.isArray(scene.axes) || !Array.isArray(scene.marks)) throw new SceneError("no axes or marks");
  scene.axes.forEach(checkAxes);
  const texts = scene.texts || {};
  scene.marks.forEach((m, i) => {
    const what = `mark ${i} (${m && m.kind})`;
    if (!m || !(m.kind in ARRAY_FIELDS)) throw new SceneError(`${what}: unknown kind`);
    if (!Number.isInteger(m.axes) || m.axes < 0 || m.axes >= scene.axes.length) {
      throw new SceneError(`${what}: axes ${m.axes} is not one of the ${scene.axes.length} axes`);
    }
    for (const field of ARRAY_FIELDS[m.kind]) {
      if (!(m[field] in arrays)) throw new SceneError(`${what}: no array '${m[field]}'`);
    }
    for (const field of NUMBERS) {
      if (m[field] !== undefined && !finite(m[field])) throw new SceneError(`${what}: ${field} is not a finite number`);
    }
    if (m.dash !== undefined && !(Array.isArray(m.dash) && m.dash.every((d) => finite(d) && d >= 0))) {
      throw new SceneError(`${what}: dash is not a list of lengths`);
    }
    if (AT[m.kind] && !AT[m.kind].includes(m.at)) throw new SceneError(`${what}: at '${m.at}' is not one of ${AT[m.kind]}`);
    if ((m.kind === "vline" || m.kind === "hline") && !(m.at === "iteration" || m.at === "stop" || m.at in arrays)) {
      throw new SceneError(`${what}: at '${m.at}' is neither iteration, stop nor an array`);
    }
    if (m.kind === "point" && !(m.x === "iteration" || m.x === "stop" || m.x in arrays)) {
      throw new SceneError(`${what}: x '${m.x}' is neither iteration, stop nor an array`);
    }
    if (m.kind === "affine" && !(Array.isArray(m.x) && m.x.length === 2 && m.x.every(finite))) {
      throw new SceneError(`${what}: x is not two finite numbers`);
    }
    if (m.kind === "text" && !Array.isArray(texts[m.texts])) throw new SceneError(`${what}: no texts '${m.texts}'`);
    if (m.diverged !== undefined && !(m.diverged in arrays)) throw new SceneError(`${what}: no array '${m.diverged}'`);
  });
  for (const [name, perStop] of Object.entries(texts)) {
    if (!Array.isArray(perStop)) throw new SceneError(`texts '${name}' is not a list`);
  }
  for (const entry of texts.readout || []) {
    if (!Array.isArray(entry) || !entry.every((seg) => Array.isArray(seg) && TONES.has(seg[0]) && typeof seg[1] === "string")) {
      throw new SceneError("the readout is not a list of [tone, text] segments");
    }
  }
}

// --- texts ---------------------------------------------------------------------------------------------

/** Text for iteration k from a string or a list of [from_iteration, template] entries (the last that has
 *  started applies); {k} is the iteration, {name} the value of array `name` at the stop and iteration shown. */
export function textAt(entries, k, values) {
  if (typeof entries === "string") entries = [[0, entries]];
  let template = "";
  for (const [kmin, t] of entries || []) if (kmin <= k) template = t;
  return String(template).replace(/\{(\w+)\}/g, (_, key) => {
    if (key === "k") return String(k);
    const v = values ? values(key) : undefined;
    return v === undefined ? `{${key}}` : fmt(v);
  });
}

/** Put readout segments [[tone, text], ...] into `el` as text nodes (never as HTML). */
export function showSegments(el, segments) {
  el.replaceChildren();
  for (const [tone, text] of segments || []) {
    if (tone === "br") { el.append(document.createElement("br")); continue; }
    const node = tone ? document.createElement(tone === "sup" ? "sup" : tone === "strong" ? "strong" : "span") : null;
    if (!node) { el.append(text); continue; }
    if (tone === "warn") node.className = "stepviz-warn";
    node.textContent = text;
    el.append(node);
  }
}

// --- geometry --------------------------------------------------------------------------------------------

const FAR = 1e5;  // px: an infinite value (a loss that overflowed) is drawn at the edge, past the clip
const clampPx = (v) => (Number.isNaN(v) ? NaN : Math.min(Math.max(v, -FAR), FAR));

/** Pixel coordinates of the first `count` points of a path (xy pairs, or y values against their index
 *  times `xstep`), the last one `frac` of the way to the next point (smooth Play). Infinite values land
 *  far outside the axes (drawn to the edge), NaN leaves a gap. */
export function pathPixels(ax, values, pairs, count, frac = 0, xstep = 1, sign = 1) {
  const total = pairs ? values.length / 2 : values.length;
  const n = Math.min(count, total);
  const point = (i) => (pairs ? [values[2 * i], sign * values[2 * i + 1]] : [i * xstep, sign * values[i]]);
  const map = pixelMap(ax);
  const pixel = (x, y) => { const [u, v] = map(x, y); return [clampPx(u), clampPx(v)]; };
  const out = [];
  for (let i = 0; i < n; i++) out.push(pixel(...point(i)));
  if (frac > 0 && n < total && n > 0) {
    const [x0, y0] = point(n - 1);
    const [x1, y1] = point(n);
    if ([x0, y0, x1, y1].every(Number.isFinite)) out.push(pixel(x0 + frac * (x1 - x0), y0 + frac * (y1 - y0)));
  }
  return out;
}

/** The last finite point among the first `count` of a path, clamped into the axes' limits. */
export function lastFinite(ax, values, count) {
  for (let i = Math.min(count, values.length / 2) - 1; i >= 0; i--) {
    const x = values[2 * i], y = values[2 * i + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const clamp = (v, lim) => Math.min(Math.max(v, Math.min(...lim)), Math.max(...lim));
      return [clamp(x, ax.xlim), clamp(y, ax.ylim)];
    }
  }
  return null;
}

// --- drawing ---------------------------------------------------------------------------------------------

/** A point closer than this (picture pixels) to the last one drawn is left out: a long path that crawls (03's
 *  1000 steps along Rosenbrock's valley) would stroke a thousand sub-pixel segments with round joins per frame.
 *  The last point of each run of left-out points is drawn, so every corner stays within half a pixel. */
const MIN_SEGMENT_PX = 0.5;

function strokePolyline(ctx, pts) {
  ctx.beginPath();
  let open = false, lx = 0, ly = 0, held = null;
  for (const [x, y] of pts) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (held) ctx.lineTo(held[0], held[1]);
      held = null; open = false; continue;
    }
    if (open && Math.abs(x - lx) < MIN_SEGMENT_PX && Math.abs(y - ly) < MIN_SEGMENT_PX) { held = [x, y]; continue; }
    if (held && (Math.abs(x - held[0]) >= MIN_SEGMENT_PX || Math.abs(y - held[1]) >= MIN_SEGMENT_PX)) {
      ctx.lineTo(held[0], held[1]);  // a turn inside the left-out run: its last point first
    }
    if (open) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    lx = x; ly = y; held = null; open = true;
  }
  if (held) ctx.lineTo(held[0], held[1]);
  ctx.stroke();
}

/** Add one marker's outline to the current path (markers of one mark share one fill and one stroke). */
function markerPath(ctx, shape, x, y, r) {
  if (shape === "s") {
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
  } else {  // 'o', '.' and anything else: a disc
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

/** Markers of mark `m` at pixel points [[x, y], ...]: one path, one fill, one stroke. */
function drawMarkers(ctx, m, points) {
  ctx.beginPath();
  let any = false;
  for (const [x, y] of points) {
    if (Number.isFinite(x) && Number.isFinite(y)) { markerPath(ctx, m.shape || "o", x, y, (m.size || 6) / 2); any = true; }
  }
  if (!any) return;
  if (m.fill && m.fill !== "none") { ctx.fillStyle = m.fill; ctx.fill(); }
  if (m.edge && m.edge !== "none" && (m.edge_width ?? 1) > 0) {
    ctx.lineWidth = m.edge_width ?? 1; ctx.strokeStyle = m.edge; ctx.setLineDash([]); ctx.stroke();
  }
}

function clipTo(ctx, ax) {
  const [l, t, w, h] = ax.box;
  ctx.beginPath();
  ctx.rect(l, t, w, h);
  ctx.clip();
}

function drawTextBox(ctx, text, x, y, font, align, boxed, color = "#111") {
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
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

const isPairs = (a) => a.shape.length === 3 && a.shape[2] === 2;

/** y values against their index (times xstep) as (x, y) pairs. */
function xyOf(values, xstep) {
  const out = new Float32Array(2 * values.length);
  for (let i = 0; i < values.length; i++) { out[2 * i] = i * xstep; out[2 * i + 1] = values[i]; }
  return out;
}

// The band above an axes (stepviz/live/sizing.py reserves it, render.py draws the same): the status line's baseline
// STATUS_BASELINE_PX above the axes' top, the title's TITLE_BASELINE_PX above the status band (or the axes).
export const STATUS_BASELINE_PX = 5, STATUS_BAND_PX = 17, TITLE_BASELINE_PX = 6, MIN_TEXT_PX = 11, EDGE_PX = 4;
const font = (px) => `${px}px DejaVu Sans, Verdana, Arial, sans-serif`;

/** The size and lines text is written in to fit `width` px: its own `size`, else smaller down to MIN_TEXT_PX,
 *  else wrapped at spaces (never cut). `measure(px)` -> the width of the whole text at px. */
export function fitText(measure, text, size, width) {
  const full = measure(size);
  if (full <= width) return { size, lines: [text] };
  const smaller = Math.max(MIN_TEXT_PX, Math.floor(size * width / full * 10) / 10);
  if (measure(smaller) <= width || !text.includes(" ")) return { size: smaller, lines: [text] };
  const words = text.split(" "), perChar = measure(smaller) / text.length, lines = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && next.length * perChar > width) { lines.push(line); line = word; } else line = next;
  }
  lines.push(line);
  return { size: smaller, lines };
}

/** How many marks at the start of the scene draw the same at every stop: each array they name has one row, and
 *  none is a text or follows the step size. The canvas keeps their pixels while only the stop changes (a drag of
 *  the step size redraws the rest): pinned runs' dashed lines took most of a frame to draw again. */
export function stopFreePrefix(scene, arrays) {
  let n = 0;
  for (const m of scene.marks) {
    if (m.kind === "text" || m.kind === "above" || m.at === "stop" || m.x === "stop") break;
    const names = [m.data, m.to, m.diverged, m.at, m.x, m.y].filter((v) => typeof v === "string" && v in arrays);
    if (!names.every((v) => arrays[v].shape[0] === 1)) break;
    n++;
  }
  return n;
}

/** Draw the marks `range` ([from, to), default all) of a validated scene for stop `s` and (possibly fractional)
 *  iteration `pos`; `frame`: the picture's [width, height] (titles stay inside it). Returns the size in px of the
 *  smallest text drawn. */
export function drawScene(ctx, scene, arrays, s, pos, toggles = {}, frame = null, range = null) {
  const k = Math.floor(pos), frac = pos - k;
  let smallest = Infinity;  // px of the smallest text drawn (returned: the page reports it)
  const statusAbove = new Set(scene.marks.filter((m) => m.kind === "text" && m.at === "status").map((m) => m.axes));
  const stops = arrays.stops ? row(arrays.stops, 0) : null;
  const gone = (m) => {
    if (!m.diverged) return false;
    const d = row(arrays[m.diverged], s)[0];
    return d >= 0 && d <= k;
  };
  const valueAt = (name) => {
    const a = arrays[name];
    if (!a) return undefined;
    const r = row(a, s);
    return r.length === 1 ? r[0] : r[Math.min(k, r.length - 1)];
  };
  const [from, to] = range || [0, scene.marks.length];
  for (const m of scene.marks.slice(from, to)) {
    const ax = scene.axes[m.axes];
    if (m.toggle && !toggles[m.toggle]) continue;
    if (m.when === "alive" && gone(m)) continue;
    if (m.when === "gone" && !gone(m)) continue;
    ctx.save();
    if (m.clip !== false && m.kind !== "text") clipTo(ctx, ax);  // texts are written above the axes, never in them
    ctx.globalAlpha = m.alpha ?? 1;
    ctx.lineJoin = "round";
    ctx.lineCap = "butt";
    if (m.kind === "line") {
      const a = arrays[m.data];
      const pairs = isPairs(a);
      const values = row(a, s);
      const total = pairs ? values.length / 2 : values.length;
      const count = m.upto === "iteration" ? k + 1 : total;
      const pts = pathPixels(ax, values, pairs, count, m.upto === "iteration" ? frac : 0, m.xstep || 1, m.sign || 1);
      ctx.strokeStyle = m.color; ctx.lineWidth = m.width || 1.5; ctx.setLineDash(m.dash || []);
      strokePolyline(ctx, pts);
      if (m.dots) drawMarkers(ctx, { shape: "o", size: m.dots, fill: m.color }, pts.slice(0, count));
    } else if (m.kind === "marker") {
      const a = arrays[m.data];
      const values = isPairs(a) ? row(a, s) : xyOf(row(a, s), m.xstep || 1);
      if (m.at === "iteration") {  // between two iterates while Play runs
        const pts = pathPixels(ax, values, true, k + 1, frac);
        const q = pts[pts.length - 1];
        if (q) drawMarkers(ctx, m, [q]);
      } else {
        const p = m.at === "start" ? [values[0], values[1]] : lastFinite(ax, values, k + 1);
        if (p) drawMarkers(ctx, m, [toPixel(ax, p[0], p[1])]);
      }
    } else if (m.kind === "above") {  // a marker at (k, alpha) wherever alpha exceeds the curve (a limit)
      const values = row(arrays[m.data], s), points = [], map = pixelMap(ax);
      const alpha = stops ? stops[s] : NaN;
      for (let i = 0; i < values.length; i++) {
        if (alpha > values[i]) points.push(map(i * (m.xstep || 1), alpha));
      }
      drawMarkers(ctx, m, points);
    } else if (m.kind === "links") {  // a segment from each iterate to its partner (look-ahead points)
      const p = row(arrays[m.data], s), q = row(arrays[m.to], s);
      ctx.strokeStyle = m.color; ctx.lineWidth = m.width || 1; ctx.setLineDash(m.dash || []);
      const n = Math.min(m.upto === "iteration" ? k : p.length / 2, p.length / 2, q.length / 2);
      const map = pixelMap(ax);
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        const [x0, y0] = map(p[2 * i], p[2 * i + 1]);
        const [x1, y1] = map(q[2 * i], q[2 * i + 1]);
        if ([x0, y0, x1, y1].every(Number.isFinite)) { ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); }
      }
      ctx.stroke();
      if (m.shape) {
        const points = [];
        for (let i = 0; i < n; i++) points.push(map(q[2 * i], q[2 * i + 1]));
        drawMarkers(ctx, m, points);
      }
    } else if (m.kind === "affine") {  // the line y = a x + b of the iterate (a, b) shown, over m.x
      const v = row(arrays[m.data], s), i = Math.min(k, v.length / 2 - 1);
      const [sl, ic] = [v[2 * i], v[2 * i + 1]];
      if (Number.isFinite(sl) && Number.isFinite(ic)) {
        const [x0, x1] = m.x;
        ctx.strokeStyle = m.color; ctx.lineWidth = m.width || 1.5; ctx.setLineDash(m.dash || []);
        strokePolyline(ctx, [toPixel(ax, x0, sl * x0 + ic), toPixel(ax, x1, sl * x1 + ic)].map((p) => p.map(clampPx)));
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
      drawMarkers(ctx, m, [toPixel(ax, x, valueAt(m.y))]);
    } else if (m.kind === "text") {
      const perStop = scene.texts[m.texts];
      const entries = perStop[Math.min(s, perStop.length - 1)];
      if (entries !== undefined) {
        const text = textAt(entries, k, valueAt);
        const [l, t, w] = ax.box;
        const size = m.size || 12;
        const measure = (px) => { ctx.font = font(px); return ctx.measureText(text).width; };
        if (m.at === "title") {  // over the axes' centre, a line above the status; inside the figure, never cut
          const width = frame ? frame[0] - 2 * EDGE_PX : Infinity;
          const fit = fitText(measure, text, size, width);
          smallest = Math.min(smallest, fit.size);
          const lift = TITLE_BASELINE_PX + (statusAbove.has(m.axes) ? STATUS_BAND_PX : 0);
          fit.lines.forEach((line, i) => {
            ctx.font = font(fit.size);
            const half = ctx.measureText(line).width / 2;
            const x = frame ? Math.min(Math.max(l + w / 2, half + EDGE_PX), frame[0] - half - EDGE_PX) : l + w / 2;
            drawTextBox(ctx, line, x, t - lift - (fit.lines.length - 1 - i) * fit.size * 1.2, font(fit.size), "center", false);
          });
        } else if (m.at === "key") {  // right on the status line, in the colour of the marks it names
          ctx.font = font(size);
          smallest = Math.min(smallest, size);
          drawTextBox(ctx, text, l + w, t - STATUS_BASELINE_PX, font(size), "right", false, m.color);
        } else {  // the status line: just above the axes, left-aligned, shrunk to the room a key leaves
          ctx.font = font(size);
          const keys = scene.marks.filter((o) => o.kind === "text" && o.at === "key" && o.axes === m.axes
            && !(o.toggle && !toggles[o.toggle]));
          const room = w - keys.reduce((a, o) => a + ctx.measureText(textAt(scene.texts[o.texts][0], k, valueAt)).width + 12, 0);
          const fit = fitText(measure, text, size, room);
          smallest = Math.min(smallest, fit.size);
          drawTextBox(ctx, fit.lines.join(" "), l, t - STATUS_BASELINE_PX, font(fit.size), "left", false);
        }
      }
    }
    ctx.restore();
  }
  return smallest;
}
