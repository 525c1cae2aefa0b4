"""Data the services hand to the UI, the command line and the store.

Plain frozen dataclasses and enums: no behaviour that needs I/O.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ensap_tui.domain import nir
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo

# Sign-in throttling is a domain rule; its state is handed around with the other models.
from ensap_tui.domain.throttle import FailureState as FailureState


class AccountStatus(enum.StrEnum):
    """Lifecycle of a secure space."""

    PENDING = "pending"  # registered, waiting for its activation link
    ACTIVE = "active"


class TokenPurpose(enum.StrEnum):
    """What a one-time token may be used for; a token works for its own purpose only."""

    ACTIVATION = "activation"
    RESET = "reset"


@dataclass(frozen=True, slots=True)
class Contacts:
    """Contact details: e-mails normalised, phones in E.164 (empty string when not given)."""

    email: str
    email_backup: str = ""
    phone: str = ""
    phone_secondary: str = ""


@dataclass(frozen=True, slots=True)
class NewAccount:
    """What the store needs to create a pending account."""

    nir: str
    birth_name: str
    birth_date: date
    password_hash: str
    contacts: Contacts
    created_at: datetime
    #: The training-room poste the space is created from (None outside a room).
    poste_id: int | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """A secure space as stored. ``nir`` is the 15 compact characters."""

    id: int
    nir: str
    birth_name: str
    birth_date: date
    password_hash: str
    contacts: Contacts
    status: AccountStatus
    created_at: datetime
    activated_at: datetime | None = None
    last_sign_in_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A one-time token as stored: only the SHA-256 of the token, never the token."""

    id: int
    account_id: int
    purpose: TokenPurpose
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MailMessage:
    """A simulated e-mail kept in the outbox. ``link`` is empty for a plain notice."""

    recipient: str
    subject: str
    body: str
    sent_at: datetime
    kind: str  # "activation", "notice", "reset", "reset-notice", "password-changed", ...
    link: str = ""
    nir: str = ""
    id: int = 0
    #: The poste whose mailbox shows it: the store sets it to the poste of the space of
    #: ``nir`` when not given (None outside a room).
    poste_id: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One line of the append-only event log. Never holds a password or a token."""

    at: datetime
    kind: str
    nir: str = ""
    actor: str = ""  # "" for the person themself, else the agent's name or "systeme"
    detail: str = ""
    id: int = 0
    #: The poste that acted, else (set by the store) the poste of the space of ``nir``.
    poste_id: int | None = None
    #: The training room (set by the store from the poste when not given).
    room_id: int | None = None


@dataclass(frozen=True, slots=True)
class ContactsForm:
    """The six contact fields as typed (creation step 3, «Modifier mes coordonnées»): raw text,
    checked by the services."""

    email: str
    email_confirmation: str
    email_backup: str = ""
    email_backup_confirmation: str = ""
    phone: str = ""
    phone_secondary: str = ""


@dataclass(slots=True)
class RegistrationRequest:
    """Everything the creation steps collect, as typed (raw text; the service validates again).

    It is also the wizard's draft (``ensap_tui.ui.registration.RegistrationDraft``): each step
    fills its part while the person goes back and forth, so it is not frozen and every field
    starts empty. The service only reads it; the wizard hands it a copy.
    """

    nir: str = ""
    birth_name: str = ""
    birth_day: str = ""
    birth_month: str = ""
    birth_year: str = ""
    terms_accepted: bool = False
    password: str = ""
    password_confirmation: str = ""
    email: str = ""
    email_confirmation: str = ""
    email_backup: str = ""
    email_backup_confirmation: str = ""
    phone: str = ""
    phone_secondary: str = ""

    @property
    def contacts(self) -> ContactsForm:
        """The request's six contact fields."""
        return ContactsForm(
            self.email, self.email_confirmation, self.email_backup,
            self.email_backup_confirmation, self.phone, self.phone_secondary,
        )

    def personal(self) -> PersonalInfo:
        """What the password must not contain, from step 1 (and the e-mail once typed).

        Used for the live meter; parts not valid yet are left out rather than guessed.
        """
        birth: date | None
        try:
            birth = date(int(self.birth_year), int(self.birth_month), int(self.birth_day))
        except ValueError:
            birth = None
        try:
            compact = nir.parse_nir(self.nir)
        except FieldError:
            compact = ""
        return PersonalInfo(
            nir=compact, birth_name=self.birth_name.strip(), birth_date=birth,
            email=self.email.strip(),
        )


@dataclass(frozen=True, slots=True)
class RegistrationReceipt:
    """The one answer registration gives, whether or not the NIR already had a space."""

    email: str
    valid_until: datetime


class ActivationOutcome(enum.StrEnum):
    """Result of following an activation link."""

    ACTIVATED = "activated"
    EXPIRED = "expired"  # the registration was purged: start again
    ALREADY_USED = "already-used"
    UNKNOWN = "unknown"  # never issued, revoked by a newer link, or of another purpose


class SignInStatus(enum.StrEnum):
    """Result of a sign-in attempt."""

    SIGNED_IN = "signed-in"
    # the one message for unknown NIR, wrong password, pending with wrong password
    FAILED = "failed"
    BLOCKED = "blocked"
    NOT_ACTIVATED = "not-activated"  # only after a correct password


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in person. ``previous_sign_in_at`` is the sign-in before this one, if any."""

    account_id: int
    nir: str
    birth_name: str
    signed_in_at: datetime
    previous_sign_in_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SignInResult:
    """Outcome of :meth:`SignInService.sign_in`.

    ``attempts_left`` is how many failures remain before a block (for FAILED);
    ``blocked_until`` is set for BLOCKED; ``session`` for SIGNED_IN.
    """

    status: SignInStatus
    session: Session | None = None
    blocked_until: datetime | None = None
    attempts_left: int | None = None


class ResetOutcome(enum.StrEnum):
    """Result of completing a password reset."""

    DONE = "done"
    EXPIRED = "expired"
    ALREADY_USED = "already-used"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """One row of the help-desk search (issue 4) and of ``accounts list``.

    ``failures`` counts the consecutive sign-in failures in force (0 after a block starts);
    ``link_valid_until`` is the expiry of the newest activation link of a pending space (None
    for an active one, or a pending one without link); ``at`` is the time its state was judged
    at, on the clock of the space (a training room poste's space: that poste's clock).
    """

    account: Account
    link_expired: bool = False
    blocked_until: datetime | None = None
    failures: int = 0
    link_valid_until: datetime | None = None
    at: datetime | None = None


# -- fast paths for the help desk's search --------------------------------------------------
# A frozen dataclass's __init__ sets each field through object.__setattr__ (its own __setattr__
# refuses), about 0.25 µs a field: the help desk's search builds 50 accounts, their contacts
# and 50 summaries at each keystroke, about 0.3 ms of a 1 ms target on a server. These three
# functions build the same objects (same class, every field set, equal to the constructor's)
# faster: each fills a plain twin with the same slots (a plain attribute store, the fastest
# Python has for a slot), then gives it the frozen class (``__class__``, allowed between two
# classes of the same slots), about three times faster than the dataclass's ``__init__``.
# Arguments are positional, in field order (``__match_args__``); nothing is skipped (the three
# classes have no ``__post_init__`` and no default factory). The objects are as frozen as any.
# tests/services/test_models_fast_path.py compares them with the constructors, on both
# engines' rows.

_new = object.__new__


def _twin(frozen: type) -> type:
    """A plain class with the slots of ``frozen`` (same layout: an object may change from one
    to the other)."""
    return type(f"_{frozen.__name__}Fields", (), {"__slots__": vars(frozen)["__slots__"]})


_ContactsFields, _AccountFields, _SummaryFields = (
    _twin(Contacts), _twin(Account), _twin(AccountSummary)
)


def new_contacts(email: str, email_backup: str, phone: str, phone_secondary: str) -> Contacts:
    """``Contacts(email, email_backup, phone, phone_secondary)``, built faster (see above)."""
    contacts: Any = _new(_ContactsFields)
    contacts.email = email
    contacts.email_backup = email_backup
    contacts.phone = phone
    contacts.phone_secondary = phone_secondary
    contacts.__class__ = Contacts  # same slots: see above
    return contacts  # type: ignore[no-any-return]


def new_account(
    id: int,
    nir: str,
    birth_name: str,
    birth_date: date,
    password_hash: str,
    contacts: Contacts,
    status: AccountStatus,
    created_at: datetime,
    activated_at: datetime | None,
    last_sign_in_at: datetime | None,
) -> Account:
    """``Account(...)`` of all ten fields in order, built faster (see above)."""
    account: Any = _new(_AccountFields)
    account.id = id
    account.nir = nir
    account.birth_name = birth_name
    account.birth_date = birth_date
    account.password_hash = password_hash
    account.contacts = contacts
    account.status = status
    account.created_at = created_at
    account.activated_at = activated_at
    account.last_sign_in_at = last_sign_in_at
    account.__class__ = Account  # same slots: see above
    return account  # type: ignore[no-any-return]


def new_summary(
    account: Account,
    link_expired: bool,
    blocked_until: datetime | None,
    failures: int,
    link_valid_until: datetime | None,
    at: datetime | None,
) -> AccountSummary:
    """``AccountSummary(...)`` of all six fields in order, built faster (see above)."""
    summary: Any = _new(_SummaryFields)
    summary.account = account
    summary.link_expired = link_expired
    summary.blocked_until = blocked_until
    summary.failures = failures
    summary.link_valid_until = link_valid_until
    summary.at = at
    summary.__class__ = AccountSummary  # same slots: see above
    return summary  # type: ignore[no-any-return]


# -- help desk (issue 4) ------------------------------------------------------------------


class AccountState(enum.StrEnum):
    """What the help desk sees of an account; the values are the ``--statut`` words."""

    PENDING = "attente"  # waiting for activation, its link still valid
    LINK_EXPIRED = "expire"  # waiting for activation, its newest link expired
    ACTIVE = "active"
    BLOCKED = "bloque"  # a sign-in block is in force (whatever the status)


@dataclass(frozen=True, slots=True)
class Agent:
    """A help-desk agent as stored. ``name`` is unique ignoring case."""

    id: int
    name: str
    password_hash: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AgentSession:
    """A signed-in help-desk agent: the console only opens with one."""

    agent_id: int
    name: str
    signed_in_at: datetime


@dataclass(frozen=True, slots=True)
class AgentSignInResult:
    """Outcome of :meth:`AgentService.sign_in` (same meaning as :class:`SignInResult`;
    never NOT_ACTIVATED)."""

    status: SignInStatus
    session: AgentSession | None = None
    blocked_until: datetime | None = None
    attempts_left: int | None = None


# -- training room (issue 12) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Room:
    """A training room. ``code`` is the 6 characters as stored (``K7M4QX``); ``clock_offset``
    moves every poste's clock («tout le monde + 24 h»)."""

    id: int
    code: str
    created_at: datetime
    ended_at: datetime | None = None
    clock_offset: timedelta = timedelta(0)

    @property
    def display_code(self) -> str:
        """The code as people read and type it: ``K7M-4QX``."""
        return f"{self.code[:3]}-{self.code[3:]}"

    @property
    def ended(self) -> bool:
        """True once the trainer ended the room: no poste joins or opens an app."""
        return self.ended_at is not None


@dataclass(frozen=True, slots=True)
class Poste:
    """A trainee's workstation in a room: data, not a process (every browser tab's process and
    the board read it from the database). ``clock_offset`` is the poste's own, on top of the
    room's; ``generation`` grows when the trainer restarts or resets it; ``last_seen_at`` is
    real system time (None once the app closed); ``screen`` the last screen it reported."""

    id: int
    room_id: int
    first_name: str
    joined_at: datetime
    clock_offset: timedelta = timedelta(0)
    generation: int = 0
    last_seen_at: datetime | None = None
    screen: str | None = None
    field_errors: int = 0


@dataclass(frozen=True, slots=True)
class PosteRow:
    """One row of the trainer's board. ``space`` says in French where the poste's newest space
    stands, judged on the poste's clock («aucun espace», «en attente d'activation», «lien
    expiré», «actif», «bloqué jusqu'à 14:17»); ``last_event`` is the French label of its last
    event («» when none), at ``last_event_at`` (the acting clock's time); ``now`` is the
    poste's clock and ``clock_offset`` its whole offset from real time (room's + poste's)."""

    poste: Poste
    connected: bool
    screen: str
    space: str
    last_event: str
    last_event_at: datetime | None
    field_errors: int
    now: datetime
    clock_offset: timedelta
