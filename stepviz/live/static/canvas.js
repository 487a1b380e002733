// Built by esbuild from stepviz/live/js (npm run build): edit those files, not this one.

// stepviz/live/js/buffers.js
var NAN_CODE = -32768;
var MAX_BYTES = 4e6;
var SceneError = class extends Error {
};
var isWhole = (v) => Number.isInteger(v) && v >= 0;
function bytesOf(buffer) {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (buffer && ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new SceneError("the data is not a binary buffer");
}
function unpack(buffer, layout) {
  let bytes = bytesOf(buffer);
  if (bytes.byteLength > MAX_BYTES) {
    throw new SceneError(`${bytes.byteLength} bytes of data, more than the ${MAX_BYTES} a figure takes`);
  }
  if (bytes.byteOffset % 4) bytes = bytes.slice();
  if (!layout || typeof layout !== "object" || Array.isArray(layout)) throw new SceneError("no array layout");
  const out = {};
  const sizeOf = (name, shape) => {
    if (!Array.isArray(shape) || shape.length < 1 || shape.length > 3 || !shape.every(isWhole) || shape[0] < 1) {
      throw new SceneError(`array '${name}': shape ${JSON.stringify(shape)} is not 1 to 3 whole numbers`);
    }
    return shape.reduce((a, b) => a * b, 1);
  };
  const specs = Object.entries(layout);
  for (const [name, spec] of specs) {
    if (!spec || typeof spec !== "object" || spec.dtype !== void 0 && spec.dtype !== "i2") {
      throw new SceneError(`array '${name}': unknown layout ${JSON.stringify(spec)}`);
    }
    if (spec.dtype === "i2") continue;
    const size = sizeOf(name, spec.shape);
    if (!isWhole(spec.offset) || 4 * (spec.offset + size) > bytes.byteLength) {
      throw new SceneError(`array '${name}': offset ${spec.offset} and size ${size} lie outside the ${bytes.byteLength}-byte buffer`);
    }
    out[name] = { data: new Float32Array(bytes.buffer, bytes.byteOffset + 4 * spec.offset, size), shape: spec.shape };
  }
  for (const [name, spec] of specs) {
    if (spec.dtype !== "i2") continue;
    const size = sizeOf(name, spec.shape);
    if (!isWhole(spec.offset) || 2 * (spec.offset + size) > bytes.byteLength) {
      throw new SceneError(`array '${name}': offset ${spec.offset} and size ${size} lie outside the ${bytes.byteLength}-byte buffer`);
    }
    const rows = spec.shape[0];
    const base = out[spec.base], step = out[spec.step];
    if (!base || !step || base.data.length !== rows || step.data.length !== rows) {
      throw new SceneError(`array '${name}': its base and step arrays are missing or not one value per row`);
    }
    const codes = new Int16Array(bytes.buffer, bytes.byteOffset + 2 * spec.offset, size);
    const per = size / rows;
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const r = Math.floor(i / per);
      data[i] = codes[i] === NAN_CODE ? NaN : base.data[r] + step.data[r] * codes[i];
    }
    out[name] = { data, shape: spec.shape };
  }
  return out;
}
function row(array, s) {
  const [n, ...rest] = array.shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const i = n === 1 ? 0 : Math.min(Math.max(s, 0), n - 1);
  return array.data.subarray(i * size, (i + 1) * size);
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

// stepviz/live/js/format.js
function fmt(v) {
  v = Number(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(3)));
  return v.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
}

// stepviz/live/js/transform.js
var LOG = (v) => v > 0 ? Math.log10(v) : NaN;
function axisMap(lim, scale, start, length) {
  const f = scale === "log" ? LOG : (v) => v;
  const a = f(lim[0]);
  const span = f(lim[1]) - a;
  return (v) => start + (f(v) - a) / span * length;
}
function pixelMap(ax) {
  const [left, top, width, height] = ax.box;
  const mx = axisMap(ax.xlim, ax.xscale, left, width), my = axisMap(ax.ylim, ax.yscale, 0, height);
  return (x, y) => [mx(x), top + height - my(y)];
}
function toPixel(ax, x, y) {
  return pixelMap(ax)(x, y);
}
function fromPixel(ax, px, py) {
  const [left, top, width, height] = ax.box;
  const inv = (lim, scale, u) => {
    if (scale === "log") {
      const a = Math.log10(lim[0]), b = Math.log10(lim[1]);
      return 10 ** (a + u * (b - a));
    }
    return lim[0] + u * (lim[1] - lim[0]);
  };
  return [inv(ax.xlim, ax.xscale, (px - left) / width), inv(ax.ylim, ax.yscale, (top + height - py) / height)];
}
function clickedAxes(axes, px, py) {
  return axes.findIndex((ax) => ax.click === true && px >= ax.box[0] && px <= ax.box[0] + ax.box[2] && py >= ax.box[1] && py <= ax.box[1] + ax.box[3]);
}

// stepviz/live/js/scene.js
var NUMBERS = ["alpha", "width", "dots", "xstep", "sign", "size", "edge_width"];
var ARRAY_FIELDS = {
  line: ["data"],
  marker: ["data"],
  above: ["data"],
  links: ["data", "to"],
  affine: ["data"],
  vline: [],
  hline: [],
  point: ["y"],
  text: []
};
var AT = { marker: ["start", "iteration", "last"], text: ["title", "status", "key"] };
var TONES = /* @__PURE__ */ new Set(["", "strong", "warn", "sup", "br"]);
var finite = (v) => typeof v === "number" && Number.isFinite(v);
function checkAxes(ax, i) {
  const ok = ax && Array.isArray(ax.box) && ax.box.length === 4 && ax.box.every(finite) && ax.box[2] > 0 && ax.box[3] > 0 && ["xlim", "ylim"].every((k) => Array.isArray(ax[k]) && ax[k].length === 2 && ax[k].every(finite) && ax[k][0] !== ax[k][1]) && ["xscale", "yscale"].every((k) => ax[k] === "linear" || ax[k] === "log") && (ax.xscale !== "log" || ax.xlim.every((v) => v > 0)) && (ax.yscale !== "log" || ax.ylim.every((v) => v > 0));
  if (!ok) throw new SceneError(`axes ${i} is not a box with finite limits and a linear or log scale`);
}
function validateScene(scene, arrays) {
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
      if (m[field] !== void 0 && !finite(m[field])) throw new SceneError(`${what}: ${field} is not a finite number`);
    }
    if (m.dash !== void 0 && !(Array.isArray(m.dash) && m.dash.every((d) => finite(d) && d >= 0))) {
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
    if (m.diverged !== void 0 && !(m.diverged in arrays)) throw new SceneError(`${what}: no array '${m.diverged}'`);
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
function textAt(entries, k, values) {
  if (typeof entries === "string") entries = [[0, entries]];
  let template = "";
  for (const [kmin, t] of entries || []) if (kmin <= k) template = t;
  return String(template).replace(/\{(\w+)\}/g, (_, key) => {
    if (key === "k") return String(k);
    const v = values ? values(key) : void 0;
    return v === void 0 ? `{${key}}` : fmt(v);
  });
}
function showSegments(el, segments) {
  el.replaceChildren();
  for (const [tone, text] of segments || []) {
    if (tone === "br") {
      el.append(document.createElement("br"));
      continue;
    }
    const node = tone ? document.createElement(tone === "sup" ? "sup" : tone === "strong" ? "strong" : "span") : null;
    if (!node) {
      el.append(text);
      continue;
    }
    if (tone === "warn") node.className = "stepviz-warn";
    node.textContent = text;
    el.append(node);
  }
}
var FAR = 1e5;
var clampPx = (v) => Number.isNaN(v) ? NaN : Math.min(Math.max(v, -FAR), FAR);
function pathPixels(ax, values, pairs, count, frac = 0, xstep = 1, sign = 1) {
  const total = pairs ? values.length / 2 : values.length;
  const n = Math.min(count, total);
  const point = (i) => pairs ? [values[2 * i], sign * values[2 * i + 1]] : [i * xstep, sign * values[i]];
  const map = pixelMap(ax);
  const pixel = (x, y) => {
    const [u, v] = map(x, y);
    return [clampPx(u), clampPx(v)];
  };
  const out = [];
  for (let i = 0; i < n; i++) out.push(pixel(...point(i)));
  if (frac > 0 && n < total && n > 0) {
    const [x0, y0] = point(n - 1);
    const [x1, y1] = point(n);
    if ([x0, y0, x1, y1].every(Number.isFinite)) out.push(pixel(x0 + frac * (x1 - x0), y0 + frac * (y1 - y0)));
  }
  return out;
}
function lastFinite(ax, values, count) {
  for (let i = Math.min(count, values.length / 2) - 1; i >= 0; i--) {
    const x = values[2 * i], y = values[2 * i + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const clamp = (v, lim) => Math.min(Math.max(v, Math.min(...lim)), Math.max(...lim));
      return [clamp(x, ax.xlim), clamp(y, ax.ylim)];
    }
  }
  return null;
}
var MIN_SEGMENT_PX = 0.5;
function strokePolyline(ctx, pts) {
  ctx.beginPath();
  let open = false, lx = 0, ly = 0, held = null;
  for (const [x, y] of pts) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (held) ctx.lineTo(held[0], held[1]);
      held = null;
      open = false;
      continue;
    }
    if (open && Math.abs(x - lx) < MIN_SEGMENT_PX && Math.abs(y - ly) < MIN_SEGMENT_PX) {
      held = [x, y];
      continue;
    }
    if (held && (Math.abs(x - held[0]) >= MIN_SEGMENT_PX || Math.abs(y - held[1]) >= MIN_SEGMENT_PX)) {
      ctx.lineTo(held[0], held[1]);
    }
    if (open) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    lx = x;
    ly = y;
    held = null;
    open = true;
  }
  if (held) ctx.lineTo(held[0], held[1]);
  ctx.stroke();
}
function markerPath(ctx, shape, x, y, r) {
  if (shape === "s") {
    ctx.rect(x - r, y - r, 2 * r, 2 * r);
  } else if (shape === "D") {
    ctx.moveTo(x, y - r);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r);
    ctx.lineTo(x - r, y);
    ctx.closePath();
  } else if (shape === "v" || shape === "^") {
    const d = shape === "v" ? 1 : -1;
    ctx.moveTo(x - r, y - d * r * 0.6);
    ctx.lineTo(x + r, y - d * r * 0.6);
    ctx.lineTo(x, y + d * r);
    ctx.closePath();
  } else if (shape === "X") {
    const a = r, b = r / 3;
    const p = [
      [b, 0],
      [a, a - b],
      [a - b, a],
      [0, b],
      [b - a, a],
      [-a, a - b],
      [-b, 0],
      [-a, b - a],
      [b - a, -a],
      [0, -b],
      [a - b, -a],
      [a, b - a]
    ];
    p.forEach(([u, v], i) => i ? ctx.lineTo(x + u, y + v) : ctx.moveTo(x + u, y + v));
    ctx.closePath();
  } else if (shape === "*") {
    for (let i = 0; i < 10; i++) {
      const rad = i % 2 ? r * 0.45 : r, t = -Math.PI / 2 + i * Math.PI / 5;
      const u = x + rad * Math.cos(t), v = y + rad * Math.sin(t);
      if (i) ctx.lineTo(u, v);
      else ctx.moveTo(u, v);
    }
    ctx.closePath();
  } else {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}
function drawMarkers(ctx, m, points) {
  ctx.beginPath();
  let any = false;
  for (const [x, y] of points) {
    if (Number.isFinite(x) && Number.isFinite(y)) {
      markerPath(ctx, m.shape || "o", x, y, (m.size || 6) / 2);
      any = true;
    }
  }
  if (!any) return;
  if (m.fill && m.fill !== "none") {
    ctx.fillStyle = m.fill;
    ctx.fill();
  }
  if (m.edge && m.edge !== "none" && (m.edge_width ?? 1) > 0) {
    ctx.lineWidth = m.edge_width ?? 1;
    ctx.strokeStyle = m.edge;
    ctx.setLineDash([]);
    ctx.stroke();
  }
}
function clipTo(ctx, ax) {
  const [l, t, w, h] = ax.box;
  ctx.beginPath();
  ctx.rect(l, t, w, h);
  ctx.clip();
}
function drawTextBox(ctx, text, x, y, font2, align, boxed, color = "#111") {
  ctx.font = font2;
  ctx.textAlign = align;
  ctx.textBaseline = "alphabetic";
  if (boxed) {
    const w = ctx.measureText(text).width, h = parseFloat(font2) || 12;
    const x0 = align === "center" ? x - w / 2 : align === "right" ? x - w : x;
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.strokeStyle = "rgba(0,0,0,0.35)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(x0 - 4, y - h, w + 8, h + 5, 4);
    else ctx.rect(x0 - 4, y - h, w + 8, h + 5);
    ctx.fill();
    ctx.stroke();
  }
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}
var isPairs = (a) => a.shape.length === 3 && a.shape[2] === 2;
function xyOf(values, xstep) {
  const out = new Float32Array(2 * values.length);
  for (let i = 0; i < values.length; i++) {
    out[2 * i] = i * xstep;
    out[2 * i + 1] = values[i];
  }
  return out;
}
var STATUS_BASELINE_PX = 5;
var STATUS_BAND_PX = 17;
var TITLE_BASELINE_PX = 6;
var MIN_TEXT_PX = 11;
var EDGE_PX = 4;
var font = (px) => `${px}px DejaVu Sans, Verdana, Arial, sans-serif`;
function fitText(measure, text, size, width) {
  const full = measure(size);
  if (full <= width) return { size, lines: [text] };
  const smaller = Math.max(MIN_TEXT_PX, Math.floor(size * width / full * 10) / 10);
  if (measure(smaller) <= width || !text.includes(" ")) return { size: smaller, lines: [text] };
  const words = text.split(" "), perChar = measure(smaller) / text.length, lines = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && next.length * perChar > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return { size: smaller, lines };
}
function stopFreePrefix(scene, arrays) {
  let n = 0;
  for (const m of scene.marks) {
    if (m.kind === "text" || m.kind === "above" || m.at === "stop" || m.x === "stop") break;
    const names = [m.data, m.to, m.diverged, m.at, m.x, m.y].filter((v) => typeof v === "string" && v in arrays);
    if (!names.every((v) => arrays[v].shape[0] === 1)) break;
    n++;
  }
  return n;
}
function drawScene(ctx, scene, arrays, s, pos, toggles = {}, frame = null, range = null) {
  const k = Math.floor(pos), frac = pos - k;
  let smallest = Infinity;
  const statusAbove = new Set(scene.marks.filter((m) => m.kind === "text" && m.at === "status").map((m) => m.axes));
  const stops = arrays.stops ? row(arrays.stops, 0) : null;
  const gone = (m) => {
    if (!m.diverged) return false;
    const d = row(arrays[m.diverged], s)[0];
    return d >= 0 && d <= k;
  };
  const valueAt = (name) => {
    const a = arrays[name];
    if (!a) return void 0;
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
    if (m.clip !== false && m.kind !== "text") clipTo(ctx, ax);
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
      ctx.strokeStyle = m.color;
      ctx.lineWidth = m.width || 1.5;
      ctx.setLineDash(m.dash || []);
      strokePolyline(ctx, pts);
      if (m.dots) drawMarkers(ctx, { shape: "o", size: m.dots, fill: m.color }, pts.slice(0, count));
    } else if (m.kind === "marker") {
      const a = arrays[m.data];
      const values = isPairs(a) ? row(a, s) : xyOf(row(a, s), m.xstep || 1);
      if (m.at === "iteration") {
        const pts = pathPixels(ax, values, true, k + 1, frac);
        const q = pts[pts.length - 1];
        if (q) drawMarkers(ctx, m, [q]);
      } else {
        const p = m.at === "start" ? [values[0], values[1]] : lastFinite(ax, values, k + 1);
        if (p) drawMarkers(ctx, m, [toPixel(ax, p[0], p[1])]);
      }
    } else if (m.kind === "above") {
      const values = row(arrays[m.data], s), points = [], map = pixelMap(ax);
      const alpha = stops ? stops[s] : NaN;
      for (let i = 0; i < values.length; i++) {
        if (alpha > values[i]) points.push(map(i * (m.xstep || 1), alpha));
      }
      drawMarkers(ctx, m, points);
    } else if (m.kind === "links") {
      const p = row(arrays[m.data], s), q = row(arrays[m.to], s);
      ctx.strokeStyle = m.color;
      ctx.lineWidth = m.width || 1;
      ctx.setLineDash(m.dash || []);
      const n = Math.min(m.upto === "iteration" ? k : p.length / 2, p.length / 2, q.length / 2);
      const map = pixelMap(ax);
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        const [x0, y0] = map(p[2 * i], p[2 * i + 1]);
        const [x1, y1] = map(q[2 * i], q[2 * i + 1]);
        if ([x0, y0, x1, y1].every(Number.isFinite)) {
          ctx.moveTo(x0, y0);
          ctx.lineTo(x1, y1);
        }
      }
      ctx.stroke();
      if (m.shape) {
        const points = [];
        for (let i = 0; i < n; i++) points.push(map(q[2 * i], q[2 * i + 1]));
        drawMarkers(ctx, m, points);
      }
    } else if (m.kind === "affine") {
      const v = row(arrays[m.data], s), i = Math.min(k, v.length / 2 - 1);
      const [sl, ic] = [v[2 * i], v[2 * i + 1]];
      if (Number.isFinite(sl) && Number.isFinite(ic)) {
        const [x0, x1] = m.x;
        ctx.strokeStyle = m.color;
        ctx.lineWidth = m.width || 1.5;
        ctx.setLineDash(m.dash || []);
        strokePolyline(ctx, [toPixel(ax, x0, sl * x0 + ic), toPixel(ax, x1, sl * x1 + ic)].map((p) => p.map(clampPx)));
      }
    } else if (m.kind === "vline" || m.kind === "hline") {
      const v = m.at === "iteration" ? pos : m.at === "stop" ? stops ? stops[s] : NaN : valueAt(m.at);
      if (Number.isFinite(v)) {
        const [l, t, w, h] = ax.box;
        ctx.strokeStyle = m.color;
        ctx.lineWidth = m.width || 1;
        ctx.setLineDash(m.dash || []);
        ctx.beginPath();
        if (m.kind === "vline") {
          const [x] = toPixel(ax, v, ax.ylim[0]);
          ctx.moveTo(x, t);
          ctx.lineTo(x, t + h);
        } else {
          const [, y] = toPixel(ax, ax.xlim[0], v);
          ctx.moveTo(l, y);
          ctx.lineTo(l + w, y);
        }
        ctx.stroke();
      }
    } else if (m.kind === "point") {
      const x = m.x === "stop" ? stops ? stops[s] : NaN : m.x === "iteration" ? pos : valueAt(m.x);
      drawMarkers(ctx, m, [toPixel(ax, x, valueAt(m.y))]);
    } else if (m.kind === "text") {
      const perStop = scene.texts[m.texts];
      const entries = perStop[Math.min(s, perStop.length - 1)];
      if (entries !== void 0) {
        const text = textAt(entries, k, valueAt);
        const [l, t, w] = ax.box;
        const size = m.size || 12;
        const measure = (px) => {
          ctx.font = font(px);
          return ctx.measureText(text).width;
        };
        if (m.at === "title") {
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
        } else if (m.at === "key") {
          ctx.font = font(size);
          smallest = Math.min(smallest, size);
          drawTextBox(ctx, text, l + w, t - STATUS_BASELINE_PX, font(size), "right", false, m.color);
        } else {
          ctx.font = font(size);
          const keys = scene.marks.filter((o) => o.kind === "text" && o.at === "key" && o.axes === m.axes && !(o.toggle && !toggles[o.toggle]));
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

// stepviz/live/js/canvas.js
var KERNEL_ANSWER_MS = 2500;
var RESIZE_MS = 150;
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
  const under = document.createElement("canvas");
  let underKey = null;
  const controls = {}, toggles = {};
  const size = () => model.get("size") || [640, 360];
  let shownScale = 1, ratio = 1;
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
      if (c.width !== cw || c.height !== ch) {
        c.width = cw;
        c.height = ch;
        changed = true;
      }
      c.style.width = `${w * shownScale}px`;
      c.style.height = `${h * shownScale}px`;
    }
    ratio = shownScale * dpr;
    return changed;
  }
  layout();
  function showProblem() {
    const stale = Boolean(sceneProblem) || model.get("stale");
    const text = [model.get("error"), sceneProblem].filter(Boolean).join("; ");
    problem.hidden = !text;
    const words = text ? `${text}${stale ? ". The figure shows the last result that worked." : ""}` : "";
    problem.replaceChildren(...text ? [icon("warning"), words] : []);
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
    if (scene.only !== null && scene.only !== stop) {
      sayDrawn();
      return;
    }
    const pos = position === null ? iteration : position;
    let from = 0;
    if (scene.under > 0) {
      const key2 = [scene.version, pos, JSON.stringify(toggles), moving.width, moving.height, ratio].join(":");
      if (key2 !== underKey) {
        if (under.width !== moving.width || under.height !== moving.height) {
          under.width = moving.width;
          under.height = moving.height;
        }
        const u = under.getContext("2d");
        u.setTransform(1, 0, 0, 1, 0, 0);
        u.clearRect(0, 0, under.width, under.height);
        u.setTransform(ratio, 0, 0, ratio, 0, 0);
        drawScene(u, scene, arrays, stop, pos, toggles, size(), [0, scene.under]);
        underKey = key2;
      }
      ctx.drawImage(under, 0, 0);
      from = scene.under;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const drawn = drawScene(ctx, scene, arrays, stop, pos, toggles, size(), [from, scene.marks.length]);
    stage.dataset.smallestText = (Math.min(model.get("smallest_text") || Infinity, drawn) * shownScale).toFixed(2);
    const texts = scene.texts || {};
    const pick = (name) => {
      const t = texts[name];
      return t && t.length ? t[Math.min(stop, t.length - 1)] : null;
    };
    sayDrawn();
    const key = `${stop}:${scene.version}`;
    if (shownText !== key) {
      shownText = key;
      showSegments(readout, pick("readout") || []);
      const alt = pick("alt") || model.get("alt") || "";
      if (stage.getAttribute("aria-label") !== alt) stage.setAttribute("aria-label", alt);
    }
  }
  function sayDrawn() {
    if (scene.version !== drawnVersion && live !== false) {
      drawnVersion = scene.version;
      model.send({ event: "drawn", version: scene.version });
    }
  }
  const redraw = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(paintMoving);
    }
  };
  let readoutHeight = 0;
  function reserveReadout(texts) {
    let longest = null, most = -1;
    for (const segments of texts.readout || []) {
      const n = segments.reduce((a, [, t]) => a + t.length, 0);
      if (n > most) {
        most = n;
        longest = segments;
      }
    }
    if (!longest) return;
    showSegments(readout, longest);
    readoutHeight = Math.max(readoutHeight, readout.offsetHeight);
    if (readoutHeight) readout.style.minHeight = `${readoutHeight}px`;
    shownText = "";
  }
  function loadScene() {
    const only = model.get("only");
    const next = {
      axes: model.get("axes"),
      marks: model.get("marks"),
      texts: model.get("texts") || {},
      version: model.get("version"),
      only: Number.isInteger(only) && only >= 0 ? only : null
    };
    try {
      const a = unpack(model.get("data"), model.get("shapes"));
      validateScene(next, a);
      next.under = stopFreePrefix(next, a);
      scene = next;
      arrays = a;
      sceneProblem = "";
      if (next.only === null) reserveReadout(next.texts);
    } catch (e) {
      if (!(e instanceof SceneError)) throw e;
      sceneProblem = `this figure's data cannot be drawn (${e.message})`;
    }
    showProblem();
    redraw();
  }
  async function loadPicture() {
    const png = model.get("picture");
    if (!png || !png.byteLength) {
      bitmap = null;
      paintPicture();
      return;
    }
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
  model.on("change:size", () => {
    layout();
    paintPicture();
    redraw();
  });
  model.on("change:smallest_text", redraw);
  let reported = "", resizeTimer = null;
  function reportWidth() {
    resizeTimer = null;
    const width = root.clientWidth, ratio2 = window.devicePixelRatio || 1;
    const key = `${width}:${ratio2}`;
    if (!width || key === reported) return;
    reported = key;
    model.send({ event: "resize", width, ratio: ratio2 });
  }
  let readoutWidth = 0;
  const observer = new ResizeObserver(() => {
    if (layout()) {
      paintPicture();
      redraw();
    }
    if (resizeTimer) clearTimeout(resizeTimer);
    resizeTimer = setTimeout(reportWidth, RESIZE_MS);
    if (scene && readout.clientWidth && readout.clientWidth !== readoutWidth) {
      readoutWidth = readout.clientWidth;
      reserveReadout(scene.texts);
      redraw();
    }
  });
  observer.observe(el);
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
  const refs = model.get("controls") || {};
  const kernelModels = Promise.all((refs.kernel || []).map((ref) => host.getModel(ref).catch(() => null)));
  const disabledByUs = /* @__PURE__ */ new Map();
  async function setLive(value) {
    if (live === value) return;
    live = value;
    note.hidden = live;
    note.textContent = live ? "" : model.get("kernel_note");
    for (const m of await kernelModels) {
      if (!m) continue;
      if (!live && !disabledByUs.has(m)) {
        disabledByUs.set(m, [m.get("disabled"), m.get("tooltip")]);
        m.set("disabled", true);
        m.set("tooltip", "needs a running kernel");
      }
      if (live && disabledByUs.has(m)) {
        const [d, t] = disabledByUs.get(m);
        disabledByUs.delete(m);
        m.set("disabled", d);
        m.set("tooltip", t);
      }
    }
  }
  model.on("msg:custom", (msg) => {
    if (msg && msg.event === "alive") setLive(true);
  });
  const noAnswer = setTimeout(() => {
    if (live !== true) setLive(false);
  }, KERNEL_ANSWER_MS);
  model.send({ event: "hello" });
  async function connect() {
    if (refs.lr) {
      controls.lr = await host.getModel(refs.lr);
      stop = controls.lr.get("index");
      controls.lr.on("change:index", () => {
        stop = controls.lr.get("index");
        redraw();
      });
    }
    if (refs.iteration) {
      controls.iteration = await host.getModel(refs.iteration);
      iteration = controls.iteration.get("value");
      controls.iteration.on("change:value", () => {
        iteration = controls.iteration.get("value");
        redraw();
      });
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
    for (const [name, ref] of Object.entries(refs.toggles || {})) {
      const m = await host.getModel(ref);
      toggles[name] = m.get("value");
      m.on("change:value", () => {
        toggles[name] = m.get("value");
        redraw();
      });
    }
    redraw();
  }
  loadScene();
  loadPicture();
  connect();
  return () => {
    clearTimeout(noAnswer);
    clearTimeout(resizeTimer);
    observer.disconnect();
    if (bitmap && bitmap.close) bitmap.close();
  };
}
var canvas_default = { render };
export {
  canvas_default as default
};
