"""``sv.checks``: every lesson's self-checks under one name, as the notebooks call them
(``sv.checks.check_iterate(...)``). Each check prints feedback and never raises.

The names are collected from the lesson modules (:mod:`stepviz.lessons`): a new lesson's checks appear
here without an edit to this file.
"""
from __future__ import annotations

import importlib

from .lessons import LESSONS
from .lessons.feedback import check_number, feedback

__all__ = ["feedback", "check_number"]
for _name in LESSONS:
    _module = importlib.import_module(f"stepviz.lessons.{_name}")
    for _public in getattr(_module, "__all__", ()):
        if _public in globals() and globals()[_public] is not getattr(_module, _public):
            raise ImportError(f"two lessons export {_public!r}: names in sv.checks must be unique")
        globals()[_public] = getattr(_module, _public)
        __all__.append(_public)
del _name, _module, _public
