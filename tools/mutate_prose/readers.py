"""What each test reads of the prose, recorded so that it can be evaluated again on a mutated text.

Every test reads a notebook through tests/lessons/prose.py. :class:`Readers` wraps its readers (each function
whose first argument is ``notebook``) and records, per test, every read with its arguments and its result.
A test whose reads all give the same results on the mutated markdown runs exactly as before, so it need not run.

A test that takes the whole text (``markdown(NB)``, ``cells(NB)``) and searches it itself would have to rerun for
every mutation of its notebook. So such tests run once more while they are learnt: they then get a :class:`Text`
instead of the string, and ``re`` in the test modules accepts it; every use of the text (a ``re.search``, an
``in``, a method) is recorded with its result. A Text is not a str: a use it does not know fails the test, and
the test stays one that reruns on every mutation of the notebook.
"""
from __future__ import annotations

import functools
import inspect
import re
import sys
from pathlib import Path

COLLECT = "<import>"
WHOLE_TEXT = ("markdown", "cells")


def key(value):
    """A comparable summary of a result: a match by its span and groups, sequences element by element."""
    if isinstance(value, re.Match):
        return ("match", value.span(), value.group(0), value.groups())
    if isinstance(value, (list, tuple)):
        return tuple(key(v) for v in value)
    return repr(value)


def outcome(fn, *args, **kwargs):
    """(the comparable result, the value or the exception) of one call."""
    try:
        value = fn(*args, **kwargs)
        return key(value), value
    except Exception as exc:  # a reader's "no sentence matches" is a result like any other
        return ("raised", type(exc).__name__, str(exc)), exc


class Text:
    """A notebook's markdown as a test gets it while its uses are learnt; ``source()`` gives the current text."""

    def __init__(self, source, log):
        self._source, self._log = source, log


def _real(value):
    return value._source() if isinstance(value, Text) else value


def _use(name, reflected=False):
    def use(self, *args):
        def op():
            text, real = self._source(), [_real(a) for a in args]
            return getattr(real[0], name)(text) if reflected else getattr(text, name)(*real)
        result, value = outcome(op)
        self._log.append((op, result))
        if isinstance(value, Exception):
            raise value
        return value
    return use


for _name in [n for n in dir(str) if not n.startswith("_")] + [
        "__contains__", "__len__", "__getitem__", "__iter__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__",
        "__ge__", "__hash__", "__str__", "__repr__", "__format__", "__add__", "__mul__", "__rmul__", "__mod__"]:
    setattr(Text, _name, _use(_name))
Text.__radd__ = _use("__add__", reflected=True)


class ReProxy:
    """The ``re`` module for a test being learnt: its functions also take a :class:`Text`, and record the call."""

    def __init__(self, log):
        self._log = log

    def __getattr__(self, name):
        fn = getattr(re, name)
        if name not in ("search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"):
            return fn

        def call(*args, **kwargs):
            if not any(isinstance(a, Text) for a in (*args, *kwargs.values())):
                return fn(*args, **kwargs)

            def op():
                value = fn(*map(_real, args), **{k: _real(v) for k, v in kwargs.items()})
                return list(value) if name == "finditer" else value
            result, value = outcome(op)
            self._log.append((op, result))
            if isinstance(value, Exception):
                raise value
            return iter(value) if name == "finditer" else value
        return call


class Readers:
    """Wraps prose.py's readers: records which test (its id and phase, the "context") made which read;
    serves mutated markdown while ``patch`` ({notebook: its markdown cells}) is set."""

    def __init__(self, prose):
        self.prose, self.patch, self.context, self.depth, self.recording = prose, {}, COLLECT, 0, True
        self.reads = {}          # context -> {(name, args): (fn, args, kwargs, result)}
        self.uses = {}           # context -> [(op, result)]: its learnt uses of the whole text
        self.opened = {}         # context -> notebooks whose file it opened itself (not through prose.cells)
        self.unrepeatable = {}   # context -> why a rerun in this process could not repeat its reads
        self.cached_code = set()
        self.learning = None     # the log of the test being learnt
        self.unlearnable = False  # it took a whole text that could not be handed over as a Text
        self.calls = 0           # reads made by tests (not by readers), recorded or not
        self.watching, self._in_cells = True, False  # both end with the baseline, like ``recording``
        originals = {n: f for n, f in vars(prose).items() if getattr(f, "__module__", "") == prose.__name__
                     and inspect.isfunction(getattr(f, "__wrapped__", f)) and _takes_notebook(f)}
        self.cells = originals["cells"]
        wrapped = {}
        for name, fn in originals.items():
            wrapped.setdefault(id(fn), self._wrap(fn, fn is self.cells))
            setattr(prose, name, wrapped[id(fn)])
        self.wrapped = {name: wrapped[id(fn)] for name, fn in originals.items()}
        sys.addaudithook(self._audit)

    def _wrap(self, fn, is_cells):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def reader(*args, **kwargs):
            prose_text = True  # markdown(), or cells() of kind "markdown"
            if is_cells:
                bound = signature.bind(*args, **kwargs)
                bound.apply_defaults()
                prose_text = bound.arguments["kind"] == "markdown"
                if prose_text and bound.arguments["notebook"].removesuffix(".ipynb") in self.patch:
                    return self.patch[bound.arguments["notebook"].removesuffix(".ipynb")]
            self.calls += not self.depth
            if self.depth or not self.recording:
                return self._call(fn, is_cells, args, kwargs)
            self.depth += 1
            try:
                result, value = outcome(lambda: self._call(fn, is_cells, args, kwargs))
            finally:
                self.depth -= 1
            self._record(fn, args, kwargs, result)
            if isinstance(value, Exception):
                raise value
            if self.learning is not None and fn.__name__ in WHOLE_TEXT and prose_text:
                stand_in = self._stand_in(fn.__name__, args, kwargs, value)
                self.unlearnable |= stand_in is value
                return stand_in
            return value
        return reader

    def _stand_in(self, name, args, kwargs, value):
        """The Text (or tuple of Texts) a test being learnt gets instead of ``value``."""
        def source():
            before, self.recording = self.recording, False
            try:
                return self.wrapped[name](*args, **kwargs)
            finally:
                self.recording = before
        if isinstance(value, str):
            return Text(source, self.learning)
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            return tuple(Text(lambda i=i: source()[i], self.learning) for i in range(len(value)))
        return value

    def _call(self, fn, is_cells, args, kwargs):
        self._in_cells, before = is_cells or self._in_cells, self._in_cells
        try:
            return fn(*args, **kwargs)
        finally:
            self._in_cells = before

    def _record(self, fn, args, kwargs, result):
        self.reads.setdefault(self.context, {})[(fn.__name__, repr(args), repr(kwargs))] = (fn, args, kwargs, result)
        if not self.context.endswith(":call"):
            self.unrepeatable[self.context] = "reads the prose outside a test's body (at import or in a fixture)"
        frame = sys._getframe(2)
        while frame:
            if frame.f_code in self.cached_code:
                self.unrepeatable[self.context] = f"reads the prose inside the cached {frame.f_code.co_name}()"
            frame = frame.f_back

    def _audit(self, event, args):
        if event == "open" and self.watching and not self._in_cells and str(args[0]).endswith(".ipynb"):
            name = Path(str(args[0])).name
            self.opened.setdefault(self.context, set()).add(name.removesuffix(".ipynb"))
            self.unrepeatable[self.context] = f"opens {name} itself"

    def whole_text_readers(self) -> list:
        """The contexts that took a whole text (markdown() or cells()) themselves."""
        return [ctx for ctx, reads in self.reads.items() if any(k[0] in WHOLE_TEXT for k in reads)]

    def learnt(self, context, log) -> None:
        """The test of ``context`` ran with Texts and passed: its uses of them replace its whole-text reads."""
        self.uses[context] = log
        self.reads[context] = {k: v for k, v in self.reads[context].items() if k[0] not in WHOLE_TEXT}

    def changed(self, patch: dict) -> tuple:
        """(the contexts whose reads or uses differ under ``patch``, or that opened a patched notebook's file;
        those of them with a changed read or use of a sentence, not of the whole text or a large part of it)."""
        recording, self.patch, self.recording, memo = self.recording, patch, False, {}
        try:
            out, specific = [ctx for ctx, names in self.opened.items() if names & patch.keys()], set()
            for ctx, reads in self.reads.items():
                for k, (fn, args, kwargs, result) in reads.items():
                    notebook = (args[0] if args else kwargs.get("notebook", "")).removesuffix(".ipynb")
                    if notebook in patch and k not in memo:
                        memo[k] = outcome(fn, *args, **kwargs)[0]
                    if notebook in patch and memo[k] != result:
                        out.append(ctx)
                        if k[0] not in WHOLE_TEXT and _small(result):
                            specific.add(ctx)
                            break
            for ctx, log in self.uses.items():
                changed = [result for op, result in log if outcome(op)[0] != result]
                if changed:
                    out.append(ctx)
                    if any(map(_small, changed)):
                        specific.add(ctx)
            return list(dict.fromkeys(out)), sorted(specific)
        finally:
            self.patch, self.recording = {}, recording


def _small(result) -> bool:
    """Is this the result of reading a sentence (a number, a match), not a large part of the text (a split)?"""
    return len(str(result)) < 1000


def _takes_notebook(fn) -> bool:
    params = list(inspect.signature(fn).parameters)
    return bool(params) and params[0] == "notebook"
