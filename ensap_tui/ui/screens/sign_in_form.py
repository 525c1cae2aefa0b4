"""What the two sign-in screens share: an identifier, a password, one attempt in a worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, Protocol

from textual.widgets import Input

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.timefmt import format_datetime, format_time, local
from ensap_tui.services.models import SignInStatus
from ensap_tui.ui.screens.base import FormScreen
from ensap_tui.ui.widgets.notice import Notice, NoticeKind

EMPTY_PASSWORD = "Saisissez votre mot de passe."


def attempts_left(left: int | None, before: str) -> str:
    """« Il vous reste 2 tentatives <before>.» after a failure (a leading space, to follow the
    failure's sentence); nothing when no attempt count applies."""
    if left is None or left <= 0:
        return ""
    plural = "s" if left > 1 else ""
    return f" Il vous reste {left} tentative{plural} {before}."


def until_text(until: datetime, now: datetime) -> str:
    """When a block ends, in local time: «jusqu'à 14:30», or «jusqu'au …» with the date when
    it is not today."""
    if local(until).date() == local(now).date():
        return f"jusqu'à {format_time(until)}"
    return f"jusqu'au {format_datetime(until)}"


class Attempt(Protocol):
    """What a sign-in answers (a person's or an agent's)."""

    @property
    def status(self) -> SignInStatus: ...

    @property
    def session(self) -> object | None: ...


class SignInForm(FormScreen):
    """A sign-in form: ``#<IDENTIFIER>``, ``#<PASSWORD>`` and the outcome in ``#<NOTICE>``.

    :meth:`submit` (the primary button and Enter): Enter in the identifier goes on to the
    password; an empty password is a slip shown next to its field, never an attempt (it does
    not count towards a block); otherwise :meth:`attempt` runs in a thread worker. A success
    empties both fields (nothing stays behind on a shared terminal) and calls
    :meth:`signed_in`; a failure empties the password, shows :meth:`failure` and puts the focus
    back on the password.
    """

    IDENTIFIER: ClassVar[str]
    PASSWORD: ClassVar[str]
    NOTICE: ClassVar[str]
    #: The service-call group of the attempts.
    GROUP: ClassVar[str]

    def identifier_errors(self, identifier: str) -> list[FieldError]:
        """What is wrong with the identifier, told with an empty password."""
        raise NotImplementedError

    def attempt(self, identifier: str, password: str) -> Callable[[], Any]:
        """The service call that tries ``identifier`` and ``password``."""
        raise NotImplementedError

    def failure(self, result: Any) -> tuple[str, NoticeKind]:
        """The notice for a refused attempt."""
        raise NotImplementedError

    def signed_in(self, session: Any) -> None:
        """Goes on with the session of a successful attempt."""
        raise NotImplementedError

    @property
    def notice(self) -> Notice:
        return self.query_one(f"#{self.NOTICE}", Notice)

    def submit(self) -> None:
        if self.busy:
            return
        identifier = self.query_one(f"#{self.IDENTIFIER}", Input).value
        password_input = self.query_one(f"#{self.PASSWORD}", Input)
        password = password_input.value
        if not password and self.focused is self.query_one(f"#{self.IDENTIFIER}"):
            # Enter in the identifier goes on to the password.
            password_input.focus()
            return
        self.clear_errors()
        self.notice.clear()
        if not password:
            # An empty password is a slip, not an attempt: it must not count towards a block.
            errors = self.identifier_errors(identifier)
            self.show_errors([*errors, FieldError(self.PASSWORD, EMPTY_PASSWORD)])
            return
        self.call_service(self.attempt(identifier, password), self._show_outcome, group=self.GROUP)

    def _show_outcome(self, result: Attempt) -> None:
        if result.status is SignInStatus.SIGNED_IN and result.session is not None:
            # Nothing of the sign-in stays behind what opens (shared terminals).
            self.query_one(f"#{self.IDENTIFIER}", Input).value = ""
            self.query_one(f"#{self.PASSWORD}", Input).value = ""
            self.signed_in(result.session)
            return
        password = self.query_one(f"#{self.PASSWORD}", Input)
        password.value = ""
        self.notice.show(*self.failure(result))
        password.focus()
