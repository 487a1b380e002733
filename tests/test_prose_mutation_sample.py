"""Issue 21 in `make test`: a fixed, seeded sample of the prose mutations (`make mutate` runs them all), and the
examples the issue names. A sampled mutation that no test catches fails here. The harness's own soundness (no
error, no unsure verdict, the real pytest agreeing) is not expected to fail."""
import os
import re

import pytest

from tools.mutate_prose import report, run

PER_NOTEBOOK, SEED = 3, 21
#: The issue's examples: (notebook, a pattern whose group is the number, the number the mutator makes of it).
EXAMPLES = [
    ("01_the_update_rule", r"\$(2\.1)\$ grows by 1\.1 per", "2.4"),
    ("09_adam_and_adadelta", r"\$(3\.2) \\times 10\^\{-3\}\$ with the defaults", "3.5"),
    ("03_curved_valleys_and_saddles", r"Up to \$\\alpha \\approx (0\.0025)\$ only the first", "0.0028"),
    ("11_neural_networks", r"still ruin the network \((50) % accuracy\)", "53"),
    ("00_start_here", r"Does α = (0\.1), which works on the bowl, work there", "0.4"),
    ("05_schedules", r"does not even reach \$(10)\^\{-6\}\$ in 300 steps", "13"),
    ("09_adam_and_adadelta", r"\$m = 0\.9 \\cdot (0\.1)\\, g_0", "0.4"),
    ("01_the_update_rule", r"\$(0\.99)\^k = 10\^\{-3\}\$", "0.92"),
    ("12_curvature_in_training", r"The network has (337) weights", "330"),
]
PLAN = run.plan()
SAMPLE = run.sample(PLAN, PER_NOTEBOOK, SEED)


def example(notebook, pattern):
    """The mutation of the number ``pattern`` finds in the notebook (it must find exactly one)."""
    cells = run.markdown_cells(run.ROOT, notebook)
    found = [(c, m.start(1)) for c, source in enumerate(cells) for m in re.finditer(pattern, source)]
    assert len(found) == 1, f"{notebook}: the issue's example {pattern!r} is found {len(found)} times; update EXAMPLES"
    return next(m for m in PLAN if (m.notebook, m.cell, m.start) == (notebook, *found[0]))


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    mutations = list(dict.fromkeys(SAMPLE + [example(nb, p) for nb, p, _ in EXAMPLES]))
    cores = os.cpu_count() or 1
    results, baselines = run.run_mutations(mutations, jobs=cores, workdir=tmp_path_factory.mktemp("mutate"),
                                           per_worker=-(-len(run.notebooks()) // cores))  # one start-up per core
    return mutations, results, baselines


def test_the_sample_is_fixed_and_covers_every_notebook():
    assert len(SAMPLE) == PER_NOTEBOOK * len(run.notebooks())
    assert SAMPLE == run.sample(run.plan(), PER_NOTEBOOK, SEED) and all(m.rule is None for m in SAMPLE)


def test_no_sampled_mutation_survives(outcome):
    mutations, results, _ = outcome
    survivors = [f"{m.id} {m.kind}: {m.sentence}" for m in SAMPLE if results[m.id]["verdict"] != "caught"]
    assert not survivors, f"{len(survivors)} of {len(SAMPLE)} sampled mutations survive:\n" + "\n".join(survivors)


def test_the_harness_decides_every_mutation(outcome):
    mutations, results, _ = outcome
    undecided = {m.id: results[m.id] for m in mutations if results[m.id]["verdict"] not in ("caught", "survived")}
    assert not undecided


@pytest.mark.parametrize("notebook, pattern, new", EXAMPLES, ids=[f"{e[0][:2]}-{e[2]}" for e in EXAMPLES])
def test_the_mutator_makes_the_issues_examples(notebook, pattern, new):
    assert example(notebook, pattern).new == new


@pytest.mark.parametrize("notebook, pattern, new", EXAMPLES, ids=[f"{e[0][:2]}-{e[2]}" for e in EXAMPLES])
def test_a_test_catches_each_of_the_issues_examples(outcome, notebook, pattern, new):
    m = example(notebook, pattern)
    result = outcome[1][m.id]
    assert result["verdict"] == "caught", f"{m.sentence}: {report.note(result, {})}"


def test_the_real_pytest_agrees_with_the_in_process_verdicts(outcome):
    """On the notebook whose tests run fastest among those with both verdicts in the sample."""
    mutations, results, baselines = outcome
    verdicts = {nb: {results[m.id]["verdict"] for m in SAMPLE if m.notebook == nb} for nb in baselines}
    # a notebook with both verdicts when the sample has one; once survivors are gone, one with a caught mutation
    both = [nb for nb, v in verdicts.items() if v >= {"caught", "survived"}] or \
        [nb for nb, v in verdicts.items() if "caught" in v]
    assert both, "no notebook of the sample has a caught mutation to check"
    nb = min(both, key=lambda n: sum(baselines[n]["file_seconds"].get(f, 0) for f in run.lesson_test_files(run.ROOT, n)))
    checks = run.verify([m for m in SAMPLE if m.notebook == nb], results, count=2, seed=SEED)
    assert [c["in_process"] for c in checks] == sorted(verdicts[nb] & {"caught", "survived"})
    assert all(c["in_process"] == c["pytest"] for c in checks), checks
