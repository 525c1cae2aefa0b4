"""The help-desk agents: adding, listing, removing them, and their sign-in to the console.

Agents sign in like the people they help: 3 consecutive failures block the agent 15, then 30,
then 60 minutes, an unknown name costs a dummy verification and is counted like a wrong
password. An agent's counter is on its record (removing the agent removes its block;
:meth:`AgentService.unlock` lifts it); a name no agent has is counted beside the NIRs under a
key that cannot be a NIR (:func:`agent_throttle_key`). New names are ASCII (no look-alike
letters from another alphabet) and unique ignoring case.
"""

from __future__ import annotations

import builtins
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from ensap_tui.domain import password as password_policy
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo, normalise_password
from ensap_tui.domain.throttle import blocked_until, effective_failure_state, lift_detail
from ensap_tui.services import _throttled, events
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

AGENT_NAME_MIN = 2
AGENT_NAME_MAX = 40
#: A new agent's name: ASCII letters and digits, ``.``, ``_``, ``-``, starting with a letter or
#: a digit (so that no look-alike letter from another alphabet, and no option-like ``-x``).
_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: Actor names the application itself writes: an agent may not take them.
_RESERVED_NAMES = frozenset({"systeme", "demo"})
#: Longer text typed as an agent name is no agent's (agents added before the name rule had up
#: to 40 characters, a few of them wider than one byte).
_LOOKUP_MAX = 4 * AGENT_NAME_MAX

CONFIRMATION = "confirmation-mot-de-passe"

MSG_AGENT_EMPTY = "Saisissez l'identifiant de l'agent."
MSG_AGENT_LENGTH = (
    f"L'identifiant d'un agent comporte de {AGENT_NAME_MIN} à {AGENT_NAME_MAX} caractères."
)
MSG_AGENT_CHARACTERS = (
    "L'identifiant d'un agent ne contient que des lettres sans accent, des chiffres et les "
    "signes . _ - ; il commence par une lettre ou un chiffre (par exemple "
    "« camille.martin »)."
)
MSG_AGENT_RESERVED = "Cet identifiant est réservé au simulateur : choisissez-en un autre."
MSG_AGENT_TAKEN = "Un agent porte déjà cet identifiant (les majuscules ne comptent pas)."
MSG_AGENT_PASSWORD_NAME = "Le mot de passe ne doit pas contenir l'identifiant de l'agent."
MSG_AGENT_GONE = "Cet agent n'existe plus : reconnectez-vous avec un autre identifiant."


def parse_agent_name(text: str, field: str = "agent-identifiant") -> str:
    """A new agent's name as stored: the text without surrounding spaces.

    2 to 40 characters: ASCII letters, digits and ``. _ -``, starting with a letter or a digit;
    not a name the simulator writes itself. Raises :class:`FieldError` on ``field``.
    """
    name = text.strip(" ")
    if not name:
        raise FieldError(field, MSG_AGENT_EMPTY)
    if _NAME_PATTERN.fullmatch(name) is None:
        raise FieldError(field, MSG_AGENT_CHARACTERS)
    if not AGENT_NAME_MIN <= len(name) <= AGENT_NAME_MAX:
        raise FieldError(field, MSG_AGENT_LENGTH)
    if name.casefold() in _RESERVED_NAMES:
        raise FieldError(field, MSG_AGENT_RESERVED)
    return name


def lookup_name(text: str, field: str = "agent-identifiant") -> str:
    """Typed text as an agent name to look up (ignoring case): NFKC, trimmed, inner runs of
    spaces made one. Names of agents added before the ASCII rule (letters of any alphabet,
    single spaces, ``'``) are still accepted, so that those agents sign in and can be removed;
    text no agent name ever had raises :class:`FieldError` on ``field``."""
    if len(text) > _LOOKUP_MAX:
        raise FieldError(field, MSG_AGENT_LENGTH)
    name = " ".join(part for part in unicodedata.normalize("NFKC", text).split(" ") if part)
    if not name:
        raise FieldError(field, MSG_AGENT_EMPTY)
    if not name[0].isalnum() or not all(c.isalnum() or c in " .-_'" for c in name):
        raise FieldError(field, MSG_AGENT_CHARACTERS)
    if len(name) > AGENT_NAME_MAX:
        raise FieldError(field, MSG_AGENT_LENGTH)
    return name


def agent_throttle_key(name: str) -> str:
    """The sign-in counter key of a name no agent has: ``agent:`` and a digest of the name
    ignoring case. It contains ``:`` so it is never a NIR, and it does not keep the typed text
    (a password typed in the wrong field must not be stored). An existing agent's counter is on
    its record."""
    digest = hashlib.sha256(unicodedata.normalize("NFKC", name).casefold().encode()).hexdigest()
    return f"agent:{digest[:32]}"


@dataclass(frozen=True, slots=True)
class AgentStatus:
    """An agent and its sign-in counter as it stands now: ``blocked_until`` while a block is in
    force, ``failures`` the consecutive failures counted since."""

    agent: Agent
    blocked_until: datetime | None = None
    failures: int = 0


class _AgentDoor(_throttled.Door[Agent, AgentSignInResult]):
    """An agent's sign-in: counted on the agent's record, or under :func:`agent_throttle_key`
    for a name no agent has."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._key = agent_throttle_key(name)

    def find(self, tx: StoreTx) -> Agent | None:
        return tx.agent_by_name(self._name)

    def failure_state(self, tx: StoreTx, subject: Agent | None) -> FailureState:
        if subject is None:
            return tx.failure_state(self._key)
        return tx.agent_failure_state(subject.id)

    def save_failure_state(
        self, tx: StoreTx, subject: Agent | None, state: FailureState
    ) -> None:
        if subject is None:
            tx.save_failure_state(state)
        else:
            tx.save_agent_failure_state(subject.id, state)

    def password_hash(self, subject: Agent) -> str:
        return subject.password_hash

    def same(self, before: Agent, now: Agent) -> bool:
        return before.id == now.id and before.password_hash == now.password_hash

    def succeed(
        self, tx: StoreTx, subject: Agent, new_hash: str | None, now: datetime
    ) -> AgentSignInResult:
        tx.save_agent_failure_state(subject.id, FailureState(self._key))
        if new_hash is not None:
            tx.set_agent_password_hash(subject.id, new_hash)
        tx.add_event(Event(at=now, kind=events.AGENT_SIGN_IN, actor=subject.name))
        session = AgentSession(agent_id=subject.id, name=subject.name, signed_in_at=now)
        return AgentSignInResult(SignInStatus.SIGNED_IN, session=session)

    # An unknown name is not written to the log: it may be a password typed in the wrong field.

    def record_failure(self, tx: StoreTx, subject: Agent | None, now: datetime) -> None:
        actor = subject.name if subject is not None else ""
        detail = "mot de passe incorrect" if subject is not None else "identifiant inconnu"
        tx.add_event(Event(at=now, kind=events.AGENT_SIGN_IN_FAILED, actor=actor, detail=detail))

    def record_block(
        self, tx: StoreTx, subject: Agent | None, detail: str, now: datetime
    ) -> None:
        actor = subject.name if subject is not None else ""
        tx.add_event(Event(at=now, kind=events.AGENT_SIGN_IN_BLOCKED, actor=actor, detail=detail))

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

    def check_new(self, name: str, password: str | None = None) -> builtins.list[FieldError]:
        """Every problem of a new agent's name and, when given, of its password, in that order
        (fields "agent-identifiant", "mot-de-passe"): all the password's problems, not only the
        first, so that the command line can list them before asking for the confirmation.
        The password follows the users' rules, the agent's name standing for the personal data
        it must not contain."""
        errors: list[FieldError] = []
        clean: str | None = None
        try:
            clean = parse_agent_name(name)
        except FieldError as error:
            errors.append(error)
        else:
            with self._store.read() as tx:
                if tx.agent_by_name(clean) is not None:
                    errors.append(FieldError("agent-identifiant", MSG_AGENT_TAKEN))
        if password is not None:
            personal = PersonalInfo(birth_name=clean or "")
            for problem in password_policy.assess(password, personal).problems:
                if problem == password_policy.MSG_BIRTH_NAME:
                    problem = MSG_AGENT_PASSWORD_NAME
                errors.append(FieldError("mot-de-passe", problem))
        return errors

    def add(self, name: str, password: str, confirmation: str, *, actor: str = "") -> Agent:
        """Creates an agent.

        Raises :class:`ValidationFailed` on fields "agent-identifiant", "mot-de-passe",
        "confirmation-mot-de-passe" with every problem (see :meth:`check_new`; a name already
        taken, ignoring case, included). ``actor`` is who adds it (for the event log).
        """
        errors = self.check_new(name, password)
        if not confirmation:
            errors.append(FieldError(CONFIRMATION, password_policy.MSG_CONFIRMATION_EMPTY))
        elif normalise_password(confirmation) != normalise_password(password):
            errors.append(FieldError(CONFIRMATION, password_policy.MSG_CONFIRMATION))
        if errors:
            raise ValidationFailed(errors)
        clean = parse_agent_name(name)
        # argon2 runs outside any transaction.
        encoded = self._hasher.hash(normalise_password(password))
        now = self._clock.now()
        with self._store.write() as tx:
            if tx.agent_by_name(clean) is not None:  # added meanwhile by another terminal
                raise ValidationFailed([FieldError("agent-identifiant", MSG_AGENT_TAKEN)])
            agent_id = tx.insert_agent(clean, encoded, now)
            tx.add_event(
                Event(at=now, kind=events.AGENT_ADDED, actor=actor, detail=f"agent « {clean} »")
            )
        return Agent(id=agent_id, name=clean, password_hash=encoded, created_at=now)

    def list(self) -> builtins.list[Agent]:
        """Every agent, by name."""
        with self._store.read() as tx:
            return tx.list_agents()

    def get(self, name: str) -> Agent | None:
        """The agent called ``name`` (ignoring case), or None."""
        try:
            clean = lookup_name(name)
        except FieldError:
            return None
        with self._store.read() as tx:
            return tx.agent_by_name(clean)

    def remove(self, name: str, *, actor: str = "") -> Agent:
        """Deletes the agent called ``name`` (ignoring case); raises :class:`UnknownAgent`."""
        now = self._clock.now()
        with self._store.write() as tx:
            agent = self._find(tx, name)
            tx.delete_agent(agent.id)
            tx.add_event(
                Event(at=now, kind=events.AGENT_REMOVED, actor=actor,
                      detail=f"agent « {agent.name} »")
            )
        return agent

    def statuses(self) -> builtins.list[AgentStatus]:
        """Every agent, by name, with its block in force (if any) and its failures."""
        now = self._clock.now()
        with self._store.read() as tx:
            agents = tx.list_agents()
            states = [effective_failure_state(tx.agent_failure_state(a.id), now) for a in agents]
        return [
            AgentStatus(agent, blocked_until(state, now), state.failures)
            for agent, state in zip(agents, states, strict=True)
        ]

    def unlock(self, name: str, *, actor: str = "") -> bool:
        """Lifts the sign-in block of the agent called ``name`` (ignoring case) and forgets its
        failures. False (and nothing written) when there was neither a block in force nor a
        failure to forget. Raises :class:`UnknownAgent`."""
        now = self._clock.now()
        with self._store.write() as tx:
            agent = self._find(tx, name)
            state = effective_failure_state(tx.agent_failure_state(agent.id), now)
            lifted = lift_detail(state, now)
            if lifted is None:
                return False
            tx.save_agent_failure_state(agent.id, FailureState(state.nir))
            tx.add_event(
                Event(at=now, kind=events.AGENT_UNBLOCKED, actor=actor,
                      detail=f"agent « {agent.name} » : {lifted}")
            )
        return True

    def _find(self, tx: StoreTx, name: str) -> Agent:
        try:
            agent = tx.agent_by_name(lookup_name(name))
        except FieldError:
            agent = None
        if agent is None:
            raise UnknownAgent(f"Aucun agent ne s'appelle « {name} ».")
        return agent

    def sign_in(self, name: str, password: str) -> AgentSignInResult:
        """One agent sign-in attempt, throttled like the users' (see the module docstring).

        Raises ``FieldError("agent-identifiant")`` for a malformed name (not counted).
        """
        clean = lookup_name(name)
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
            tx.add_event(
                Event(at=now, kind=events.AGENT_SIGN_OUT, actor=session.name, detail=reason)
            )


