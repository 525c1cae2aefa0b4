"""The tick box «☐ Afficher»: one space between the box and its label, in the terminal and in
the pictures (an SVG text run loses its leading space, so the space must not start the
label's run)."""

from __future__ import annotations

from itertools import groupby

from textual.app import App, ComposeResult

from ensap_tui.ui.widgets.tick_box import TickBox


class _OneBox(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("Afficher", id="afficher")


def runs(box: TickBox) -> list[str]:
    """The first line of the box as a picture cuts it: one text run per style."""
    segments = list(box.render_line(0))
    return ["".join(s.text for s in same) for _, same in groupby(segments, lambda s: s.style)]


async def test_one_space_between_the_box_and_its_label() -> None:
    app = _OneBox()
    async with app.run_test(size=(40, 3)) as pilot:
        await pilot.pause()
        box = app.query_one("#afficher", TickBox)
        assert "".join(runs(box)).startswith("☐ Afficher")
        label_run = next(run for run in runs(box) if "Afficher" in run)
        assert label_run.startswith("Afficher"), runs(box)
        assert box.size.width == len("☐ Afficher ")
        await pilot.press("tab", "space")
        await pilot.pause()
        assert box.value
        assert "".join(runs(box)).startswith("☑ Afficher")
        assert next(run for run in runs(box) if "Afficher" in run).startswith("Afficher")
