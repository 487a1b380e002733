"""Glyphs that render everywhere (issue 16, item 7): nothing the course shows is an emoji or a pictographic
symbol (checkmarks, crosses, the warning sign, the play triangle), which render as empty boxes where no emoji
font is installed. Verdicts are words ('Correct.', 'Not yet.'), icons are inline SVG (stepviz/live/js/icons.js).

Which characters are pictographic is Unicode's Extended_Pictographic property, read through node's regular
expressions (ICU's tables): Python's unicodedata does not have it.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from stepviz.lessons import feedback

REPO = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed: no Unicode property tables")

# Everything that reaches a learner: the package's Python (prints, labels, readouts), the browser modules and
# their committed bundles, the notebooks (prose and code) and the static export's template.
SHOWN = ["stepviz/**/*.py", "stepviz/live/js/*.js", "stepviz/live/static/*.js", "notebooks/*.ipynb",
         "tools/build_html.py"]

FIND = r"""
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = [];
for (const [name, text] of Object.entries(texts)) {
  text.split("\n").forEach((line, i) => {
    const m = line.match(/\p{Extended_Pictographic}/gu);
    if (m) out.push(`${name}:${i + 1}: ${[...new Set(m)].join(" ")}`);
  });
}
console.log(JSON.stringify(out));
"""


def pictographs(texts: dict[str, str]) -> list[str]:
    done = subprocess.run([NODE, "-e", FIND], input=json.dumps(texts), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_detector_sees_the_glyphs_that_render_as_boxes():
    found = pictographs({"a": "\u2705 ok", "b": "\u274c no", "c": "\u26a0 warn", "d": "\u25b6 Play",
                         "e": "x\u00b2 \u2264 2/L, \u03b1 = 0.1 \u2013 fine \u2192 next"})
    assert [f.split(":")[0] for f in found] == ["a", "b", "c", "d"]


def test_nothing_shown_to_a_learner_is_pictographic():
    files = sorted({p for pattern in SHOWN for p in REPO.glob(pattern) if p.is_file()})
    assert len(files) > 50
    texts = {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in files}
    assert pictographs(texts) == []


def test_a_verdict_starts_with_a_word(capsys):
    assert feedback.feedback(True, "The limit is 2/L.", "unused") is True
    assert feedback.feedback(False, "unused", "Look at 2/L.") is False
    right, wrong = capsys.readouterr().out.splitlines()
    assert right == "Correct. The limit is 2/L." and wrong == "Not yet. Look at 2/L."
    assert pictographs({"verdicts": right + "\n" + wrong}) == []
