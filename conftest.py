"""Project-wide pytest hooks (kept out of notebooks/, where learners would see the file).

nbval runs the notebooks in lax mode (outputs are not compared); on top of that, a cell that writes to
stderr (a warning, a logged error) fails: learners must never see warning spam."""
import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    outputs = getattr(item, "test_outputs", None) or []
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    if stderr:
        pytest.fail(f"cell wrote to stderr:\n{stderr}", pytrace=False)
    return result
