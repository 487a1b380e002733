"""Every figure a viz function draws on shows itself with alt text: checked after every test of tests/viz."""
import matplotlib.pyplot as plt
import pytest

from stepviz.viz.figure import _repr_html_


@pytest.fixture(autouse=True)
def stepviz_figures_carry_alt_text(request):
    before = set(plt.get_fignums())
    yield
    new = [plt.figure(n) for n in plt.get_fignums() if n not in before]
    try:
        if "learners_own" not in request.node.name:
            for fig in new:
                shows = getattr(fig.__dict__.get("_repr_html_"), "__func__", None)
                assert shows is _repr_html_, f"a figure drawn in {request.node.name} shows without alt text"
    finally:
        for fig in new:
            plt.close(fig)
