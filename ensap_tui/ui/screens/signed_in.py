"""The base of the screens shown while someone is signed in: it signs them out when idle."""

from __future__ import annotations

import enum
import time
from datetime import timedelta
from functools import partial
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, DataTable, Input

from ensap_tui.services.errors import NotSignedIn
from ensap_tui.services.models import Account, Session
from ensap_tui.ui.screens.base import EnsapScreen, FormScreen
from ensap_tui.ui.widgets.action_bar import action_bar


class SignOutReason(enum.StrEnum):
    """Why a signed-in screen closed the session (the result :meth:`dismiss` carries)."""

    USER = "deconnexion"  # «Se déconnecter», or Escape from Mon espace
    IDLE = "inactivite"  # no key or click for ``services.idle_timeout``
    ENDED = "fin-de-session"  # the account is gone or no longer active
    ATTEMPTS = "trop-d-erreurs"  # 3 wrong «Mot de passe actuel»: the NIR is blocked

    @property
    def event_detail(self) -> str:
        """The French detail recorded with the sign-out event (empty for a plain sign-out)."""
        return _EVENT_DETAILS[self]


_EVENT_DETAILS = {
    SignOutReason.USER: "",
    SignOutReason.IDLE: "inactivité",
    SignOutReason.ENDED: "session terminée",
    SignOutReason.ATTEMPTS: "3 mots de passe actuels erronés",
}


def idle_seconds(timeout: timedelta | float) -> float:
    """``services.idle_timeout`` in seconds, whether given as a timedelta or a number."""
    if isinstance(timeout, timedelta):
        return timeout.total_seconds()
    return float(timeout)


class SignedInScreen(EnsapScreen):
    """A screen that belongs to a session and watches for inactivity.

    Any key, click, scroll, focus move or typing counts as activity. When none happened for the
    app's ``services.idle_timeout``, :meth:`idle_expired` runs; by default it closes the screen
    (see :meth:`leave`) with :attr:`SignOutReason.IDLE` so the screen below (Mon espace, then
    the sign-in screen) closes the session.

    While another session screen covers this one, that screen keeps the watch. Any other screen
    opened over it (help, command palette) does not stop the countdown: a session left on a help
    page still closes, and the pages above it close with it.

    Inactivity is measured on the monotonic clock, not on the services' clock: the demo clock
    may jump by hours without signing anyone out.
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._last_activity = time.monotonic()
        self._idle_limit = 600.0
        self._expired = False

    @on(events.Mount)
    def _start_idle_watch(self) -> None:
        self._idle_limit = idle_seconds(self.services.idle_timeout)
        # Check often enough that the sign-out comes at most ~1 s (or 1/10 of a short test
        # timeout) late; a check is one subtraction.
        period = min(1.0, max(0.02, self._idle_limit / 10))
        self._last_activity = time.monotonic()
        self._idle_timer = self.set_interval(period, self._check_idle)

    def note_activity(self) -> None:
        """Restarts the inactivity countdown."""
        self._last_activity = time.monotonic()

    def _check_idle(self) -> None:
        if self._expired:
            return
        if not self.is_active and isinstance(self.app.screen, SignedInScreen):
            # The session screen in front watches; this one starts afresh when it comes back.
            self.note_activity()
            return
        if time.monotonic() - self._last_activity >= self._idle_limit:
            self._expired = True
            self._idle_timer.stop()
            self.idle_expired()

    def idle_expired(self) -> None:
        """Called once when the session has been idle too long; leaves with IDLE."""
        self.leave(SignOutReason.IDLE)

    def own_account(self) -> Account | None:
        """The session's account, read now (see ``call_now``); None when it could not be read
        (said, and the session left when it has ended)."""
        return self.call_now(partial(self.services.account.account, self.session))

    def session_ended(self, error: NotSignedIn) -> None:
        """A call found the session over (signed out elsewhere, account gone): leaves with
        :attr:`SignOutReason.ENDED`, and the sign-in says so."""
        self.leave(SignOutReason.ENDED)

    def leave(self, result: object) -> None:
        """Dismisses this screen with ``result``, first closing any screen opened over it."""
        if self.is_active:
            self.dismiss(result)
            return
        self.pop_until_active()
        # Queued on the app after the pops that pop_until_active scheduled, so it runs once
        # this screen is in front again.
        self.app.call_later(self.dismiss, result)

    @on(events.ScreenResume)
    def _back_in_front(self) -> None:
        self.note_activity()

    # Keys typed into an input stop there; they reach us as Input.Changed instead. Other keys,
    # and mouse events, bubble up to the screen.
    @on(events.Key)
    @on(events.MouseDown)
    @on(events.MouseScrollDown)
    @on(events.MouseScrollUp)
    @on(events.DescendantFocus)
    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Button.Pressed)
    @on(DataTable.RowHighlighted)
    def _activity(self) -> None:
        self.note_activity()


class AccountForm(SignedInScreen, FormScreen):
    """A form of «Mon espace» that changes the account: :meth:`compose_fields`, then
    «Annuler» (``#annuler``, back to Mon espace) and «Valider» (``#valider``) under the busy
    line saying :attr:`BUSY_TEXT`; on mount, :meth:`fill` with the account as it is now (not
    called when it could not be read: that is said already)."""

    BUSY_TEXT: ClassVar[str]

    def compose_body(self) -> ComposeResult:
        yield from self.compose_fields()
        yield from action_bar(
            Button("Annuler", id="annuler"),
            right=[Button("Valider", id="valider", variant="primary")],
            busy=self.BUSY_TEXT,
        )

    def compose_fields(self) -> ComposeResult:
        """The form's title and fields."""
        yield from ()

    def fill(self, account: Account) -> None:
        """Shows what ``account`` holds now."""

    def on_mount(self) -> None:
        account = self.own_account()
        if account is not None:
            self.fill(account)

    @on(Button.Pressed, "#annuler")
    def _cancel(self) -> None:
        self.go_back()
