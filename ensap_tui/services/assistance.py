"""The help desk's console: finding an account, reading its state and journal, and acting on
it (unblock, new activation link, delete). Every action is written to the event log with its
author as ``actor``. The agents themselves are in :mod:`ensap_tui.services.agents`.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from datetime import datetime, timedelta

from ensap_tui.domain import nir
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.throttle import blocked_until, effective_failure_state, lift_detail
from ensap_tui.domain.timefmt import format_datetime, format_time, local
from ensap_tui.services import events
from ensap_tui.services.activation import ActivationService
from ensap_tui.services.errors import ActionRefused, UnknownAccount
from ensap_tui.services.models import (
    Account,
    AccountState,
    AccountStatus,
    AccountSummary,
    Event,
    FailureState,
    TokenPurpose,
    new_summary,
)
from ensap_tui.services.ports import Clock, Store, StoreTx
from ensap_tui.services.registration import activation_ends

#: Longer search text is no name nor NIR: it finds nothing without reaching the store.
MAX_QUERY_LENGTH = 160

# Event kinds of the help desk (the others are in ``ensap_tui.services.events``).
ACCOUNT_UNBLOCKED = events.ACCOUNT_UNBLOCKED
ACCOUNT_DELETED = events.ACCOUNT_DELETED
AGENT_ADDED = events.AGENT_ADDED
AGENT_REMOVED = events.AGENT_REMOVED
AGENT_SIGN_IN = events.AGENT_SIGN_IN
AGENT_SIGN_IN_FAILED = events.AGENT_SIGN_IN_FAILED
AGENT_SIGN_IN_BLOCKED = events.AGENT_SIGN_IN_BLOCKED
AGENT_SIGN_OUT = events.AGENT_SIGN_OUT

#: What the journal says for each event kind (French); unknown kinds are shown as they are.
EVENT_LABELS: dict[str, str] = {
    events.REGISTRATION_CREATED: "création de l'espace, lien d'activation envoyé",
    events.REGISTRATION_DUPLICATE: "nouvelle demande de création (espace existant)",
    events.REGISTRATION_PURGED: "inscription expirée supprimée",
    events.ACTIVATION_SENT: "nouveau lien d'activation envoyé",
    events.ACCOUNT_ACTIVATED: "espace activé",
    events.SIGN_IN: "connexion",
    events.SIGN_IN_FAILED: "échec de connexion",
    events.SIGN_IN_BLOCKED: "accès bloqué après 3 échecs",
    events.SIGN_IN_NOT_ACTIVATED: "connexion refusée : espace non activé",
    events.SIGN_OUT: "déconnexion",
    events.RESET_REQUESTED: "mot de passe oublié : lien envoyé",
    events.RESET_REFUSED: "mot de passe oublié : aucun courriel envoyé",
    events.PASSWORD_RESET: "mot de passe réinitialisé",
    events.PASSWORD_CHANGED: "mot de passe modifié",
    events.CONTACTS_CHANGED: "coordonnées modifiées",
    ACCOUNT_UNBLOCKED: "accès débloqué par l'assistance",
    ACCOUNT_DELETED: "espace supprimé par l'assistance",
    AGENT_ADDED: "agent d'assistance ajouté",
    AGENT_REMOVED: "agent d'assistance supprimé",
    AGENT_SIGN_IN: "connexion d'un agent",
    AGENT_SIGN_IN_FAILED: "échec de connexion d'un agent",
    AGENT_SIGN_IN_BLOCKED: "agent bloqué après 3 échecs",
    AGENT_SIGN_OUT: "déconnexion d'un agent",
    events.AGENT_UNBLOCKED: "blocage d'un agent levé",
    events.DEMO_SEEDED: "démonstration : comptes fictifs créés",
    events.DEMO_RESET: "démonstration réinitialisée",
    events.DEMO_CLOCK: "démonstration : horloge déplacée",
    events.ROOM_OPENED: "salle de formation ouverte",
    events.ROOM_ENDED: "salle de formation terminée",
    events.ROOM_CLOCK: "salle : horloge de tous les postes déplacée",
    events.POSTE_JOINED: "stagiaire arrivé dans la salle",
    events.POSTE_CLOCK: "horloge du poste déplacée",
    events.POSTE_RESET: "poste réinitialisé par le formateur",
    events.POSTE_RESTARTED: "poste relancé par le formateur",
}

#: French wording of each state, as the console and ``accounts list`` show it.
STATE_LABELS: dict[AccountState, str] = {
    AccountState.PENDING: "en attente d'activation",
    AccountState.LINK_EXPIRED: "lien expiré",
    AccountState.ACTIVE: "active",
    AccountState.BLOCKED: "bloqué",
}

def state_of(summary: AccountSummary) -> AccountState:
    """The account's state for the help desk: a block in force first, then the status."""
    if summary.blocked_until is not None:
        return AccountState.BLOCKED
    if summary.account.status is AccountStatus.ACTIVE:
        return AccountState.ACTIVE
    if summary.link_expired:
        return AccountState.LINK_EXPIRED
    return AccountState.PENDING


def status_text(summary: AccountSummary, now: datetime) -> str:
    """«en attente d'activation», «lien expiré», «active», «bloqué jusqu'à 14:17» (local time;
    the date too when the block ends another day)."""
    state = state_of(summary)
    until = summary.blocked_until
    if state is not AccountState.BLOCKED or until is None:
        return STATE_LABELS[state]
    if local(until).date() == local(now).date():
        return f"bloqué jusqu'à {format_time(until)}"
    return f"bloqué jusqu'au {format_datetime(until)}"


def event_label(kind: str) -> str:
    """The French wording of an event kind (the kind itself when it has none)."""
    return EVENT_LABELS.get(kind, kind)


def _unknown(compact: str) -> UnknownAccount:
    return UnknownAccount(f"Aucun espace n'existe pour le numéro {nir.format_nir(compact)}.")


def _existing(tx: StoreTx, compact: str) -> Account:
    """The account of the NIR ``compact``; raises :class:`UnknownAccount`."""
    account = tx.account_by_nir(compact)
    if account is None:
        raise _unknown(compact)
    return account


def _summary(tx: StoreTx, account: Account, now: datetime) -> AccountSummary:
    latest = (
        tx.latest_token(account.id, TokenPurpose.ACTIVATION)
        if account.status is AccountStatus.PENDING
        else None
    )
    return _summary_of(
        account, tx.failure_state(account.nir), None if latest is None else latest.expires_at,
        now,
    )


def _summary_of(
    account: Account, stored: FailureState | None, link_expiry: datetime | None, now: datetime
) -> AccountSummary:
    """The summary of ``account`` from its kept throttling state (None: none kept) and the
    expiry of its newest activation link (None: none, or not pending), with no query. Built by
    ``new_summary`` (the search makes 50 at each keystroke): fields in the order of
    :class:`AccountSummary` (account, link_expired, blocked_until, failures,
    link_valid_until, at)."""
    if stored is None:
        until, failures = None, 0
    else:
        state = effective_failure_state(stored, now)
        until, failures = blocked_until(state, now), state.failures
    if account.status is AccountStatus.PENDING:
        # link_expired as registration_expired; the link's expiry kept while pending
        expired = now >= activation_ends(account, link_expiry)
        return new_summary(account, expired, until, failures, link_expiry, now)
    return new_summary(account, False, until, failures, None, now)


class AssistanceService:
    """What the help desk does on an account: find it, read its state and journal, unblock
    it, send a new activation link, delete it. ``actor`` names who acts, in the event log."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        activation: ActivationService,
        real_clock: Clock | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._activation = activation
        #: The real time under any offset: a training room poste's space is read on that
        #: poste's clock (see :meth:`_space_times`).
        self._real_clock = real_clock or clock

    def _space_times(
        self, tx: StoreTx, nirs: builtins.list[str], now: datetime
    ) -> Callable[[str], datetime]:
        """The time each space's state is read at: ``now``, except for a space created from
        a training room's poste, read on that poste's clock (its link expires, its block ends
        on the trainee's clock, whichever poste's or console's help desk looks at it)."""
        offsets = tx.space_clock_offsets(nirs)
        if not offsets:
            return lambda _nir: now
        real = self._real_clock.now()

        def at(nir_: str) -> datetime:
            seconds = offsets.get(nir_)
            return now if seconds is None else real + timedelta(seconds=seconds)

        return at

    def now(self) -> datetime:
        """The services' current time (statuses are read at this instant)."""
        return self._clock.now()

    # -- finding -----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[AccountSummary]:
        """Accounts matching ``query``: a NIR in any accepted spelling (spaces, dots, ``2a``)
        finds that account; otherwise the start of the birth name or of any later part of a
        compound name, ignoring case, accents, apostrophes, hyphens and spaces («lefevre» finds
        LEFÈVRE and d'Artagnan-Lefèvre, «d artagnan» the latter, «ndiaye» N'Diaye, «legoff» Le
        Goff): the names that start with it first, by name order, then the others. Text with
        digits that is not a valid NIR finds nothing (see :meth:`search_hint`); empty text
        lists the newest accounts.
        """
        text = query.strip()
        now = self._clock.now()
        if not text:
            with self._store.read() as tx:
                listed = tx.list_accounts(limit=limit)
                at = self._space_times(tx, [a.nir for a in listed], now)
                return [_summary(tx, a, at(a.nir)) for a in listed]
        # A NIR has digits: a name is not parsed as one (a refused parse costs 3 us).
        digits = any(c.isdigit() for c in text)
        compact = _as_nir(text) if digits else None
        if compact is not None:
            found = self._store.search_spaces(nir=compact, limit=limit)
        elif digits or len(text) > MAX_QUERY_LENGTH:
            found = []
        else:
            # One statement, outside any transaction, for the accounts, their throttling
            # states, activation links and postes' clocks: one round trip to a server, and the
            # search stays within a millisecond on a million accounts.
            found = self._store.search_spaces(name_prefix=text, limit=limit)
        real: datetime | None = None
        summaries: builtins.list[AccountSummary] = []
        append, pending = summaries.append, AccountStatus.PENDING
        for account, state, expiry, offset in found:
            if offset is None:
                if state is None and account.status is not pending:
                    # most spaces: active, no failure kept (as _summary_of makes it, no call)
                    append(new_summary(account, False, None, 0, None, now))
                    continue
                read_at = now
            else:  # a training room poste's space: read on that poste's clock
                real = real or self._real_clock.now()
                read_at = real + timedelta(seconds=offset)
            append(_summary_of(account, state, expiry, read_at))
        return summaries

    def search_hint(self, query: str) -> str:
        """Why a query with digits finds nothing: the NIR rule it breaks (French); empty for a
        name, a valid NIR or an empty query."""
        text = query.strip()
        if not text or not any(c.isdigit() for c in text):
            return ""
        try:
            nir.parse_nir(text, field="recherche")
        except FieldError as error:
            return error.message
        return ""

    def accounts(
        self, state: AccountState | None = None, limit: int = 100
    ) -> list[AccountSummary]:
        """The accounts, newest first, optionally only those in ``state``."""
        now = self._clock.now()
        with self._store.read() as tx:
            if state is None:
                listed = tx.list_accounts(limit=limit)
                at = self._space_times(tx, [a.nir for a in listed], now)
                return [_summary(tx, a, at(a.nir)) for a in listed]
            if state is AccountState.BLOCKED:
                return self._blocked(tx, now, min(now, self._real_clock.now()), limit)
            status = AccountStatus.ACTIVE if state is AccountState.ACTIVE else AccountStatus.PENDING

            def fetch(n: int) -> tuple[builtins.list[Account], bool]:
                found = tx.list_accounts(status=status, limit=n)
                return found, len(found) < n

            return _scan(
                fetch,
                lambda a: _summary(tx, a, self._space_times(tx, [a.nir], now)(a.nir)),
                lambda s: state_of(s) is state,
                limit,
            )

    def _blocked(
        self, tx: StoreTx, now: datetime, earliest: datetime, limit: int
    ) -> list[AccountSummary]:
        """The spaces blocked on their own clocks. A poste's space is judged on its poste's
        clock, which may be behind ``now`` (another poste's, the demo's) but never behind the
        real time (a room's and a poste's offsets only move forward): the candidates are the
        blocks in force at ``earliest`` (the earlier of both), each kept when it is still in
        force on its space's clock."""

        def fetch(n: int) -> tuple[builtins.list[Account], bool]:
            states = tx.blocked_states(earliest, limit=n)
            found: builtins.list[Account] = []
            for failure in states:
                if len(failure.nir) != 15 or ":" in failure.nir:
                    continue  # an agent's counter
                account = tx.account_by_nir(failure.nir)
                if account is not None:  # NIRs without an account are counted too
                    found.append(account)
            return found, len(states) < n

        return _scan(
            fetch, lambda a: _summary(tx, a, self._space_times(tx, [a.nir], now)(a.nir)),
            lambda s: state_of(s) is AccountState.BLOCKED, limit,
        )

    def status_of(self, nir_text: str) -> AccountSummary:
        """The account of that NIR and its state; raises :class:`UnknownAccount`, or
        ``FieldError("nir")`` for a malformed NIR."""
        compact = nir.parse_nir(nir_text, field="nir")
        now = self._clock.now()
        with self._store.read() as tx:
            return _summary(tx, _existing(tx, compact), self._space_times(tx, [compact], now)(
                compact))

    def status_label(self, summary: AccountSummary) -> str:
        """:func:`status_text` at the time the summary was judged at (its space's clock),
        else at the services' current time."""
        return status_text(summary, summary.at or self._clock.now())

    def journal(self, nir_text: str | None = None, limit: int = 100) -> list[Event]:
        """The event log, newest first: every event, or those of one NIR (kept after the
        account is deleted). Raises ``FieldError("nir")`` for a malformed NIR."""
        compact = None if nir_text is None else nir.parse_nir(nir_text, field="nir")
        with self._store.read() as tx:
            return tx.list_events(nir=compact, limit=limit)

    # -- acting ------------------------------------------------------------------------------

    def unlock(self, nir_text: str, actor: str) -> bool:
        """Lifts the sign-in block of that NIR and forgets its failures. False (and nothing
        written) when there was neither a block in force nor a failure to forget.

        Raises :class:`UnknownAccount`, or ``FieldError("nir")`` for a malformed NIR.
        """
        compact = nir.parse_nir(nir_text, field="nir")
        now = self._clock.now()
        with self._store.write() as tx:
            _existing(tx, compact)
            # The block as it stands on the space's clock, as the console shows it.
            at = self._space_times(tx, [compact], now)(compact)
            state = effective_failure_state(tx.failure_state(compact), at)
            detail = lift_detail(state, at)
            if detail is None:
                return False
            tx.clear_failure_state(compact)
            tx.add_event(
                Event(at=now, kind=ACCOUNT_UNBLOCKED, nir=compact, actor=actor, detail=detail)
            )
        return True

    def resend_activation(self, nir_text: str, actor: str) -> str:
        """Mails a new activation link (valid 24 hours) to a space waiting for activation; the
        older links stop working. Returns the address it went to.

        Raises :class:`UnknownAccount`, :class:`ActionRefused` for an active space, or
        ``FieldError("nir")`` for a malformed NIR.
        """
        summary = self.status_of(nir_text)
        account = summary.account
        if account.status is AccountStatus.ACTIVE or not self._activation.resend_activation(
            account.nir, actor=actor
        ):
            # Checked again after the attempt: another terminal may have acted meanwhile.
            current = self.status_of(account.nir).account
            if current.status is AccountStatus.ACTIVE:
                raise ActionRefused(
                    "Cet espace est déjà activé : il n'y a pas de lien d'activation à renvoyer."
                )
            raise _unknown(account.nir)
        return account.contacts.email

    def delete(self, nir_text: str, actor: str) -> Account:
        """Deletes the space of that NIR and its links (the journal keeps its events).

        Raises :class:`UnknownAccount`, or ``FieldError("nir")`` for a malformed NIR.
        """
        compact = nir.parse_nir(nir_text, field="nir")
        now = self._clock.now()
        with self._store.write() as tx:
            account = _existing(tx, compact)
            at = self._space_times(tx, [compact], now)(compact)
            label = status_text(_summary(tx, account, at), at)
            tx.delete_account(account.id)
            tx.add_event(
                Event(at=now, kind=ACCOUNT_DELETED, nir=compact, actor=actor,
                      detail=f"espace supprimé (il était : {label})")
            )
        return account


def _as_nir(text: str) -> str | None:
    try:
        return nir.parse_nir(text, field="recherche")
    except FieldError:
        return None


def _scan(
    fetch: Callable[[int], tuple[list[Account], bool]],
    summarise: Callable[[Account], AccountSummary],
    keep: Callable[[AccountSummary], bool],
    limit: int,
) -> list[AccountSummary]:
    """The first ``limit`` accounts that ``keep`` accepts. ``fetch(n)`` reads at most ``n`` rows
    from the start and says whether there were no more; it is asked for more until enough
    accounts are kept or the rows run out."""
    size = max(limit * 2, 64)
    while True:
        accounts, exhausted = fetch(size)
        kept = [s for s in map(summarise, accounts) if keep(s)]
        if len(kept) >= limit or exhausted:
            return kept[:limit]
        size *= 4
