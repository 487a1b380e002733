"""Colours come from viz/style.py only: no colour literal (a hex code, a named colour, a 'C0' cycle colour,
a format string such as 'k--') in any other Python module of the package, so the palette changes in one
place (and its colour-vision test, tests/viz/test_style.py, covers everything drawn)."""
import io
import re
import tokenize
from pathlib import Path

import pytest
from matplotlib import colors

PACKAGE = Path(__file__).resolve().parents[2] / "stepviz"
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}(?:[0-9a-fA-F]{2})?\b")
NAMED = {name.lower() for name in colors.CSS4_COLORS} | {"grey"}
#: A format string with a colour letter and a line style ('k--', 'r-', 'o:b'); a bare 'b' is too often a name.
FORMAT = re.compile(r"^(?=.*[-:])[-:.ovs^<>xXdDpPh*+]{0,3}[bgrcmykw][-:.ovs^<>xXdDpPh*+]{0,3}$")


def colour_literals(source: str) -> list:
    """(line, literal) of every string token that is or holds a colour."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING:
            continue
        text = tok.string.lstrip("rbufRBUF")[1:-1].strip("'\"")
        if (HEX.search(text) or text.lower() in NAMED or re.fullmatch(r"C\d", text) or text.startswith(("tab:", "xkcd:"))
                or FORMAT.fullmatch(text)):
            found.append((tok.start[0], text))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "style.py" or p.parent.name != "viz")
#: The explorers' modules: the live helper moves their literals onto style.py's names (issue 20 item 3).
PENDING = {"canvas.py", "explorer.py", "marks.py", "saddle.py", "schedule.py", "sgd.py", "update_rule.py",
           "valley.py"}


def test_the_scan_finds_every_kind_of_literal():
    found = colour_literals('a = "#d55e00"; b = "black"; c = "C3"; d = "k--"; e = "color:#a40"; f = "tab:blue"\n'
                            'g = "-o"; h = "none"; i = "o"; j = "--"; k = "x"; m = "white edge"\n')
    assert [t for _, t in found] == ["#d55e00", "black", "C3", "k--", "color:#a40", "tab:blue"]


@pytest.mark.parametrize("module", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_no_colour_literal_outside_style(module, request):
    if module.parent.name == "live" and module.name in PENDING:
        request.applymarker(pytest.mark.xfail(strict=True, reason="the live helper moves these onto style.py"))
    found = colour_literals(module.read_text())
    assert not found, f"{module.name}: colour literals {found}; use a name from stepviz/viz/style.py"
