"""Prose mutation testing (issue 21): does a test fail when a number of a notebook's prose changes?

numbers.py finds the numbers, mutates one digit and applies the exemption rules; worker.py reruns a notebook's
lesson tests in-process for each mutation; real_pytest.py runs the real pytest on a mutated copy (the reference
and the fallback); run.py schedules the workers and report.py writes build/mutate/report.md. `make mutate`.
"""
