"""Shared fixtures of the graded problem sets' tests: each set, its release made in memory, its samples."""
from __future__ import annotations

import functools

import pytest

from assignments import samples, sets

from .inprocess import Grader

NAMES = sets.names()


@functools.lru_cache(maxsize=None)
def problem_set(name: str) -> sets.ProblemSet:
    return sets.load(name)


@functools.lru_cache(maxsize=None)
def release(name: str):
    return sets.release(problem_set(name).notebook)


@functools.lru_cache(maxsize=None)
def grader(name: str) -> Grader:
    return Grader(problem_set(name), timeout=0.75)


def sample_cases():
    return [pytest.param(name, s, id=f"{name[:3]}-{s.name}")
            for name in NAMES for s in samples.samples(problem_set(name))]
