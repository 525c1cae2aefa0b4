"""The one error the domain raises on bad input."""

from __future__ import annotations


class FieldError(ValueError):
    """Bad input for one field.

    ``field`` names the field (it matches the widget id on screen, e.g. ``"nir"``) and
    ``message`` says in French what is expected; it is shown next to the field.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __repr__(self) -> str:
        return f"FieldError({self.field!r}, {self.message!r})"
