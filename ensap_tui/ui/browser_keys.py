"""The keys of the simulator in a browser (``ensap-tui serve``, ``ensap-tui salle``).

A browser may keep some keys for itself before the page sees them: F1 (its help), F5 (reload
the page), F6 (its address bar), F7 (caret browsing), Ctrl+P (print), Ctrl+Q (quit the
browser). In a browser, each binding of the simulator on one of those keys also answers to
another key that no browser keeps and that no text field of the simulator uses; the footer,
the help and the screens that name a key name that one. The original key stays bound too:
where the browser lets it through, it still works.

The rebinding is Textual's keymap (``App.update_keymap``): the bindings concerned carry an
``id``, and :data:`BROWSER_KEYMAP` gives each its keys in a browser, the other key first (the
footer shows the first key of an action).
"""

from __future__ import annotations

from typing import NamedTuple


class BrowserKey(NamedTuple):
    """One binding's key in a terminal, its key in a browser, and what it does (French)."""

    binding_id: str
    terminal: str
    browser: str
    action: str


#: Every binding whose key a browser may keep, in the order of the help's list.
BROWSER_KEYS: tuple[BrowserKey, ...] = (
    BrowserKey("aide", "f1", "ctrl+g", "aide de l'écran"),
    BrowserKey("commandes", "ctrl+p", "ctrl+o", "palette de commandes"),
    BrowserKey("quitter", "ctrl+q", "ctrl+s", "quitter le simulateur"),
    BrowserKey("actualiser", "f5", "ctrl+b", "actualiser la boîte de réception ou la console"),
    BrowserKey("horloge-plus-1h", "f6", "f3", "horloge + 1 h (mode démonstration, poste)"),
    BrowserKey("horloge-plus-24h", "f7", "f4", "horloge + 24 h (mode démonstration, poste)"),
)

#: The keymap a browser's app applies: each binding on its browser key, then its own.
BROWSER_KEYMAP: dict[str, str] = {
    key.binding_id: f"{key.browser},{key.terminal}" for key in BROWSER_KEYS
}

_BY_TERMINAL_KEY = {key.terminal: key.browser for key in BROWSER_KEYS}


def key_label(key: str) -> str:
    """How the simulator writes a key: ``ctrl+g`` → ``Ctrl+G``, ``f3`` → ``F3``."""
    *modifiers, name = key.split("+")
    words = {"ctrl": "Ctrl", "shift": "Maj", "alt": "Alt"}
    return "+".join([*(words.get(modifier, modifier) for modifier in modifiers), name.upper()])


def shown_key(key: str, *, in_browser: bool) -> str:
    """The label of the key that does what ``key`` (a terminal key, e.g. ``f1``) does, in a
    browser when ``in_browser``: ``F1`` in a terminal, ``Ctrl+G`` in a browser."""
    return key_label(_BY_TERMINAL_KEY.get(key, key) if in_browser else key)
