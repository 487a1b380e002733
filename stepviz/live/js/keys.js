// Keys of the step-size slider, and keeping an explorer's keys away from JupyterLab.

/** The stop index a key moves the step-size slider to from `i` (of `count` stops), or null for keys it
 *  does not handle (Tab, Escape, ... keep their meaning). Arrows cross the range in ~`presses` presses
 *  and stop at every marked stop (1/L, 2/L, ...: `marks` holds their indices) they would pass;
 *  Shift+arrow moves one stop; Page keys a quarter of the range; Home/End the ends. */
export function nextIndex(key, shift, i, count, presses = 20, marks = []) {
  const n = count - 1;
  const big = Math.max(1, Math.round(n / presses));
  const page = Math.max(big + 1, Math.round(n / 4));
  const clamp = (j) => Math.min(Math.max(j, 0), n);
  let j;
  switch (key) {
    case "ArrowRight": case "ArrowUp": j = i + (shift ? 1 : big); break;
    case "ArrowLeft": case "ArrowDown": j = i - (shift ? 1 : big); break;
    case "PageUp": return clamp(i + page);
    case "PageDown": return clamp(i - page);
    case "Home": return 0;
    case "End": return n;
    default: return null;
  }
  j = clamp(j);
  if (!shift) {  // the first marked stop passed on the way
    const passed = marks.filter((m) => (j > i ? m > i && m < j : m < i && m > j));
    if (passed.length) j = j > i ? Math.min(...passed) : Math.max(...passed);
  }
  return j;
}

/** A dragged index within `radius` stops of a marked stop lands on it. */
export function snapIndex(i, marks, radius = 2) {
  let best = i, gap = radius + 1;
  for (const m of marks) if (Math.abs(m - i) < gap) { best = m; gap = Math.abs(m - i); }
  return best;
}

/** Keys typed in an explorer stay in it: JupyterLab (lumino) looks for a shortcut from the key event's target
 *  up, and skips nodes marked data-lm-suppress-shortcuts; its selectors match the focused control itself
 *  (".jp-Notebook.jp-mod-commandMode :focus"), so every control that takes focus is marked when it does, and
 *  keydown stops at the explorer's box ('m' would turn the cell into Markdown, arrows move the active cell).
 *  Tab still moves focus. The box is found once `el` is inside it (views are attached after render). */
export function keepKeys(el) {
  const guard = (node) => {
    if (node.dataset.stepvizKeys) return;
    node.dataset.stepvizKeys = "1";
    node.setAttribute("data-lm-suppress-shortcuts", "true");
    node.addEventListener("focusin", (ev) => {
      if (ev.target instanceof Element) ev.target.setAttribute("data-lm-suppress-shortcuts", "true");
    });
    node.addEventListener("keydown", (ev) => { if (ev.key !== "Tab") ev.stopPropagation(); });
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
