"""Matplotlib figures, by kind: contours, paths, curves against the iteration, sweeps against the step
size, bars, maps, multi-panel figures, animations, and the 1-D figures of the update rule.

They draw; what they show is computed in :mod:`stepviz.analysis` (or by :func:`stepviz.run`). Each function
takes an optional ``ax`` and returns the artists or results it made, so tests can read what is drawn.
Works with any matplotlib backend.
"""
from .animation import animate, animation_html
from .bars import plot_costs, plot_layer_limits
from .contours import (
                       contour_levels,
                       plot_decision_boundary,
                       plot_local_limit_map,
                       plot_loss_slice,
                       plot_surface,
                       surface_grid,
)
from .curves import (
                       loss_gap,
                       plot_backtracking,
                       plot_escape,
                       plot_local_limit,
                       plot_loss_curves,
                       plot_losses,
                       plot_noisy_runs,
                       plot_schedules,
                       plot_schedules_sgd,
                       plot_sharpness,
)
from .figure import StaticPicture, describe, new_figure, png_bytes
from .maps import RegimeMap, StabilityMap, plot_momentum_regimes, stability_map
from .panels import (
                       ComparisonFigure,
                       PreconditioningFigure,
                       SharpnessFigure,
                       plot_sharpness_and_loss,
                       VelocityForms,
                       plot_comparison,
                       plot_preconditioning,
                       plot_velocity_forms,
                       step_lengths,
                       EffectiveStepFigure,
                       RippleFigure,
                       ScaleFigure,
                       plot_effective_steps,
                       plot_loss_scale,
                       plot_momentum_ripples,
)
from .parabola import (
                       plot_factor,
                       plot_iterates,
                       plot_parabola_path,
                       plot_regimes,
                       shade_regimes,
)
from .paths import inside_window, last_finite_point, plot_path, plot_runs, plot_sgd_paths, run_labels, short_label
from .style import PATH_COLORS
from .sweeps import (
                       plot_grid_search,
                       plot_lr_sensitivity,
                       plot_momentum_rates,
                       plot_noise_floor,
                       plot_range_test,
                       plot_rate_vs_kappa,
                       plot_rate_vs_lr,
                       plot_rates_vs_theory,
                       plot_sgd_divergence,
)

__all__ = ["animate", "animation_html", "plot_costs", "plot_layer_limits", "contour_levels",
           "plot_decision_boundary", "plot_local_limit_map", "plot_loss_slice", "plot_surface", "surface_grid",
           "loss_gap", "plot_backtracking", "plot_escape", "plot_local_limit", "plot_loss_curves", "plot_losses", "plot_noisy_runs",
           "plot_schedules", "plot_schedules_sgd", "plot_sharpness", "StaticPicture", "describe", "new_figure",
           "png_bytes", "StabilityMap", "stability_map", "RegimeMap", "plot_momentum_regimes", "EffectiveStepFigure", "RippleFigure",
           "ScaleFigure", "plot_effective_steps", "plot_loss_scale", "plot_momentum_ripples", "ComparisonFigure", "PreconditioningFigure", "SharpnessFigure", "plot_sharpness_and_loss", "VelocityForms", "plot_comparison", "plot_preconditioning", "plot_velocity_forms", "step_lengths", "short_label", "plot_factor",
           "plot_iterates", "plot_parabola_path", "plot_regimes", "shade_regimes", "last_finite_point",
           "plot_path", "plot_sgd_paths", "run_labels", "PATH_COLORS", "plot_grid_search", "plot_lr_sensitivity",
           "plot_momentum_rates", "plot_noise_floor", "plot_range_test", "plot_rate_vs_kappa", "plot_rate_vs_lr", "plot_rates_vs_theory", "plot_sgd_divergence",
           "inside_window", "plot_runs"]
