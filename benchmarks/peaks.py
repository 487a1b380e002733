"""Peak memory of the largest calls stepviz allows (issue 18 item 11): each in a fresh process, its peak RSS
(VmHWM, reset just before the call through /proc/self/clear_refs, Linux) above the RSS it started from,
against STEPVIZ_MEMORY_MB (default 1 GiB).

"Largest allowed" is computed from the limits themselves: the most steps of a 200 x 200 grid that
run() accepts, the most step sizes a grid search accepts, the widest network and the most examples one
evaluation may take, the longest range test on a network that fits.

    python -m benchmarks.peaks [--budget-mb 1024] [case ...]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap

_RUNNER = '''
import json, os, time
import numpy as np
import stepviz as sv
from stepviz import engine


def status():
    out = {}
    for line in open("/proc/self/status"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out


def largest(fits, low=1, high=1 << 40):
    """The largest n with fits(n), by bisection (fits is monotone)."""
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if fits(mid) else (low, mid - 1)
    return low


budget = engine.MEMORY_BUDGET
{setup}
open("/proc/self/clear_refs", "w").write("5")
before = status()["VmRSS"]
t = time.perf_counter()
{call}
seconds = time.perf_counter() - t
print(json.dumps({"peak": status()["VmHWM"] - before, "seconds": seconds, "what": what}))
'''

CASES = {
    "grid": ("""
bowl = sv.QuadraticBowl((1.0, 10.0), angle=30.0)
opt = sv.Momentum(np.geomspace(1e-3, 0.5, 200)[:, None], momentum=np.linspace(0.0, 0.99, 200)[None, :])
steps = largest(lambda s: engine.memory_needed(s, (200, 200), 2, lr_runs=0) <= budget, 1, engine.MAX_STEPS)
what = f"Momentum 200 x 200 grid x {steps:,} steps, then rate(), steps_to(), gap(), distance_to_minimum()"
""", """
tr = sv.run(opt, bowl, steps=steps)
tr.rate(); tr.steps_to(1e-6); g = tr.gap(); del g; d = tr.distance_to_minimum(); del d
"""),
    "one-step": ("""
bowl = sv.QuadraticBowl((1.0, 10.0))
n = largest(lambda r: engine.memory_needed(1, (r,), 2, lr_runs=0) <= budget)
opt = sv.Adam(np.full(n, 1e-3), beta1=np.full(n, 0.9), beta2=np.full(n, 0.999), eps=np.full(n, 1e-8))
what = f"Adam with every hyperparameter an array, {n:,} runs x 1 step (the working copies of a step)"
""", """
tr = sv.run(opt, bowl, steps=1)
"""),
    "grid_search": ("""
bowl = sv.QuadraticBowl((1.0, 10.0))
from stepviz.analysis import tuning
def fits(k):
    try:
        tuning._check_rounds(100, k, 0, k, 2)
        return True
    except ValueError:
        return False
k = largest(fits)
lrs = np.geomspace(1e-4, 1.0, k)
what = f"grid_search of {k:,} step sizes x 100 steps"
""", """
sv.grid_search("GD", bowl, lrs=lrs, steps=100)
"""),
    "network": ("""
from stepviz.problems import mlp
model = sv.MLP((2, 4096, 1))
n = mlp.MAX_WORK // model.n_params
X, y = sv.two_moons(n=n, seed=0)
loss = sv.NetworkLoss(model, X, y)
what = f"MLP (2, 4096, 1) ({model.n_params:,} parameters) on {n:,} examples (the most one gradient may take), 2 GD steps"
""", """
sv.run(sv.GD(0.5), loss, steps=2)
"""),
    "minibatch sweep": ("""
model = sv.MLP((2, 4096, 1))
X, y = sv.two_moons(n=2000, seed=0)
loss = sv.NetworkLoss(model, X, y)
what = "MLP (2, 4096, 1), 2,000 examples, minibatches of 1,000, 20 step sizes x 2 steps (issue 18's 2.5 GB case)"
""", """
sv.run(sv.GD(np.geomspace(0.01, 1.0, 20)), loss, steps=2, batch_size=1000, seed=0)
"""),
    "range test": ("""
model = sv.MLP((2, 512, 512, 1))
X, y = sv.two_moons(n=20, seed=0)
loss = sv.NetworkLoss(model, X, y)
steps = largest(lambda s: engine.memory_needed(s, (), model.n_params, lr_runs=1) <= budget, 2, engine.MAX_STEPS)
what = f"lr_range_test on MLP (2, 512, 512, 1) ({model.n_params:,} parameters), {steps:,} steps"
""", """
sv.lr_range_test("GD", loss, lr_min=1e-4, lr_max=10.0, steps=steps)
"""),
}


def measure(case: str, budget_mb: int | None = None) -> dict:
    setup, call = CASES[case]
    code = _RUNNER.replace("{setup}", textwrap.dedent(setup)).replace("{call}", textwrap.dedent(call))
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    if budget_mb:
        env["STEPVIZ_MEMORY_MB"] = str(budget_mb)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help=f"some of: {', '.join(CASES)} (default: all)")
    parser.add_argument("--budget-mb", type=int, default=None)
    args = parser.parse_args(argv)
    budget = args.budget_mb or int(os.environ.get("STEPVIZ_MEMORY_MB", "1024"))
    print(f"Peak memory of the largest allowed calls (MiB above the process's RSS before the call; budget "
          f"{budget} MiB)")
    results = {}
    for case in args.cases or CASES:
        r = results[case] = measure(case, args.budget_mb)
        if "error" in r:
            print(f"  {case:16s} failed: {r['error']}")
        else:
            print(f"  {case:16s} {r['peak'] / 2 ** 20:7.0f} MiB {r['seconds']:6.1f} s   {r['what']}")
        sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
