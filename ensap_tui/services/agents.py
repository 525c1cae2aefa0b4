"""The help-desk agents: adding, listing, removing them, and their sign-in to the console.

Agents sign in like the people they help: 3 consecutive failures block the name 15, then 30,
then 60 minutes, an unknown name costs a dummy verification and is counted like a wrong
password. Their counters live beside the NIRs' under a key that cannot be a NIR
(:func:`agent_throttle_key`).
"""

from __future__ import annotations

import builtins
import hashlib
import unicodedata
from datetime import datetime

from ensap_tui.domain import password as password_policy
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo, normalise_password
from ensap_tui.services import _checks, _throttled, events
from ensap_tui.services.errors import NotSignedIn, UnknownAgent, ValidationFailed
from ensap_tui.services.models import (
    Agent,
    AgentSession,
    AgentSignInResult,
    Event,
    FailureState,
    SignInStatus,
)
from ensap_tui.services.ports import Clock, Hasher, Store, StoreTx

AGENT_ADDED = events.AGENT_ADDED
AGENT_REMOVED = events.AGENT_REMOVED
AGENT_SIGN_IN = events.AGENT_SIGN_IN
AGENT_SIGN_IN_FAILED = events.AGENT_SIGN_IN_FAILED
AGENT_SIGN_IN_BLOCKED = events.AGENT_SIGN_IN_BLOCKED
AGENT_SIGN_OUT = events.AGENT_SIGN_OUT

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



class _AgentDoor(_throttled.Door[Agent, AgentSignInResult]):
    """An agent's sign-in, counted under :func:`agent_throttle_key`."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._key = agent_throttle_key(name)

    def find(self, tx: StoreTx) -> Agent | None:
        return tx.agent_by_name(self._name)

    def failure_state(self, tx: StoreTx, subject: Agent | None) -> FailureState:
        return tx.failure_state(self._key)

    def save_failure_state(
        self, tx: StoreTx, subject: Agent | None, state: FailureState
    ) -> None:
        tx.save_failure_state(state)

    def password_hash(self, subject: Agent) -> str:
        return subject.password_hash

    def same(self, before: Agent, now: Agent) -> bool:
        return before.id == now.id and before.password_hash == now.password_hash

    def succeed(
        self, tx: StoreTx, subject: Agent, new_hash: str | None, now: datetime
    ) -> AgentSignInResult:
        tx.clear_failure_state(self._key)
        if new_hash is not None:
            tx.set_agent_password_hash(subject.id, new_hash)
        tx.add_event(Event(at=now, kind=AGENT_SIGN_IN, actor=subject.name))
        session = AgentSession(agent_id=subject.id, name=subject.name, signed_in_at=now)
        return AgentSignInResult(SignInStatus.SIGNED_IN, session=session)

    # An unknown name is not written to the log: it may be a password typed in the wrong field.

    def record_failure(self, tx: StoreTx, subject: Agent | None, now: datetime) -> None:
        actor = subject.name if subject is not None else ""
        detail = "mot de passe incorrect" if subject is not None else "identifiant inconnu"
        tx.add_event(Event(at=now, kind=AGENT_SIGN_IN_FAILED, actor=actor, detail=detail))

    def record_block(
        self, tx: StoreTx, subject: Agent | None, detail: str, now: datetime
    ) -> None:
        actor = subject.name if subject is not None else ""
        tx.add_event(Event(at=now, kind=AGENT_SIGN_IN_BLOCKED, actor=actor, detail=detail))

    def answer(
        self, status: SignInStatus, *, until: datetime | None = None, left: int | None = None
    ) -> AgentSignInResult:
        return AgentSignInResult(status, blocked_until=until, attempts_left=left)


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
        candidate = normalise_password(password)
        return _throttled.attempt(
            self._store, self._hasher, _AgentDoor(clean), candidate, self._clock.now()
        )

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


