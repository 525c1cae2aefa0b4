"""Small readings the screens share: a stored phone number as shown, the row under a table's
cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from textual.widgets import DataTable

from ensap_tui.domain.contact import format_phone
from ensap_tui.domain.errors import FieldError

T = TypeVar("T")


def phone_text(stored: str, empty: str) -> str:
    """A stored number laid out for reading; ``empty`` when none; a number stored before
    today's rules, which no longer reads, as it is."""
    if not stored:
        return empty
    try:
        return format_phone(stored)
    except FieldError:
        return stored


def item_at_cursor(table: DataTable[Any], items: Sequence[T]) -> T | None:
    """The item of the table's highlighted row (``items`` in the table's row order), or None
    when the table is empty or its cursor is outside the items."""
    if not items or not 0 <= table.cursor_row < len(items):
        return None
    return items[table.cursor_row]
