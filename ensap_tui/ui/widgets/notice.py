"""The outcome line of a form (``#message-connexion``, ``#message-activation``, ...)."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

NoticeKind = Literal["succes", "erreur", "attention", "info"]

_ICONS: dict[str, str] = {"succes": "✔", "erreur": "✖", "attention": "!", "info": "ℹ"}


class Notice(Widget):
    """A framed message saying how an action ended, hidden while empty.

    :meth:`show` sets the text and its kind; the kind sets the class ``-succes``, ``-erreur``,
    ``-attention`` or ``-info`` and a leading symbol (✔ ✖ ! ℹ), so the meaning never rests on
    colour alone. The text is shown literally, never as markup.
    """

    DEFAULT_CSS = """
    Notice {
        height: auto;
        width: 1fr;
        padding: 0 1;
        margin: 1 0 0 0;
        border-left: outer $primary;
        display: none;
        &.-visible { display: block; }
        &.-succes { border-left: outer $success; }
        &.-erreur { border-left: outer $error; }
        &.-attention { border-left: outer $warning; }
    }
    """

    message: reactive[str] = reactive("", layout=True)
    """The text shown; empty hides the widget."""

    kind: reactive[str] = reactive("info")
    """One of ``succes``, ``erreur``, ``attention``, ``info``."""

    def show(self, message: str, kind: NoticeKind = "info") -> None:
        """Shows ``message`` as a ``kind`` outcome."""
        self.kind = kind
        self.message = message

    def clear(self) -> None:
        """Hides the message."""
        self.message = ""

    def watch_message(self, message: str) -> None:
        self.set_class(bool(message), "-visible")

    def watch_kind(self, old: str, new: str) -> None:
        self.remove_class(f"-{old}")
        self.add_class(f"-{new}")

    def render(self) -> RenderResult:
        return Text.assemble((f"{_ICONS.get(self.kind, 'ℹ')} ", "bold"), self.message)
