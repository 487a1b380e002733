// matplotlib's data-to-pixel transform (linear and log axes) and its inverse, on the picture's pixels
// (origin top left). An axes is {box: [left, top, width, height], xlim, ylim, xscale, yscale, click}.

const LOG = (v) => (v > 0 ? Math.log10(v) : NaN);

/** A function mapping a data value to pixels along one axis of `length` px starting at `start`. */
export function axisMap(lim, scale, start, length) {
  const f = scale === "log" ? LOG : (v) => v;
  const a = f(lim[0]);
  const span = f(lim[1]) - a;
  return (v) => start + ((f(v) - a) / span) * length;
}

/** A function (x, y) -> picture pixels on axes `ax` (the maps built once: paths call it per point). */
export function pixelMap(ax) {
  const [left, top, width, height] = ax.box;
  const mx = axisMap(ax.xlim, ax.xscale, left, width), my = axisMap(ax.ylim, ax.yscale, 0, height);
  return (x, y) => [mx(x), top + height - my(y)];
}

/** Picture pixels of data point (x, y) on axes `ax`. */
export function toPixel(ax, x, y) {
  return pixelMap(ax)(x, y);
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
  return axes.findIndex((ax) => ax.click === true && px >= ax.box[0] && px <= ax.box[0] + ax.box[2]
    && py >= ax.box[1] && py <= ax.box[1] + ax.box[3]);
}
