# nbgrader's configuration for the stepviz problem sets (read by every nbgrader command run in the course
# directory, and by `make assignments` / `make grade-demo`, which copy it into build/). See INSTRUCTORS.md,
# "Graded problem sets", for running the sets on a JupyterHub.
c = get_config()  # noqa: F821  (nbgrader defines get_config when it reads this file)

# The course id names the course in the exchange and in formgrader; change it to your course's id on a hub.
c.CourseDirectory.course_id = "stepviz"

# Per-cell time limit while autograding and validating, in seconds. A cell that takes longer (a loop that never
# ends) is interrupted and scores 0; grading goes on with the next cell. The problem sets' own cells take well
# under a second, set 5's network cells about one.
c.Execute.timeout = 30


# The kernels nbgrader starts keep their own log quiet (ipykernel warns about its local TCP transport at every
# start); the first argument is nbgrader's own default for Python kernels.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
