"""Every figure a viz function makes for itself shows with alt text (axe-core's 'image-alt' in JupyterLab found
11's two held-out figures without: they came from plt.subplots, not viz.figure.subplots)."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

import stepviz as sv


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def shown_html(fig):
    from IPython.core.interactiveshell import InteractiveShell

    try:
        return InteractiveShell.instance().display_formatter.format(fig)[0].get("text/html", "")
    finally:
        InteractiveShell.clear_instance()


def test_held_out_figures_show_with_alt_text():
    k = np.arange(30.0)
    art = sv.viz.plot_train_and_validation({"GD": (1 / (k + 1), 1 / (k + 1) + 0.01)})
    page = shown_html(art["GD"][0].figure)
    assert 'alt="' in page and "validation" in page
    lrs, momenta = np.array([0.01, 0.1, 0.3]), np.array([0.5, 0.9, 0.0])
    art = sv.viz.plot_search({"grid": (lrs, momenta, np.array([0.3, 0.2, np.inf]))})
    page = shown_html(next(iter(art["settings"].values())).figure)
    assert 'alt="' in page
