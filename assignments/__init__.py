"""The graded problem sets of the course and the tooling that builds and grades them with nbgrader.

``source/`` holds the nbgrader source notebooks (solutions between ``### BEGIN SOLUTION`` / ``### END SOLUTION``,
hidden tests between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``). :mod:`assignments.sets` reads their
questions and points from the nbgrader metadata, :mod:`assignments.samples` generates sample submissions from them
(the solution, every catalogued mistake, the untouched release, ...), and :mod:`assignments.course` runs nbgrader:
``make assignments`` (the student versions in build/release/) and ``make grade-demo`` (the whole grading loop).
"""
