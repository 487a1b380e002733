"""The 1-D update-rule explorer (lesson 01): gradient descent on J(theta) = lambda theta^2 / 2.

``explore_update_rule()`` -> :class:`UpdateRuleExplorer`: the parabola with the iterates on it, theta_k
against k with the envelope |1 - alpha lambda|^k |theta_0|, and the factor |1 - alpha lambda| against alpha
with the four regimes shaded and 1/lambda, 2/lambda marked.
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullFormatter

from ..analysis.parabola import REGIMES, parabola_run, regime, regime_bounds, step_factor
from ..engine import settled_at
from ..viz.parabola import shade_regimes
from ..viz.style import LIMIT_COLOR, LIMIT_STYLE, MINIMUM_COLOR, OPTIMAL_COLOR, OPTIMAL_STYLE, PATH_COLOR
from .controls import Number, Whole
from .sweep_controls import StepSize
from .figure import LiveFigure
from .marks import PT, diverged_readout, status_texts, title_mark
from .scene import Line, Marker, Point, Scene, Text, VLine, fmt

LR_RANGE = (1e-3, 10.0)
LAM_RANGE = (0.25, 4.0)
THETA_MAX = 2.0  # the start slider's range is [-THETA_MAX, THETA_MAX]
WINDOW = 1.3 * THETA_MAX  # the theta axes show [-WINDOW, WINDOW]
MAX_STEPS = 60
FACTOR_CAP = 1.95
TOL = 1e-6  # |theta| this close to the minimum: arrived


class UpdateRuleExplorer(LiveFigure):
    """Gradient descent on J = lambda theta^2 / 2 with sliders for alpha, lambda, theta_0 and the steps.

    ``controls``: 'lr' (StepSizeSlider), 'lam', 'theta0', 'steps', 'iteration', 'play'. ``trajectory`` is the
    run shown (a bowl slice: theta_k = ``trajectory.points[:, 0]``), ``regime`` its regime name.
    """

    size_px = (760, 360)
    play_pace = (4.0, 1.5, 10.0)  # Play follows each step: about 4 per second (a 20-step run takes 5 s)

    def __init__(self, lam=1.0, lr=0.3, theta0=1.5, steps=20):
        specs = {"lr": StepSize(*LR_RANGE),
                 "lam": Number(*LAM_RANGE, 0.05, "curvature λ"),
                 "theta0": Number(-THETA_MAX, THETA_MAX, 0.05, "start θ₀"),
                 "steps": Whole(1, MAX_STEPS, "steps")}
        values = {"lr": lr, "lam": lam, "theta0": theta0, "steps": steps}
        super().__init__(specs, values, [["lr", "lam"], ["theta0", "steps", ["play", "iteration"]]])

    def floats_per_stop(self, values):
        return 4 * (values["steps"] + 1) + 2  # (theta, J) and theta per iterate; factor, diverged

    def step_marks(self):
        lam = self.controls["lam"].value
        return {"1/λ": 1 / lam, "2/λ": 2 / lam}

    # --- figure -----------------------------------------------------------------------------------
    def _build_figure(self):
        fig = self.figure
        gs = fig.add_gridspec(2, 2, height_ratios=(1.6, 1.0))
        self.ax_parabola = ap = fig.add_subplot(gs[0, 0])
        self.ax_iterates = ai = fig.add_subplot(gs[0, 1])
        self.ax_factor = af = fig.add_subplot(gs[1, :])
        c = PATH_COLOR
        ap.plot([0], [0], "*", color=MINIMUM_COLOR, mec="black", ms=13, zorder=5)
        ap.set_xlim(-WINDOW, WINDOW)
        ap.set_xlabel(r"$\theta$", fontsize=9)
        ap.set_ylabel(r"$J(\theta)$", fontsize=9)
        t = np.linspace(-WINDOW, WINDOW, 200)
        self._t = t
        (self.curve,) = ap.plot(t, 0.5 * t ** 2, color="gray", lw=1.5)
        ap.legend(handles=[Line2D([], [], color="gray", lw=1.5, label=r"$J=\lambda\theta^2/2$"),
                           Line2D([], [], color=c, marker="o", ms=4, lw=1.2, label=r"iterates $\theta_k$"),
                           Line2D([], [], color=MINIMUM_COLOR, marker="*", mec="black", ms=10, ls="none",
                                  label="minimum")],
                  fontsize=7, loc="upper center", framealpha=0.85)
        ai.axhline(0, color="black", lw=0.8)
        ai.set_ylim(-WINDOW, WINDOW)
        ai.xaxis.set_major_locator(MaxNLocator(integer=True))
        ai.set_xlabel("iteration k", fontsize=9)
        ai.set_ylabel(r"$\theta_k$", fontsize=9)
        ai.legend(handles=[Line2D([], [], color=c, marker="o", ms=3, lw=1.4, label=r"$\theta_k$"),
                           Line2D([], [], color="gray", ls=":", lw=1.2, label=r"$\pm|1-\alpha\lambda|^k\,|\theta_0|$")],
                  fontsize=7, loc="lower right", framealpha=0.85)
        af.axhline(1.0, color="gray", lw=0.8, ls=":")
        af.set_xscale("log")
        af.set_xlim(*LR_RANGE)
        af.set_ylim(0, 2.0)
        af.xaxis.set_minor_formatter(NullFormatter())
        af.set_xlabel(r"step size $\alpha$", fontsize=9)
        af.set_ylabel(r"$|1-\alpha\lambda|$", fontsize=9)
        self.spans = shade_regimes(af, 1.0, LR_RANGE)
        self._alphas = np.geomspace(*LR_RANGE, 400)
        (self.factor_curve,) = af.plot(self._alphas, np.abs(step_factor(self._alphas, 1.0)), color="black", lw=1.4)
        self.one_line = af.axvline(1.0, color=OPTIMAL_COLOR, ls=OPTIMAL_STYLE, lw=1.5)
        self.two_line = af.axvline(2.0, color=LIMIT_COLOR, ls=LIMIT_STYLE, lw=1.6)
        af.legend(handles=[Line2D([], [], color="black", lw=1.4, label=r"$|1-\alpha\lambda|$"),
                           Line2D([], [], color=OPTIMAL_COLOR, ls=OPTIMAL_STYLE, lw=1.5, label=r"$\alpha=1/\lambda$"),
                           Line2D([], [], color=LIMIT_COLOR, ls=LIMIT_STYLE, lw=1.6, label=r"$\alpha=2/\lambda$"),
                           Line2D([], [], color=c, lw=2.5, label="your α")],
                  fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), framealpha=0.9)
        ap.set_title(" ", fontsize=10)  # room for the title the browser draws (it names the regime)
        ai.set_title(r"iterates $\theta_k$ against $k$", fontsize=9)
        af.set_title(r"factor per step $|1-\alpha\lambda|$ and the four regimes", fontsize=9)
        for ax in (ap, ai, af):
            ax.tick_params(labelsize=8)
        ai.set_xlim(0, self.controls["steps"].value)

    # --- updates ----------------------------------------------------------------------------------
    def _compute(self, changed):
        c = self.controls
        lam, theta0, steps = c["lam"].value, c["theta0"].value, c["steps"].value
        self.sweep = parabola_run(lam, self.stops, theta0, steps)
        self.theta = self.sweep.points[..., 0]  # (steps + 1, stops)
        self._show_whole_run(steps)
        if getattr(self, "_lam", None) != lam:
            self._lam = lam
            jmax = 0.5 * lam * WINDOW ** 2
            self.curve.set_ydata(0.5 * lam * self._t ** 2)
            self.ax_parabola.set_ylim(-0.05 * jmax, 1.1 * jmax)
            self.factor_curve.set_ydata(np.abs(step_factor(self._alphas, lam)))
            self.one_line.set_xdata([1 / lam, 1 / lam])
            self.two_line.set_xdata([2 / lam, 2 / lam])
            for name, span, label in self.spans:
                a, b = regime_bounds(lam, LR_RANGE)[name]
                span.set_x(a)
                span.set_width(max(b - a, 0.0))
                label.set_x(np.sqrt(a * b) if b > a else np.nan)
                label.set_visible(b > a * 1.5)
        if tuple(self.ax_iterates.get_xlim()) != (0.0, float(max(steps, 1))):
            self.ax_iterates.set_xlim(0, max(steps, 1))

    def _select(self):
        super()._select()
        self.regime = regime(self.controls["lr"].value, self.controls["lam"].value)

    def _scene(self):
        c = self.controls
        lam, theta0 = c["lam"].value, c["theta0"].value
        th = self.theta.T  # (stops, steps + 1)
        k = np.arange(th.shape[1])
        with np.errstate(all="ignore"):
            j = 0.5 * lam * th ** 2
            factor = np.abs(step_factor(self.stops, lam))
            env = factor[:, None] ** k * abs(theta0)
        arrays = {"stops": self.stops[None], "curve": np.stack([th, j], axis=-1), "theta": th,
                  "env": np.where(env < 1e6, env, np.nan), "factor": np.minimum(factor, FACTOR_CAP)[:, None],
                  "diverged": self.sweep.diverged_at[:, None]}
        marks = [
            Line(axes=0, data="curve", upto="iteration", color=PATH_COLOR, width=1.2 * PT, dots=4 * PT),
            Marker(axes=0, data="curve", at="start", size=9 * PT, fill=PATH_COLOR, edge="black"),
            Marker(axes=0, data="curve", at="iteration", size=8 * PT, fill="white", edge=PATH_COLOR, edge_width=2 * PT,
                   when="alive", diverged="diverged"),
            title_mark(0, size=12),
            Line(axes=1, data="env", color="gray", width=1.2 * PT, dash=(1.5, 2)),
            Line(axes=1, data="env", color="gray", width=1.2 * PT, dash=(1.5, 2), sign=-1),
            Line(axes=1, data="theta", upto="iteration", color=PATH_COLOR, width=1.4 * PT, dots=3 * PT),
            Text(axes=1, at="status", texts="status", size=11),
            VLine(axes=2, at="stop", color=PATH_COLOR, width=2.5 * PT),
            Point(axes=2, x="stop", y="factor", size=7 * PT, fill=PATH_COLOR, edge="black"),
        ]
        texts = {"title": [f"J(θ) = λθ²/2, λ = {fmt(lam)}: {regime(a, lam)}" for a in self.stops],
                 "status": self._status(th), "readout": self._readouts(),
                 "alt": [self._alt(a, i) for i, a in enumerate(self.stops)]}
        return Scene([self.ax_parabola, self.ax_iterates, self.ax_factor], marks, arrays, texts)

    def _status(self, th):
        out = status_texts(self.sweep.diverged_at)
        for i, entry in enumerate(out):
            entry[0][1] = "iteration {k} · θ_k = {theta}"
            with np.errstate(invalid="ignore"):
                off = np.nonzero(np.abs(th[i]) > WINDOW)[0]
            if off.size and (len(entry) == 1 or off[0] < entry[1][0]):
                entry.insert(1, [int(off[0]), "iteration {k} · θ_k = {theta} (off the plot)"])
        return out

    def _alt(self, lr, i):
        lam = self.controls["lam"].value
        return (f"Gradient descent on the parabola J = λθ²/2 with λ = {fmt(lam)} and step size "
                f"α = {fmt(lr)}: {regime(lr, lam)}; the iterates θ_k drawn on the parabola and against k, "
                "and the factor |1 − αλ| against α with the regimes shaded.")

    def _readouts(self):
        c = self.controls
        lam = c["lam"].value
        tr = self.sweep
        arrived = settled_at(np.abs(self.theta), TOL)
        out = []
        for i, lr in enumerate(self.stops):
            f = float(step_factor(lr, lam))
            name = regime(lr, lam)
            head = [["strong", name], ["", f" · α = {fmt(lr)}, λ = {fmt(lam)}: αλ = {fmt(lr * lam)}, factor 1 − αλ = "
                                           f"{fmt(f)}, so θ_k = ({fmt(f)})"], ["sup", "k"],
                    ["", f" · θ₀ · 1/λ = {fmt(1 / lam)}, 2/λ = {fmt(2 / lam)}"], ["br", ""]]
            if tr.diverged[i]:
                tail = diverged_readout(int(tr.diverged_at[i]), f"|θ| grew by {fmt(abs(f))} per step until it left "
                                                                "far beyond the plot")
            else:
                k = int(arrived[i])
                where = (f"|θ| within {fmt(TOL)} from step {k} on" if k >= 0 else
                         f"|θ| not within {fmt(TOL)} at step {tr.steps}")
                tail = [["", f"{REGIMES[name]}. After {tr.steps} steps θ = {fmt(self.theta[-1, i])}; {where}."]]
            out.append(head + tail)
        return out

    def _describe(self) -> str:
        return f"UpdateRuleExplorer: {self.regime}, α = {fmt(self.controls['lr'].value)}"


def explore_update_rule(lam=1.0, lr=0.3, theta0=1.5, steps=20) -> UpdateRuleExplorer:
    """A live explorer of gradient descent on J = lam theta^2 / 2; see :class:`UpdateRuleExplorer`.
    Arguments outside the sliders' ranges raise a ValueError that says the range."""
    return UpdateRuleExplorer(lam=lam, lr=lr, theta0=theta0, steps=steps)


__all__ = ["UpdateRuleExplorer", "explore_update_rule", "LR_RANGE", "LAM_RANGE"]
