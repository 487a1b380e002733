"""The numbers of a notebook's prose, how one is mutated, and the rules that exempt a number from needing a test.

A number is what ``tests/lessons/prose.py`` reads as one (its ``NUM`` pattern), found in every markdown cell.
A mutation changes one digit. An exemption rule finds spans of a cell's source (regular expressions, the span
being their group ``n``, or functions): a number lying wholly inside one is exempt by that rule, for the reason
the rule gives, unless a test catches its mutation anyway.

Constants of formulas (the 2 of $2/L$, the 1 of $(1 - \\alpha\\lambda)$) are not exempt: a formula is a claim.
tests/lessons/test_formulas.py evaluates every term of a notebook's math that is written like one of the course's
formulas (tests/lessons/formulas.py: COURSE, each held to the code at random points) and fails when a digit changed
($2/L$ -> $5/L$). A formula it does not know is a claim for the lesson's own test: read it with
``formulas.evaluate(latex)`` (or ``formulas.wrong_formulas(text, [your Formula(...)])``) and compare it with the code.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

from tests.lessons import prose

NUMBER = re.compile(prose.NUM)


@dataclass(frozen=True)
class Rule:
    name: str
    why: str
    zones: tuple  # functions: source -> the (start, end) spans the rule exempts


def _rule(name: str, why: str, *patterns) -> Rule:
    """A rule from regular expressions (their group "n" is the exempt span) or functions giving spans."""
    def spans(pattern):
        pattern = re.compile(pattern, re.M)
        return lambda source: [m.span("n") for m in pattern.finditer(source)]
    return Rule(name, why, tuple(p if callable(p) else spans(p) for p in patterns))


def _table_column(header: str):
    """The cells of every markdown table column whose header matches ``header``."""
    def spans(source):
        out = []
        for table in re.finditer(r"(?:^\|.*\n?)+", source, re.M):
            rows = [(m.start(), m.group()) for m in re.finditer(r"^.*$", table.group(), re.M) if m.group()]
            heads = [c.strip() for c in rows[0][1].split("|")]
            for offset, row in rows[2:]:
                edges = [i for i, ch in enumerate(row) if ch == "|"]
                for col, (lo, hi) in enumerate(zip(edges, edges[1:]), start=1):
                    if col < len(heads) and re.fullmatch(header, heads[col]):
                        out.append((table.start() + offset + lo, table.start() + offset + hi))
        return out
    return spans


_VARIABLE = re.compile(r"\\(?:alpha|beta|gamma|delta|epsilon|eta|theta|kappa|lambda|mu|rho|sigma|nabla|max|min)\b"
                       r"|(?<![\\a-zA-Z])[a-zA-Z](?![a-zA-Z])")


def _powers_of_symbols(source):
    """The exponents of powers whose base holds a symbol (θ^2, g_0^2, \\hat{s}^2, (1-γ)^2), not of numbers
    (10^{-6}, 0.6^3, (8/12)^2)."""
    out = []
    for m in re.finditer(r"\^(\{[^{}$]*\}|[-−]?\d)", source):
        end = m.start()
        sub = re.search(r"_(?:\{[^{}]*\}|\w)$", source[:end])  # g_0^2: the base is g
        end = sub.start() if sub else end
        if source[end - 1:end] in (")", "}", "|"):
            close = source[end - 1]
            opener = {")": "(", "}": "{", "|": "|"}[close]
            depth, i = 0, end - 1
            while i > 0:
                i -= 1
                if source[i] == opener and depth == 0:
                    break
                if opener != close:
                    depth += (source[i] == close) - (source[i] == opener)
            base = source[i:end]
        else:
            base = re.search(r"(?:\\[A-Za-z]+|[A-Za-z]|[\d.]*)$", source[:end]).group()
        if _VARIABLE.search(base):
            out.append(m.span(1))
    return out


_NN = r"\d\d"
RULES = (
    _rule("section-number", "the number of the notebook or of a section (in a heading, or 'section 4' in the text) "
          "orders the text; it is no value", r"^#{1,6}[ \t]+(?P<n>\d+)(?=\.|[ \t]·)",
          r"\b[Ss]ections?[ \t\n]+(?P<n>\d+(?:(?:,[ \t\n]*|[ \t\n]+and[ \t\n]+)\d+)*)"),
    _rule("list-enumerator", "an ordered list's item number says which item, not how much",
          r"^[ \t]*(?P<n>\d+)\.[ \t]"),
    _rule("notebook-reference", "names a notebook of the course (a title, a link, 'notebook 03', 'lessons 06, 11', "
          "'(09)', a table's lesson column): which lesson, not a value",
          rf"(?P<n>\b{_NN}) ·", rf"\b(?P<n>{_NN}_\w+\.ipynb)",
          rf"\b(?:[Nn]otebook|[Ll]esson)s?[ \t\n]+(?P<n>{_NN}(?:(?:,[ \t\n]*|[ \t\n]+(?:and|to)[ \t\n]+|[–-]){_NN})*)",
          r"\((?P<n>(?:0\d|1[0-3])(?:,[ \t]*(?:0\d|1[0-3]))*)\)", _table_column(r"(?i)lessons?|notebooks?")),
    _rule("duration", "how long a learner takes: an estimate held by the counting model of tests/lessons/timing.py, "
          "not a value the course computes", r"(?P<n>\d+(?:[–-]\d+)?)[ \t]*(?:minutes?|min\b)"),
    _rule("citation", "a reference to the literature (year, arXiv id, pages, chapter): where to read more",
          r"(?P<n>^#+[ \t]+References\b[\s\S]*?)(?=^#|\Z)", r"(?P<n>\*\*References:\*\*[\s\S]*?)(?=\n\n|\Z)",
          r"[A-Z][\w'-]+(?:[ \t]+et[ \t]+al\.|[ \t]+(?:&|and)[ \t]+[A-Z][\w'-]+)?,?[ \t]+\(?(?P<n>(?:19|20)\d\d)"
          r"(?=[);,.]|[ \t]+·|$)",
          r"(?P<n>arXiv:\S+)"),
    _rule("name-or-index", "part of a name or an index (theta0, L11, β_1, θ_{k+1}): it says which quantity, not how much",
          r"[A-Za-z_](?P<n>\d+)", r"_(?P<n>\{[^{}$]*\})"),
    _rule("power-of-a-symbol", "the power of a symbol in a formula (θ², g_0², (1-γ)²) is the formula's notation; "
          "powers of numbers (10^{-6}, 0.6^3, (8/12)^2) are values and not exempt",
          _powers_of_symbols),
    _rule("format-example", "an example of how to write an answer ('e.g. `my_step = [0.5, 1.0]`'), not a value",
          r"(?:e\.g\.|such as|for example),?[ \t\n]+(?P<n>`[^`]*`)"),
)
WHY = {r.name: r.why for r in RULES}


@lru_cache(maxsize=256)
def _zones(source: str) -> tuple:
    return tuple((lo, hi, rule.name) for rule in RULES for zones in rule.zones for lo, hi in zones(source))


def exempting_rule(source: str, start: int, end: int) -> str | None:
    """The first rule whose group ``n`` spans ``source[start:end]``, or None."""
    return next((name for lo, hi, name in _zones(source) if lo <= start and end <= hi), None)


# --- where a number stands: a prompt's parameter, a claim, a heading -----------------------------------------

_PROMPT = re.compile(r"^#+[ \t]+(?:Self-check|Your turn|Exercises)|\*\*(?:Try this|Think!)\*\*", re.M)


def where(source: str, start: int) -> str:
    """'answer' inside a <details> block, 'prompt' after a question's marker (self-check, Try this, Think!,
    exercises) until its <details> or the next heading, 'heading', else 'prose'."""
    before = source[:start]
    if before[before.rfind("\n") + 1:].lstrip().startswith("#"):
        return "heading"
    if before.rfind("<details") > before.rfind("</details>"):
        return "answer"
    marks = [m.end() for m in _PROMPT.finditer(before)]
    if marks and not re.search(r"<details|^#", before[marks[-1]:], re.M):
        return "prompt"
    return "prose"


def notation(source: str, start: int) -> str:
    """'math' inside $...$, 'code' inside `...` or a fenced block, else 'text'."""
    for kind, pattern in (("code", r"```.*?```|`[^`\n]+`"), ("math", r"\$\$.*?\$\$|\$[^$]+\$")):
        if any(m.start() < start < m.end() for m in re.finditer(pattern, source, re.S)):
            return kind
    return "text"




_RELATION = re.compile(r"=|<|>|,|;|\\(?:approx|le|ge|leq|geq|sim|propto|quad|qquad|leftarrow)\b")


def kind(source: str, start: int, end: int) -> str:
    """For planning the fixes: 'parameter' (of a prompt), 'formula' (a constant of a symbolic expression in
    math: the 2 of $2/\\lambda$, the 1 of $(1-\\rho)$) or 'claim' (a value stated, computed or worked)."""
    if where(source, start) == "prompt":
        return "parameter"
    if notation(source, start) == "math":
        math = next(m for m in re.finditer(r"\$\$.*?\$\$|\$[^$]+\$", source, re.S) if m.start() < start < m.end())
        cuts = [math.start(), math.end()] + [m.start() + math.start() for m in _RELATION.finditer(math.group())]
        term = source[max(c for c in cuts if c < start):min(c for c in cuts if c >= end)]
        if _VARIABLE.search(re.sub(r"\\text\{[^}]*\}|\\(?:approx|le|ge|leq|geq|sim|propto)\b", "", term)):
            return "formula"
    return "claim"


def sentence(source: str, start: int, end: int, new: str | None = None) -> str:
    """The sentence (or list item, or table row) around ``source[start:end]``, on one line; with ``new``, the
    number is shown as ⟦old→new⟧."""
    lo = max(source.rfind("\n\n", 0, start) + 1, source.rfind("\n#", 0, start) + 1)
    lo = source.find("\n", lo) + 1 if source[lo:].startswith("#") and source.find("\n", lo) < start else lo
    hi = source.find("\n\n", end)
    hi = len(source) if hi < 0 else hi
    line = source.rfind("\n", 0, start) + 1
    if re.match(r"[ \t]*(?:[-*|]|#+|\d+\.)[ \t]", source[line:]):  # a list item, table row or heading
        lo = max(lo, line)
        eol = source.find("\n", end)
        hi = min(hi, len(source) if eol < 0 else eol)
    lo = ([lo] + [lo + m.end() for m in re.finditer(r"[.!?](?=\s)", source[lo:start])])[-1]
    after = end + 1 if re.fullmatch(r"[ \t#]*", source[line:start]) else end  # "2." of a list or heading
    m = re.search(r"[.!?](?=\s|$)", source[after:hi])
    hi = after + m.end() if m else hi
    mark = f"⟦{source[start:end]}→{new}⟧" if new is not None else source[start:end]
    return " ".join((source[lo:start] + mark + source[end:hi]).split())


# --- numbers and their mutations ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Mutation:
    """One digit of one number of a notebook's markdown changed: cell ``cell`` (index among its markdown cells),
    ``source[start:end] == old`` becomes ``new``."""
    notebook: str
    cell: int
    start: int
    end: int
    old: str
    new: str
    rule: str | None      # the exemption rule that applies, or None
    where: str            # answer, prompt, heading or prose
    notation: str         # math, code or text
    kind: str             # parameter, formula or claim
    sentence: str

    @property
    def id(self) -> str:
        return f"{self.notebook}:{self.cell}:{self.start}"

    def apply(self, cells: tuple) -> tuple:
        """The markdown cells with this mutation made."""
        source = cells[self.cell]
        assert source[self.start:self.end] == self.old, f"{self.id}: the prose changed since the mutation was made"
        return cells[:self.cell] + (source[:self.start] + self.new + source[self.end:],) + cells[self.cell + 1:]


def mutate(text: str, seed: int = 0, key: str = "") -> str:
    """``text`` (a number as the prose writes it) with one digit changed. Seed 0: the last digit of the mantissa
    plus 3, mod 10 (the rule of issue 21's measurement: three units of the last digit written, so a number
    stated to its last digit must be checked to that digit). Other seeds: a digit and its new value drawn
    from ``random.Random(f"{seed}:{key}")``; a leading digit never becomes 0."""
    mantissa = re.split(r"[eE]", text)[0]
    digits = [i for i, ch in enumerate(mantissa) if ch.isdigit()]
    if not digits:
        raise ValueError(f"{text!r} has no digit to change")
    if seed == 0:
        i, new = digits[-1], (int(text[digits[-1]]) + 3) % 10
    else:
        rng = random.Random(f"{seed}:{key}")
        i = rng.choice(digits)
        integer_digits = [j for j in digits if j < (mantissa + ".").index(".")]
        leading = i == digits[0] and len(integer_digits) > 1
        new = rng.choice([d for d in range(1 if leading else 0, 10) if d != int(text[i])])
    out = text[:i] + str(new) + text[i + 1:]
    assert NUMBER.fullmatch(out) and prose.to_number(out) != prose.to_number(text), (text, out)
    return out


def mutations(notebook: str, seed: int = 0, cells: tuple | None = None) -> list:
    """One mutation per number in the notebook's markdown (``cells`` if given), in reading order."""
    cells = prose.cells(notebook) if cells is None else cells
    out = []
    for c, source in enumerate(cells):
        for m in NUMBER.finditer(source):
            new = mutate(m.group(), seed, f"{notebook}:{c}:{m.start()}")
            out.append(Mutation(notebook, c, m.start(), m.end(), m.group(), new,
                                exempting_rule(source, m.start(), m.end()), where(source, m.start()),
                                notation(source, m.start()), kind(source, m.start(), m.end()),
                                sentence(source, m.start(), m.end(), new)))
    return out
