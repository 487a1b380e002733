"""Compare live in JupyterLab (issue 16 item 5), as a learner does it in notebook 02: drag the step size, click
'pin this run', press Play: every pinned run is drawn in its own colour and animates with the live one.
What the canvas draws is read from its pixels; what is pinned, from the kernel."""
from __future__ import annotations

import time

import pytest
from scenario import Notebook
from explorer_checks import screenshot

from stepviz.viz.style import PATH_COLORS

# Pixels of the moving layer close to each colour, inside axes `a` of the scene (the picture's box, in canvas px).
COUNT_COLOURS = """
(root, [colours, box, size]) => {
  const c = root.querySelector('canvas.stepviz-moving');
  const s = c.width / size;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const rgb = colours.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
  const counts = colours.map(() => 0);
  const [l, t, w, h] = box.map((v) => Math.round(v * s));
  for (let y = t; y < t + h; y++) for (let x = l; x < l + w; x++) {
    const i = 4 * (y * c.width + x);
    if (d[i + 3] < 200) continue;
    rgb.forEach(([r, g, b], j) => {
      if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 60) counts[j] += 1;
    });
  }
  return counts;
}
"""

PINS = list(PATH_COLORS[1:5])  # pin 0 ... 3


@pytest.fixture
def page(watched_page):
    return watched_page


def kernel_problems(nb):
    """Errors the kernel published, without the messages every e2e test lets pass (scenario.Notebook.problems)."""
    return nb.problems()


def counts(ex, geometry=None):
    """Pixels of each pin's colour on the contour axes (``geometry``: the axes' box and the picture's size, asked
    of the kernel when not given)."""
    box, size = geometry or ex.py("[ex.canvas.axes[0]['box'], list(ex.canvas.size)]")
    return ex.root.element_handle().evaluate(COUNT_COLOURS, [PINS, box, size[0]])


def test_02_pin_with_a_click_and_play_animates_every_pinned_run(page, lab, artifacts):
    nb = Notebook.open(page, lab, "02_too_big_too_small.ipynb")
    ex = nb.explorer("cmp")
    ex.root.scroll_into_view_if_needed()
    assert ex.py("len(ex.pins)") == 3
    before = counts(ex)
    assert all(n > 20 for n in before[:3]) and before[3] == 0, before  # three pinned paths drawn, no fourth
    legend = ex.py("[t.get_text() for t in ex.ax_loss.get_legend().get_texts()]")
    assert legend[0] == "the run shown" and len(legend) == 4 and legend[1] == "GD, α = 0.21"

    ex.drag_step_size_to(0.45)  # a slow run: its path curves apart from the others
    shown = ex.py("ex.controls['lr'].value")
    ex.arm()
    ex.root.locator(".stepviz-pin").first.click()  # the real button
    ex.settle()
    assert ex.py("len(ex.pins)") == 4
    assert ex.py("ex.pins[3].label") == f"GD, α = {float(f'{shown:.3g}'):g}"
    assert ex.py("bool(np.allclose(ex.pins[3].trajectory.points, "
                 "sv.run(sv.GD(lr=ex.controls['lr'].value), ex.surface, steps=100).points))")
    assert "Pinned:" in ex.readout() and "Pinned runs" in ex.label()
    hidden = counts(ex)[3]  # the live run (solid, on top) covers its own pinned copy
    ex.drag_step_size_to(0.74)  # keep dragging (to a zig-zag): the pinned copy stays where it was
    assert ex.py("len(ex.pins)") == 4 and ex.py("ex.controls['lr'].value") > shown
    after = counts(ex)
    assert after[3] > hidden + 20, (hidden, after)  # the fourth pinned run is drawn, in its own colour
    screenshot(ex.root, artifacts / "compare_02_pinned.png")

    # Play: every pinned path is drawn up to the iteration shown, so each grows while Play runs.
    geometry = ex.py("[ex.canvas.axes[0]['box'], list(ex.canvas.size)]")
    ex.root.locator(".stepviz-play button").first.click()
    seen = [counts(ex, geometry)]
    end = time.monotonic() + 3
    while time.monotonic() < end:
        page.wait_for_timeout(100)
        seen.append(counts(ex, geometry))
    screenshot(ex.root, artifacts / "compare_02_playing.png")
    for j in range(4):
        drawn = [s[j] for s in seen]
        assert max(drawn) > min(drawn) + 10, (j, drawn)  # every pinned run animates
    assert not kernel_problems(nb)


def moving_pixels(ex):
    """A fingerprint of the moving layer (a drag that changes what is drawn changes it)."""
    return ex.root.element_handle().evaluate("""(root) => {
      const c = root.querySelector('canvas.stepviz-moving');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < d.length; i += 4 * 7) h = (h * 31 + d[i] + 3 * d[i + 1] + 7 * d[i + 2]) % 1000000007;
      return h;
    }""")


@pytest.mark.parametrize("name, variable, kernel_check", [
    ("09_adam_and_adadelta.ipynb", "steps_demo", "bool(np.allclose(ex.shown('eff1'), "
     "sv.analysis.effective_steps(sv.Adam(lr=ex.controls['lr'].value), ex.surface, steps=300)[1][:, 0], rtol=1e-5))"),
    ("11_neural_networks.ipynb", "sweep_demo", "bool(np.allclose(ex.trajectory.losses, "
     "sweep.losses[:, list(lrs).index(ex.controls['lr'].value)]))"),
    ("12_curvature_in_training.ipynb", "edge_demo", "bool(ex.canvas.arrays['sharpness'].shape[0] == 4)"),
])
def test_new_explorers_follow_a_drag_and_play(page, lab, artifacts, name, variable, kernel_check):
    """09's, 11's and 12's explorers as a learner meets them: drag the step size (the picture and the readout
    change, the kernel agrees), press Play (the picture moves), no error."""
    nb = Notebook.open(page, lab, name)
    ex = nb.explorer(variable)
    ex.root.scroll_into_view_if_needed()
    before, readout = moving_pixels(ex), ex.readout()
    ex.drag_step_size_to(0.2)
    assert moving_pixels(ex) != before and ex.readout() != readout
    assert ex.py(kernel_check)
    assert ex.py("ex.alt") == ex.label()
    screenshot(ex.root, artifacts / f"{variable}_dragged.png")
    still = moving_pixels(ex)
    ex.root.locator(".stepviz-play button").first.click()
    page.wait_for_timeout(700)
    assert moving_pixels(ex) != still  # Play draws from the stored runs
    assert not ex.problem() and not kernel_problems(nb)
