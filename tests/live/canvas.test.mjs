// node --test: the pure functions of stepviz/live/canvas_math.js and controls.js, against values worked out
// by hand. (test_canvas_js.py runs this file, and compares the transform with matplotlib's transData.)
import assert from "node:assert/strict";
import { test } from "node:test";

const dir = process.env.STEPVIZ_JS_DIR;  // copies of the modules as .mjs (see test_canvas_js.py)
const { axisMap, toPixel, fromPixel, clickedAxes, unpack, row, textAt, pathPixels, lastFinite, fmt } =
  await import(`${dir}/canvas_math.mjs`);
const { keyMove, fmt: readout } = await import(`${dir}/controls.mjs`);

const close = (a, b, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test("linear axis: the limits land on the box's edges, the middle in the middle", () => {
  const f = axisMap([-2, 2], "linear", 100, 400);
  close(f(-2), 100);
  close(f(2), 500);
  close(f(0), 300);
  close(f(1), 400);
});

test("log axis: decades are evenly spaced; non-positive values have no pixel", () => {
  const f = axisMap([1e-4, 1], "log", 0, 400);
  close(f(1e-4), 0);
  close(f(1e-2), 200);
  close(f(1), 400);
  close(f(Math.sqrt(10) * 1e-4), 50);
  assert.ok(Number.isNaN(f(0)));
  assert.ok(Number.isNaN(f(-1)));
});

test("toPixel: y grows downwards from the box's top; inverted limits flip the axis", () => {
  const ax = { box: [50, 20, 200, 100], xlim: [0, 10], ylim: [0, 1], xscale: "linear", yscale: "linear" };
  assert.deepEqual(toPixel(ax, 0, 0), [50, 120]);
  assert.deepEqual(toPixel(ax, 10, 1), [250, 20]);
  const flipped = { ...ax, xlim: [10, 0] };
  assert.deepEqual(toPixel(flipped, 10, 0), [50, 120]);
  const logy = { ...ax, ylim: [1e-6, 1], yscale: "log" };
  close(toPixel(logy, 0, 1e-3)[1], 70);
});

test("fromPixel inverts toPixel on linear and log axes; clicks land on axes that take them", () => {
  const ax = { box: [50, 20, 200, 100], xlim: [1e-4, 2], ylim: [3, -1], xscale: "log", yscale: "linear", click: true };
  for (const [x, y] of [[1e-3, 0], [0.5, 2.5], [1e-4, 3]]) {
    const [u, v] = fromPixel(ax, ...toPixel(ax, x, y));
    close(u, x, 1e-12 + 1e-9 * x);
    close(v, y, 1e-9);
  }
  const other = { ...ax, box: [300, 20, 100, 100], click: false };
  assert.equal(clickedAxes([other, ax], 60, 30), 1);
  assert.equal(clickedAxes([other, ax], 350, 30), -1);
  assert.equal(clickedAxes([other, ax], 10, 10), -1);
});

test("unpack: named float32 views of one buffer, as a DataView or an ArrayBuffer", () => {
  const values = new Float32Array([1, 2, 3, 4, 5, 6, 7]);
  const layout = { a: { offset: 0, shape: [2, 2] }, b: { offset: 4, shape: [1, 3] } };
  for (const buffer of [values.buffer, new DataView(values.buffer)]) {
    const out = unpack(buffer, layout);
    assert.deepEqual([...out.a.data], [1, 2, 3, 4]);
    assert.deepEqual([...row(out.a, 1)], [3, 4]);
    assert.deepEqual([...row(out.b, 5)], [5, 6, 7]);  // one row: the same for every stop
  }
  const odd = new Uint8Array(values.byteLength + 1);
  odd.set(new Uint8Array(values.buffer), 1);
  const view = new DataView(odd.buffer, 1, values.byteLength);  // not 4-byte aligned: copied
  assert.deepEqual([...unpack(view, layout).b.data], [5, 6, 7]);
});

test("textAt: the last entry that has started; {k} and array placeholders", () => {
  const entries = [[0, "iteration {k}"], [7, "iteration {k} · diverged at step 7"]];
  assert.equal(textAt(entries, 3), "iteration 3");
  assert.equal(textAt(entries, 7), "iteration 7 · diverged at step 7");
  assert.equal(textAt("θ = {theta}", 2, (name) => (name === "theta" ? 0.123456 : undefined)), "θ = 0.123");
  assert.equal(fmt(1.5e-7), "1.5e-7");
  assert.equal(fmt(2), "2");
});

test("pathPixels: the first count points, the last one part of the way to the next", () => {
  const ax = { box: [0, 0, 100, 100], xlim: [0, 10], ylim: [0, 10], xscale: "linear", yscale: "linear" };
  const xy = [0, 0, 10, 0, 10, 10];
  assert.deepEqual(pathPixels(ax, xy, true, 2), [[0, 100], [100, 100]]);
  const partial = pathPixels(ax, xy, true, 2, 0.25);
  assert.deepEqual(partial[2], [100, 75]);
  const ys = [1, 2, 3];
  assert.deepEqual(pathPixels(ax, ys, false, 3, 0, 5), [[0, 90], [50, 80], [100, 70]]);
});

test("lastFinite: the last finite point so far, pulled into the axes' limits", () => {
  const ax = { box: [0, 0, 1, 1], xlim: [-2, 2], ylim: [-2, 2], xscale: "linear", yscale: "linear" };
  assert.deepEqual(lastFinite(ax, [0, 0, 5, -1, NaN, NaN], 3), [2, -1]);
  assert.equal(lastFinite(ax, [NaN, NaN], 1), null);
});

test("keyMove: arrows cross 121 stops in 20 presses, Page keys faster, Shift one stop", () => {
  assert.equal(keyMove("ArrowRight", false, 121), 6);
  assert.equal(Math.ceil(120 / keyMove("ArrowRight", false, 121)), 20);
  assert.equal(keyMove("ArrowLeft", true, 121), -1);
  assert.ok(keyMove("PageUp", false, 121) > keyMove("ArrowUp", false, 121));
  assert.equal(keyMove("End", false, 121), 120);
  assert.equal(keyMove("Tab", false, 121), null);
  assert.equal(keyMove("Escape", false, 121), null);
  assert.equal(keyMove("ArrowRight", false, 11), 1);  // never less than one stop
});

test("the step-size readout: three significant digits, short", () => {
  assert.deepEqual([0.05, 1.2, 0.000119, 0.1234, 2, 1e-4, 10, 100, 0.0203].map(readout),
    ["0.05", "1.2", "1.19e-4", "0.123", "2", "1e-4", "10", "100", "0.0203"]);
});
