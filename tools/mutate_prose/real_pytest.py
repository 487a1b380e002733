"""The real pytest on a notebook's lesson tests, in a copy of the project whose notebook has other markdown:
the reference the in-process reruns are checked against, and their fallback for reads they cannot repeat."""
from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

#: nbval only collects notebooks (no lesson test is one) and costs 3 s of every pytest start-up.
PLUGINS_OFF = ("-p", "no:cacheprovider", "-p", "no:nbval")
#: What the lesson tests read besides the package (installed, so imported from the checkout as usual).
COPIED = ("tests", "notebooks", "conftest.py", "pyproject.toml", "README.md", "INSTRUCTORS.md")


@functools.lru_cache(maxsize=None)
def _copy(root: str, thread: int) -> Path:
    """This thread's copy of the project at ``root`` (one per thread: runs in parallel must not share it)."""
    tmp = Path(tempfile.mkdtemp(prefix="mutate-prose-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    for name in COPIED:
        src = Path(root) / name
        if src.is_dir():
            shutil.copytree(src, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, tmp / name)
    return tmp


def failures(root: str, test_files: list, notebook: str, markdown_cells: tuple | None = None,
             timeout: float = 900) -> dict:
    """{test id: the first line of its failure} of ``python -m pytest test_files`` (paths relative to ``root``)
    run in a copy of the project, with the notebook's markdown cells replaced by ``markdown_cells`` if given.
    A collection error is keyed by the file's path."""
    project = _copy(str(root), threading.get_ident())
    path = project / "notebooks" / f"{notebook}.ipynb"
    original = (Path(root) / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8")
    nb = json.loads(original)
    if markdown_cells is not None:
        markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
        assert len(markdown) == len(markdown_cells), f"{notebook}: the number of markdown cells changed"
        for cell, source in zip(markdown, markdown_cells):
            cell["source"] = source
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", *test_files, "-q", "-rfE", "--no-header", *PLUGINS_OFF],
                              cwd=project, capture_output=True, text=True, timeout=timeout)
    finally:
        path.write_text(original, encoding="utf-8")
    failed = {m[2]: m[3] or "" for m in re.finditer(r"^(FAILED|ERROR) (.+?)(?: - (.*))?$", proc.stdout, re.M)}
    if proc.returncode not in (0, 1, 2) or (proc.returncode and not failed):
        raise RuntimeError(f"pytest exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return failed
