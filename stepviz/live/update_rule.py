"""The 1-D update-rule explorer for notebook 01: gradient descent on J(theta) = lambda theta^2 / 2.

``explore_update_rule()`` returns an :class:`UpdateRuleExplorer` (an ipywidgets VBox, outer CSS class
``stepviz-explorer``): the parabola with the iterates on it, theta_k against k, and a strip of the factor
|1 - alpha lambda| against alpha with the four regimes shaded and 1/lambda, 2/lambda marked. The figure is
made once; a control change updates its artists in place.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullFormatter

from .. import _format, _validate
from ..analysis.parabola import (
    REGIMES,
    parabola_run,
    regime,
    regime_bounds,
    step_factor,
)
from ..viz.figure import StaticLayer, new_figure, overlay_axes
from ..viz.parabola import shade_regimes
from ..viz.style import LIMIT_COLOR, MINIMUM_COLOR, OPTIMAL_COLOR, PATH_COLOR
from .figure import LiveFigure, link_play

#: log10 of the ends of the step-size slider (1e-3 ... 10) and of the curvature slider (0.25 ... 4).
UR_LR_RANGE = (-3.0, 1.0)
UR_LAM_RANGE = (np.log10(0.25), np.log10(4.0))
THETA_MAX = 2.0  # the start slider's range is [-THETA_MAX, THETA_MAX]
WINDOW = 1.3 * THETA_MAX  # the theta axes show [-WINDOW, WINDOW]


class UpdateRuleExplorer(LiveFigure):
    """Gradient descent on J = lambda theta^2 / 2 with sliders for alpha, lambda, theta_0 and the steps.

    ``controls``: 'lr' (FloatLogSlider, CSS class ``stepviz-lr``), 'lam', 'theta0', 'steps', 'iteration',
    'play'. Setting a control's value updates the artists synchronously. ``trajectory`` is the current run
    (a bowl slice; theta_k = ``trajectory.points[:, 0]``), ``regime`` its regime name, ``readout`` the text.
    """

    def __init__(self, lam=1.0, lr=0.3, theta0=1.5, steps=20, figsize=(9.6, 5.6)):
        lr = _validate.number("lr", lr, low=10 ** UR_LR_RANGE[0], high=10 ** UR_LR_RANGE[1],
                              allowed="a step size between 0.001 and 10 (the slider's range)")
        lam = _validate.number("lam", lam, low=0.25, high=4.0, allowed="a curvature between 0.25 and 4 (the slider's range)")
        theta0 = _validate.number("theta0", theta0, low=-THETA_MAX, high=THETA_MAX,
                                  allowed=f"a start point between {-THETA_MAX:g} and {THETA_MAX:g}")
        steps = _validate.integer("steps", steps, low=1)
        if steps > 60:
            raise ValueError(f"steps must be a whole number from 1 to 60 (the slider's range); got {steps}")
        self._suspended = False
        self.trajectory = None
        self.controls = self._make_controls(lam, lr, theta0, steps)
        view = self._figure_view(new_figure(figsize))
        self._build_figure()
        self.readout = widgets.HTML(layout=widgets.Layout(min_height="3.2em"))
        c = self.controls
        left = widgets.VBox([c["lr"], c["lam"]])
        right = widgets.VBox([c["theta0"], c["steps"], widgets.HBox([c["play"], c["iteration"]])])
        super().__init__([view, widgets.HBox([left, right]), self.readout])
        self.add_class("stepviz-explorer")
        for name in ("lr", "lam", "theta0", "steps"):
            c[name].observe(self._on_change, names="value")
        c["iteration"].observe(self._on_iteration, names="value")
        self.update()

    # --- controls ---------------------------------------------------------------------------------
    def _make_controls(self, lam, lr, theta0, steps):
        wide = widgets.Layout(width="340px")
        style = {"description_width": "90px"}
        c = {
            "lr": widgets.FloatLogSlider(value=lr, base=10, min=UR_LR_RANGE[0], max=UR_LR_RANGE[1], step=0.01,
                                         description="step size α", readout_format=".3g", style=style, layout=wide),
            "lam": widgets.FloatLogSlider(value=lam, base=10, min=UR_LAM_RANGE[0], max=UR_LAM_RANGE[1], step=0.01,
                                          description="curvature λ", readout_format=".3g", style=style, layout=wide),
            "theta0": widgets.FloatSlider(value=theta0, min=-THETA_MAX, max=THETA_MAX, step=0.05,
                                          description="start θ₀", style=style, layout=wide),
            "steps": widgets.IntSlider(value=steps, min=1, max=60, description="steps", style=style, layout=wide),
            "iteration": widgets.IntSlider(value=steps, min=0, max=steps, description="iteration", style=style,
                                           layout=widgets.Layout(width="280px")),
            "play": widgets.Play(value=steps, min=0, max=steps, interval=250, description="play", show_repeat=False),
        }
        c["lr"].add_class("stepviz-lr")
        link_play(c["play"], c["iteration"])
        return c

    # --- figure -----------------------------------------------------------------------------------
    # As in the Explorer: static axes (frames, ticks, labels, legends) are drawn once and restored from a
    # pixel copy (StaticLayer); everything that moves lives on transparent overlay axes on top.
    def _build_figure(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, height_ratios=(1.6, 1.0))
        self.ax_parabola = ap = fig.add_subplot(gs[0, 0])
        self.ax_iterates = ai = fig.add_subplot(gs[0, 1])
        self.ax_factor = af = fig.add_subplot(gs[1, :])
        c = PATH_COLOR
        ap.plot([0], [0], "*", color=MINIMUM_COLOR, mec="black", ms=13, zorder=5)
        ap.set_xlim(-WINDOW, WINDOW)
        ap.set_xlabel(r"$\theta$")
        ap.set_ylabel(r"$J(\theta)$")
        ap.legend(handles=[Line2D([], [], color="gray", lw=1.5, label=r"$J(\theta)=\lambda\theta^2/2$"),
                           Line2D([], [], color=c, marker="o", ms=4, lw=1.2, label=r"iterates $\theta_k$"),
                           Line2D([], [], color=c, marker="o", mec="black", ms=8, ls="none", label=r"start $\theta_0$"),
                           Line2D([], [], color=MINIMUM_COLOR, marker="*", mec="black", ms=11, ls="none", label="minimum")],
                  fontsize=7, loc="upper center", framealpha=0.85)
        ai.axhline(0, color="black", lw=0.8)
        ai.set_ylim(-WINDOW, WINDOW)
        ai.xaxis.set_major_locator(MaxNLocator(integer=True))
        ai.set_xlabel("iteration k")
        ai.set_ylabel(r"$\theta_k$")
        ai.legend(handles=[Line2D([], [], color=c, marker="o", ms=3, lw=1.4, label=r"$\theta_k$"),
                           Line2D([], [], color="gray", ls=":", lw=1.2, label=r"$\pm|1-\alpha\lambda|^k\,|\theta_0|$")],
                  fontsize=7, loc="lower right", framealpha=0.85)
        lr_range = (10 ** UR_LR_RANGE[0], 10 ** UR_LR_RANGE[1])
        self._lr_range = lr_range
        af.axhline(1.0, color="gray", lw=0.8, ls=":")
        af.set_xscale("log")
        af.set_xlim(*lr_range)
        af.set_ylim(0, 2.0)
        af.xaxis.set_minor_formatter(NullFormatter())
        af.set_xlabel(r"step size $\alpha$")
        af.set_ylabel(r"$|1-\alpha\lambda|$")
        af.legend(handles=[Line2D([], [], color="black", lw=1.4, label=r"$|1-\alpha\lambda|$"),
                           Line2D([], [], color=OPTIMAL_COLOR, ls="--", lw=1.5, label=r"$\alpha=1/\lambda$"),
                           Line2D([], [], color=LIMIT_COLOR, lw=1.6, label=r"$\alpha=2/\lambda$"),
                           Line2D([], [], color=c, lw=2.5, label="your α")],
                  fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), framealpha=0.9)
        ap.set_title(" ", fontsize=10)  # room for the overlay's title (it names the regime)
        ai.set_title(r"iterates $\theta_k$ against $k$", fontsize=10)
        af.set_title(r"factor per step $|1-\alpha\lambda|$ and the four regimes", fontsize=10)
        fig.get_layout_engine().execute(fig)  # lay out once, then keep the axes where they are
        fig.set_layout_engine("none")

        self.static = StaticLayer([ap, ai, af])
        fig.add_artist(self.static)
        op, oi, of = self.over_parabola, self.over_iterates, self.over_factor = (
            tuple(overlay_axes(ax) for ax in (ap, ai, af)))
        t = np.linspace(-WINDOW, WINDOW, 200)
        self._t = t
        (self.curve,) = op.plot(t, 0.5 * t ** 2, color="gray", lw=1.5)
        (self.path_line,) = op.plot([], [], "-o", color=c, ms=4, lw=1.2, zorder=6)
        (self.start_marker,) = op.plot([], [], "o", color=c, mec="black", ms=9, zorder=7)
        (self.current_marker,) = op.plot([], [], "o", color="white", mec=c, mew=2, ms=8, zorder=8)
        (self.iterates_line,) = oi.plot([], [], "-o", color=c, ms=3, lw=1.4, zorder=6)
        (self.envelope_line,) = oi.plot([], [], ":", color="gray", lw=1.2)
        (self.envelope_low,) = oi.plot([], [], ":", color="gray", lw=1.2)
        self.status_text = oi.text(0.02, 0.97, "", transform=oi.transAxes, fontsize=9, va="top", zorder=9,
                                   bbox=dict(boxstyle="round", fc="white", alpha=0.85))
        self.spans = shade_regimes(of, 1.0, lr_range)
        a = np.geomspace(*lr_range, 400)
        self._alphas = a
        (self.factor_curve,) = of.plot(a, np.abs(step_factor(a, 1.0)), color="black", lw=1.4)
        self.one_line = of.axvline(1.0, color=OPTIMAL_COLOR, ls="--", lw=1.5)
        self.two_line = of.axvline(2.0, color=LIMIT_COLOR, lw=1.6)
        self.lr_line = of.axvline(1.0, color=c, lw=2.5)
        (self.lr_dot,) = of.plot([], [], "o", color=c, mec="black", ms=7)

    # --- updates ----------------------------------------------------------------------------------
    def _on_change(self, change):
        if not self._suspended:
            self.update()

    def update(self):
        """Recompute the run from the controls and update every artist in place."""
        c = self.controls
        lr, lam, theta0, steps = c["lr"].value, c["lam"].value, c["theta0"].value, c["steps"].value
        self.trajectory = parabola_run(lam, lr, theta0, steps)
        self.theta = self.trajectory.points[:, 0]
        self.regime = regime(lr, lam)
        self._show_whole_run(steps)
        jmax = 0.5 * lam * WINDOW ** 2
        self.curve.set_ydata(0.5 * lam * self._t ** 2)
        self.ax_parabola.set_ylim(-0.05 * jmax, 1.1 * jmax)
        self.over_parabola.set_title(f"J(θ) = λθ²/2 with λ = {_format.num(lam)}: {self.regime}", fontsize=10)
        self.ax_iterates.set_xlim(0, max(steps, 1))
        k = np.arange(steps + 1)
        with np.errstate(all="ignore"):
            env = np.abs(step_factor(lr, lam)) ** k * abs(theta0)
        self.envelope_line.set_data(k, env)
        self.envelope_low.set_data(k, -env)
        self._update_factor(lr, lam)
        self._show_iteration(c["iteration"].value)
        self.readout.value = self._readout()
        self.redraw()

    def _update_factor(self, lr, lam):
        self.factor_curve.set_ydata(np.abs(step_factor(self._alphas, lam)))
        self.one_line.set_xdata([1 / lam, 1 / lam])
        self.two_line.set_xdata([2 / lam, 2 / lam])
        self.lr_line.set_xdata([lr, lr])
        self.lr_dot.set_data([lr], [min(abs(float(step_factor(lr, lam))), 1.95)])
        for name, span, label in self.spans:
            a, b = regime_bounds(lam, self._lr_range)[name]
            span.set_x(a)
            span.set_width(max(b - a, 0.0))
            label.set_x(np.sqrt(a * b) if b > a else np.nan)
            label.set_visible(b > a * 1.5)

    def _show_iteration(self, k):
        tr, lam = self.trajectory, self.controls["lam"].value
        k = int(min(k, tr.steps))
        th = self.theta[: k + 1]
        with np.errstate(all="ignore"):
            j = 0.5 * lam * th ** 2
        self.path_line.set_data(th, j)
        self.start_marker.set_data([th[0]], [j[0]])
        self.current_marker.set_data([th[-1]], [j[-1]])
        self.iterates_line.set_data(np.arange(k + 1), th)
        gone = bool(tr.diverged) and 0 <= tr.diverged_at <= k
        if gone:
            text = f"iteration {k} · diverged at step {int(tr.diverged_at)}"
        elif abs(th[-1]) > WINDOW:
            text = f"iteration {k} · θ_k = {th[-1]:.3g} (off the plot)"
        else:
            text = f"iteration {k} · θ_k = {th[-1]:.3g}"
        self.status_text.set_text(text)

    def _readout(self) -> str:
        c = self.controls
        lr, lam = c["lr"].value, c["lam"].value
        f = float(step_factor(lr, lam))
        tr = self.trajectory
        head = (f"<b>{self.regime}</b> · α = {_format.num(lr)}, λ = {_format.num(lam)}: αλ = {_format.num(lr * lam)}, "
                f"factor 1 − αλ = {f:.3g}, so θ_k = ({f:.3g})<sup>k</sup> · θ₀ · "
                f"1/λ = {_format.num(1 / lam)}, 2/λ = {_format.num(2 / lam)}")
        if tr.diverged:
            tail = (f"<b style='color:#b00'>⚠ diverged at step {int(tr.diverged_at)}</b>: |θ| grew by "
                    f"{abs(f):.3g} per step until it left far beyond the plot. Try a smaller step size.")
        else:
            tail = f"{REGIMES[self.regime]}. After {tr.steps} steps θ = {self.theta[-1]:.3g}."
        return head + "<br>" + tail

    def _describe(self) -> str:
        return f"UpdateRuleExplorer: {self.regime}, α = {_format.num(self.controls['lr'].value)}"


def explore_update_rule(lam=1.0, lr=0.3, theta0=1.5, steps=20) -> UpdateRuleExplorer:
    """A live explorer of gradient descent on J = lam theta^2 / 2; see :class:`UpdateRuleExplorer`."""
    return UpdateRuleExplorer(lam=lam, lr=lr, theta0=theta0, steps=steps)


__all__ = ["UpdateRuleExplorer", "explore_update_rule"]
