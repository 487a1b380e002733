"""Issue 21, for every notebook: claims the prose of many notebooks makes in the same form.

- The answer a solution block gives (``my_step = [0.8, 2.4]``) is what the notebook's self-check accepts for the
  question its code cell asks (the check called with the stated answer prints ✅).
- A problem called 1-D or 2-D (a parabola, a bowl, a point) has that many coordinates in stepviz.
"""
import ast
import contextlib
import io
import re

import numpy as np
import pytest

import stepviz as sv
from stepviz import checks  # noqa: F401  (sv.checks)

from .prose import cells, markdown

# Every notebook by name: the mutation harness runs a lesson test module for each notebook it names.
NOTEBOOKS = ("00_start_here", "01_the_update_rule", "02_too_big_too_small", "03_curved_valleys_and_saddles",
             "04_choosing_a_step_size", "05_schedules", "06_momentum", "07_nesterov", "08_adaptive_methods",
             "09_adam_and_adadelta", "10_stochastic_gradients", "11_neural_networks", "12_curvature_in_training",
             "13_summary")


def test_every_notebook_is_named_here_and_in_test_formulas():
    from .prose import NOTEBOOKS as FOLDER
    from .test_formulas import NOTEBOOKS as FORMULAS

    assert NOTEBOOKS == FORMULAS == tuple(sorted(p.stem for p in FOLDER.glob("[0-9][0-9]_*.ipynb")))


def _check_call(notebook, name):
    """(check function, its other positional arguments, its keyword arguments) of the code cell that checks
    ``name``, or None when an argument is not a literal (a bowl the notebook builds)."""
    for source in cells(notebook, "code"):
        if name not in source:
            continue
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%")))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name)
                    and node.args[0].id == name and getattr(node.func, "attr", "").startswith("check_")):
                try:
                    args = [ast.literal_eval(a) for a in node.args[1:]]
                    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                except ValueError:
                    return None
                return getattr(sv.checks, node.func.attr), args, kwargs
    return None


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_solutions_answers_are_what_the_self_checks_accept(notebook):
    blocks = re.findall(r"<details>.*?</details>", markdown(notebook), re.S)
    answers = [(m.group(1), m.group(2)) for block in blocks for m in re.finditer(r"\b(my_\w+) = ([^`\n]+)", block)]
    checked = 0
    for name, text in answers:
        try:
            value = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError):
            continue
        call = _check_call(notebook, name)
        if call is None:
            continue
        fn, args, kwargs = call
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            ok = fn(value, *args, **kwargs)
        assert ok is True, f"{notebook}: the solution's {name} = {text} is not what {fn.__name__} accepts: {out.getvalue()}"
        checked += 1
    # the notebooks whose solutions give literal answers to checks with literal questions: at least those are held
    assert checked >= {"00_start_here": 1, "01_the_update_rule": 3}.get(notebook, 0)


#: What the course's 1-D and 2-D things are in stepviz.
DIMENSIONS = {
    "parabola": lambda: np.ndim(sv.analysis.iterates(1.0, 0.1, 1.0, 1)[-1]) + 1,  # theta_k is one number
    "bowl": lambda: len(sv.QuadraticBowl().start),
    "slice": lambda: len(sv.QuadraticBowl().start),
    "point": lambda: len(sv.QuadraticBowl().start),
}


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_dimensions_the_prose_names_are_stepvizs(notebook):
    text = markdown(notebook)
    for first, second in re.findall(r"\b(\d)-D or (\d)-D\b", text):  # "a point in 1-D or 2-D": the two kinds
        assert (int(first), int(second)) == (DIMENSIONS["parabola"](), DIMENSIONS["bowl"]()), (first, second)
    for first, noun in re.findall(r"\b(\d)-D (?!or )(\w+)", text):
        assert noun in DIMENSIONS, f"{notebook}: what is a {first}-D {noun}?"
        assert int(first) == DIMENSIONS[noun](), f"{notebook}: a {first}-D {noun}"
