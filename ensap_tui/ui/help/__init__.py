"""The help page of each screen (F1), and the dialog that shows it.

Every screen names its page with ``HELP_TOPIC``; the page is the Markdown file
``pages/<topic>.md`` of this package (written by us: nothing typed by a user ever goes into it).
Its first line is ``# Title``; the rest is the body. ``pages/_touches.md`` (the keys) and
``pages/_rappel.md`` (the simulator reminder) end every page. A page is read from the package the
first time it is opened, never at start-up.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Markdown

from ensap_tui.ui.screens.dialog import Dialog

_PAGES = resources.files(__name__).joinpath("pages")

#: Every topic that has a page: the names of the ``pages/*.md`` files, those starting with «_»
#: (the parts shared by every page) aside.
HELP_TOPICS: frozenset[str] = frozenset(
    entry.name.removesuffix(".md")
    for entry in _PAGES.iterdir()
    if entry.name.endswith(".md") and not entry.name.startswith("_")
)

_UNKNOWN_TOPIC = ("Aide", "Aucune aide particulière pour cet écran.")


@functools.cache
def _read(name: str) -> str:
    return _PAGES.joinpath(f"{name}.md").read_text(encoding="utf-8")


def _page(topic: str) -> tuple[str, str]:
    if topic not in HELP_TOPICS:  # only names of the package's own files are ever read
        return _UNKNOWN_TOPIC
    heading, _, body = _read(topic).partition("\n")
    return heading.removeprefix("# ").strip(), body.strip()


def help_text(topic: str) -> tuple[str, str]:
    """The (title, Markdown body) of ``topic``'s page, keys and reminder included."""
    title, body = _page(topic)
    return title, f"{body}\n\n{_read('_touches').strip()}\n\n{_read('_rappel').strip()}\n"


class HelpScreen(Dialog[None]):
    """The help page of one topic, over the current screen. Escape, F1 or «Fermer» close it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "close", "Fermer", key_display="Échap"),
    ]

    PREFIX = "aide"
    #: What a training room's poste reports while the help is open.
    SCREEN_NAME = "Aide (F1)"

    def __init__(self, topic: str) -> None:
        title, self._body = help_text(topic)
        fermer = Button("Fermer", id="fermer-aide", variant="primary")
        super().__init__(f"Aide — {title}", [(fermer, None)], None, id="aide")
        self.topic = topic

    def compose_content(self) -> ComposeResult:
        with VerticalScroll(id="aide-defilement"):
            yield Markdown(self._body, id="aide-texte")

    def on_mount(self) -> None:
        # The text has the focus, so the arrows and Page keys scroll it at once.
        self.query_one("#aide-defilement").focus()
