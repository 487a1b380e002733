// The one number formatter of the explorers' texts: three significant digits, plain from 0.001 to 9999,
// an exponent outside (1.5e-7, 1.23e4), no trailing zeros. stepviz/live/scene.py's fmt is its Python twin;
// tests/live/test_canvas_js.py runs both on the same inputs (ties and edges included) and compares.

/** @param {number} v */
export function fmt(v) {
  v = Number(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(3)));
  return v.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
}
