// node --test: the pure functions of the explorers' browser modules (stepviz/live/js), against values worked
// out by hand. (test_canvas_js.py runs this file, and compares the transform with matplotlib's transData.)
import assert from "node:assert/strict";
import { test } from "node:test";

const dir = process.env.STEPVIZ_JS_DIR;  // stepviz/live/js
const { axisMap, toPixel, fromPixel, clickedAxes } = await import(`${dir}/transform.js`);
const { unpack, row, SceneError, MAX_BYTES } = await import(`${dir}/buffers.js`);
const { textAt, pathPixels, lastFinite, validateScene, stopFreePrefix } = await import(`${dir}/scene.js`);
const { nextIndex, snapIndex } = await import(`${dir}/keys.js`);
const { fmt } = await import(`${dir}/format.js`);

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

test("fromPixel inverts toPixel; clicks land only on axes marked click: true", () => {
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
  assert.equal(clickedAxes([{ ...ax, click: undefined }], 60, 30), -1);  // no click flag: no click
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

test("unpack refuses a layout that does not fit the buffer, with a message naming the array", () => {
  const buffer = new Float32Array([1, 2, 3, 4]).buffer;
  const bad = [
    [{ a: { offset: 2, shape: [1, 3] } }, /'a'.*outside/],            // runs past the end
    [{ a: { offset: -1, shape: [1, 1] } }, /'a'.*outside/],           // negative offset
    [{ a: { offset: 0.5, shape: [1, 1] } }, /'a'.*outside/],          // not whole
    [{ a: { offset: 0, shape: [1, -2] } }, /'a'.*shape/],             // a negative length
    [{ a: { offset: 0, shape: "4" } }, /'a'.*shape/],
    [{ a: { offset: 0, shape: [1, 1], dtype: "f8" } }, /'a'.*unknown layout/],
    [{ c: { dtype: "i2", offset: 0, shape: [2, 2], base: "nope", step: "nope" } }, /'c'.*base and step/],
  ];
  for (const [layout, words] of bad) assert.throws(() => unpack(buffer, layout), (e) => e instanceof SceneError && words.test(e.message));
  assert.throws(() => unpack(new ArrayBuffer(MAX_BYTES + 4), {}), /more than/);
  assert.throws(() => unpack("text", {}), /not a binary buffer/);
});

test("validateScene: unknown kinds, axes out of range, missing arrays and texts are refused", () => {
  const axes = [{ box: [0, 0, 100, 100], xlim: [0, 1], ylim: [0, 1], xscale: "linear", yscale: "linear" }];
  const arrays = { path: { data: new Float32Array(4), shape: [1, 2, 2] } };
  const ok = { axes, marks: [{ kind: "line", axes: 0, data: "path", color: "red" }], texts: {} };
  validateScene(ok, arrays);
  const bad = [
    [{ ...ok, marks: [{ kind: "line", axes: 99, data: "path" }] }, /axes 99/],
    [{ ...ok, marks: [{ kind: "blob", axes: 0 }] }, /unknown kind/],
    [{ ...ok, marks: [{ kind: "line", axes: 0, data: "nope" }] }, /no array 'nope'/],
    [{ ...ok, marks: [{ kind: "line", axes: 0, data: "path", width: "wide" }] }, /width/],
    [{ ...ok, marks: [{ kind: "text", axes: 0, texts: "title", at: "title" }] }, /no texts/],
    [{ ...ok, marks: [{ kind: "marker", axes: 0, data: "path", at: "middle" }] }, /at 'middle'/],
    [{ ...ok, axes: [{ ...axes[0], box: [0, 0, NaN, 1] }] }, /axes 0/],
    [{ ...ok, axes: [{ ...axes[0], yscale: "log", ylim: [0, 1] }] }, /axes 0/],
    [{ ...ok, texts: { readout: [[["<img onerror=alert(1)>", "x"]]] } }, /readout/],
  ];
  for (const [scene, words] of bad) assert.throws(() => validateScene(scene, arrays), (e) => e instanceof SceneError && words.test(e.message));
});

test("textAt: the last entry that has started; {k} and array placeholders written by fmt", () => {
  const entries = [[0, "iteration {k}"], [7, "iteration {k} · diverged at step 7"]];
  assert.equal(textAt(entries, 3), "iteration 3");
  assert.equal(textAt(entries, 7), "iteration 7 · diverged at step 7");
  assert.equal(textAt("θ = {theta}", 2, (name) => (name === "theta" ? 0.123456 : undefined)), "θ = 0.123");
  assert.equal(fmt(1.5e-7), "1.5e-7");
  assert.equal(fmt(2), "2");
});

test("pathPixels: the first count points, the last one part of the way; inf at the edge, NaN a gap", () => {
  const ax = { box: [0, 0, 100, 100], xlim: [0, 10], ylim: [0, 10], xscale: "linear", yscale: "linear" };
  const xy = [0, 0, 10, 0, 10, 10];
  assert.deepEqual(pathPixels(ax, xy, true, 2), [[0, 100], [100, 100]]);
  assert.deepEqual(pathPixels(ax, xy, true, 2, 0.25)[2], [100, 75]);
  assert.deepEqual(pathPixels(ax, [1, 2, 3], false, 3, 0, 5), [[0, 90], [50, 80], [100, 70]]);
  const [, top, gap] = pathPixels(ax, [1, Infinity, NaN], false, 3);
  assert.ok(Number.isFinite(top[1]) && top[1] < -1000);  // drawn past the top edge (clipped there), not dropped
  assert.ok(Number.isNaN(gap[1]));
  const logy = { ...ax, ylim: [1e-6, 1], yscale: "log" };
  assert.ok(pathPixels(logy, [Infinity], false, 1)[0][1] < -1000);
});

test("lastFinite: the last finite point so far, pulled into the axes' limits", () => {
  const ax = { box: [0, 0, 1, 1], xlim: [-2, 2], ylim: [-2, 2], xscale: "linear", yscale: "linear" };
  assert.deepEqual(lastFinite(ax, [0, 0, 5, -1, NaN, NaN], 3), [2, -1]);
  assert.equal(lastFinite(ax, [NaN, NaN], 1), null);
});

test("nextIndex: arrows cross 121 stops in 20 presses, stop at marked stops, Shift one stop", () => {
  assert.equal(nextIndex("ArrowRight", false, 0, 121), 6);
  assert.equal(Math.ceil(120 / nextIndex("ArrowRight", false, 0, 121)), 20);
  assert.equal(nextIndex("ArrowLeft", true, 50, 121), 49);
  assert.ok(nextIndex("PageUp", false, 0, 121) > nextIndex("ArrowUp", false, 0, 121));
  assert.equal(nextIndex("End", false, 3, 121), 120);
  assert.equal(nextIndex("Home", false, 3, 121), 0);
  assert.equal(nextIndex("Tab", false, 3, 121), null);
  assert.equal(nextIndex("Escape", false, 3, 121), null);
  assert.equal(nextIndex("ArrowRight", false, 0, 11), 1);  // never less than one stop
  assert.equal(nextIndex("ArrowRight", false, 10, 121, 20, [13, 14]), 13);  // the first mark on the way
  assert.equal(nextIndex("ArrowRight", false, 13, 121, 20, [13, 14]), 14);
  assert.equal(nextIndex("ArrowLeft", false, 20, 121, 20, [13, 14]), 14);
  assert.equal(nextIndex("ArrowRight", true, 12, 121, 20, [13]), 13);      // Shift: one stop, marks or not
  assert.equal(nextIndex("ArrowRight", false, 118, 121), 120);             // clamped at the end
});

test("snapIndex: a drag within two stops of a mark lands on it", () => {
  assert.equal(snapIndex(11, [13]), 13);
  assert.equal(snapIndex(10, [13]), 10);
  assert.equal(snapIndex(15, [13, 16]), 16);
  assert.equal(snapIndex(7, []), 7);
});

test("stopFreePrefix: the leading marks whose arrays have one row, no text and nothing that follows the stop", () => {
  const one = { data: new Float32Array(4), shape: [1, 2, 2] }, many = { data: new Float32Array(12), shape: [3, 2, 2] };
  const arrays = { pin: one, pinLoss: { data: new Float32Array(2), shape: [1, 2] }, run: many,
    d1: { data: new Float32Array(1), shape: [1, 1] }, d3: { data: new Float32Array(3), shape: [3, 1] } };
  const marks = (...ms) => ({ marks: ms });
  const pinned = [{ kind: "line", data: "pin" }, { kind: "marker", data: "pin", at: "iteration", diverged: "d1" },
    { kind: "line", data: "pinLoss" }, { kind: "vline", at: "iteration" }];
  assert.equal(stopFreePrefix(marks(...pinned, { kind: "line", data: "run" }), arrays), 4);
  assert.equal(stopFreePrefix(marks({ kind: "line", data: "run" }, ...pinned), arrays), 0);  // a prefix only
  assert.equal(stopFreePrefix(marks({ kind: "marker", data: "pin", at: "last", diverged: "d3" }), arrays), 0);
  assert.equal(stopFreePrefix(marks({ kind: "vline", at: "stop" }), arrays), 0);  // the step size shown
  assert.equal(stopFreePrefix(marks({ kind: "point", x: "stop", y: "pinLoss" }), arrays), 0);
  assert.equal(stopFreePrefix(marks({ kind: "above", data: "pinLoss" }), arrays), 0);  // compares with the stop
  assert.equal(stopFreePrefix(marks({ kind: "text", at: "title", texts: "title" }), arrays), 0);
  assert.equal(stopFreePrefix(marks(...pinned), arrays), 4);
});
