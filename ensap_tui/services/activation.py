"""Activating a secure space with the link of the activation mail.

A link works until exactly 24 hours after it was issued, once; a newer link revokes the older
ones. Following an expired link purges the pending registration so the procedure can start again.
"""

from __future__ import annotations

from ensap_tui.domain import links, nir
from ensap_tui.domain.token_state import TokenState
from ensap_tui.services import _checks, events
from ensap_tui.services.models import AccountStatus, ActivationOutcome, Event, TokenPurpose
from ensap_tui.services.ports import Clock, Store, TokenSource
from ensap_tui.services.registration import purge_if_expired, send_activation


class ActivationService:
    """Following activation links, and re-sending them (help desk).

    ``real_clock`` is the real time under any offset (``Services.real_clock``): in a training
    room, a link of a poste's space is dated and checked on that poste's clock (the real time
    plus its room's and its own offsets), whichever poste or console re-sends or follows it,
    so that it is valid 24 hours on the clock of the trainee who follows it."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tokens: TokenSource | None = None,
        real_clock: Clock | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._tokens = tokens
        self._real_clock = real_clock or clock

    def activate(self, link_text: str) -> ActivationOutcome:
        """Activates the space the link belongs to.

        Raises ``FieldError("lien")`` for input that is neither a link nor a token.
        """
        token = links.parse_link(link_text, links.ACTIVATION, field="lien")
        digest = _checks.token_hash(token)
        now = self._clock.now()
        with self._store.write() as tx:
            # Checked on the clock of the link's space, whoever follows it (see the class).
            record = tx.token_by_hash(digest)
            owner = None if record is None else tx.account_by_id(record.account_id)
            at = now if owner is None else _checks.space_now(tx, owner.nir, now, self._real_clock)
            account_id = tx.consume_token(digest, TokenPurpose.ACTIVATION, at)
            if account_id is not None:
                account = tx.account_by_id(account_id)
                tx.set_status(account_id, AccountStatus.ACTIVE, at)
                tx.add_event(
                    Event(at=now, kind=events.ACCOUNT_ACTIVATED,
                          nir=account.nir if account is not None else "")
                )
                return ActivationOutcome.ACTIVATED
            state = _checks.token_state(record, TokenPurpose.ACTIVATION, at)
            if state == TokenState.USED:
                return ActivationOutcome.ALREADY_USED
            if state != TokenState.EXPIRED or record is None:
                return ActivationOutcome.UNKNOWN
            if owner is not None:
                purge_if_expired(tx, owner, at)
            return ActivationOutcome.EXPIRED

    def resend_activation(self, nir_text: str, *, actor: str = "") -> bool:
        """Mails a new activation link (valid 24 hours from now) to a pending account,
        revoking the older ones. False when the NIR has no pending account.

        ``actor`` names who asked (the help-desk agent); raises ``FieldError("nir")`` for a
        malformed NIR.
        """
        if self._tokens is None:
            raise RuntimeError("ActivationService was built without a token source")
        compact = nir.parse_nir(nir_text, field="nir")
        token = self._tokens.new_token()
        now = self._clock.now()
        with self._store.write() as tx:
            account = tx.account_by_nir(compact)
            if account is None or account.status is not AccountStatus.PENDING:
                return False
            # The link is the space's: dated on the clock of the poste it was created from.
            issued = _checks.space_now(tx, compact, now, self._real_clock)
            send_activation(tx, account.id, compact, account.contacts.email, token, issued)
            tx.add_event(
                Event(at=now, kind=events.ACTIVATION_SENT, nir=compact, actor=actor,
                      detail="nouveau lien d'activation envoyé")
            )
        return True
