"""Records what a person does in the app as a scenario: the tester's ids and the text typed,
passwords replaced by variables, a wait for each new screen, a check of the last one.

The :class:`Recorder` is a message hook (``App.run_test(message_hook=…)``, or Textual's message
hook context variable for a run in the terminal): it sees every message the app's widgets
receive and keeps those a person causes on a widget of the tester's contract.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, Select

from ensap_tui.scenarios.format import (
    BOX_IDS,
    FORMAT_VERSION,
    INPUT_IDS,
    KNOWN_IDS,
    LIST_IDS,
    is_secret_field,
)
from ensap_tui.scenarios.runner import screen_name

#: Keys recorded as they are (the others act through the widgets they reach, or only move the
#: focus, which ``saisir``, ``choisir``… do by themselves).
_KEYS = {"escape", "f1", "f2", "f5"}
#: The demo keys, recorded as moves of the demo clock.
_CLOCK_KEYS = {"f6": "+1h", "f7": "+24h", "f8": "reel"}


#: The messages a recording looks at (the others are never kept, even to be skipped).
_RECORDED = (Input.Changed, Select.Changed, Checkbox.Changed, Button.Pressed,
             DataTable.RowHighlighted, events.Key, events.ScreenResume)


@dataclass
class Recorded:
    """One step being recorded: its action and value, its options (in file order)."""

    action: str
    value: Any
    options: dict[str, Any] = field(default_factory=dict)


class Recorder:
    """Collects the steps of a session of ``app``; :meth:`toml` writes them as a scenario."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.app: App[Any] | None = None
        self.steps: list[Recorded] = []
        self._screen: str | None = "accueil"
        #: The screen shown last (for the closing check, read even after the app has quit).
        self.last_screen: str | None = None
        # A message reaches several widgets (bubbling, forwarding): each is kept once.
        self._seen: deque[Message] = deque(maxlen=64)

    def attach(self, app: App[Any]) -> None:
        """Records the session of ``app`` (call before it runs)."""
        self.app = app

    # The hook.

    def __call__(self, message: Message) -> None:
        app = self.app
        if app is None or not isinstance(message, _RECORDED):
            return
        if any(seen is message for seen in self._seen):
            return
        self._seen.append(message)
        try:
            self._record(app, message)
        except Exception:  # a recording must never break the session it records
            return

    def _record(self, app: App[Any], message: Message) -> None:
        if isinstance(message, Input.Changed):
            self._typed(message.input, message.value)
        elif isinstance(message, Select.Changed):
            widget_id = message.select.id or ""
            if widget_id in LIST_IDS and not message.select.is_blank():
                self._add(app, Recorded("choisir", f"#{widget_id}",
                                        {"valeur": str(message.value)}))
        elif isinstance(message, Checkbox.Changed):
            widget_id = message.checkbox.id or ""
            if widget_id in BOX_IDS:
                self._add(app, Recorded("cocher", f"#{widget_id}", {"coche": message.value}))
        elif isinstance(message, Button.Pressed):
            widget_id = message.button.id or ""
            if widget_id in KNOWN_IDS:
                self._add(app, Recorded("bouton", f"#{widget_id}"))
        elif isinstance(message, DataTable.RowHighlighted):
            self._highlighted(app, message)
        elif isinstance(message, events.Key):
            self._key(app, message)
        elif isinstance(message, events.ScreenResume):
            # The screen is composed after this: its name is read once it is drawn.
            app.call_after_refresh(self._note_screen)

    def _note_screen(self) -> None:
        if self.app is not None:
            self.last_screen = screen_name(self.app) or self.last_screen

    def _typed(self, field_: Input, value: str) -> None:
        widget_id = field_.id or ""
        if widget_id not in INPUT_IDS or not value or not field_.has_focus:
            # Not typing: a field the screen empties (after a failed sign-in) or fills (the
            # link a followed mail puts in «Activer mon espace», the demo's sample identity).
            return
        last = self.steps[-1] if self.steps else None
        if last is not None and last.action == "saisir" and last.value == f"#{widget_id}":
            last.options["texte"] = value
            return
        assert self.app is not None
        self._add(self.app, Recorded("saisir", f"#{widget_id}", {"texte": value}))

    def _highlighted(self, app: App[Any], message: DataTable.RowHighlighted) -> None:
        table = message.data_table
        if table.id != "resultats" or message.cursor_row < 0:
            return
        cells = [str(cell) for cell in table.get_row_at(message.cursor_row)]
        # The row's most telling cell: the longest with letters (the birth name).
        wordy = [cell for cell in cells if any(c.isalpha() for c in cell)]
        if wordy:
            self._add(app, Recorded("choisir", "#resultats", {"valeur": max(wordy, key=len)}))

    def _key(self, app: App[Any], key: events.Key) -> None:
        from textual.widgets._select import SelectOverlay  # the list of an open Select

        focused = app.focused
        if key.key in _CLOCK_KEYS and getattr(app, "demo", False):
            self._add(app, Recorded("horloge", _CLOCK_KEYS[key.key]))
        elif key.key in _KEYS and not isinstance(focused, SelectOverlay):
            self._add(app, Recorded("touche", key.key))
        elif key.key == "enter" and isinstance(focused, Input) and focused.id in INPUT_IDS:
            self._add(app, Recorded("touche", "enter"))

    def _add(self, app: App[Any], step: Recorded) -> None:
        screen = screen_name(app)
        if screen is not None and screen != self._screen:
            self.steps.append(Recorded("attendre", screen))
        self._screen = screen or self._screen
        self.steps.append(step)

    def finish(self) -> None:
        """Ends with a check of the screen the session ended on."""
        if self.last_screen is not None and self.steps:
            self.steps.append(Recorded("verifier_ecran", self.last_screen))

    # Writing.

    def variables(self) -> dict[str, str]:
        """Each password typed -> its variable (``mot_de_passe``, ``mot_de_passe_2``…), in the
        order they were first typed; the same password, the same variable."""
        names: dict[str, str] = {}
        for step in self.steps:
            if step.action == "saisir" and is_secret_field(step.value[1:]):
                text = step.options["texte"]
                if text not in names:
                    names[text] = "mot_de_passe" + (f"_{len(names) + 1}" if names else "")
        return names

    def toml(self) -> str:
        """The scenario in the format of ``format.py`` (the passwords in ``[variables]``)."""
        secrets = self.variables()
        lines = [
            "# Enregistré par « ensap-tui scenario enregistrer ». Les mots de passe sont dans",
            "# [variables] ; ajoutez des « legende » et des « pause » pour une démonstration.",
            f"format = {FORMAT_VERSION}",
            f"titre = {_string(self.title)}",
        ]
        if secrets:
            lines += ["", "[variables]"]
            lines += [f"{name} = {_string(value)}" for value, name in secrets.items()]
        for step in self.steps:
            options = dict(step.options)
            if step.action == "saisir":
                text = options["texte"]
                options["texte"] = ("{" + secrets[text] + "}" if text in secrets
                                    else text.replace("{", "{{").replace("}", "}}"))
            lines += ["", "[[etapes]]", f"{step.action} = {_value(step.value)}"]
            lines += [f"{key} = {_value(value)}" for key, value in options.items()]
        return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    # A JSON string is a TOML basic string (same escapes, \uXXXX included).
    return json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _string(str(value))
