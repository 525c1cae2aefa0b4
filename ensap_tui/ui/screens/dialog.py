"""A framed dialog over the screen: a title, its content, a row of answer buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

T = TypeVar("T")


class Dialog(ModalScreen[T], Generic[T]):
    """A dialog whose ids start with :attr:`PREFIX`: ``#<PREFIX>-cadre`` (the frame),
    ``#<PREFIX>-titre``, then :meth:`compose_content`, then ``#<PREFIX>-actions`` with one
    button an answer. A button dismisses the dialog with its answer; :meth:`action_close`
    (the subclass's Escape binding) with ``escape_answer``.
    """

    PREFIX: ClassVar[str]

    def __init__(
        self, title: str, answers: Sequence[tuple[Button, T]], escape_answer: T, **kwargs: str
    ) -> None:
        super().__init__(**kwargs)
        self.title_text = title
        self._buttons = [button for button, _ in answers]
        self._answers = {button.id: answer for button, answer in answers}
        self._escape_answer = escape_answer

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.PREFIX}-cadre"):
            yield Static(self.title_text, id=f"{self.PREFIX}-titre", markup=False)
            yield from self.compose_content()
            with Horizontal(id=f"{self.PREFIX}-actions"):
                yield from self._buttons

    def compose_content(self) -> ComposeResult:
        """What the dialog says, between its title and its buttons."""
        yield from ()

    def action_close(self) -> None:
        """Closes the dialog with the answer of Escape."""
        self.dismiss(self._escape_answer)

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        if event.button.id in self._answers:
            event.stop()
            self.dismiss(self._answers[event.button.id])
