"""``sv.checks``: every lesson's self-checks under one name, as the notebooks call them
(``sv.checks.check_iterate(...)``). Each check prints feedback and never raises: every ``check_*`` is wrapped
in :func:`~stepviz.lessons.feedback.guard`, so even odd arguments after the answer give a 'Not yet'.

The names are collected from the lesson modules (:mod:`stepviz.lessons`): a new lesson's checks appear
here without an edit to this file.
"""
from __future__ import annotations

import importlib

from .lessons import LESSONS
from .lessons.feedback import check_number, feedback, guard

__all__ = ["feedback", "check_number"]
check_number = guard(check_number)
for _name in LESSONS:
    _module = importlib.import_module(f"stepviz.lessons.{_name}")
    for _public in getattr(_module, "__all__", ()):
        _obj = getattr(_module, _public)
        _mine = globals().get(_public)
        if _mine is not None and getattr(_mine, "__wrapped__", _mine) is not _obj:
            raise ImportError(f"two lessons export {_public!r}: names in sv.checks must be unique")
        # every check keeps the promise above whatever its arguments: guard() turns an exception into feedback
        globals()[_public] = guard(_obj) if _public.startswith("check_") and callable(_obj) else _obj
        if _public not in __all__:
            __all__.append(_public)
del _name, _module, _public, _obj, _mine
