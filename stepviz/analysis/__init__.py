"""Analysis: what the course computes about runs and problems, without drawing.

``quadratic`` (= ``sv.theory``) closed forms on bowls; ``parabola`` the 1-D model; ``rates`` measured
rates over sweeps and the stability grid; ``momentum`` velocities, look-ahead points, PyTorch's form;
``adaptive`` effective steps, loss scaling, preconditioning; ``stochastic`` the SGD noise ball;
``curvature`` local limits, Hessians, sharpness, loss spikes; ``tuning`` grid search, the range test;
``sensitivity`` how wide a range of step sizes each method tolerates; ``landscape`` directions and 2-D
slices of a loss with many parameters.
"""
from . import adaptive, curvature, landscape, momentum, parabola, quadratic, rates, sensitivity, stochastic, tuning
from .adaptive import effective_steps, preconditioning_runs, scaled_surface, turned
from .curvature import (
                       hessian,
                       lambda_max,
                       layer_limits,
                       loss_spikes,
                       local_limit_grid,
                       local_limits,
                       sharpness,
                       sharpness_along,
                       sharpness_batch,
)
from .momentum import lookahead_points, velocities, velocity_forms
from .rates import (
                       MeasuredRegimes,
                       RateComparison,
                       StabilityGrid,
                       measured_momentum_regimes,
                       momentum_rates,
                       rate_vs_kappa,
                       rate_vs_lr,
                       stability_grid,
)
from .landscape import LossSlice, loss_slice, pca_directions, project, random_directions
from .parabola import (
                       REGIMES,
                       iterates,
                       parabola_run,
                       regime,
                       regime_bounds,
                       step_factor,
)
from .quadratic import escape_steps, heavy_ball_preset, ripple_momentum
from .stochastic import (
                       measured_floor,
                       noise_ball,
                       noise_ellipse,
                       noisy_runs,
                       schedule_comparison,
                       sgd_runs,
                       sgd_stationary,
                       steps_to_tolerance,
)
from .sensitivity import DEFAULT_METHODS, Sensitivity, lr_sensitivity
from .tuning import GridSearchResult, RangeTestResult, grid_search, lr_range_test, step_counts

__all__ = ["adaptive", "curvature", "landscape", "momentum", "parabola", "quadratic", "rates", "sensitivity",
           "stochastic", "tuning", "loss_spikes", "velocity_forms", "preconditioning_runs", "turned",
           "DEFAULT_METHODS", "hessian",
           "lambda_max", "layer_limits", "local_limit_grid", "local_limits", "sharpness", "sharpness_along", "sharpness_batch",
           "RateComparison", "StabilityGrid", "MeasuredRegimes", "measured_momentum_regimes", "effective_steps", "lookahead_points", "momentum_rates",
           "rate_vs_kappa", "rate_vs_lr", "scaled_surface", "stability_grid", "velocities", "LossSlice",
           "loss_slice", "pca_directions", "project", "random_directions", "REGIMES", "iterates",
           "parabola_run", "regime", "regime_bounds", "step_factor", "escape_steps", "heavy_ball_preset",
           "ripple_momentum", "measured_floor", "noise_ball", "noise_ellipse", "noisy_runs", "schedule_comparison", "sgd_runs",
           "sgd_stationary", "steps_to_tolerance", "GridSearchResult", "RangeTestResult", "Sensitivity",
           "grid_search", "lr_range_test", "lr_sensitivity", "step_counts"]
