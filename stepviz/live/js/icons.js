// Small inline SVG icons for the explorers' buttons and messages. Inline SVG, not emoji or pictographic
// characters (the warning sign, the play triangle), which render as empty boxes where no emoji font is
// installed. Decorative: hidden from screen readers, the words next to them say the same.

const SVG = "http://www.w3.org/2000/svg";
const SHAPES = {
  // A triangle with an exclamation mark.
  warning: [["path", { d: "M8 1.5 15.2 14.5H.8Z", fill: "none", stroke: "currentColor", "stroke-width": "1.5",
                       "stroke-linejoin": "round" }],
            ["path", { d: "M8 6v4.2M8 11.7v.8", stroke: "currentColor", "stroke-width": "1.6", "stroke-linecap": "round" }]],
  play: [["path", { d: "M4 2.5 13 8 4 13.5Z", fill: "currentColor" }]],
  pause: [["rect", { x: "3.5", y: "2.5", width: "3", height: "11", fill: "currentColor" }],
          ["rect", { x: "9.5", y: "2.5", width: "3", height: "11", fill: "currentColor" }]],
};

/** An inline SVG icon (`warning`, `play`, `pause`), 1em high, in the text colour, aria-hidden. */
export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 16 16", width: "1em", height: "1em", "aria-hidden": "true",
                                        focusable: "false", class: `stepviz-icon stepviz-icon-${name}` })) {
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
