"""The bar of buttons at the foot of a form (``.actions``)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from ensap_tui.ui.widgets.busy_line import BusyLine


def action_bar(
    *left: Widget, right: Iterable[Widget] = (), busy: str | None = None
) -> ComposeResult:
    """The ``left`` buttons, a gap that pushes the ``right`` ones to the right edge, one row
    below a blank one; with ``busy``, that blank row is the :class:`BusyLine` saying ``busy``
    while the screen's work runs (so showing it moves nothing)."""
    if busy is not None:
        yield BusyLine(busy)
    classes = "actions" if busy is None else "actions -sous-travail"
    yield Horizontal(*left, Static(classes="espace"), *right, classes=classes)
