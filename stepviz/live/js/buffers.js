// The explorers' arrays travel as one buffer with a layout {name: {offset, shape}} (offset and size in
// float32 elements) or, for compact arrays, {dtype: "i2", offset (int16 elements), shape, base, step}:
// row-wise int16 codes, value = base[row] + step[row] * code, NAN_CODE for NaN. Nothing here trusts the
// layout: a saved notebook or a hand-edited state can hold anything, so every size, offset and name is
// checked before a view is made, and a bad one is a SceneError that says which array and why.

export const NAN_CODE = -32768;
/** The most bytes a canvas accepts in one buffer (stepviz/live/scene.py SCENE_BYTES). */
export const MAX_BYTES = 4_000_000;

export class SceneError extends Error {}

const isWhole = (v) => Number.isInteger(v) && v >= 0;

function bytesOf(buffer) {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (buffer && ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new SceneError("the data is not a binary buffer");
}

/** Float32Array views of the named arrays in `buffer` (compact arrays decoded), after checking `layout`. */
export function unpack(buffer, layout) {
  let bytes = bytesOf(buffer);
  if (bytes.byteLength > MAX_BYTES) {
    throw new SceneError(`${bytes.byteLength} bytes of data, more than the ${MAX_BYTES} a figure takes`);
  }
  if (bytes.byteOffset % 4) bytes = bytes.slice();  // Float32Array needs 4-byte alignment
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
    if (!spec || typeof spec !== "object" || (spec.dtype !== undefined && spec.dtype !== "i2")) {
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

/** Row `s` of an array whose first axis is the stop (an array with one row is the same for all). */
export function row(array, s) {
  const [n, ...rest] = array.shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const i = n === 1 ? 0 : Math.min(Math.max(s, 0), n - 1);
  return array.data.subarray(i * size, (i + 1) * size);
}
