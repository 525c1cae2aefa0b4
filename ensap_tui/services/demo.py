"""The trainer's demo mode: fictitious accounts in every state, and the demo clock.

The demo accounts are made by the real use cases (registration, activation, sign-in) run on a
clock set back in time and moved forward step by step, so every state comes from the normal rules:
a link registered 30 hours ago has expired because 24 hours have passed, a NIR is blocked because
three wrong passwords were typed. Nothing is written to the store that the journey itself would
not write.

The demo clock is the real time plus an offset kept in the database meta
(:data:`META_CLOCK_OFFSET`, whole seconds), so the app and the shell commands on the same
database read the same time. The composition root builds that clock; this module reads and moves
its offset.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from ensap_tui.domain.password import PersonalInfo, assess
from ensap_tui.domain.throttle import blocked_until, effective_failure_state
from ensap_tui.domain.timefmt import format_datetime, format_time
from ensap_tui.services import events, mail_texts
from ensap_tui.services.activation import ActivationService
from ensap_tui.services.models import (
    AccountStatus,
    ActivationOutcome,
    Event,
    RegistrationRequest,
    SignInStatus,
    TokenPurpose,
)
from ensap_tui.services.ports import (
    Clock,
    DamagedRecord,
    Hasher,
    Store,
    StoreTx,
    TokenSource,
)
from ensap_tui.services.registration import RegistrationService, registration_expired
from ensap_tui.services.signin import SignInService

#: Meta key set to "1" once a database has been claimed (and seeded) for the demo.
META_DEMO = "demo_database"
#: Meta key of the demo clock's offset from the real time, in whole seconds (text).
META_CLOCK_OFFSET = "demo_clock_offset_seconds"
#: Meta key of the demo agent's password, drawn at each seeding (shown to the trainer on
#: purpose: the F2 page and ``ensap-tui demo accounts``).
META_AGENT_PASSWORD = "demo_agent_password"

ONE_HOUR = timedelta(hours=1)
ONE_DAY = timedelta(hours=24)
#: The demo clock never runs further ahead than this (a year of demonstrations is plenty).
MAX_OFFSET = timedelta(days=366)

#: Event kinds of the demo mode (all kinds are listed in :mod:`ensap_tui.services.events`).
DEMO_SEEDED = events.DEMO_SEEDED
DEMO_RESET = events.DEMO_RESET
DEMO_CLOCK = events.DEMO_CLOCK
#: ``Event.actor`` of what the demo mode does by itself.
DEMO_ACTOR = "demo"

#: The wrong password typed three times to block the blocked accounts.
_WRONG_PASSWORD = "Mauvais#Essai00"


class DemoState(enum.StrEnum):
    """Where a demo account stands at the demo clock's time."""

    ACTIVE = "active"
    PENDING = "pending"
    LINK_EXPIRED = "link-expired"
    BLOCKED = "blocked"
    MISSING = "missing"  # deleted (an expired link followed, the help desk...)
    DAMAGED = "damaged"  # a stored value of its rows cannot be read (a manual edit...)


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One fictitious person of the demo: everything needed to register, and what it shows."""

    key: str
    nir: str
    birth_name: str
    birth_date: date
    email: str
    password: str
    scenario: str  # French: what the trainer can show with this account


#: The demo accounts, in the order of the demo page. Names, NIRs (valid keys) and addresses
#: (``@example.fr``, reserved for examples) are fictitious; so are the passwords, which the demo
#: page shows on purpose.
DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        key="actif",
        nir="185037505610178",
        birth_name="Démo-Actif",
        birth_date=date(1985, 3, 12),
        email="demo.actif@example.fr",
        password="Soleil#Levant24",
        scenario="connexion réussie, première visite de l'espace",
    ),
    DemoPerson(
        key="habitue",
        nir="290076912310235",
        birth_name="Démo-Habituée",
        birth_date=date(1990, 7, 21),
        email="demo.habituee@example.fr",
        password="Riviere!Calme58",
        scenario="connexion réussie, l'espace rappelle la connexion précédente",
    ),
    DemoPerson(
        key="attente",
        nir="178113306310316",
        birth_name="Démo-Attente",
        birth_date=date(1978, 11, 5),
        email="demo.attente@example.fr",
        password="Nuage&Blanc37",
        scenario="lien d'activation valable (boîte de réception) ; connexion refusée avant",
    ),
    DemoPerson(
        key="expire",
        nir="282011305510401",
        birth_name="Démo-Expirée",
        birth_date=date(1982, 1, 30),
        email="demo.expiree@example.fr",
        password="Foret#Profonde61",
        scenario="lien d'activation expiré : l'inscription est à recommencer",
    ),
    DemoPerson(
        key="bloque",
        nir="170095935010583",
        birth_name="Démo-Bloqué",
        birth_date=date(1970, 9, 17),
        email="demo.bloque@example.fr",
        password="Vent!DuNord83",
        scenario="accès bloqué 15 minutes après 3 mots de passe erronés",
    ),
    DemoPerson(
        key="bientot",
        nir="295044410910657",
        birth_name="Démo-Bientôt",
        birth_date=date(1995, 4, 8),
        email="demo.bientot@example.fr",
        password="Pluie&Fine42",
        scenario="blocage qui se termine dans une ou deux minutes",
    ),
)

#: The help-desk agent of the demo; its password is drawn for each demo database at each
#: seeding (:func:`new_agent_password`), never written in the source.
DEMO_AGENT_NAME = "formateur"

#: Letters and digits that cannot be mistaken for one another when read off a screen.
_PASSWORD_LETTERS = "abcdefghijkmnpqrstuvwxyz"
_PASSWORD_DIGITS = "23456789"


def new_agent_password() -> str:
    """A new password for the demo agent, easy to read out to a room and to type: three groups
    of four drawn characters joined by hyphens (``Kmtp-7fRa-x4Qe``), with capitals, small
    letters and digits; about 65 bits. A draw the password rules would refuse is drawn again."""
    alphabet = _PASSWORD_LETTERS + _PASSWORD_LETTERS.upper() + _PASSWORD_DIGITS
    while True:
        drawn = "".join(secrets.choice(alphabet) for _ in range(12))
        password = "-".join(drawn[i : i + 4] for i in range(0, 12, 4))
        if (
            any(c.islower() for c in drawn)
            and any(c.isupper() for c in drawn)
            and any(c.isdigit() for c in drawn)
            and assess(password, PersonalInfo(birth_name=DEMO_AGENT_NAME)).acceptable
        ):
            return password


#: Why a demo command refuses a database that was not created for the demo.
MSG_NOT_DEMO = (
    "cette base existe déjà et n'a pas été créée pour la démonstration : les commandes de "
    "démonstration ne la modifient pas. Lancez « ensap-tui --demo » sans --db pour utiliser "
    "la base de démonstration, ou donnez à --db un fichier qui n'existe pas encore."
)


class NotDemoDatabase(Exception):
    """The database was not created for the demo: the demo mode refuses to seed it, move its
    clock, reset it or list it. ``str()`` is a French message."""


class DemoClockError(ValueError):
    """The demo clock cannot move that far; ``str()`` is a French message."""


class AgentAdder(Protocol):
    """The part of the help desk's agent service the demo needs."""

    def add(self, name: str, password: str, confirmation: str, *, actor: str = "") -> object: ...


@dataclass(frozen=True, slots=True)
class DemoAccountView:
    """A demo account as the demo page shows it, at the demo clock's time."""

    person: DemoPerson
    state: DemoState
    label: str  # French: «active», «en attente d'activation», «lien expiré», «bloqué jusqu'à…»
    last_sign_in_at: datetime | None = None
    blocked_until: datetime | None = None
    link_valid_until: datetime | None = None


#: The state column of a demo account whose rows cannot be read.
DAMAGED_LABEL = "espace endommagé (illisible)"


def parse_offset(text: str | None) -> timedelta:
    """The demo clock's offset stored as ``text`` (whole seconds); zero when absent or unreadable,
    and kept between zero and :data:`MAX_OFFSET`."""
    if text is None:
        return timedelta(0)
    try:
        seconds = int(text)
    except ValueError:
        return timedelta(0)
    return min(max(timedelta(seconds=seconds), timedelta(0)), MAX_OFFSET)


def format_offset(offset: timedelta) -> str:
    """``"heure réelle"``, ``"heure réelle + 25 h"`` (minutes shown only when there are some)."""
    seconds = int(offset.total_seconds())
    if seconds <= 0:
        return "heure réelle"
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if minutes:
        return f"heure réelle + {hours} h {minutes:02d}"
    return f"heure réelle + {hours} h"


def describe_step(delta: timedelta) -> str:
    """``"d'1 heure"``, ``"de 24 heures"``: how far the clock was moved, for messages."""
    hours = int(delta.total_seconds() // 3600)
    return "d'1 heure" if hours == 1 else f"de {hours} heures"


class _SeedClock:
    """The time while seeding: set back, then moved forward step by step."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


class DemoService:
    """Seeding, resetting and listing the demo accounts, and moving the demo clock.

    ``clock`` is the services' clock (in demo mode, the real time plus the stored offset);
    ``agents`` adds the demo agent when the help-desk agents exist; ``agent_password`` fixes
    the demo agent's password (tests), otherwise drawn at each seeding.
    """

    def __init__(
        self,
        store: Store,
        hasher: Hasher,
        clock: Clock,
        tokens: TokenSource,
        agents: AgentAdder | None = None,
        agent_password: str | None = None,
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._clock = clock
        self._tokens = tokens
        self._agents = agents
        self.people: Sequence[DemoPerson] = DEMO_PEOPLE
        self.agent_name = DEMO_AGENT_NAME
        self._fixed_agent_password = agent_password
        #: True once :meth:`prepare` has seeded this database (it was new).
        self.just_seeded = False

    # -- the database ------------------------------------------------------------------------

    def is_demo_database(self) -> bool:
        """True when this database was made for the demo."""
        with self._store.read() as tx:
            return tx.get_meta(META_DEMO) is not None

    def prepare(self, *, created: bool) -> bool:
        """Makes this database ready for the demo: a database ``created`` by this very opening
        is claimed and seeded (True is returned); a demo database is left as it is (False).

        Raises :class:`NotDemoDatabase`, changing nothing, for any other database: a database
        is a demo one only if it was created as one, whatever it holds (agents without spaces,
        a journal, nothing at all). Two programs opening the same new database seed it once:
        the claim is one transaction.
        """
        if self.is_demo_database():  # the usual case: no write lock needed
            return False
        if not created:
            raise NotDemoDatabase(MSG_NOT_DEMO)
        with self._store.write() as tx:
            if tx.get_meta(META_DEMO) is not None:
                return False
            tx.set_meta(META_DEMO, "1")
            tx.set_meta(META_CLOCK_OFFSET, "0")
        self._seed()
        self.just_seeded = True
        return True

    def reset(self) -> None:
        """Puts the demo back as seeded, with the demo clock on the real time: every account,
        throttling state and simulated mail is deleted, then the demo accounts are made again.
        The event log is append-only: it keeps its lines and records the reset.

        Raises :class:`NotDemoDatabase` on a database that is not a demo one.
        """
        with self._store.write() as tx:
            _require_demo(tx)
            tx.set_meta(META_CLOCK_OFFSET, "0")
            tx.reset_demo_data()
        # The offset is zero from here on: the services' clock reads the real time.
        with self._store.write() as tx:
            tx.add_event(
                Event(at=self._clock.now(), kind=DEMO_RESET, actor=DEMO_ACTOR,
                      detail="démonstration réinitialisée, horloge remise à l'heure réelle")
            )
        self._seed()

    def _seed(self) -> None:
        """Makes the demo accounts through the use cases, relative to the demo clock's now."""
        now = self._clock.now()
        seed = _SeedClock(now - timedelta(days=30))
        registration = RegistrationService(self._store, self._hasher, seed, self._tokens)
        activation = ActivationService(self._store, seed, self._tokens)
        sign_in = SignInService(self._store, self._hasher, seed)
        people = {person.key: person for person in DEMO_PEOPLE}

        def register(key: str, at: datetime) -> DemoPerson:
            seed.at = at
            person = people[key]
            registration.register(_request(person))
            return person

        def activated(key: str, registered: datetime, minutes_later: int) -> DemoPerson:
            person = register(key, registered)
            seed.at = registered + timedelta(minutes=minutes_later)
            outcome = activation.activate(self._activation_link(person.nir))
            if outcome is not ActivationOutcome.ACTIVATED:
                raise RuntimeError(f"demo seeding: activation of {person.key} gave {outcome}")
            return person

        def fail_three_times(person: DemoPerson, at: datetime) -> None:
            seed.at = at
            for _ in range(3):
                result = sign_in.sign_in(person.nir, _WRONG_PASSWORD)
            if result.status is not SignInStatus.BLOCKED:
                raise RuntimeError(f"demo seeding: {person.key} is not blocked")

        # In time order, so that the event log reads like a real history.
        habitue = activated("habitue", now - timedelta(days=30), 12)
        blocked = activated("bloque", now - timedelta(days=20), 7)
        nearly_free = activated("bientot", now - timedelta(days=15), 20)
        activated("actif", now - timedelta(days=10), 5)
        seed.at = now - timedelta(days=2)
        signed = sign_in.sign_in(habitue.nir, habitue.password)
        if signed.status is not SignInStatus.SIGNED_IN:
            raise RuntimeError(f"demo seeding: sign-in of habitue gave {signed.status}")
        # 30 hours ago: the 24-hour link ran out 6 hours ago.
        register("expire", now - timedelta(hours=30))
        # 2 hours ago: the link stays valid 22 more hours.
        register("attente", now - timedelta(hours=2))
        # 15-minute blocks: one that began 13 min 30 s ago, one that begins now.
        fail_three_times(nearly_free, now - timedelta(minutes=13, seconds=30))
        fail_three_times(blocked, now)
        if self._agents is not None:
            password = self._fixed_agent_password or new_agent_password()
            self._agents.add(DEMO_AGENT_NAME, password, password, actor=DEMO_ACTOR)
            with self._store.write() as tx:
                tx.set_meta(META_AGENT_PASSWORD, password)
        with self._store.write() as tx:
            tx.add_event(
                Event(at=now, kind=DEMO_SEEDED, actor=DEMO_ACTOR,
                      detail=f"{len(DEMO_PEOPLE)} espaces fictifs créés")
            )

    def _activation_link(self, nir: str) -> str:
        with self._store.read() as tx:
            for message in tx.list_mail(limit=1000):
                if message.nir == nir and message.kind == mail_texts.ACTIVATION:
                    return message.link
        raise RuntimeError("demo seeding: no activation mail")

    @property
    def agent_password(self) -> str | None:
        """The demo agent's password, as drawn at the last seeding (None when this database
        was seeded by a version that did not keep it: ``demo reset`` draws one)."""
        with self._store.read() as tx:
            return tx.get_meta(META_AGENT_PASSWORD)

    # -- the accounts --------------------------------------------------------------------------

    def accounts(self) -> list[DemoAccountView]:
        """Every demo account as it stands at the demo clock's time, in :data:`DEMO_PEOPLE`
        order (a deleted one reads «aucun espace»)."""
        now = self._clock.now()
        views: list[DemoAccountView] = []
        with self._store.read() as tx:
            _require_demo(tx)
            for person in DEMO_PEOPLE:
                try:
                    views.append(_view(tx, person, now))
                except DamagedRecord:  # one damaged account does not hide the others
                    views.append(DemoAccountView(person, DemoState.DAMAGED, DAMAGED_LABEL))
        return views

    # -- the demo clock ------------------------------------------------------------------------

    def now(self) -> datetime:
        """The demo clock's time (the services' clock)."""
        return self._clock.now()

    def offset(self) -> timedelta:
        """How far the demo clock runs ahead of the real time."""
        with self._store.read() as tx:
            return parse_offset(tx.get_meta(META_CLOCK_OFFSET))

    def advance(self, delta: timedelta) -> timedelta:
        """Moves the demo clock forward by ``delta`` (positive); returns the new offset.

        Raises :class:`DemoClockError` beyond :data:`MAX_OFFSET`, :class:`NotDemoDatabase` on
        a database that is not a demo one. Links expire and blocks end by the normal rules,
        when next read.
        """
        if delta <= timedelta(0):
            raise DemoClockError(
                "L'horloge de démonstration ne recule pas : revenez à l'heure réelle."
            )
        with self._store.write() as tx:
            _require_demo(tx)
            offset = parse_offset(tx.get_meta(META_CLOCK_OFFSET)) + delta
            if offset > MAX_OFFSET:
                raise DemoClockError(
                    "L'horloge de démonstration ne peut pas avancer de plus d'un an : "
                    "revenez à l'heure réelle."
                )
            tx.set_meta(META_CLOCK_OFFSET, str(int(offset.total_seconds())))
        self._clock_event(f"horloge avancée {describe_step(delta)} ({format_offset(offset)})")
        return offset

    def real_time(self) -> None:
        """Puts the demo clock back on the real time."""
        with self._store.write() as tx:
            _require_demo(tx)
            tx.set_meta(META_CLOCK_OFFSET, "0")
        self._clock_event("horloge remise à l'heure réelle")

    def clock_text(self) -> str:
        """``"27/11/2026 à 14:02 (heure réelle + 24 h)"``: the demo clock for people."""
        return f"{format_datetime(self.now())} ({format_offset(self.offset())})"

    def _clock_event(self, detail: str) -> None:
        with self._store.write() as tx:
            tx.add_event(Event(at=self._clock.now(), kind=DEMO_CLOCK, actor=DEMO_ACTOR,
                               detail=detail))


def _require_demo(tx: StoreTx) -> None:
    if tx.get_meta(META_DEMO) is None:
        raise NotDemoDatabase(MSG_NOT_DEMO)


def _request(person: DemoPerson) -> RegistrationRequest:
    born = person.birth_date
    return RegistrationRequest(
        nir=person.nir,
        birth_name=person.birth_name,
        birth_day=f"{born.day:02d}",
        birth_month=f"{born.month:02d}",
        birth_year=f"{born.year:04d}",
        terms_accepted=True,
        password=person.password,
        password_confirmation=person.password,
        email=person.email,
        email_confirmation=person.email,
    )


def _view(tx: StoreTx, person: DemoPerson, now: datetime) -> DemoAccountView:
    account = tx.account_by_nir(person.nir)
    until = blocked_until(effective_failure_state(tx.failure_state(person.nir), now), now)
    if account is None:
        return DemoAccountView(person, DemoState.MISSING, "aucun espace", blocked_until=until)
    last = account.last_sign_in_at
    if until is not None:
        return DemoAccountView(
            person, DemoState.BLOCKED, f"bloqué jusqu'à {format_time(until)}",
            last_sign_in_at=last, blocked_until=until,
        )
    if account.status is AccountStatus.ACTIVE:
        return DemoAccountView(person, DemoState.ACTIVE, "active", last_sign_in_at=last)
    if registration_expired(tx, account, now):
        return DemoAccountView(person, DemoState.LINK_EXPIRED, "lien expiré")
    token = tx.latest_token(account.id, TokenPurpose.ACTIVATION)
    return DemoAccountView(
        person, DemoState.PENDING, "en attente d'activation",
        link_valid_until=token.expires_at if token is not None else None,
    )
