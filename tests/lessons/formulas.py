"""The formulas the prose states, evaluated and held to the code (issue 21: a formula is a claim).

A notebook writes formulas in LaTeX: ``$2/L$``, ``$\\frac{2}{\\mu + L}$``, ``$(1 - \\alpha\\lambda)$``. :func:`evaluate`
reads the small part of LaTeX they use (numbers, letters and Greek letters with subscripts, + - * / ^, implicit
products, \\frac, \\sqrt, |...|, \\max) into a function of its symbols. A :class:`Formula` of :data:`COURSE` is what
the code computes (a closed form of ``sv.theory``, a run, an optimizer's step) and the ways the prose writes it.

:func:`stated_formulas` finds every term of the notebook's math (the sides of =, <, ... and the insides of
brackets and bars) that is written like one of the formulas (the same text once each number is replaced by #):
``$5/L$`` is written like ``2/L``. Such a term must evaluate to one of those formulas at random points: changing a
digit of a formula the prose states (``2/L`` -> ``5/L``) fails the test. A term written like none of them is not
checked here (a worked computation such as ``1 - 0.4`` is a claim for the lesson's own test).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

MATH = r"\$\$.*?\$\$|\$[^$]+\$"

# --- reading LaTeX ---------------------------------------------------------------------------------------

_SPACING = re.compile(r"\\[,;!: ]|\\q?quad\b|\\left\b|\\right\b|\\[Bb]ig[lr]?\b")
_RENAME = ((r"\\[dt]frac\b", r"\\frac"), (r"\\lvert\b|\\rvert\b", "|"), (r"\\cdot\b|\\times\b", "*"), ("−", "-"))


def normalize(latex: str) -> str:
    """The formula without spacing and with one spelling of each command ('\\dfrac' -> '\\frac', '\\cdot' -> '*')."""
    out = _SPACING.sub(" ", latex)
    for pattern, new in _RENAME:
        out = re.sub(pattern, new, out)
    # a space stays only where it ends a command before a letter: '\\alpha L' is not '\\alphaL'
    return re.sub(r"\s+", lambda m: " " if re.search(r"\\[A-Za-z]+$", out[:m.start()])
                  and re.match(r"[A-Za-z]", out[m.end():]) else "", out).strip(" .,;")


def skeleton(latex: str) -> str:
    """How a formula is written, whatever its numbers: '2/(\\mu+L)' and '5/(\\mu+L)' both give '#/(\\mu+L)' (a digit
    stands for a digit, so '38/\\lambda' is not written like '2/\\lambda')."""
    return re.sub(r"\d", "#", normalize(latex))


_TOKEN = re.compile(r"(?P<num>\d+(?:\.\d+)?)|(?P<word>\\(?:text|operatorname|mathrm)\{[^{}]*\})"
                    r"|(?P<hat>\\hat\{?[A-Za-z]\}?)|(?P<cmd>\\[A-Za-z]+)|(?P<letter>[A-Za-z])|(?P<op>[-+*/^_(){}|,])")
FUNCTIONS = {"frac", "sqrt", "max", "min", "log", "exp", "cos", "sin"}
CONSTANTS = {"pi": math.pi}


def _tokens(latex: str) -> list:
    text, out, i = normalize(latex), [], 0
    while i < len(text):
        if text[i] == " ":
            i += 1
            continue
        m = _TOKEN.match(text, i)
        if not m:
            raise ValueError(f"cannot read {text[i:]!r} of {latex!r}")
        kind = m.lastgroup
        value = m.group()
        if kind == "word":
            kind, value = "name", re.sub(r"\W", "", value.split("{", 1)[1])
        elif kind == "hat":
            kind, value = "name", re.sub(r"\W|hat", "", value) + "hat"
        elif kind == "cmd":
            kind, value = ("func", value[1:]) if value[1:] in FUNCTIONS else ("name", value[1:])
        elif kind == "letter":
            kind = "name"
        out.append((kind, value))
        i = m.end()
    return out


class _Parser:
    """Recursive descent over the tokens; a term's nodes are functions of a dict of symbol values."""

    def __init__(self, latex):
        self.latex, self.tokens, self.i, self.bars = latex, _tokens(latex), 0, 0

    def peek(self, k=0):
        return self.tokens[self.i + k] if self.i + k < len(self.tokens) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise ValueError(f"expected {value or 'more'} in {self.latex!r} at token {self.i}")
        self.i += 1
        return tok

    def parse(self):
        node = self.sum()
        if self.i != len(self.tokens):
            raise ValueError(f"cannot read {self.latex!r} past token {self.i} ({self.peek()[1]!r})")
        return node

    def sum(self):
        node = self.product()
        while self.peek()[1] in ("+", "-"):
            op, right = self.take()[1], self.product()
            node = (lambda a, b: lambda v: a(v) + b(v))(node, right) if op == "+" else \
                (lambda a, b: lambda v: a(v) - b(v))(node, right)
        return node

    def _starts_factor(self):
        kind, value = self.peek()
        if kind in ("num", "name", "func"):
            return True
        return value in ("(", "{") or (value == "|" and not self.bars)

    def product(self):
        node = self.signed()
        while True:
            if self.peek()[1] in ("*", "/"):
                op, right = self.take()[1], self.signed()
            elif self._starts_factor():
                op, right = "*", self.power()
            else:
                return node
            node = (lambda a, b: lambda v: a(v) * b(v))(node, right) if op == "*" else \
                (lambda a, b: lambda v: a(v) / b(v))(node, right)

    def signed(self):
        if self.peek()[1] == "-":
            self.take()
            inner = self.signed()
            return lambda v: -inner(v)
        if self.peek()[1] == "+":
            self.take()
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek()[1] == "^":
            self.take()
            exponent = self.group() if self.peek()[1] == "{" else self.single()
            return lambda v: base(v) ** exponent(v)
        return base

    def single(self):
        """What a ^ or a \\sqrt takes without braces: one digit, one letter, one command."""
        kind, value = self.take()
        if kind == "num" and len(value) > 1:  # ^12 is ^1 followed by 2
            self.tokens[self.i - 1:self.i] = [("num", value[0]), ("num", value[1:])]
            value = value[0]
        return self._leaf(kind, value)

    def group(self):
        self.take("{")
        node = self.sum()
        self.take("}")
        return node

    def _leaf(self, kind, value):
        if kind == "num":
            return lambda v, x=float(value): x
        if kind == "name":
            name = value
            if self.peek()[1] == "_":
                self.take()
                if self.peek()[1] == "{":
                    start = self.i
                    depth = 0
                    while True:
                        tok = self.take()[1]
                        depth += (tok == "{") - (tok == "}")
                        if depth == 0:
                            break
                    name += "_" + "".join(t[1] for t in self.tokens[start + 1:self.i - 1])
                else:
                    name += "_" + self.take()[1]
            if name in ("lambda_max", "lambda_min") and self.peek()[1] == "(":  # the eigenvalue of (a matrix)
                depth = 0
                while True:
                    tok = self.take()[1]
                    depth += (tok == "(") - (tok == ")")
                    if depth == 0:
                        break
            if name in CONSTANTS:
                return lambda v, x=CONSTANTS[name]: x
            return lambda v, n=name: v[n]
        raise ValueError(f"unexpected {value!r} in {self.latex!r}")

    def atom(self):
        kind, value = self.peek()
        if kind in ("num", "name"):
            self.take()
            return self._leaf(kind, value)
        if value == "(":
            self.take()
            node = self.sum()
            self.take(")")
            return node
        if value == "{":
            return self.group()
        if value == "|":
            self.take()
            self.bars += 1
            node = self.sum()
            self.bars -= 1
            self.take("|")
            return lambda v: abs(node(v))
        if kind == "func":
            self.take()
            if value == "frac":
                top, bottom = self.group(), self.group()
                return lambda v: top(v) / bottom(v)
            if value == "sqrt":
                inner = self.group() if self.peek()[1] == "{" else self.single()
                return lambda v: math.sqrt(inner(v))
            self.take("(")
            args = [self.sum()]
            while self.peek()[1] == ",":
                self.take()
                args.append(self.sum())
            self.take(")")
            fn = {"max": max, "min": min, "log": math.log, "exp": math.exp, "cos": math.cos, "sin": math.sin}[value]
            return lambda v: fn(*(a(v) for a in args))
        raise ValueError(f"unexpected {value!r} in {self.latex!r}")


def evaluate(latex: str):
    """The formula as a function of a dict of its symbols' values: evaluate('2/(\\mu+L)')({'mu': 1, 'L': 9}) == 0.2.
    Symbols are named as written, without the backslash, subscripts after '_': 'lambda_max', 'beta_1', 'alpha_0'."""
    return _Parser(latex).parse()


# --- the course's formulas ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Formula:
    """What the code computes (``code``: a function of the symbol values) and how the prose writes it (``forms``)."""
    name: str
    code: object
    forms: tuple
    tol: float = 1e-9     # relative; a spectral radius at a double root is only good to ~sqrt(machine epsilon)
    where: object = None  # the symbol values where the formula holds (e.g. a stable step), if not everywhere


def sample_points(n: int = 8, seed: int = 21) -> list:
    """Symbol values at which formulas are compared: step sizes and coefficients in (0, 1), curvatures and
    counts above 1, mu < L and kappa = L / mu."""
    rng, out = np.random.default_rng(seed), []
    for _ in range(n):
        v = {name: float(rng.uniform(0.05, 0.95)) for name in
             ("alpha", "gamma", "rho", "beta", "beta_1", "beta_2", "epsilon", "decay", "alpha_min", "x", "y", "g")}
        v |= {name: float(rng.uniform(1.2, 9.0)) for name in
              ("lambda", "lambda_i", "lambda_min", "mu", "L", "theta", "t", "T", "k", "alpha_0", "alpha_max", "sigma")}
        v["L"] = v["mu"] + float(rng.uniform(0.5, 20.0))
        v["lambda_max"] = v["lambda_min"] + float(rng.uniform(0.5, 20.0))
        v["kappa"] = v["L"] / v["mu"]
        v["b"], v["n"] = float(rng.integers(2, 50)), float(rng.integers(60, 500))
        v["T"] = float(2 + 3 * len(out))  # a whole number of steps (the cosine schedule's length)
        out.append(v)
    return out


_VALUES = {}


def _code_value(formula: Formula, v: dict) -> float:
    """What the code computes for the formula at ``v`` (each once per process: the tests rerun often)."""
    key = (id(formula), tuple(sorted(v.items())))
    if key not in _VALUES:
        _VALUES[key] = float(np.asarray(formula.code(v), dtype=float))
    return _VALUES[key]


def _matches(latex: str, formula: Formula, points) -> bool:
    fn = evaluate(latex)
    points = [v for v in points if formula.where is None or formula.where(v)]
    assert len(points) >= 2, f"{formula.name}: fewer than two sample points where it holds"
    for v in points:
        try:
            got = fn(v)
        except (ZeroDivisionError, ValueError, OverflowError, KeyError):
            return False
        want = _code_value(formula, v)
        if not math.isclose(got, want, rel_tol=formula.tol, abs_tol=1e-12):
            return False
    return True


def terms(math_text: str) -> list:
    """The terms of one $...$: the sides of its relations, then the inside of every (), {}, [] and |...|, each
    split at its commas; only those that hold a digit."""
    body = _SPACING.sub(" ", math_text.strip("$"))  # '\\,' is a space, not a comma
    out = []
    relation = re.compile(r"=|<|>|\\(?:approx|le|ge|leq|geq|sim|propto|leftarrow|rightarrow|to|iff|ne|gg|ll|in)"
                          r"(?![A-Za-z])|\\q?quad(?![A-Za-z])|,|;")

    def split(text):
        parts, depth, last, i = [], 0, 0, 0
        while i < len(text):
            ch = text[i]
            if ch in "({[":
                depth += 1
            elif ch in ")}]":
                depth -= 1
            elif depth == 0:
                m = relation.match(text, i)
                if m and (m.group() != "," or True):
                    parts.append(text[last:i])
                    last = i = m.end()
                    continue
            i += 1
        parts.append(text[last:])
        return parts

    out += split(body)
    for opener, closer in (("(", ")"), ("{", "}"), ("[", "]")):
        stack = []
        for i, ch in enumerate(body):
            if ch == opener:
                stack.append(i)
            elif ch == closer and stack:
                out += split(body[stack.pop() + 1:i])
    out += [inner for m in re.finditer(r"\|([^|]+)\|", body) for inner in split(m.group(1))]
    out += [m.group() for m in re.finditer(r"\|[^|]+\|", body)]
    return [t.strip() for t in out if re.search(r"\d", t) and t.strip()]


def stated_formulas(text: str, catalogue) -> list:
    """(term, the formulas it is written like) for every term of the text's math written like one of
    ``catalogue``'s formulas."""
    shapes = {}
    for f in catalogue:
        for form in f.forms:
            shapes.setdefault(skeleton(form), []).append(f)
    out = []
    for m in re.finditer(MATH, text, re.S):
        for term in terms(m.group()):
            like = shapes.get(skeleton(term))
            if like:
                out.append((term, like))
    return out


def wrong_formulas(text: str, catalogue, points=None) -> list:
    """The terms of ``text`` written like a formula of ``catalogue`` that compute none of those formulas."""
    points = points or sample_points()
    return [f"{term!r} (written like {', '.join(sorted({f.name for f in like}))})"
            for term, like in stated_formulas(text, catalogue) if not any(_matches(term, f, points) for f in like)]


def wrong_forms(catalogue, points=None) -> list:
    """The forms of the catalogue that do not compute what the code computes."""
    points = points or sample_points()
    return [f"{f.name}: {form!r}" for f in catalogue for form in f.forms if not _matches(form, f, points)]


def _bowl(v, lo="mu", hi="L"):
    import stepviz as sv
    return sv.QuadraticBowl(curvatures=(v[lo], v[hi]))


def _curvature_at_limit(alpha):
    """The curvature at which ``alpha`` is the largest stable step, by bisection on the code's limit."""
    import stepviz as sv
    lo, hi = 1e-6, 1e6
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if sv.theory.lr_limit(sv.analysis.parabola.parabola(mid)) > alpha else (lo, mid)
    return math.sqrt(lo * hi)


def _velocity(alpha, gamma, g=1.0, steps=2000):
    """Heavy ball's velocity under a constant gradient, by the loop v <- gamma v + alpha g."""
    v = 0.0
    for _ in range(steps):
        v = gamma * v + alpha * g
    return v


def _course():
    import stepviz as sv
    th, an = sv.theory, sv.analysis

    def factor(curvature):
        return Formula(f"the factor 1 - alpha {curvature}", lambda v: an.step_factor(v["alpha"], v[curvature]),
                       (rf"1-\alpha\{curvature}" if curvature != "L" else r"1-\alpha L",))

    def size(f):
        return Formula(f"|{f.name}|", lambda v: abs(f.code(v)), tuple(f"|{form}|" for form in f.forms))

    factors = [factor(c) for c in ("lambda", "mu", "L")] + [
        Formula("the factor 1 - alpha lambda_i", lambda v: an.step_factor(v["alpha"], v["lambda_i"]), (r"1-\alpha\lambda_i",)),
        Formula("the factor 1 - alpha lambda_max", lambda v: an.step_factor(v["alpha"], v["lambda_max"]),
                (r"1-\alpha\lambda_{\max}",)),
        Formula("the factor 1 - alpha lambda_min", lambda v: an.step_factor(v["alpha"], v["lambda_min"]),
                (r"1-\alpha\lambda_{\min}",))]
    return tuple(factors + [size(f) for f in factors]) + (
        Formula("the noise ball alpha sigma^2 / (2 (2 - alpha lambda_i)) of one direction",
                lambda v: sv.analysis.stochastic.noise_ball(_bowl(v, "lambda_i", "lambda_i"), v["alpha"], v["sigma"]) / 2,
                (r"\frac{\alpha\sigma^2}{2(2-\alpha\lambda_i)}",), where=lambda v: v["alpha"] * v["lambda_i"] < 2),
        Formula("2 - alpha lambda_i = 1 + the factor (the noise ball's denominator)",
                lambda v: 1 + an.step_factor(v["alpha"], v["lambda_i"]), (r"2-\alpha\lambda_i",)),
        Formula("the inverse-time schedule alpha_0 / (1 + decay t)",
                lambda v: sv.optim.schedules.inverse_time(v["alpha_0"], v["decay"])(v["t"]),
                (r"\alpha_0/(1+\text{decay}\cdot t)", r"\frac{\alpha_0}{1+\text{decay}\cdot t}")),
        Formula("the cosine schedule", lambda v: sv.optim.schedules.cosine(v["alpha_0"], int(v["T"]), v["alpha_min"])(v["t"]),
                (r"\alpha_{\min}+(\alpha_0-\alpha_{\min})\frac{1+\cos(\pi t/T)}{2}",), where=lambda v: v["t"] <= v["T"]),
        Formula("the limit 2/L of a bowl", lambda v: th.lr_limit(_bowl(v)), ("2/L", r"\frac{2}{L}")),
        Formula("the limit 2/lambda of a parabola", lambda v: th.lr_limit(an.parabola.parabola(v["lambda"])),
                (r"2/\lambda", r"\frac{2}{\lambda}")),
        Formula("the limit 2/lambda_max", lambda v: th.lr_limit(_bowl(v, "lambda_min", "lambda_max")),
                (r"2/\lambda_{\max}", r"\frac{2}{\lambda_{\max}}", r"2/\lambda_{\max}(H(\theta))",
                 r"\frac{2}{\lambda_{\max}(H(\theta))}", r"2/\lambda_{\max}(\nabla^2J(\theta))")),
        Formula("the sharpness 2/alpha at which alpha is the limit", lambda v: _curvature_at_limit(v["alpha"]),
                (r"2/\alpha", r"\frac{2}{\alpha}")),
        Formula("the step 1/lambda that lands in one step (smooth up to it)",
                lambda v: an.regime_bounds(v["lambda"], (1e-9, 1e9))["smooth"][1], (r"1/\lambda", r"\frac{1}{\lambda}")),
        Formula("the step 1/L above which the steep direction overshoots",
                lambda v: an.regime_bounds(v["L"], (1e-9, 1e9))["oscillating"][0], ("1/L", r"\frac{1}{L}")),
        Formula("the best step 2/(mu + L)", lambda v: th.optimal_lr(_bowl(v)),
                (r"2/(\mu+L)", r"\frac{2}{\mu+L}")),
        Formula("the best rate (kappa - 1)/(kappa + 1)", lambda v: th.gd_rate(_bowl(v), th.optimal_lr(_bowl(v))),
                (r"(\kappa-1)/(\kappa+1)", r"\frac{\kappa-1}{\kappa+1}", r"\frac{L-\mu}{L+\mu}")),
        Formula("the rate max(|1 - alpha mu|, |1 - alpha L|)", lambda v: th.gd_rate(_bowl(v), v["alpha"]),
                (r"\max(|1-\alpha\mu|,|1-\alpha L|)",)),
        Formula("the parabola lambda theta^2 / 2", lambda v: an.parabola.parabola(v["lambda"]).value([v["theta"], 0.0]),
                (r"\lambda\theta^2/2", r"\frac{\lambda}{2}\theta^2")),
        Formula("Rosenbrock's valley", lambda v: sv.Rosenbrock().value([v["x"], v["y"]]), (r"(1-x)^2+100(y-x^2)^2",)),
        Formula("the saddle's factor along x", lambda v: sv.run(sv.GD(lr=v["alpha"]), sv.Saddle(quartic=0.0),
                                                                 [1.0, 1.0], steps=1).points[1, 0], (r"1-\alpha",)),
        Formula("the saddle's factor along y", lambda v: sv.run(sv.GD(lr=v["alpha"]), sv.Saddle(quartic=0.0),
                                                                 [1.0, 1.0], steps=1).points[1, 1], (r"1+\alpha",)),
        Formula("heavy ball's limit alpha L < 2 + 2 gamma", lambda v: th.momentum_lr_limit(_bowl(v), v["gamma"]) * v["L"],
                (r"2+2\gamma",)),
        Formula("Nesterov's limit alpha L < (2 + 2 gamma)/(1 + 2 gamma)",
                lambda v: th.nesterov_lr_limit(_bowl(v), v["gamma"]) * v["L"],
                (r"(2+2\gamma)/(1+2\gamma)", r"\frac{2+2\gamma}{1+2\gamma}")),
        Formula("the denominator 1 + 2 gamma of Nesterov's limit (heavy ball's over Nesterov's)",
                lambda v: th.momentum_lr_limit(_bowl(v), v["gamma"]) / th.nesterov_lr_limit(_bowl(v), v["gamma"]),
                (r"1+2\gamma",)),
        Formula("heavy ball's monotone bound (1 - sqrt gamma)^2", lambda v: th.momentum_regime_bounds(v["gamma"])[0],
                (r"(1-\sqrt\gamma)^2",)),
        Formula("heavy ball's ripple bound (1 + sqrt gamma)^2", lambda v: th.momentum_regime_bounds(v["gamma"])[1],
                (r"(1+\sqrt\gamma)^2",)),
        Formula("heavy ball's best step 4/(sqrt L + sqrt mu)^2", lambda v: th.optimal_momentum(_bowl(v))[0],
                (r"\frac{4}{(\sqrt{L}+\sqrt{\mu})^2}", r"4/(\sqrt L+\sqrt\mu)^2", r"\frac{4}{(\sqrt L+\sqrt\mu)^2}")),
        Formula("heavy ball's best rate (sqrt kappa - 1)/(sqrt kappa + 1)",
                lambda v: th.momentum_rate(_bowl(v), *th.optimal_momentum(_bowl(v))),
                (r"(\sqrt\kappa-1)/(\sqrt\kappa+1)", r"\frac{\sqrt\kappa-1}{\sqrt\kappa+1}"), tol=1e-6),
        Formula("the trace 1 + gamma - alpha lambda of heavy ball's matrix",
                lambda v: float(np.trace(th.momentum_matrix(v["alpha"], v["gamma"], v["lambda"]))),
                (r"1+\gamma-\alpha\lambda",)),
        Formula("heavy ball's terminal velocity alpha g/(1 - gamma)", lambda v: _velocity(v["alpha"], v["gamma"], v["g"]),
                (r"\alpha g/(1-\gamma)",)),
        Formula("heavy ball's terminal velocity alpha/(1 - gamma) per unit gradient",
                lambda v: _velocity(v["alpha"], v["gamma"]), (r"\alpha/(1-\gamma)",)),
    )


COURSE = _course()


# --- worked arithmetic: $1 - 0.1\cdot 2 = 0.8$, $\log(10^4)/\log(1.1) \approx 97$ ------------------------------

_CHAIN_BREAK = re.compile(r"<|>|\\(?:le|ge|leq|geq|sim|propto|leftarrow|rightarrow|to|iff|ne|gg|ll|in|quad|qquad|text"
                          r"|mathrm)(?![A-Za-z])|[,;]")
_EQUALS = re.compile(r"=|\\approx(?![A-Za-z])|≈")


def _split(text, pattern):
    """``text`` cut where ``pattern`` matches outside brackets."""
    parts, depth, last, i = [], 0, 0, 0
    while i < len(text):
        if text[i] in "({[":
            depth += 1
        elif text[i] in ")}]":
            depth -= 1
        elif depth == 0:
            m = pattern.match(text, i)
            if m and m.end() > i:
                parts.append(text[last:i])
                last = i = m.end()
                continue
        i += 1
    return parts + [text[last:]]


def _value(side: str):
    """The numbers a side of an equation computes (a tuple for '(0.8, 2.4)'), or None if it holds a symbol."""
    side = side.strip()
    inner = side[1:-1] if side.startswith("(") and side.endswith(")") else None
    parts = _split(inner, re.compile(",")) if inner is not None and len(_split(inner, re.compile(","))) > 1 else [side]
    try:
        return tuple(evaluate(p)({}) for p in parts), [p.strip() for p in parts]
    except (KeyError, ValueError, ZeroDivisionError, OverflowError, TypeError, IndexError):
        return None


def _same(a, a_text, b, b_text) -> bool:
    from .prose import TEX, agrees

    def bare(t):
        return re.fullmatch(rf"[-−]?(?:{TEX})", normalize(t).replace("*", r"\times")) is not None
    if bare(b_text):
        return agrees(normalize(b_text).replace("*", r"\times"), a)
    if bare(a_text):
        return agrees(normalize(a_text).replace("*", r"\times"), b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def worked_equalities(text: str) -> list:
    """(left, right) for each = or ≈ in the text's math between two sides that hold only numbers."""
    out = []
    for m in re.finditer(MATH, text, re.S):
        body = _SPACING.sub(" ", m.group().strip("$"))
        for segment in _split(body, _CHAIN_BREAK):
            sides = [s for s in _split(segment, _EQUALS)]
            out += [(a.strip(), b.strip()) for a, b in zip(sides, sides[1:]) if a.strip() and b.strip()]
    return out


def wrong_arithmetic(text: str) -> list:
    """The worked equalities of the text whose two sides differ (beyond the rounding of a number written alone)."""
    wrong = []
    for a, b in worked_equalities(text):
        va, vb = _value(a), _value(b)
        if va is None or vb is None or len(va[0]) != len(vb[0]):
            continue
        if not all(_same(x, xt, y, yt) for x, xt, y, yt in zip(va[0], va[1], vb[0], vb[1])):
            wrong.append(f"{a} = {b} ({va[0]} vs {vb[0]})")
    return wrong
