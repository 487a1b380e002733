"""The phase-1 prototype explorer: the sweep it ships is the runs a learner would get one by one."""
from __future__ import annotations

import numpy as np

import stepviz as sv
from stepviz.live.prototype import explore_canvas


def test_every_stop_of_the_sweep_is_the_single_run_at_that_step_size():
    e = explore_canvas("bowl", "GD", lr=0.05, steps=60)
    stops = e.controls["lr"].stops
    assert stops[e.controls["lr"].index] == 0.05
    paths = e.canvas.arrays["path"]
    for i in (0, len(stops) // 2, e.controls["lr"].index, len(stops) - 1):
        ref = sv.run(sv.GD(lr=stops[i]), e.surface, steps=60)
        np.testing.assert_allclose(paths[i], ref.points, rtol=1e-12)
        assert e.canvas.arrays["diverged"][i, 0] == ref.diverged_at
        assert ("diverged at step" in e.canvas.texts["readout"][i]) == bool(ref.diverged)


def test_the_step_size_needs_no_recomputation_and_other_controls_one():
    e = explore_canvas("bowl", "GD", lr=0.05, steps=60)
    sweep, n = e.sweep, e.controller.updates
    e.controls["lr"].value = e.controls["lr"].stops[10]
    assert e.sweep is sweep and e.controller.updates == n + 1
    np.testing.assert_allclose(e.trajectory.points, sv.run(sv.GD(lr=e.controls["lr"].stops[10]), e.surface,
                                                           steps=60).points)
    e.controls["steps"].value = 80
    assert e.sweep is not sweep and e.sweep.steps == 80 and e.controls["iteration"].max == 80
