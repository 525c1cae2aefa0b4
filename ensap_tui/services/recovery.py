"""«Mot de passe oublié»: the reset mail, then a new password through its link.

Asking always gives the same answer. Only an active space gets a mail, at most 3 per NIR per
hour; a link works 30 minutes, once, and a newer link revokes the older ones. A completed reset
lifts any sign-in block.
"""

from __future__ import annotations

from datetime import datetime

from ensap_tui.domain import links, nir
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo, normalise_password
from ensap_tui.domain.token_state import TokenState
from ensap_tui.services import _checks, events, mail_texts
from ensap_tui.services._checks import SAME_AS_CURRENT
from ensap_tui.services._mail import mail_limit_reached, send_link, send_mail
from ensap_tui.services.errors import ValidationFailed
from ensap_tui.services.models import (
    Account,
    AccountStatus,
    Event,
    ResetOutcome,
    TokenPurpose,
)
from ensap_tui.services.ports import Clock, Hasher, Store, StoreTx, TokenSource

_OUTCOMES = {
    TokenState.UNKNOWN: ResetOutcome.UNKNOWN,
    TokenState.USED: ResetOutcome.ALREADY_USED,
    TokenState.EXPIRED: ResetOutcome.EXPIRED,
}


def _personal(account: Account) -> PersonalInfo:
    return PersonalInfo(
        account.nir, account.birth_name, account.birth_date, account.contacts.email
    )


class RecoveryService:
    """Password recovery by a mailed link.

    ``real_clock`` is the real time under any offset (``Services.real_clock``): in a training
    room, a reset link for a poste's space is dated and checked on that poste's clock (the real
    time plus its room's and its own offsets), whichever poste, console or command asks for it
    or follows it, as a re-sent activation link is: it is valid 30 minutes on the clock of the
    trainee whose mailbox it reaches."""

    def __init__(
        self,
        store: Store,
        hasher: Hasher,
        clock: Clock,
        tokens: TokenSource,
        real_clock: Clock | None = None,
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        self._tokens = tokens
        self._real_clock = real_clock or clock

    def _space_now(self, tx: StoreTx, nir_: str, now: datetime) -> datetime:
        return _checks.space_now(tx, nir_, now, self._real_clock)

    def request_reset(self, nir_text: str) -> None:
        """Mails a reset link when the NIR has an active space and fewer than 3 reset mails
        went out in the last hour; otherwise does nothing visible. Always the same answer.

        Raises ``FieldError("identifiant")`` for a malformed NIR. Works during a sign-in block.
        """
        compact = nir.parse_nir(nir_text, field="identifiant")
        token = self._tokens.new_token()
        now = self._clock.now()
        with self._store.write() as tx:
            account = tx.account_by_nir(compact)
            if account is None or account.status is not AccountStatus.ACTIVE:
                refused = "aucun espace actif pour ce numéro"
            else:
                # The link and its mail are the space's: on its poste's clock (the limit
                # counts the mails of the last hour on that clock too); the event keeps the
                # time of who asked.
                issued = self._space_now(tx, compact, now)
                if not mail_limit_reached(tx, mail_texts.RESET, compact, issued):
                    send_link(
                        tx, TokenPurpose.RESET, token,
                        account_id=account.id, to=account.contacts.email, nir=compact,
                        at=issued,
                    )
                    tx.add_event(Event(at=now, kind=events.RESET_REQUESTED, nir=compact))
                    return
                refused = "limite de 3 courriels par heure atteinte"
            tx.add_event(Event(at=now, kind=events.RESET_REFUSED, nir=compact, detail=refused))

    def _check_link(self, tx: StoreTx, digest: str) -> Account | ResetOutcome:
        """The link's account while the link works, on the clock of its space."""
        record = tx.token_by_hash(digest)
        account = None if record is None else tx.account_by_id(record.account_id)
        now = self._clock.now()
        at = now if account is None else self._space_now(tx, account.nir, now)
        state = _checks.token_state(record, TokenPurpose.RESET, at)
        if state != TokenState.VALID or account is None:
            return _OUTCOMES.get(state, ResetOutcome.UNKNOWN)
        return account

    def personal_for_reset(self, link_text: str) -> PersonalInfo | ResetOutcome:
        """The reset link's account data (for the live strength meter), or why the link
        cannot be used. Raises ``FieldError("lien")`` for malformed input."""
        digest = _checks.token_hash(links.parse_link(link_text, links.RESET, field="lien"))
        with self._store.read() as tx:
            found = self._check_link(tx, digest)
        return found if isinstance(found, ResetOutcome) else _personal(found)

    def reset_password(self, link_text: str, password: str, confirmation: str) -> ResetOutcome:
        """Sets a new password through a reset link.

        Raises ``FieldError("lien")`` for malformed input, :class:`ValidationFailed` (fields
        "mot-de-passe", "confirmation-mot-de-passe") for an unacceptable password, the current
        one included. On DONE the link is used up, every reset link of the account revoked, the
        sign-in block lifted, and a notice mailed.
        """
        digest = _checks.token_hash(links.parse_link(link_text, links.RESET, field="lien"))
        with self._store.read() as tx:
            found = self._check_link(tx, digest)
        if isinstance(found, ResetOutcome):
            return found
        errors = _checks.check_new_password(password, confirmation, _personal(found))
        if not errors and self._hasher.verify(found.password_hash, normalise_password(password)):
            # The same rule as «Modifier mon mot de passe».
            errors = [FieldError("mot-de-passe", SAME_AS_CURRENT)]
        if errors:
            raise ValidationFailed(errors)
        password_hash = self._hasher.hash(normalise_password(password))
        now = self._clock.now()
        with self._store.write() as tx:
            # Used up, revoked and answered by mail on the clock of the link's space.
            at = self._space_now(tx, found.nir, now)
            account_id = tx.consume_token(digest, TokenPurpose.RESET, at)
            if account_id is None:
                # Used or revoked by another terminal meanwhile, or expired during hashing.
                again = self._check_link(tx, digest)
                return again if isinstance(again, ResetOutcome) else ResetOutcome.UNKNOWN
            account = tx.account_by_id(account_id)
            if account is None:  # pragma: no cover - tokens are deleted with their account
                return ResetOutcome.UNKNOWN
            tx.set_password_hash(account_id, password_hash)
            tx.revoke_tokens(account_id, TokenPurpose.RESET, at)
            tx.clear_failure_state(account.nir)
            tx.add_event(Event(at=now, kind=events.PASSWORD_RESET, nir=account.nir))
            send_mail(
                tx, mail_texts.PASSWORD_CHANGED, mail_texts.password_changed(at, by_reset=True),
                to=account.contacts.email, nir=account.nir, at=at,
            )
        return ResetOutcome.DONE
