"""The error line shown under a field: ``#<field>-erreur``."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget


class FieldErrorLine(Widget):
    """One line (wrapping if long) saying what is wrong with a field, hidden while empty.

    ``FieldErrorLine("nir")`` gets the id ``nir-erreur``; ``field`` keeps ``"nir"`` so a screen can
    match it with :attr:`ensap_tui.domain.errors.FieldError.field`. Set :attr:`message` (or call
    :meth:`show` / :meth:`clear`); the text is shown literally after a «✖», never as markup.
    """

    DEFAULT_CSS = """
    FieldErrorLine {
        height: auto;
        width: 1fr;
        color: $text-error;
        text-style: bold;
        display: none;
        &.-visible { display: block; }
    }
    """

    message: reactive[str] = reactive("", layout=True)
    """The message shown; empty hides the line."""

    def __init__(self, field: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id or f"{field}-erreur", classes=classes)
        self.field = field
        self._lines: set[FieldErrorLine] | None = None

    def on_mount(self) -> None:
        # The screen's form reads its lines on every key: each line tells it it is there,
        # rather than the form querying the whole screen for them.
        lines = getattr(self.screen, "error_lines", None)
        if isinstance(lines, set):
            lines.add(self)
            self._lines = lines

    def on_unmount(self) -> None:
        if self._lines is not None:
            self._lines.discard(self)

    def show(self, message: str) -> None:
        """Shows ``message`` under the field."""
        self.message = message

    def clear(self) -> None:
        """Hides the line."""
        self.message = ""

    def watch_message(self, message: str) -> None:
        self.set_class(bool(message), "-visible")

    def render(self) -> RenderResult:
        return Text.assemble("✖ ", self.message)
