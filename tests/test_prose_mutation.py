"""The prose mutation harness of issue 21 (tools/mutate_prose): the mutator, the exemption rules, where a number
stands. The worker protocol is tested in test_prose_mutation_worker.py, the seeded sample of the real notebooks
in test_prose_mutation_sample.py."""
import random
import re

import pytest

from tests.lessons.prose import NUM, to_number
from tools.mutate_prose import numbers
from tools.mutate_prose.numbers import exempting_rule, kind, mutate, mutations, sentence, where


# --- the mutator -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2.1", "2.4"), ("3.2", "3.5"), ("0.0025", "0.0028"), ("50", "53"), ("0.1", "0.4"), ("10", "13"),
    ("0.99", "0.92"), ("337", "330"),  # the examples: the last digit plus 3, mod 10
    ("2.3e-4", "2.6e-4"), ("1,745", "1,748"), ("−0.5", "−0.8"), ("-3", "-6"), ("7", "0"), ("14,368", "14,361"),
])
def test_seed_0_adds_3_to_the_last_digit_of_the_mantissa(text, expected):
    assert mutate(text) == expected


def _digits_changed(a, b):
    return sum(x != y for x, y in zip(a, b))


@pytest.mark.parametrize("seed", [1, 2, 7, 21])
def test_other_seeds_change_one_digit_to_another_value_and_keep_a_number(seed):
    rng = random.Random(seed)
    texts = ["0.0025", "337", "1,745", "2.3e-4", "10", "−0.5", "5", "99.9", "14,368", "0.1", "1e-8"]
    texts += [f"{rng.uniform(0, 1000):.{rng.randint(0, 4)}f}" for _ in range(200)]
    for text in texts:
        out = mutate(text, seed, key=text)
        assert out == mutate(text, seed, key=text)  # deterministic given the seed
        assert len(out) == len(text) and _digits_changed(text, out) == 1, (text, out)
        assert re.fullmatch(NUM, out) and to_number(out) != to_number(text), (text, out)
        integer = re.split(r"[.eE]", out.lstrip("-−"))[0].replace(",", "")
        assert len(integer) == 1 or integer[0] != "0", (text, out)  # no new leading zero
    assert len({mutate("123.456", seed, key=str(k)) for k in range(50)}) > 10  # it is not always the same digit


def test_a_number_without_digits_is_refused():
    with pytest.raises(ValueError, match="no digit"):
        mutate("-")


def test_mutations_cover_every_number_and_apply_to_their_cell_only():
    cells = ("# 04 · Title\n\nThe limit is $2/L = 0.2$ after 1,000 steps.", "No numbers here.", "At 3.5e-3, k = 7.")
    ms = mutations("04_fake", cells=cells)
    assert [m.old for m in ms] == ["04", "2", "0.2", "1,000", "3.5e-3", "7"]
    for m in ms:
        out = m.apply(cells)
        assert out[m.cell] == cells[m.cell][:m.start] + m.new + cells[m.cell][m.end:]
        assert [c for i, c in enumerate(out) if i != m.cell] == [c for i, c in enumerate(cells) if i != m.cell]
    changed = (cells[0].replace("0.2", "0.3"),) + cells[1:]
    with pytest.raises(AssertionError, match="prose changed"):
        ms[2].apply(changed)


# --- the exemption rules: each exempts what it says, and not the values next to it --------------------------

def _rules(text):
    """{number: the rule that exempts it} for every number of ``text``."""
    return {m.group(): exempting_rule(text, *m.span()) for m in re.finditer(NUM, text)}


@pytest.mark.parametrize("text, exempt, rule, not_exempt", [
    ("## 3. The limit $2/L$", ["3"], "section-number", ["2"]),
    ("# 05 · Schedules", ["05"], "section-number", []),
    ("(section 4: a step of 0.1), what section 2 says", ["4", "2"], "section-number", ["0.1"]),
    ("1. Drag α to 0.2.\n2. Then to 0.25", ["1", "2"], "list-enumerator", ["0.2", "0.25"]),
    ("**Next:** [02 · Too big](02_too_big.ipynb)", ["02"], "notebook-reference", []),
    ("as in notebook 03, lessons 06, 11 and (09); batch 10's runs (22)", ["03", "06", "11", "09"],
     "notebook-reference", ["10", "22"]),
    ("| situation | formula | lesson |\n|---|---|---|\n| bowl | $2/L$ | 02 |", ["02"], "notebook-reference", ["2"]),
    ("**Time:** about 25–30 minutes, in 30 steps", ["25", "30"], "duration", ["30"]),
    ("(Smith, 2017; Kingma & Ba 2014), Sutskever et al. 2013. Robbins and Monro (1951) give; Rosenbrock 2000 steps",
     ["2017", "2014", "2013", "1951"], "citation", ["2000"]),
    ("Three step sizes, 2000 steps each: `np.linspace(0.1, 0.2, 2001)`", [], None, ["2000", "2001", "0.1", "0.2"]),
    ("## References\n\n- D. Kingma (2014). *Adam.* arXiv:1412.6980. Nature 323, 533–536.\n\n## Summary\nrate 0.8",
     ["2014", "1412.6980", "323", "533"], "citation", ["0.8"]),
    ("`theta0`, `L11`, $\\beta_1 = 0.9$, $\\theta_{k+1}$", ["0", "11", "1", "+1"], "name-or-index", ["0.9"]),
    ("$J = \\lambda\\theta^2/2$ and $g_0^2$, $(1-\\gamma)^2$; $10^{-6}$, $0.6^3$, $(8/12)^2$", ["2", "2", "2"],
     "power-of-a-symbol", ["10", "-6", "3", "8", "12"]),
    ("$\\gamma^* = (8/12)^2 = 0.44$, $2^{-9}$", [], None, ["8", "12", "2", "0.44", "-9"]),
    ("e.g. `my_step = [0.5, 1.0]`; answer `my_step = [0.8, 2.4]`", ["0.5", "1.0"], "format-example", ["0.8", "2.4"]),
])
def test_exemption_rules(text, exempt, rule, not_exempt):
    found = [(m.group(), exempting_rule(text, *m.span())) for m in re.finditer(NUM, text)]
    for number in exempt:
        assert (number, rule) in found, (number, found)
    for number in not_exempt:
        assert (number, None) in found, (number, found)


def test_every_rule_says_why():
    assert len(numbers.RULES) == len(numbers.WHY)
    assert all(len(rule.why) > 30 and rule.zones for rule in numbers.RULES)


# --- where a number stands, and its sentence ----------------------------------------------------------------

CELL = """### Self-check: the largest step
For $J = 4\\theta^2$, with $\\alpha = 0.1$, what is the limit?

<details><summary>Solution</summary>

$\\lambda = 8$, so the limit is $2/\\lambda = 0.25$.
</details>

The rate is 0.8. Next sentence."""


def test_where_and_kind():
    at = {m.group(): m.start() for m in re.finditer(NUM, CELL)}
    assert where(CELL, at["0.1"]) == "prompt" and kind(CELL, at["0.1"], at["0.1"] + 3) == "parameter"
    assert where(CELL, at["0.25"]) == "answer" and kind(CELL, at["0.25"], at["0.25"] + 4) == "claim"
    two = CELL.index("2/\\lambda")
    assert kind(CELL, two, two + 1) == "formula"
    assert where(CELL, at["0.8"]) == "prose" and kind(CELL, at["0.8"], at["0.8"] + 3) == "claim"


def test_sentence_marks_the_mutation_in_its_sentence():
    at = CELL.index("0.8")
    assert sentence(CELL, at, at + 3, "0.1") == "The rate is ⟦0.8→0.1⟧."
    row = "| a | b |\n|---|---|\n| bowl | 0.5 is the step. More |\n| next | 7 |"
    at = row.index("0.5")
    assert sentence(row, at, at + 3) == "| bowl | 0.5 is the step."
    heading = "## 2. The factor\nBody text 3."
    assert sentence(heading, 3, 4, "5") == "## ⟦2→5⟧. The factor"
