"""How numbers and hyperparameters are written in reprs, titles and readouts: one place for the style."""
from __future__ import annotations

import numpy as np


def num(x, spec: str = ".3g") -> str:
    """A number in a short form (3 significant digits by default)."""
    return format(float(x), spec)


def value(v) -> str:
    """A hyperparameter for a repr: a number in full (:g), an array as its shape and range, a schedule
    (any callable) as its own repr."""
    if callable(v):
        return repr(v)
    if np.ndim(v) == 0:
        return f"{float(v):g}"
    v = np.asarray(v)
    return f"array(shape={v.shape}, {v.min():g}..{v.max():g})"
