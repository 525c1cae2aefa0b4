"""The help desk: agent accounts and their sign-in, and the console's search and actions.

Agents sign in like the people they help: 3 consecutive failures block the name 15, then 30,
then 60 minutes, an unknown name costs a dummy verification and is counted like a wrong
password. Their counters live beside the NIRs' under a key that cannot be a NIR
(:func:`agent_throttle_key`). Every action on an account is written to the event log with the
agent's name (or the shell user's description) as ``actor``.
"""

from __future__ import annotations

import builtins
import hashlib
import unicodedata
from collections.abc import Callable
from datetime import datetime

from ensap_tui.domain import nir
from ensap_tui.domain import password as password_policy
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo, normalise_password
from ensap_tui.domain.timefmt import format_datetime, format_time, local
from ensap_tui.services import _checks, events
from ensap_tui.services.activation import ActivationService
from ensap_tui.services.errors import (
    ActionRefused,
    NotSignedIn,
    UnknownAccount,
    UnknownAgent,
    ValidationFailed,
)
from ensap_tui.services.models import (
    Account,
    AccountState,
    AccountStatus,
    AccountSummary,
    Agent,
    AgentSession,
    AgentSignInResult,
    Event,
    FailureState,
    SignInStatus,
    TokenPurpose,
)
from ensap_tui.services.ports import Clock, Hasher, Store, StoreTx
from ensap_tui.services.registration import activation_ends
from ensap_tui.services.signin import (
    MAX_FAILURES,
    after_failure,
    block_detail,
    blocked_until,
    effective_failure_state,
)

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
    events.SIGN_IN_NOT_ACTIVATED: "connexion refusée : espace non activé",
    events.SIGN_OUT: "déconnexion",
    events.RESET_REQUESTED: "mot de passe oublié : lien envoyé",
    events.RESET_REFUSED: "mot de passe oublié : aucun courriel envoyé",
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
    events.DEMO_SEEDED: "démonstration : comptes fictifs créés",
    events.DEMO_RESET: "démonstration réinitialisée",
    events.DEMO_CLOCK: "démonstration : horloge déplacée",
}

#: French wording of each state, as the console and ``accounts list`` show it.
STATE_LABELS: dict[AccountState, str] = {
    AccountState.PENDING: "en attente d'activation",
    AccountState.LINK_EXPIRED: "lien expiré",
    AccountState.ACTIVE: "active",
    AccountState.BLOCKED: "bloqué",
}

AGENT_NAME_MIN = 2
AGENT_NAME_MAX = 40
#: Punctuation an agent name may hold besides letters, digits and single spaces.
_NAME_PUNCTUATION = frozenset(".-_'")
#: Actor names the application itself writes: an agent may not take them.
_RESERVED_NAMES = frozenset({"systeme", "demo"})

MSG_AGENT_EMPTY = "Saisissez l'identifiant de l'agent."
MSG_AGENT_LENGTH = (
    f"L'identifiant d'un agent comporte de {AGENT_NAME_MIN} à {AGENT_NAME_MAX} caractères."
)
MSG_AGENT_CHARACTERS = (
    "L'identifiant d'un agent ne contient que des lettres, des chiffres, des espaces et les "
    "signes . - _ ' (il commence par une lettre ou un chiffre)."
)
MSG_AGENT_RESERVED = "Cet identifiant est réservé au simulateur : choisissez-en un autre."
MSG_AGENT_TAKEN = "Un agent porte déjà cet identifiant (les majuscules ne comptent pas)."
MSG_AGENT_PASSWORD_NAME = "Le mot de passe ne doit pas contenir l'identifiant de l'agent."
MSG_AGENT_GONE = "Cet agent n'existe plus : reconnectez-vous avec un autre identifiant."


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_agent_name(text: str, field: str = "agent-identifiant") -> str:
    """The agent name as stored: NFKC, trimmed, inner runs of spaces made one.

    2 to 40 characters: letters, digits, single spaces and ``. - _ '``, starting with a letter
    or a digit (no markup, no control character). Raises :class:`FieldError` on ``field``.
    """
    if len(text) > 4 * AGENT_NAME_MAX:
        raise FieldError(field, MSG_AGENT_LENGTH)
    name = " ".join(part for part in unicodedata.normalize("NFKC", text).split(" ") if part)
    if not name:
        raise FieldError(field, MSG_AGENT_EMPTY)
    if not all(c.isalnum() or c == " " or c in _NAME_PUNCTUATION for c in name) or not (
        name[0].isalnum()
    ):
        raise FieldError(field, MSG_AGENT_CHARACTERS)
    if not AGENT_NAME_MIN <= len(name) <= AGENT_NAME_MAX:
        raise FieldError(field, MSG_AGENT_LENGTH)
    if _fold(name) in _RESERVED_NAMES:
        raise FieldError(field, MSG_AGENT_RESERVED)
    return name


def agent_throttle_key(name: str) -> str:
    """The sign-in counter key of an agent name: ``agent:`` and a digest of the name ignoring
    case. It contains ``:`` so it is never a NIR, and it does not keep the typed text (a
    password typed in the wrong field must not be stored)."""
    digest = hashlib.sha256(unicodedata.normalize("NFKC", name).casefold().encode()).hexdigest()
    return f"agent:{digest[:32]}"


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
    expiry of its newest activation link (None: none, or not pending), with no query."""
    state = None if stored is None else effective_failure_state(stored, now)
    extra = {"echecs": "0" if state is None else str(state.failures)}
    link_expired = False
    if account.status is AccountStatus.PENDING:
        if link_expiry is not None:
            extra["lien_valable_jusqu_au"] = link_expiry.isoformat()
        link_expired = now >= activation_ends(account, link_expiry)  # as registration_expired
    return AccountSummary(
        account=account,
        link_expired=link_expired,
        blocked_until=None if state is None else blocked_until(state, now),
        extra=extra,
    )


class AgentService:
    """Help-desk agent accounts: adding, listing, removing, and signing in."""

    def __init__(self, store: Store, hasher: Hasher, clock: Clock) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock

    def add(self, name: str, password: str, confirmation: str, *, actor: str = "") -> Agent:
        """Creates an agent. The password follows the users' rules, the agent's name standing
        for the personal data it must not contain.

        Raises :class:`ValidationFailed` on fields "agent-identifiant", "mot-de-passe",
        "confirmation-mot-de-passe" (a name already taken, ignoring case, included).
        ``actor`` is who adds it (for the event log).
        """
        errors: list[FieldError] = []
        clean: str | None = None
        try:
            clean = parse_agent_name(name)
        except FieldError as error:
            errors.append(error)
        personal = PersonalInfo(birth_name=clean or "")
        for problem in _checks.check_new_password(password, confirmation, personal):
            if problem.message == password_policy.MSG_BIRTH_NAME:
                problem = FieldError(problem.field, MSG_AGENT_PASSWORD_NAME)
            errors.append(problem)
        if clean is not None:
            with self._store.read() as tx:
                if tx.agent_by_name(clean) is not None:
                    errors.insert(0, FieldError("agent-identifiant", MSG_AGENT_TAKEN))
        if errors or clean is None:
            raise ValidationFailed(errors)
        # argon2 runs outside any transaction.
        encoded = self._hasher.hash(normalise_password(password))
        now = self._clock.now()
        with self._store.write() as tx:
            if tx.agent_by_name(clean) is not None:  # added meanwhile by another terminal
                raise ValidationFailed([FieldError("agent-identifiant", MSG_AGENT_TAKEN)])
            agent_id = tx.insert_agent(clean, encoded, now)
            tx.add_event(
                Event(at=now, kind=AGENT_ADDED, actor=actor, detail=f"agent « {clean} »")
            )
        return Agent(id=agent_id, name=clean, password_hash=encoded, created_at=now)

    def list(self) -> builtins.list[Agent]:
        """Every agent, by name."""
        with self._store.read() as tx:
            return tx.list_agents()

    def get(self, name: str) -> Agent | None:
        """The agent called ``name`` (ignoring case), or None."""
        try:
            clean = parse_agent_name(name)
        except FieldError:
            return None
        with self._store.read() as tx:
            return tx.agent_by_name(clean)

    def remove(self, name: str, *, actor: str = "") -> Agent:
        """Deletes the agent called ``name`` (ignoring case); raises :class:`UnknownAgent`."""
        now = self._clock.now()
        with self._store.write() as tx:
            try:
                agent = tx.agent_by_name(parse_agent_name(name))
            except FieldError:
                agent = None
            if agent is None:
                raise UnknownAgent(f"Aucun agent ne s'appelle « {name} ».")
            tx.delete_agent(agent.id)
            tx.add_event(
                Event(at=now, kind=AGENT_REMOVED, actor=actor, detail=f"agent « {agent.name} »")
            )
        return agent

    def sign_in(self, name: str, password: str) -> AgentSignInResult:
        """One agent sign-in attempt, throttled like the users' (see the module docstring).

        Raises ``FieldError("agent-identifiant")`` for a malformed name (not counted).
        """
        clean = parse_agent_name(name)
        key = agent_throttle_key(clean)
        candidate = normalise_password(password)
        now = self._clock.now()
        with self._store.read() as tx:
            state = effective_failure_state(tx.failure_state(key), now)
            agent = tx.agent_by_name(clean)
        until = blocked_until(state, now)
        if until is not None:
            return AgentSignInResult(SignInStatus.BLOCKED, blocked_until=until)

        verified = False
        new_hash: str | None = None
        if agent is None:
            self._hasher.dummy_verify(candidate)
        else:
            verified = self._hasher.verify(agent.password_hash, candidate)
            if verified and self._hasher.needs_rehash(agent.password_hash):
                new_hash = self._hasher.hash(candidate)

        with self._store.write() as tx:
            # Read again: another terminal may have blocked the name or changed the agent.
            state = effective_failure_state(tx.failure_state(key), now)
            until = blocked_until(state, now)
            if until is not None:
                return AgentSignInResult(SignInStatus.BLOCKED, blocked_until=until)
            current = tx.agent_by_name(clean)
            if (
                verified
                and agent is not None
                and current is not None
                and current.id == agent.id
                and current.password_hash == agent.password_hash
            ):
                tx.clear_failure_state(key)
                if new_hash is not None:
                    tx.set_agent_password_hash(current.id, new_hash)
                tx.add_event(Event(at=now, kind=AGENT_SIGN_IN, actor=current.name))
                session = AgentSession(agent_id=current.id, name=current.name, signed_in_at=now)
                return AgentSignInResult(SignInStatus.SIGNED_IN, session=session)
            return self._count_failure(tx, state, current, now)

    def _count_failure(
        self, tx: StoreTx, state: FailureState, agent: Agent | None, now: datetime
    ) -> AgentSignInResult:
        # An unknown name is not written to the log: it may be a password typed in the
        # wrong field.
        actor = agent.name if agent is not None else ""
        detail = "mot de passe incorrect" if agent is not None else "identifiant inconnu"
        tx.add_event(Event(at=now, kind=AGENT_SIGN_IN_FAILED, actor=actor, detail=detail))
        counted, length = after_failure(state, now)
        tx.save_failure_state(counted)
        if length is None:
            return AgentSignInResult(
                SignInStatus.FAILED, attempts_left=MAX_FAILURES - counted.failures
            )
        until = now + length
        tx.add_event(Event(at=now, kind=AGENT_SIGN_IN_BLOCKED, actor=actor,
                           detail=block_detail(length, until)))
        return AgentSignInResult(SignInStatus.BLOCKED, blocked_until=until, attempts_left=0)

    def check_session(self, session: AgentSession) -> None:
        """Raises :class:`NotSignedIn` when the session's agent was removed meanwhile."""
        with self._store.read() as tx:
            agent = tx.agent_by_name(session.name)
        if agent is None or agent.id != session.agent_id:
            raise NotSignedIn(MSG_AGENT_GONE)

    def sign_out(self, session: AgentSession, *, reason: str = "") -> None:
        """Records that the agent left; ``reason`` is short French text (e.g. «inactivité»)."""
        now = self._clock.now()
        with self._store.write() as tx:
            tx.add_event(Event(at=now, kind=AGENT_SIGN_OUT, actor=session.name, detail=reason))


class AssistanceService:
    """What the help desk does on an account: find it, read its state and journal, unblock
    it, send a new activation link, delete it. ``actor`` names who acts, in the event log."""

    def __init__(self, store: Store, clock: Clock, activation: ActivationService) -> None:
        self._store = store
        self._clock = clock
        self._activation = activation

    def now(self) -> datetime:
        """The services' current time (statuses are read at this instant)."""
        return self._clock.now()

    # -- finding -----------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[AccountSummary]:
        """Accounts matching ``query``: a NIR in any accepted spelling (spaces, dots, ``2a``)
        finds that account; otherwise the start of the birth name, ignoring case and accents
        («lefevre» finds LEFÈVRE), by name order. Text with digits that is not a valid NIR
        finds nothing (see :meth:`search_hint`); empty text lists the newest accounts.
        """
        text = query.strip()
        now = self._clock.now()
        with self._store.read() as tx:
            if not text:
                return [_summary(tx, a, now) for a in tx.list_accounts(limit=limit)]
            compact = _as_nir(text)
            if compact is not None:
                found = tx.search_with_state(nir=compact, limit=limit)
            elif any(c.isdigit() for c in text) or len(text) > 4 * AGENT_NAME_MAX:
                found = []
            else:
                # One query for the accounts, their throttling states and activation links:
                # the search stays within a millisecond on a million accounts.
                found = tx.search_with_state(name_prefix=text, limit=limit)
            return [_summary_of(account, state, expiry, now) for account, state, expiry in found]

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
                return [_summary(tx, a, now) for a in tx.list_accounts(limit=limit)]
            if state is AccountState.BLOCKED:
                return self._blocked(tx, now, limit)
            status = AccountStatus.ACTIVE if state is AccountState.ACTIVE else AccountStatus.PENDING

            def fetch(n: int) -> tuple[builtins.list[Account], bool]:
                found = tx.list_accounts(status=status, limit=n)
                return found, len(found) < n

            return _scan(
                fetch,
                lambda a: _summary(tx, a, now),
                lambda s: state_of(s) is state,
                limit,
            )

    def _blocked(self, tx: StoreTx, now: datetime, limit: int) -> list[AccountSummary]:
        def fetch(n: int) -> tuple[builtins.list[Account], bool]:
            states = tx.blocked_states(now, limit=n)
            found: builtins.list[Account] = []
            for failure in states:
                if len(failure.nir) != 15 or ":" in failure.nir:
                    continue  # an agent's counter
                account = tx.account_by_nir(failure.nir)
                if account is not None:  # NIRs without an account are counted too
                    found.append(account)
            return found, len(states) < n

        return _scan(fetch, lambda a: _summary(tx, a, now), lambda s: True, limit)

    def status_of(self, nir_text: str) -> AccountSummary:
        """The account of that NIR and its state; raises :class:`UnknownAccount`, or
        ``FieldError("nir")`` for a malformed NIR."""
        compact = nir.parse_nir(nir_text, field="nir")
        now = self._clock.now()
        with self._store.read() as tx:
            account = tx.account_by_nir(compact)
            if account is None:
                raise _unknown(compact)
            return _summary(tx, account, now)

    def status_label(self, summary: AccountSummary) -> str:
        """:func:`status_text` at the services' current time."""
        return status_text(summary, self._clock.now())

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
            if tx.account_by_nir(compact) is None:
                raise _unknown(compact)
            state = effective_failure_state(tx.failure_state(compact), now)
            until = blocked_until(state, now)
            if until is None and state.failures == 0:
                return False
            tx.clear_failure_state(compact)
            detail = (
                f"blocage levé (il courait jusqu'au {format_datetime(until)})"
                if until is not None
                else f"{state.failures} tentative(s) échouée(s) oubliée(s)"
            )
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
                    "Cet espace est déjà activé : il n'y a pas de lien d'activation à renvoyer."
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
            account = tx.account_by_nir(compact)
            if account is None:
                raise _unknown(compact)
            label = status_text(_summary(tx, account, now), now)
            tx.delete_account(account.id)
            tx.add_event(
                Event(at=now, kind=ACCOUNT_DELETED, nir=compact, actor=actor,
                      detail=f"espace supprimé (il était : {label})")
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
