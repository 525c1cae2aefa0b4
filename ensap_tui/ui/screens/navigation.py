"""Where a screen can lead, named without importing the screen that shows it.

A screen never imports another screen to open it: it asks the app's :class:`Navigator`
(``EnsapScreen.navigator``) to open a *destination*, one of the small values below. The app's
navigator (``ensap_tui.ui.journeys``) is the one place that knows which screen shows each
destination, and the registration controller (``ensap_tui.ui.registration``) the one place that
knows the order of the creation wizard (its steps reach it through ``ui/screens/step.py``). So
``ui/screens`` has no import circle, and no wizard step imports another (import-linter checks
both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ensap_tui.services.models import AgentSession, Session


@dataclass(frozen=True)
class Registration:
    """The creation wizard from step 1, with a new, empty draft."""


@dataclass(frozen=True)
class SignIn:
    """«Accéder à mon espace»; ``notice`` (a success, such as a changed password) is shown at
    the top when given."""

    notice: str = ""


@dataclass(frozen=True)
class Activation:
    """«Activer mon espace», the ``link`` filled in when given; ``follow``: the link was
    followed from its mail, so the activation runs at once (as clicking a real mail's link)."""

    link: str = ""
    follow: bool = False


@dataclass(frozen=True)
class Mailbox:
    """The simulated mailbox."""


@dataclass(frozen=True)
class ForgotPassword:
    """«Mot de passe oublié»."""


@dataclass(frozen=True)
class ResetPassword:
    """The password reset, the ``link`` filled in when given."""

    link: str = ""


@dataclass(frozen=True)
class Espace:
    """«Mon espace» for ``session``; it dismisses with why it was left."""

    session: Session


@dataclass(frozen=True)
class ChangePassword:
    """«Modifier mon mot de passe» for ``session``."""

    session: Session


@dataclass(frozen=True)
class ChangeContacts:
    """«Modifier mes coordonnées» for ``session``."""

    session: Session


@dataclass(frozen=True)
class AgentSignIn:
    """The help desk's sign-in."""


@dataclass(frozen=True)
class Console:
    """The help-desk console for an agent's ``session``."""

    session: AgentSession


#: Every place a screen can ask to go.
Destination = (
    Registration | SignIn | Activation | Mailbox | ForgotPassword | ResetPassword | Espace
    | ChangePassword | ChangeContacts | AgentSignIn | Console
)


class Navigator(Protocol):
    """Opens destinations; the app holds one (``app.navigator``)."""

    def open(
        self, destination: Destination, callback: Callable[[Any], None] | None = None
    ) -> None:
        """Shows ``destination`` over the current screen; ``callback`` gets what it dismisses
        with."""

    def return_to(self, destination: Destination) -> None:
        """Goes back to the nearest screen of ``destination`` in the stack, closing those above
        it (and hands it the destination's notice, if any), or opens it when there is none."""

    def return_home(self, then: Destination | None = None) -> None:
        """Closes every screen above the home page, then opens ``then`` over it if given."""
