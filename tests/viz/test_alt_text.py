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


def test_in_ipython_a_figure_stepviz_draws_on_shows_its_alt_text_and_a_learners_own_does_not():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        fig = _figure()
        data, _ = shell.display_formatter.format(fig)
        assert 'alt="loss of two runs' in data["text/html"]  # (the inline backend adds image/png)
        mine, ax = plt.subplots()
        ax.plot([0, 1], [1, 0])
        ax.set_title("my own figure")
        data, _ = shell.display_formatter.format(mine)
        assert "text/html" not in data
        sv.viz.with_alt_text(mine)   # the opt-in for a learner's own figure
        assert 'alt="my own figure' in shell.display_formatter.format(mine)[0]["text/html"]
        plt.close(fig)
        plt.close(mine)
    finally:
        InteractiveShell.clear_instance()


@pytest.mark.filterwarnings("ignore::UserWarning")  # matplotlib: an animation deleted without being rendered
def test_an_animation_player_has_alt_text():
    anim = sv.viz.animate(sv.run(sv.GD(0.15), sv.QuadraticBowl(), steps=10), frames=4)
    page = sv.viz.animation_html(anim).data
    alts = re.findall(r'<img id="_anim_img[0-9a-f]+" alt="([^"]+)">', page)
    assert len(alts) == 1 and alts[0].startswith("Animation, frame by frame: bowl")
    sliders = re.findall(r'<input id="_anim_slider[0-9a-f]+" type="range"([^>]*)>', page)
    assert len(sliders) == 1 and ' aria-label="frame"' in sliders[0]  # axe's 'label' rule: a named input


def test_in_a_notebook_kernel_stepviz_figures_carry_alt_text_and_import_changes_nothing():
    """Importing stepviz registers no formatter, no event hook and touches no rcParams; the figures stepviz draws
    on carry their alt text however they are shown (plt.show() mid-cell, the inline backend's display at the
    end of a cell, the first figure of the notebook included); a learner's own figure is left alone."""
    import nbformat
    from nbclient import NotebookClient

    snapshot = ("ip = get_ipython()\n"
                "state = lambda: (dict(ip.display_formatter.formatters['text/html'].type_printers),\n"
                "                 dict(ip.display_formatter.formatters['text/html'].deferred_printers),\n"
                "                 list(ip.events.callbacks['pre_run_cell']), list(ip.events.callbacks['post_run_cell']),\n"
                "                 dict(plt.rcParams))\n"
                "before = state()\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\n" + snapshot + "import stepviz as sv\n"
                                          "assert state() == before, 'importing stepviz changed the session'"),
                nbformat.v4.new_code_cell("traj = sv.run(sv.GD(0.1), sv.QuadraticBowl(), steps=5)\n"
                                          "fig, ax = plt.subplots()\nsv.viz.plot_losses(traj, ax, title='first')\n"
                                          "plt.show()"),
                nbformat.v4.new_code_cell("sv.viz.plot_losses(traj, title='second');"),
                nbformat.v4.new_code_cell("fig, ax = plt.subplots()\nax.set_title('mine')\nplt.show()")]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    shown = [o["data"] for c in nb.cells[1:] for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(shown) == 3
    assert 'alt="first' in shown[0]["text/html"] and 'alt="second' in shown[1]["text/html"]
    assert "text/html" not in shown[2]
