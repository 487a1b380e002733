"""The formulas of lessons 05-09 that tests/lessons/formulas.py's COURSE does not hold, each held to what stepviz
computes (a schedule's value, an optimizer's state or step from a known state): a lesson's test evaluates every term
of its prose written like one of them (formulas.wrong_formulas), so a changed digit of such a formula fails.

Each code value comes from stepviz's own rules, run on a constant gradient or a 1-D bowl, not from the formula.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .formulas import Formula, sample_points


def points() -> list:
    """formulas.sample_points, with integer step counts k (Adam's bias correction) and the symbols 05 uses."""
    out = []
    for i, v in enumerate(sample_points()):
        v = dict(v)
        if i % 2:   # a step small enough for the flattest curvature too (alpha mu < 1)
            v["alpha"] = v["alpha"] / (2 * v["mu"])
        v["k"] = float(round(v["k"]))
        v["z"] = v["x"] - 0.5
        v["alpha_t"], v["epoch"], v["T"] = v["alpha"], float(round(v["t"])), float(round(v["T"]) + 9)   # t < T
        v["s"] = v["sigma"]   # an average of squared gradients (08), above the g^2 = 0.25 of _scale
        out.append(v)
    return out


def _one_step_state(opt, key, g=1.0):
    """The optimizer's state ``key`` after one step from its initial state on the gradient ``g`` (constant)."""
    p = np.array([0.0])
    state = opt.init(p)
    _, state = opt.step(p, lambda x: np.full_like(x, g), state, 0)
    return float(np.asarray(state[key])[0])


def _state_after(opt, key, k, g=1.0):
    p, state = np.array([0.0]), None
    state = opt.init(p)
    for t in range(int(k)):
        _, state = opt.step(p, lambda x: np.full_like(x, g), state, t)
    return float(np.asarray(state[key])[0])


def _first_step(opt, g=1e8):
    """The length of the optimizer's first step on a huge constant gradient (so eps is negligible next to it)."""
    p = np.array([0.0])
    new, _ = opt.step(p, lambda x: np.full_like(x, g), opt.init(p), 0)
    return float(abs(new[0] - p[0]))


def _scale(s, eps, g=0.5):
    """What Adagrad and RMSprop multiply a coordinate's alpha g by once their average of squared gradients is ``s``:
    one step (alpha = 1) from the state that the gradient ``g`` takes to ``s``, divided by g. The two optimizers and
    the state they reach must agree, else nan (which matches no formula)."""
    import stepviz as sv

    out = []
    for opt, before in ((sv.Adagrad(lr=1.0, eps=eps), s - g * g), (sv.RMSprop(lr=1.0, rho=0.9, eps=eps), (s - 0.1 * g * g) / 0.9)):
        p = np.array([0.0])
        new, state = opt.step(p, lambda x: np.full_like(x, g), {"s": np.array([before])}, 1)
        if not np.isclose(np.asarray(state["s"])[0], s, rtol=1e-12, atol=0):
            return float("nan")
        out.append(float(p[0] - new[0]) / g)
    return out[0] if np.isclose(out[0], out[1], rtol=1e-12, atol=0) else float("nan")


def _nesterov_matrix(alpha, gamma, lam):
    """Nesterov's map (x, v) -> (x', v') on the 1-D bowl of curvature lam, read off stepviz's Nesterov step."""
    import stepviz as sv

    opt, cols = sv.Nesterov(lr=alpha, momentum=gamma), []
    for x, v in ((1.0, 0.0), (0.0, 1.0)):
        new, state = opt.step(np.array([x]), lambda p: lam * p, {"v": np.array([v])}, 1)
        cols.append([new[0], float(np.asarray(state["v"])[0])])
    return np.array(cols).T


@lru_cache(maxsize=1)
def catalogue():
    """Made once: formulas.py caches code values by the Formula's id, which must not be reused by a new object."""
    import stepviz as sv

    def adam(v, **kw):
        return sv.Adam(lr=1.0, beta1=v["beta_1"], beta2=v["beta_2"], **kw)

    return (
        # 05: the schedules of the table, and the 1/t schedule's sum
        Formula("inverse time alpha_0/(1 + decay t)", lambda v: sv.inverse_time(v["alpha_0"], v["decay"])(v["t"]),
                (r"\alpha_0/(1+\text{decay}*t)", r"\frac{\alpha_0}{1+\text{decay}*t}")),
        Formula("inverse time per epoch", lambda v: sv.inverse_time(v["alpha_0"], v["decay"])(v["epoch"]),
                (r"\alpha_0/(1+\text{decay}*\text{epoch})",)),
        Formula("its denominator 1 + decay t", lambda v: v["alpha_0"] / sv.inverse_time(v["alpha_0"], v["decay"])(v["t"]),
                (r"1+\text{decay}*t",)),
        Formula("cosine", lambda v: sv.cosine(v["alpha_0"], int(v["T"]), v["alpha_min"])(v["t"]),
                (r"\alpha_{\min}+(\alpha_0-\alpha_{\min})\frac{1+\cos(\pi t/T)}{2}",), where=lambda v: v["t"] <= v["T"]),
        Formula("the 1/t schedule's integral over [0, T]",
                lambda v: float(np.trapezoid(sv.inverse_time(v["alpha_0"], v["decay"])(np.linspace(0, v["T"], 200001)),
                                             np.linspace(0, v["T"], 200001))),
                (r"\frac{\alpha_0}{\text{decay}}\log(1+\text{decay}*T)",), tol=1e-8),
        Formula("the noise ball's denominator 2 (2 - alpha lambda_i) per unit alpha sigma^2",
                lambda v: v["alpha"] * v["sigma"] ** 2 / (sv.analysis.noise_ball(
                    sv.QuadraticBowl((v["lambda_i"], v["lambda_i"])), v["alpha"], v["sigma"]) / 2),
                (r"2(2-\alpha\lambda_i)",), where=lambda v: v["alpha"] * v["lambda_i"] < 2),
        Formula("the factor 1 - alpha_t lambda", lambda v: sv.analysis.step_factor(v["alpha_t"], v["lambda"]),
                (r"1-\alpha_t\lambda",)),
        # 07: Nesterov's characteristic polynomial, read off its step
        Formula("the trace (1 + gamma)(1 - alpha lambda) of Nesterov's map",
                lambda v: float(np.trace(_nesterov_matrix(v["alpha"], v["gamma"], v["lambda"]))),
                (r"(1+\gamma)(1-\alpha\lambda)",)),
        Formula("the determinant gamma (1 - alpha lambda) of Nesterov's map",
                lambda v: float(np.linalg.det(_nesterov_matrix(v["alpha"], v["gamma"], v["lambda"]))),
                (r"\gamma(1-\alpha\lambda)",)),
        Formula("Nesterov's characteristic polynomial det(z I - M)",
                lambda v: float(np.linalg.det(v["z"] * np.eye(2) - _nesterov_matrix(v["alpha"], v["gamma"], v["lambda"]))),
                (r"z^2-(1+\gamma)(1-\alpha\lambda)z+\gamma(1-\alpha\lambda)",)),
        Formula("the heavy ball's characteristic polynomial det(z I - M)",
                lambda v: float(np.linalg.det(v["z"] * np.eye(2) - sv.theory.momentum_matrix(v["alpha"], v["gamma"], v["lambda"]))),
                (r"z^2-(1+\gamma-\alpha\lambda)z+\gamma",)),
        Formula("the heavy ball's ripple threshold (1 - sqrt(alpha mu))^2 of the flat direction",
                lambda v: sv.analysis.ripple_momentum(sv.QuadraticBowl((v["mu"], v["L"])), v["alpha"]),
                (r"(1-\sqrt{\alpha\mu})^2",), where=lambda v: v["alpha"] * v["mu"] < 1),
        Formula("the heavy ball's best rate, written with braces",
                lambda v: sv.theory.momentum_rate(sv.QuadraticBowl((v["mu"], v["L"])),
                                                  *sv.theory.optimal_momentum(sv.QuadraticBowl((v["mu"], v["L"])))),
                (r"\frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}",), tol=1e-6),
        Formula("Nesterov's limit (2 + 2 gamma)/((1 + 2 gamma) L)",
                lambda v: sv.theory.nesterov_lr_limit(sv.QuadraticBowl((v["mu"], v["L"])), v["gamma"]),
                (r"(2+2\gamma)/((1+2\gamma)L)",)),
        # 08, 09: the per-coordinate scale, the moving averages' weights, bias corrections and first steps
        Formula("Adagrad's and RMSprop's scale 1/(sqrt s + eps) of a coordinate's step", lambda v: _scale(v["s"], v["epsilon"]),
                (r"1/(\sqrt{s}+\epsilon)",)),
        Formula("RMSprop's weight 1 - rho of the new g^2", lambda v: _one_step_state(sv.RMSprop(lr=1.0, rho=v["rho"]), "s"),
                (r"1-\rho",)),
        Formula("RMSprop's first step alpha/sqrt(1 - rho)",
                lambda v: _first_step(sv.RMSprop(lr=v["alpha"], rho=v["rho"], eps=1e-12)), (r"\alpha/\sqrt{1-\rho}",)),
        Formula("RMSprop's first step 1/sqrt(1 - rho) in units of alpha",
                lambda v: _first_step(sv.RMSprop(lr=1.0, rho=v["rho"], eps=1e-12)), (r"1/\sqrt{1-\rho}",)),
        Formula("Adam's weight 1 - beta_1 of the new g", lambda v: _one_step_state(adam(v), "m"), (r"1-\beta_1",)),
        Formula("Adam's weight 1 - beta_2 of the new g^2", lambda v: _one_step_state(adam(v), "s"), (r"1-\beta_2",)),
        Formula("Adam's bias 1 - beta_1^k of m after k steps", lambda v: _state_after(adam(v), "m", v["k"]),
                (r"1-\beta_1^k",)),
        Formula("Adam's bias 1 - beta_2^k of s after k steps", lambda v: _state_after(adam(v), "s", v["k"]),
                (r"1-\beta_2^k",)),
        Formula("a moving average's bias 1 - beta^k", lambda v: _state_after(sv.Adam(lr=1.0, beta1=v["beta"]), "m", v["k"]),
                (r"1-\beta^k",)),
        Formula("Adadelta's first step sqrt(eps/(1 - rho))",
                lambda v: _first_step(sv.Adadelta(lr=1.0, rho=v["rho"], eps=v["epsilon"])),
                (r"\sqrt{\epsilon/(1-\rho)}", r"\sqrt{\epsilon/(1 - \rho)}"), tol=1e-6),
        Formula("Adam's step bound (1 - beta_1)/sqrt(1 - beta_2) without bias correction",
                lambda v: _one_step_state(adam(v), "m") / np.sqrt(_one_step_state(adam(v), "s")),
                (r"(1-\beta_1)/\sqrt{1-\beta_2}",)),
        Formula("the heavy ball's limit for Adam's momentum (2 + 2 beta_1)/((1 - beta_1) lambda)",
                lambda v: sv.theory.momentum_lr_limit(sv.QuadraticBowl((v["lambda"], v["lambda"])), v["beta_1"])
                / _one_step_state(adam(v), "m"),
                (r"(2+2\beta_1)/((1-\beta_1)\lambda)",)),
    )


def check(notebook: str, names: set) -> None:
    """Every term of the notebook's math written like a formula of the catalogue computes it, and each of ``names``
    is stated (so a test notices when a formula is rewritten out of the catalogue's forms)."""
    import re

    from .formulas import MATH, stated_formulas, wrong_formulas
    from .prose import markdown

    cat = catalogue()
    text = "\n".join(re.findall(MATH, markdown(notebook), re.S))
    wrong = wrong_formulas(text, cat, points())
    assert not wrong, f"{notebook} states formulas stepviz does not compute: " + "; ".join(wrong)
    found = {f.name for _, like in stated_formulas(text, cat) for f in like}
    assert names <= found, f"{notebook}: no longer states {names - found}"
