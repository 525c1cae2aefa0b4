"""The one place that says what a failed service call means to the user (see
:meth:`ensap_tui.ui.screens.base.EnsapScreen.service_failed`, which also routes refused forms and
ended sessions)."""

from __future__ import annotations

from ensap_tui.services.damage import damaged_text
from ensap_tui.services.errors import ActionRefused, UnknownAccount, UnknownAgent
from ensap_tui.services.ports import DamagedRecord, StoreBusyError, StoreError

BUSY = (
    "La base de données est occupée par un autre programme : réessayez dans quelques "
    "instants. Ce que vous avez saisi est conservé."
)
UNAVAILABLE = (
    "La base de données du simulateur est momentanément indisponible : réessayez dans un instant."
)
UNEXPECTED = (
    "Une erreur inattendue a empêché l'opération. Réessayez ; si elle se reproduit, "
    "signalez-la au formateur."
)

#: Errors whose ``str()`` is already a French sentence for the user.
_SAID_IN_FRENCH: tuple[type[BaseException], ...] = (UnknownAccount, UnknownAgent, ActionRefused)


def trouble_text(error: BaseException) -> str:
    """What to tell the user when a call failed for a reason other than a refused form or an
    ended session: a busy or unreadable database, a damaged row, an action that does not apply,
    or an unexpected error (never its English text)."""
    from ensap_tui.services.demo import DemoClockError, NotDemoDatabase
    from ensap_tui.services.room import PosteUnavailable, UnknownPoste, UnknownRoom

    if isinstance(error, DamagedRecord):
        return damaged_text(error)
    if isinstance(error, StoreBusyError):
        return BUSY
    if isinstance(error, StoreError):
        return str(error.args[0]) if error.args and error.args[0] else UNAVAILABLE
    if isinstance(
        error,
        (*_SAID_IN_FRENCH, DemoClockError, NotDemoDatabase, UnknownPoste, UnknownRoom,
         PosteUnavailable),
    ):
        return str(error)
    return UNEXPECTED
