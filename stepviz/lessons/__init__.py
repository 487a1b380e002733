"""One module per notebook, named after the notebook without its number (``03_curved_valleys_and_saddles``
-> :mod:`stepviz.lessons.curved_valleys_and_saddles`): that notebook's presets, constants its prose states,
explorer configurations and self-checks. :mod:`stepviz.lessons.feedback` holds what the checks share.

``LESSONS`` lists the lesson modules in reading order; :mod:`stepviz.checks` re-exports every check.
"""
from __future__ import annotations

import importlib
import pkgutil

#: Modules of this package that are not a notebook's lesson.
_SHARED = {"feedback", "rule_check", "grading", "graded_functions"}

LESSONS = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in _SHARED))


def __getattr__(name):
    """``stepviz.lessons.<lesson>`` without an explicit import of the submodule."""
    if name in LESSONS or name in _SHARED:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
