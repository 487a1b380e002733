"""Sample submissions, generated from the source notebooks: what ``make grade-demo`` and the tests grade.

A sample is the student version (the release) with answer cells filled in, and the outcome it must get. Nothing is
written by hand twice: the solution is every solution cell of the source without its markers; a mistake sample is
the solution with one answer replaced by a catalogued mistake; the untouched release is the release itself. Each
sample says which test cells must fail, how its written answer is graded, and the hint its feedback must show.

To add a sample, extend a catalogue: a new mistake in ``stepviz.lessons.rule_check.MISTAKES`` (or grading's
``COSINE_MISTAKES`` / ``GRADIENT_MISTAKES``) gives every question that checks that rule a new sample by itself;
:data:`VALUE_MISTAKES` holds wrong values of the other questions, :data:`HIDDEN_ONLY` answers that pass the
visible tests and fail the hidden ones.
"""
from __future__ import annotations

import copy
import inspect
import re
import textwrap
from dataclasses import dataclass, field

from stepviz.lessons import grading

from . import sets

#: Wrong values the lesson checks name: (answer grade_id, mistake, the learner's code, text of the named hint).
VALUE_MISTAKES = [
    ("ps1_iterate", "one step", "my_theta4 = 2.0 * (1 - 0.5 * 3.0)", "That is θ after one step"),
    ("ps1_stable_step", "one over lambda", "my_limit = 1 / 5.0", "lands on the minimum in one step"),
    ("ps1_local_limit", "diagonal entry",
     "my_local_limit = 2 / sv.Rosenbrock().hessian(np.array([0.5, 0.5]))[1, 1]", "diagonal entry of the Hessian"),
    ("ps2_grid_cost", "coarse round only", "my_cost = 20 * 150", "coarse round only"),
    ("ps2_epoch", "n times b", "my_epoch = [12_000 * 60, 0.3 / (12_000 * 60)]", "n × b is not it"),
    ("ps3_optimum", "swapped", "sqrt_mu, sqrt_L = 3.0, 10.0\n"
     "my_pair = (((sqrt_L - sqrt_mu) / (sqrt_L + sqrt_mu)) ** 2, 4 / (sqrt_L + sqrt_mu) ** 2)", "You swapped them"),
    ("ps3_nesterov_limit", "heavy-ball limit", "my_nesterov_limit = (2 + 2 * 0.8) / 40.0",
     "That is the heavy ball's limit"),
    ("ps4_rmsprop_first", "Adam's first step", "theta0 = np.array([0.0, 0.5])\n"
     "my_rmsprop_theta1 = theta0 - 0.02 * np.sign(sv.Rosenbrock().grad(theta0))", "Adam's first step"),
    ("ps4_adam_first", "no bias correction", "theta0 = np.array([0.5, 0.0])\ng = sv.Rosenbrock().grad(theta0)\n"
     "m, s = 0.1 * g, 0.001 * g ** 2\nmy_adam_theta1 = theta0 - 0.05 * m / (np.sqrt(s) + 1e-8)",
     "skipped the bias correction"),
    ("ps5_batch_factor", "standard deviation", "my_factor = (5 / 20) ** 0.5", "standard deviation"),
    ("ps5_sharpness", "one over lambda", "my_network_limit = 1 / lam_trained", "That is 1/λ_max"),
]

#: Functions that pass the visible test and fail the hidden one: kind -> (name, code, text of the hint).
HIDDEN_ONLY = {
    "GD": ("2-D only", '''
def {function}(theta, grad, lr):
    g = grad(theta)  # written for points of two coordinates
    return np.array([theta[0] - lr * g[0], theta[1] - lr * g[1]])''', "whole-array operations"),
    "cosine": ("scalar t only", '''
import math

def {function}(t, lr, total, lr_min):
    return lr_min + (lr - lr_min) * (1 + math.cos(math.pi * min(t, total) / total)) / 2''', "use np.minimum"),
}

RAISES = '{variable} = my_notes["{variable}"]  # my_notes is a name from another notebook, not defined here'
LOOPS = '''# Count the steps until the error is below 1e-3 (it never shrinks: this loop never ends).
error, {variable} = 1.0, 0
while error > 1e-3:
    error = error * 1.0
    {variable} += 1'''


@dataclass(frozen=True)
class Sample:
    name: str                      # its student id in nbgrader
    about: str                     # what it is
    answers: dict                  # grade_id -> the source of an answer cell; others keep the release's stub
    failing: frozenset             # the test cells that must fail
    written_full: bool             # written answer = the model answer (the demo grades it full) or left blank (0)
    hint: str = ""                 # text the feedback must show
    timeout: str = ""              # an answer cell that must run into the per-cell time limit
    edits: dict = field(default_factory=dict)  # grade_id -> a learner's edit of a locked cell (nbgrader undoes it)

    def expected(self, ps: sets.ProblemSet) -> float:
        """The score it must get: the points of the test cells that pass, and of the written answer if full."""
        auto = sum(ps.points(t) for t in ps.test_ids if t not in self.failing)
        return auto + (sum(ps.points(w) for w in ps.written) if self.written_full else 0.0)

    def notebook(self, release):
        """The submitted notebook: ``release`` (the student version) with this sample's answers and edits."""
        nb = copy.deepcopy(release)
        for cell in nb.cells:
            gid = sets.nbgrader(cell).get("grade_id")
            if gid in self.answers:
                cell.source = self.answers[gid]
            if gid in self.edits:
                cell.source = self.edits[gid]
        return nb


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def mistake_code(kind: str, name: str, function: str) -> str:
    """A catalogued mistake as the learner's cell: its source, renamed to the learner's function, when it is
    a plain module-level function; otherwise (a variant built by a helper, a closure) the catalogue's function
    itself, bound to the learner's name."""
    fn = grading.mistake(kind, name)
    plain = fn.__closure__ is None and fn.__qualname__ == fn.__name__  # a module-level def of its own
    try:
        src = textwrap.dedent(inspect.getsource(fn)) if plain else ""
    except (OSError, TypeError):
        src = ""
    if src.startswith(f"def {fn.__name__}("):
        return src.replace(f"def {fn.__name__}(", f"def {function}(", 1).rstrip()
    return f'{function} = grading.mistake("{kind}", "{name}")  # the catalogued mistake "{name}"'


def _one_answer(ps, solution, question, code, name, about, hint, **kw) -> Sample:
    short = question.answer.split("_", 1)[1]
    return Sample(f"{_slug(short)}-{_slug(name)}", about, {**solution, question.answer: code},
                  frozenset(question.tests), True, hint, **kw)


def samples(ps: sets.ProblemSet) -> list:
    """Every sample submission of ``ps``, the solution first."""
    solution = {sets.nbgrader(c)["grade_id"]: sets.without_markers(c.source)
                for c in ps.notebook.cells if sets.nbgrader(c).get("solution")}
    out = [Sample("solution", "the source's solutions", solution, frozenset(), True)]
    rules = [q for q in ps.questions if q.kind]
    values = [q for q in ps.questions if q.variable]
    for q in rules:
        for name, _, hint in grading.mistakes(q.kind):
            out.append(_one_answer(ps, solution, q, mistake_code(q.kind, name, q.function), name,
                                   f"{q.function}: the mistake '{name}'", hint))
        if q.kind in HIDDEN_ONLY:
            name, code, hint = HIDDEN_ONLY[q.kind]
            sample = _one_answer(ps, solution, q, code.format(function=q.function).strip(), name,
                                 f"{q.function}: {name} (passes the visible test)", hint)
            out.append(Sample(sample.name, sample.about, sample.answers, frozenset(q.tests[1:]), True, hint))
    for answer, name, code, hint in VALUE_MISTAKES:
        q = next((q for q in ps.questions if q.answer == answer), None)
        if q is not None:
            out.append(_one_answer(ps, solution, q, code, name, f"{q.variable}: {name}", hint))
    if values:
        q = values[0]
        out.append(Sample("raises", f"{q.variable}: its cell raises NameError",
                          {**solution, q.answer: RAISES.format(variable=q.variable)}, frozenset(q.tests), True,
                          "NameError"))
        q = values[-1]
        out.append(Sample("loops", f"{q.variable}: its cell never ends (the per-cell time limit stops it)",
                          {**solution, q.answer: LOOPS.format(variable=q.variable)}, frozenset(q.tests), True,
                          "CellTimeoutError", timeout=q.answer))
    if rules:
        q, (name, _, hint) = rules[0], grading.mistakes(rules[0].kind)[0]
        visible = ps.cell(q.tests[0]).source
        out.append(Sample("edited-test", f"{q.function}: the mistake '{name}', its test commented out",
                          {**solution, q.answer: mistake_code(q.kind, name, q.function)}, frozenset(q.tests), True,
                          hint, edits={q.tests[0]: "\n".join(f"# {line}" for line in visible.splitlines())}))
    out.append(Sample("untouched", "the release as it was handed out", {}, frozenset(ps.test_ids), False))
    names = [s.name for s in out]
    if len(set(names)) != len(names):
        raise ValueError(f"{ps.name}: two samples share a name: {sorted(n for n in names if names.count(n) > 1)}")
    return out
