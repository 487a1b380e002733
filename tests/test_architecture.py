"""ARCHITECTURE.md tells the truth: the number of files it says a new update rule, surface and notebook take
is checked against a rule and a surface generated into a scratch copy of the project (only the files the
document names are touched, and their tests pass there) and against every notebook's places in the course."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import stepviz as sv

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def stated_files(kind: str) -> int:
    """The 'Files: N' of the document's paragraph on adding ``kind``."""
    m = re.search(rf"\*\*An? {kind}\*\*(.*?)Files: (\d+)", DOC, re.S)
    assert m, f"ARCHITECTURE.md says nothing about how many files {kind} takes"
    assert "**" not in m.group(1), f"the count found for {kind} belongs to another paragraph"
    return int(m.group(2))


def test_every_rule_has_its_row_in_the_formula_table():
    rows = set(re.findall(r"^\| (\w+) \| .*←", DOC, re.M))
    assert rows == set(sv.OPTIMIZERS), f"rows {sorted(rows)} for the rules {sorted(sv.OPTIMIZERS)}"


# ---------------------------------------------------------------- a generated rule and surface

RULE = '''class Averaged(Optimizer):
    r"""Gradient descent on an average of the gradients (torch.optim.SGD with dampening = beta).

    .. math:: m \\leftarrow \\beta m + (1 - \\beta) g, \\qquad p \\leftarrow p - \\alpha_t m

    Args:
        lr: step size alpha > 0, array or schedule (no default).
        beta: weight of the past in [0, 1) (default: 0.9).
    """

    name = "Averaged"
    hyperparameter_names = ("lr", "beta")

    def __init__(self, lr, beta=0.9):
        self._set_lr(lr)
        self.beta = _validate.unit_interval("beta", beta)
        self._check_shapes()

    def init(self, p):
        return {"m": np.zeros_like(np.asarray(p, dtype=float))}

    def update(self, p, grad_fn, state, alpha, t):
        m = self._hp("beta", p) * state["m"] + (1 - self._hp("beta", p)) * grad_fn(p)
        return p - alpha * m, {"m": m}


'''
SURFACE = '''class Booth(Surface):
    """Booth's function f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2, minimum 0 at (1, 3)."""

    def __init__(self):
        self.name = "booth"
        self.bounds = ((-2.0, 4.0), (0.0, 6.0))
        self.minima = np.array([[1.0, 3.0]])
        self.start = np.array([-1.0, 1.0])

    def value(self, p):
        x, y = as_points(p)[..., 0], as_points(p)[..., 1]
        return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2

    def grad(self, p):
        x, y = as_points(p)[..., 0], as_points(p)[..., 1]
        a, b = x + 2 * y - 7, 2 * x + y - 5
        return np.stack([2 * a + 4 * b, 4 * a + 2 * b], axis=-1)

    def hessian(self, p):
        return np.broadcast_to(np.array([[10.0, 8.0], [8.0, 10.0]]), as_points(p).shape[:-1] + (2, 2)).copy()


'''


def _edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: the place to add at is gone ({old[:40]!r})"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A copy of the package, its tests and this document."""
    root = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "e2e", "lessons", "live")
    for name in ("stepviz", "tests"):
        shutil.copytree(ROOT / name, root / name, ignore=ignore)
    shutil.copytree(ROOT / "stepviz" / "live", root / "stepviz" / "live", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "stepviz" / "lessons", root / "stepviz" / "lessons",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("ARCHITECTURE.md", "pyproject.toml", "conftest.py"):
        shutil.copy(ROOT / name, root / name)
    return root


def _changed(root: Path) -> list:
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        original = ROOT / path.relative_to(root)
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            out.append(str(path.relative_to(root)))
    return out


def _pytest(root: Path, *args):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def _python(root: Path, code: str):
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def add_rule(scratch: Path):
    """Averaged, as ARCHITECTURE.md says to add a rule: its class, its row, its reference in the tests."""
    _edit(scratch / "stepviz/optim/rules.py", "OPTIMIZERS = {", RULE + 'OPTIMIZERS = {"Averaged": Averaged, ')
    last_row = re.findall(r"^\| \w+ \| .*←.*$", DOC, re.M)[-1]
    _edit(scratch / "ARCHITECTURE.md", last_row, last_row + "\n| Averaged | m ← β m + (1 − β) g;  p ← p − α_t m |")
    tests = scratch / "tests/optim/test_rules.py"
    _edit(tests, "\nHP = {\n", '\nHP = {\n    "Averaged": dict(lr=0.02, beta=0.7),\n')
    _edit(tests, "\nHP_BATCH = {\n", '\nHP_BATCH = {\n    "Averaged": dict(lr=[0.005, 0.02, 0.03], beta=[0.0, 0.7, 0.9]),\n')
    _edit(tests, "            else:\n                raise AssertionError(rule)",
          '            elif rule == "Averaged":\n                m[i] = hp["beta"] * m[i] + (1 - hp["beta"]) * g[i]\n'
          '                p[i] = p[i] - a * m[i]\n            else:\n                raise AssertionError(rule)')
    _edit(tests, "    defaults = {", '    defaults = {"Averaged": dict(beta=0.9), ')
    _edit(tests, "\nREACH = {", '\nREACH = {\n    "Averaged": (dict(lr=1e-2, beta=0.9), 3000),')


def add_surface(scratch: Path):
    """Booth's function, as ARCHITECTURE.md says to add a surface: its class, a check of its values."""
    _edit(scratch / "stepviz/problems/surfaces.py", "SURFACES = {", SURFACE + 'SURFACES = {"booth": Booth, ')
    _edit(scratch / "tests/problems/test_surfaces.py", "\n\n# ---------------------------------------------------------------- "
          "derivatives vs finite differences", '''


def test_booth_value_closed_form():
    b = sv.get_surface("booth")
    p = random_points(b, (6,))
    x, y = p[..., 0], p[..., 1]
    np.testing.assert_allclose(b.value(p), (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2, rtol=1e-12)


# ---------------------------------------------------------------- derivatives vs finite differences''')


def test_a_new_rule_and_a_new_surface_take_the_files_the_document_says(scratch):
    """Only the files the document names are touched, and with them the rule and the surface are complete:
    their tests pass, the package exports the rule, the explorer offers both."""
    add_rule(scratch)
    rule_files = _changed(scratch)
    assert len(rule_files) == stated_files("update rule"), rule_files
    add_surface(scratch)
    surface_files = sorted(set(_changed(scratch)) - set(rule_files))
    assert len(surface_files) == stated_files("surface"), surface_files
    _pytest(scratch, "tests/optim/test_rules.py", "tests/problems/test_surfaces.py",
            "tests/test_architecture.py::test_every_rule_has_its_row_in_the_formula_table",
            "-k", "Averaged or booth or Booth or table")
    _python(scratch, "import stepviz as sv\nfrom stepviz import live, viz\n"
                     "assert sv.Averaged is sv.OPTIMIZERS['Averaged']\n"
                     "e = live.explore('booth', 'Averaged', lr=0.01, steps=30)\n"
                     "assert 'Averaged' in e.controls['optimizer'].options and 'booth' in e.controls['surface'].options\n"
                     "assert e.trajectory.optimizer.name == 'Averaged' and e.surface.name == 'booth'\n"
                     "assert viz.short_label(sv.Averaged(0.1)) == 'Averaged, α = 0.1'\n")


# ---------------------------------------------------------------- a notebook's places

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def places(i: int) -> list:
    """The places notebook i is written into: itself, its lesson and test modules, the course tables, the
    course map in 00, its neighbours' previous/next links; each checked to name it."""
    nb = NOTEBOOKS[i]
    lesson = nb.stem.split("_", 1)[1]
    found = [nb]
    for path in (ROOT / "stepviz/lessons" / f"{lesson}.py", ROOT / "tests/lessons" / f"test_{lesson}.py"):
        assert path.is_file(), f"{nb.name}: {path.relative_to(ROOT)} is missing"
        found.append(path)
    naming = [ROOT / "README.md", ROOT / "INSTRUCTORS.md", NOTEBOOKS[0], NOTEBOOKS[i - 1]]
    naming += [NOTEBOOKS[i + 1]] if i + 1 < len(NOTEBOOKS) else []
    for path in naming:
        assert nb.name in path.read_text(encoding="utf-8") or nb.stem in path.read_text(encoding="utf-8"), \
            f"{path.name} does not name {nb.name}"
        found.append(path)
    return found


def test_a_notebook_takes_the_files_the_document_says():
    n = stated_files("notebook")
    assert re.search(rf"Files: {n} \(.*?; {n - 1} for a last notebook\)", DOC, re.S)
    for i in range(2, len(NOTEBOOKS)):  # (01: its previous notebook is the map, 00)
        assert len(set(places(i))) == (n if i + 1 < len(NOTEBOOKS) else n - 1), NOTEBOOKS[i].name
