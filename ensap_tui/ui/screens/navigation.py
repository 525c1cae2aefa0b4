"""Where a screen can lead, named without importing the screen that shows it.

A screen never imports another screen to open it: it asks the app's :class:`Navigator`
(``EnsapScreen.navigator``) to open a *destination*, one of the small values below. The app's
navigator (``ensap_tui.ui.journeys``) is the one place that knows which screen shows each
destination, and the registration controller (``ensap_tui.ui.registration``) the one place that
knows the order of the creation wizard (its steps reach it through ``ui/screens/step.py``). So
``ui/screens`` has no import circle, and no wizard step imports another (import-linter checks
both).

The destinations are named tuples rather than dataclasses: this module is imported as the app
starts, and a frozen dataclass compiles its methods when its class is made (half a millisecond
each, eleven here). A destination is only ever matched by its type, never compared with another
(two destinations of different types with the same values would compare equal), nor tested
for truth (one without fields is an empty tuple: ``is None`` says whether there is one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from ensap_tui.services.models import AgentSession, Session


class Registration(NamedTuple):
    """The creation wizard from step 1, with a new, empty draft."""


class SignIn(NamedTuple):
    """«Accéder à mon espace»; ``notice`` (a success, such as a changed password) is shown at
    the top when given."""

    notice: str = ""


class Activation(NamedTuple):
    """«Activer mon espace», the ``link`` filled in when given; ``follow``: the link was
    followed from its mail, so the activation runs at once (as clicking a real mail's link)."""

    link: str = ""
    follow: bool = False


class Mailbox(NamedTuple):
    """The simulated mailbox."""


class ForgotPassword(NamedTuple):
    """«Mot de passe oublié»."""


class ResetPassword(NamedTuple):
    """The password reset, the ``link`` filled in when given."""

    link: str = ""


class Espace(NamedTuple):
    """«Mon espace» for ``session``; it dismisses with why it was left."""

    session: Session


class ChangePassword(NamedTuple):
    """«Modifier mon mot de passe» for ``session``."""

    session: Session


class ChangeContacts(NamedTuple):
    """«Modifier mes coordonnées» for ``session``."""

    session: Session


class AgentSignIn(NamedTuple):
    """The help desk's sign-in."""


class Console(NamedTuple):
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
