// Pure functions of the explorers' moving layer: matplotlib's data-to-pixel transform (linear and log
// axes), views of the float32 buffer, the per-stop texts. canvas.py prepends this module to canvas.js
// (anywidget loads one ES module per widget); node's test runner imports it alone.

const LOG = (v) => (v > 0 ? Math.log10(v) : NaN);

/** A function mapping a data value to pixels along one axis of `length` px starting at `start`. */
export function axisMap(lim, scale, start, length) {
  const f = scale === "log" ? LOG : (v) => v;
  const a = f(lim[0]);
  const span = f(lim[1]) - a;
  return (v) => start + ((f(v) - a) / span) * length;
}

/** Picture pixels (origin top left, as the canvas) of data point (x, y) on axes `ax`:
 *  {box: [left, top, width, height], xlim, ylim, xscale, yscale}. */
export function toPixel(ax, x, y) {
  const [left, top, width, height] = ax.box;
  const px = axisMap(ax.xlim, ax.xscale, left, width)(x);
  const py = top + height - axisMap(ax.ylim, ax.yscale, 0, height)(y);
  return [px, py];
}

/** The data point at picture pixels (px, py) of axes `ax`: the inverse of toPixel. */
export function fromPixel(ax, px, py) {
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

/** Index of the first axes whose box holds picture pixel (px, py) and that takes clicks, or -1. */
export function clickedAxes(axes, px, py) {
  return axes.findIndex((ax) => ax.click && px >= ax.box[0] && px <= ax.box[0] + ax.box[2]
    && py >= ax.box[1] && py <= ax.box[1] + ax.box[3]);
}

/** Float32Array views of the named arrays in one buffer: layout {name: {offset, shape}} (offset and
 *  size in float32 elements). Compact arrays ({dtype: "i2", offset in int16 elements, base, step}) hold
 *  row-wise int16 codes: value = base[row] + step[row] * code, NAN_CODE for NaN; they are decoded here. */
export const NAN_CODE = -32768;

export function unpack(buffer, layout) {
  let bytes;
  if (buffer instanceof ArrayBuffer) bytes = new Uint8Array(buffer);
  else bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.byteOffset % 4) bytes = bytes.slice();  // Float32Array needs 4-byte alignment
  const out = {};
  const sizeOf = (shape) => shape.reduce((a, b) => a * b, 1);
  for (const [name, { offset, shape, dtype }] of Object.entries(layout)) {
    if (dtype === "i2") continue;
    out[name] = { data: new Float32Array(bytes.buffer, bytes.byteOffset + 4 * offset, sizeOf(shape)), shape };
  }
  for (const [name, spec] of Object.entries(layout)) {
    if (spec.dtype !== "i2") continue;
    const size = sizeOf(spec.shape);
    const codes = new Int16Array(bytes.buffer, bytes.byteOffset + 2 * spec.offset, size);
    const base = out[spec.base].data, step = out[spec.step].data;
    const per = size / spec.shape[0];
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const r = Math.floor(i / per);
      data[i] = codes[i] === NAN_CODE ? NaN : base[r] + step[r] * codes[i];
    }
    out[name] = { data, shape: spec.shape };
  }
  return out;
}

/** Row `s` of an array whose first axis is the stop (an array with one row is the same for all). */
export function row(array, s) {
  const [n, ...rest] = array.shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const i = n === 1 ? 0 : Math.min(Math.max(s, 0), n - 1);
  return array.data.subarray(i * size, (i + 1) * size);
}

export function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(3)));
  return v.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
}

/** Text for iteration k from a list of [kmin, template] entries (the last with kmin <= k applies);
 *  {k} is the iteration, {name} the value of array `name` at [stop, k]. */
export function textAt(entries, k, values) {
  if (typeof entries === "string") entries = [[0, entries]];
  let template = "";
  for (const [kmin, t] of entries) if (kmin <= k) template = t;
  return template.replace(/\{(\w+)\}/g, (_, key) => {
    if (key === "k") return String(k);
    const v = values ? values(key) : undefined;
    return v === undefined ? `{${key}}` : fmt(v);
  });
}

/** Pixel coordinates of the first `count` points of a path (xy pairs, or y values against their
 *  index times `xstep`), the last one `frac` of the way to the next point (smooth Play). */
export function pathPixels(ax, values, pairs, count, frac = 0, xstep = 1, sign = 1) {
  const total = pairs ? values.length / 2 : values.length;
  const n = Math.min(count, total);
  const point = (i) => (pairs ? [values[2 * i], sign * values[2 * i + 1]] : [i * xstep, sign * values[i]]);
  const out = [];
  for (let i = 0; i < n; i++) out.push(toPixel(ax, ...point(i)));
  if (frac > 0 && n < total && n > 0) {
    const [x0, y0] = point(n - 1);
    const [x1, y1] = point(n);
    if ([x0, y0, x1, y1].every(Number.isFinite)) {
      out.push(toPixel(ax, x0 + frac * (x1 - x0), y0 + frac * (y1 - y0)));
    }
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
