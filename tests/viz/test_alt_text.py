"""Every figure says what it shows: alt text for matplotlib figures shown in a notebook and for animations."""
import re

import matplotlib.pyplot as plt
import pytest

import stepviz as sv
from stepviz.viz.figure import describe, figure_html


def _figure():
    fig, ax = plt.subplots()
    sv.viz.plot_losses(sv.run(sv.GD([0.05, 0.15]), sv.QuadraticBowl(), steps=20), ax=ax, title="loss of two runs")
    return fig


def test_describe_names_the_titles_axes_scales_and_legend():
    fig = _figure()
    text = describe(fig)
    assert "loss of two runs" in text and "x: iteration k" in text and "(log scale)" in text
    assert "α=0.05" in text and "α=0.15" in text
    plt.close(fig)


def test_figure_html_is_an_image_with_that_alt_text():
    fig = _figure()
    page = figure_html(fig)
    img = re.fullmatch(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]+)" style="[^"]+">', page)
    assert img and "loss of two runs" in img.group(1)
    plt.close(fig)


def test_in_ipython_every_figure_is_shown_with_its_alt_text():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        sv._figures_with_alt_text()
        fig = _figure()
        data, _ = shell.display_formatter.format(fig)
        assert 'alt="loss of two runs' in data["text/html"]  # (the inline backend adds image/png)
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.filterwarnings("ignore::UserWarning")  # matplotlib: an animation deleted without being rendered
def test_an_animation_player_has_alt_text():
    anim = sv.viz.animate(sv.run(sv.GD(0.15), sv.QuadraticBowl(), steps=10), frames=4)
    page = sv.viz.animation_html(anim).data
    alts = re.findall(r'<img id="_anim_img[0-9a-f]+" alt="([^"]+)">', page)
    assert len(alts) == 1 and alts[0].startswith("Animation, frame by frame: bowl")


def test_in_a_notebook_kernel_every_figure_carries_its_alt_text():
    """The inline backend switches itself on lazily and resets the figure formats when it does: the first
    figure of a notebook, shown mid-cell, must carry alt text as well as the later ones."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nimport stepviz as sv"),
                nbformat.v4.new_code_cell("fig, ax = plt.subplots()\nax.set_title('first')\nplt.show()"),
                nbformat.v4.new_code_cell("fig, ax = plt.subplots()\nax.set_title('second')")]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    shown = [o["data"] for c in nb.cells[1:] for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(shown) == 2
    assert 'alt="first' in shown[0]["text/html"] and 'alt="second' in shown[1]["text/html"]
