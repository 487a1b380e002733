"""The controls under an explorer's figure, progressively: first the ones its lesson uses (by default the step
size, Play and the iteration), the others behind a 'more controls' button (:class:`ControlPanel`).

A lesson says which controls come first with :meth:`LiveFigure.show_first
<stepviz.live.figure.LiveFigure.show_first>` and names it keeps in its lesson module (e.g.
``lessons.momentum.EXPLORER_FIRST``); the explorer's own columns keep their order in both parts.
"""
from __future__ import annotations

import ipywidgets as widgets

#: What every explorer shows first unless its lesson says otherwise.
FIRST = ("lr", "play", "iteration")
MORE, FEWER = "more controls", "fewer controls"


def split(columns, first) -> tuple[list, list]:
    """(items shown first, in column order; the columns of the others). An item is a control's name, a row (a list
    of items) or a widget (a note: always shown first); a row is split between the two parts."""
    shown, rest = [], [[] for _ in columns]
    for j, column in enumerate(columns):
        for item in column:
            row = list(item) if isinstance(item, (list, tuple)) else [item]
            now = [n for n in row if not isinstance(n, str) or n in first]
            later = [n for n in row if isinstance(n, str) and n not in first]
            if now:
                shown.append(now if len(now) > 1 else now[0])
            if later:
                rest[j].append(later if len(later) > 1 else later[0])
    return shown, [c for c in rest if c]


class ControlPanel(widgets.VBox):
    """The first controls in one wrapping row, then (if any are left) a 'more controls' toggle and the others in
    their columns, hidden until it is pressed. ``made``: the boxes it made (closed with it; the controls are not)."""

    def __init__(self, controls: dict, columns, first):
        self.made = []
        shown, rest = split(columns, first)
        row = self._box(widgets.HBox, [self._item(controls, i) for i in shown], flex_flow="row wrap",
                        align_items="center", grid_gap="0 12px")
        row.add_class("stepviz-first-controls")
        children = [row]
        self.toggle = None
        if rest:
            boxes = [self._box(widgets.VBox, [self._item(controls, i) for i in column]) for column in rest]
            self.more = self._box(widgets.HBox, boxes, flex_flow="row wrap", grid_gap="0 8px", display="none")
            self.more.add_class("stepviz-more-controls")
            self.toggle = widgets.ToggleButton(False, description=MORE, icon="sliders", tooltip="show the other controls",
                                               layout=widgets.Layout(width="auto"))
            self.toggle.add_class("stepviz-more-toggle")
            self.toggle.observe(self._on_toggle, "value")
            self.made += [self.toggle]
            row.children = row.children + (self.toggle,)
            children.append(self.more)
        super().__init__(children)
        self.add_class("stepviz-controls")

    def _box(self, kind, children, **layout):
        box = kind(children, layout=widgets.Layout(**layout))
        self.made.append(box)
        return box

    def _item(self, controls, item):
        if isinstance(item, widgets.Widget):
            return item
        if isinstance(item, (list, tuple)):
            return self._box(widgets.HBox, [self._item(controls, n) for n in item], align_items="center")
        return controls[item]

    def _on_toggle(self, change):
        self.more.layout.display = "" if change["new"] else "none"
        self.toggle.description = FEWER if change["new"] else MORE
        self.toggle.tooltip = "hide the other controls" if change["new"] else "show the other controls"

    def close(self):
        """Close the boxes and the toggle it made (with their layouts and styles), not the controls."""
        for w in self.made + [self]:
            for part in (getattr(w, "layout", None), getattr(w, "style", None)):
                if isinstance(part, widgets.Widget):
                    part.close()
            widgets.Widget.close(w) if w is self else w.close()


__all__ = ["ControlPanel", "split", "FIRST"]
