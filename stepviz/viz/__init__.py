"""Matplotlib figures, by kind: contours, paths, curves against the iteration, sweeps against the step
size, bars, maps, multi-panel figures, animations, and the 1-D figures of the update rule.

They draw; what they show is computed in :mod:`stepviz.analysis` (or by :func:`stepviz.run`). Each function
takes an optional ``ax`` and returns the artists or results it made, so tests can read what is drawn.
Colours come from :mod:`stepviz.viz.style` only. Works with any matplotlib backend. Every figure a viz
function draws on shows itself in a notebook with alt text (:func:`~stepviz.viz.figure.with_alt_text`); to
give one of your own figures alt text too, call ``sv.viz.with_alt_text(fig)``.
"""
from .animation import animate, animation_html
from .bars import plot_costs, plot_layer_limits
from .contours import (
    contour_levels, plot_decision_boundary, plot_local_limit_map, plot_loss_slice, plot_surface, surface_grid
)
from .curves import (
    loss_gap, plot_backtracking, plot_escape, plot_local_limit, plot_loss_curves, plot_losses, plot_noisy_runs,
    plot_schedules, plot_schedules_sgd
)
from .figure import StaticPicture, axes_for, describe, new_figure, png_bytes, subplots, with_alt_text
from .maps import RegimeMap, StabilityMap, plot_momentum_regimes, stability_map
from .panels import (
    ComparisonFigure, EffectiveStepFigure, PreconditioningFigure, ScaleFigure, SharpnessFigure, VelocityForms,
    plot_comparison, plot_effective_steps, plot_loss_scale, plot_preconditioning, plot_sharpness_and_loss,
    plot_velocity_forms, step_lengths
)
from .parabola import plot_iterates, plot_parabola_path, plot_regimes, shade_regimes
from .paths import inside_window, last_finite_point, plot_path, plot_runs, plot_sgd_paths, run_labels, short_label
from .held_out import plot_search, plot_train_and_validation
from .style import PATH_COLORS
from .sweeps import (
    plot_grid_search, plot_lr_sensitivity, plot_noise_floor, plot_range_test, plot_rate_vs_kappa, plot_rate_vs_lr,
    plot_rates_vs_theory, plot_sgd_divergence
)

__all__ = ["axes_for", "subplots", "with_alt_text", "ComparisonFigure", "EffectiveStepFigure", "PATH_COLORS", "PreconditioningFigure", "RegimeMap",
           "ScaleFigure", "SharpnessFigure", "StabilityMap", "StaticPicture", "VelocityForms", "animate",
           "animation_html", "contour_levels", "describe", "inside_window", "last_finite_point", "loss_gap",
           "new_figure", "plot_backtracking", "plot_comparison", "plot_costs", "plot_decision_boundary",
           "plot_effective_steps", "plot_escape", "plot_grid_search", "plot_iterates", "plot_layer_limits",
           "plot_local_limit", "plot_local_limit_map", "plot_loss_curves", "plot_loss_scale", "plot_loss_slice",
           "plot_losses", "plot_lr_sensitivity", "plot_momentum_regimes", "plot_noise_floor", "plot_noisy_runs",
           "plot_parabola_path", "plot_path", "plot_preconditioning", "plot_range_test", "plot_rate_vs_kappa",
           "plot_rate_vs_lr", "plot_rates_vs_theory", "plot_regimes", "plot_runs", "plot_schedules",
           "plot_schedules_sgd", "plot_search", "plot_sgd_divergence", "plot_sgd_paths", "plot_sharpness_and_loss",
           "plot_surface", "plot_train_and_validation", "plot_velocity_forms", "png_bytes", "run_labels",
           "shade_regimes", "short_label",
           "stability_map", "step_lengths", "surface_grid"]
