"""Demo mode, through the services: seeding in every state, the demo clock driving expiry and
unblocking, the reset, and the refusal to touch a database that is not a demo one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ensap_tui.bootstrap import Settings, StartupError, open_services
from ensap_tui.domain import nir as nir_rules
from ensap_tui.domain.password import PersonalInfo, assess
from ensap_tui.services import demo
from ensap_tui.services.container import Services
from ensap_tui.services.models import ActivationOutcome, SignInStatus
from tests.conftest import T0
from tests.support.demo import DEMO_AGENT_PASSWORD, demo_settings

if TYPE_CHECKING:
    from ensap_tui.adapters.clocks import FixedClock
    from ensap_tui.adapters.tokens import SequenceTokenSource

DEMO_SETTINGS = demo_settings()
PEOPLE = {person.key: person for person in demo.DEMO_PEOPLE}


@pytest.fixture
def demo_services(
    db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> Iterator[Services]:
    """The services in demo mode on a fresh database (seeded on opening), the fixed clock as
    the demo clock's base."""
    built = open_services(db_path, clock=clock, token_source=tokens, settings=DEMO_SETTINGS)
    yield built
    built.close()


def states(services: Services) -> dict[str, demo.DemoState]:
    return {view.person.key: view.state for view in services.demo.accounts()}


def activation_link(services: Services, nir: str) -> str:
    for message in services.mailbox.messages(limit=1000):
        if message.nir == nir and message.kind == "activation":
            return message.link
    raise AssertionError(f"no activation mail for {nir}")


def test_the_demo_people_are_fictitious_and_valid() -> None:
    nirs = set()
    for person in demo.DEMO_PEOPLE:
        compact = nir_rules.parse_nir(person.nir)
        nir_rules.check_birth_date(compact, person.birth_date)
        nirs.add(compact)
        assert person.email.endswith("@example.fr")
        assert person.birth_name.startswith("Démo-")
        personal = PersonalInfo(person.nir, person.birth_name, person.birth_date, person.email)
        assert assess(person.password, personal).problems == ()
    assert len(nirs) == len(demo.DEMO_PEOPLE)


def test_a_new_demo_database_is_seeded_with_every_state(demo_services: Services) -> None:
    assert demo_services.demo.is_demo_database()
    assert states(demo_services) == {
        "actif": demo.DemoState.ACTIVE,
        "habitue": demo.DemoState.ACTIVE,
        "attente": demo.DemoState.PENDING,
        "expire": demo.DemoState.LINK_EXPIRED,
        "bloque": demo.DemoState.BLOCKED,
        "bientot": demo.DemoState.BLOCKED,
    }
    views = {view.person.key: view for view in demo_services.demo.accounts()}
    assert views["bloque"].blocked_until == T0 + timedelta(minutes=15)
    assert views["bloque"].label == "bloqué jusqu'à 14:17"
    nearly = views["bientot"].blocked_until
    assert nearly is not None
    assert timedelta(minutes=1) <= nearly - T0 <= timedelta(minutes=2)
    assert views["attente"].link_valid_until == T0 + timedelta(hours=22)
    assert views["habitue"].last_sign_in_at == T0 - timedelta(days=2)
    assert views["actif"].last_sign_in_at is None
    assert demo_services.demo.offset() == timedelta(0)


def test_the_seeded_states_are_true_for_the_journey(demo_services: Services) -> None:
    sign_in = demo_services.sign_in.sign_in
    blocked = sign_in(PEOPLE["bloque"].nir, PEOPLE["bloque"].password)
    assert blocked.status is SignInStatus.BLOCKED
    assert blocked.blocked_until == T0 + timedelta(minutes=15)
    assert sign_in(PEOPLE["bientot"].nir, PEOPLE["bientot"].password).status is (
        SignInStatus.BLOCKED
    )
    pending = sign_in(PEOPLE["attente"].nir, PEOPLE["attente"].password)
    assert pending.status is SignInStatus.NOT_ACTIVATED
    first = sign_in(PEOPLE["actif"].nir, PEOPLE["actif"].password)
    assert first.status is SignInStatus.SIGNED_IN
    assert first.session is not None and first.session.previous_sign_in_at is None
    regular = sign_in(PEOPLE["habitue"].nir, PEOPLE["habitue"].password)
    assert regular.session is not None
    assert regular.session.previous_sign_in_at == T0 - timedelta(days=2)
    expired = demo_services.activation.activate(
        activation_link(demo_services, PEOPLE["expire"].nir)
    )
    assert expired is ActivationOutcome.EXPIRED
    fresh = demo_services.activation.activate(
        activation_link(demo_services, PEOPLE["attente"].nir)
    )
    assert fresh is ActivationOutcome.ACTIVATED


def test_the_demo_agent_can_sign_in_and_is_made_again_by_the_reset(
    demo_services: Services,
) -> None:
    agents = demo_services.agents
    assert [agent.name for agent in agents.list()] == [demo.DEMO_AGENT_NAME]
    result = agents.sign_in(demo.DEMO_AGENT_NAME, DEMO_AGENT_PASSWORD)
    assert result.status is SignInStatus.SIGNED_IN
    agents.add("agent.stagiaire", "Bureau#Claire55", "Bureau#Claire55")
    demo_services.demo.reset()
    assert [agent.name for agent in agents.list()] == [demo.DEMO_AGENT_NAME]


def test_one_hour_ends_the_nearly_free_block_only(demo_services: Services) -> None:
    offset = demo_services.demo.advance(demo.ONE_HOUR)
    assert offset == timedelta(hours=1)
    assert demo_services.clock.now() == T0 + timedelta(hours=1)
    assert states(demo_services) == {
        "actif": demo.DemoState.ACTIVE,
        "habitue": demo.DemoState.ACTIVE,
        "attente": demo.DemoState.PENDING,
        "expire": demo.DemoState.LINK_EXPIRED,
        "bloque": demo.DemoState.ACTIVE,
        "bientot": demo.DemoState.ACTIVE,
    }
    person = PEOPLE["bientot"]
    result = demo_services.sign_in.sign_in(person.nir, person.password)
    assert result.status is SignInStatus.SIGNED_IN


def test_twenty_four_hours_expire_the_fresh_link_and_end_the_blocks(
    demo_services: Services,
) -> None:
    link = activation_link(demo_services, PEOPLE["attente"].nir)
    demo_services.demo.advance(demo.ONE_DAY)
    assert demo_services.clock.now() == T0 + timedelta(hours=24)
    assert states(demo_services)["attente"] is demo.DemoState.LINK_EXPIRED
    assert demo_services.activation.activate(link) is ActivationOutcome.EXPIRED
    # Following the expired link purged the registration, by the normal rule.
    assert states(demo_services)["attente"] is demo.DemoState.MISSING
    person = PEOPLE["bloque"]
    result = demo_services.sign_in.sign_in(person.nir, person.password)
    assert result.status is SignInStatus.SIGNED_IN
    assert result.session is not None and result.session.signed_in_at == T0 + timedelta(hours=24)


def test_real_time_puts_the_clock_back_and_the_events_say_so(demo_services: Services) -> None:
    demo_services.demo.advance(demo.ONE_DAY)
    demo_services.demo.advance(demo.ONE_HOUR)
    assert demo_services.demo.offset() == timedelta(hours=25)
    assert demo_services.demo.clock_text() == "27/11/2026 à 15:02 (heure réelle + 25 h)"
    demo_services.demo.real_time()
    assert demo_services.clock.now() == T0
    assert demo_services.demo.clock_text() == "26/11/2026 à 14:02 (heure réelle)"
    with demo_services.store.read() as tx:
        clock_events = [e for e in tx.list_events(limit=10) if e.kind == demo.DEMO_CLOCK]
    # In the order they were recorded (each is dated by the demo clock of its moment).
    assert [(e.at, e.detail) for e in sorted(clock_events, key=lambda e: e.id)] == [
        (T0 + timedelta(hours=24), "horloge avancée de 24 heures (heure réelle + 24 h)"),
        (T0 + timedelta(hours=25), "horloge avancée d'1 heure (heure réelle + 25 h)"),
        (T0, "horloge remise à l'heure réelle"),
    ]


def test_the_clock_does_not_run_a_year_ahead(demo_services: Services) -> None:
    demo_services.demo.advance(demo.MAX_OFFSET)
    with pytest.raises(demo.DemoClockError, match="plus d'un an"):
        demo_services.demo.advance(demo.ONE_HOUR)
    with pytest.raises(demo.DemoClockError):
        demo_services.demo.advance(timedelta(0))


def test_reset_restores_the_seeded_state_and_real_time(
    demo_services: Services, clock: FixedClock
) -> None:
    person = PEOPLE["actif"]
    demo_services.demo.advance(demo.ONE_DAY)
    demo_services.activation.activate(activation_link(demo_services, PEOPLE["expire"].nir))
    demo_services.sign_in.sign_in("192049712001143", "Inconnu#Total99")
    demo_services.sign_in.sign_in(person.nir, person.password)
    assert states(demo_services)["expire"] is demo.DemoState.MISSING
    clock.advance(timedelta(minutes=5))
    demo_services.demo.reset()
    assert demo_services.demo.offset() == timedelta(0)
    assert states(demo_services) == {
        "actif": demo.DemoState.ACTIVE,
        "habitue": demo.DemoState.ACTIVE,
        "attente": demo.DemoState.PENDING,
        "expire": demo.DemoState.LINK_EXPIRED,
        "bloque": demo.DemoState.BLOCKED,
        "bientot": demo.DemoState.BLOCKED,
    }
    views = {view.person.key: view for view in demo_services.demo.accounts()}
    # The new seeding is relative to the reset's time, and the old sign-in is gone.
    assert views["bloque"].blocked_until == T0 + timedelta(minutes=20)
    assert views["actif"].last_sign_in_at is None
    with demo_services.store.read() as tx:
        assert tx.failure_state("192049712001143").failures == 0
        kinds = [e.kind for e in tx.list_events(limit=1000)]
    # Six activation mails again, none left from before the reset.
    mails = demo_services.mailbox.messages(limit=1000)
    assert len([m for m in mails if m.kind == "activation"]) == len(demo.DEMO_PEOPLE)
    assert demo.DEMO_RESET in kinds and kinds.count(demo.DEMO_SEEDED) == 2


def test_opening_a_demo_database_again_does_not_seed_twice(
    db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    first = open_services(db_path, clock=clock, token_source=tokens, settings=DEMO_SETTINGS)
    first.demo.advance(demo.ONE_HOUR)
    first.close()
    again = open_services(db_path, clock=clock, token_source=tokens, settings=DEMO_SETTINGS)
    try:
        # The offset is kept in the database: a second program sees the same time.
        assert again.clock.now() == T0 + timedelta(hours=1)
        assert len(again.mailbox.messages(limit=1000)) == len(demo.DEMO_PEOPLE)
    finally:
        again.close()


def test_a_real_database_is_never_used_for_the_demo(
    services: Services, db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    from tests.support.people import REQUEST

    services.registration.register(REQUEST)
    with pytest.raises(StartupError, match="pas été créée pour la démonstration"):
        open_services(db_path, clock=clock, token_source=tokens, settings=DEMO_SETTINGS)
    for action in (
        services.demo.reset,
        services.demo.real_time,
        lambda: services.demo.advance(demo.ONE_HOUR),
    ):
        with pytest.raises(demo.NotDemoDatabase):
            action()
    with services.store.read() as tx:
        assert len(tx.list_accounts()) == 1
        assert tx.get_meta(demo.META_DEMO) is None


def test_outside_the_demo_mode_the_stored_offset_is_ignored(
    db_path: Path, clock: FixedClock, tokens: SequenceTokenSource
) -> None:
    seeded = open_services(db_path, clock=clock, token_source=tokens, settings=DEMO_SETTINGS)
    seeded.demo.advance(demo.ONE_DAY)
    seeded.close()
    plain = open_services(
        db_path, clock=clock, token_source=tokens, settings=Settings.for_tests()
    )
    try:
        assert plain.clock.now() == T0
    finally:
        plain.close()


def test_demo_settings_keep_the_secret_out_of_the_keyring() -> None:
    assert Settings().demo_mode() == dataclasses.replace(Settings(), demo=True, use_keyring=False)


def test_the_offset_text_is_read_defensively() -> None:
    assert demo.parse_offset(None) == timedelta(0)
    assert demo.parse_offset("abc") == timedelta(0)
    assert demo.parse_offset("-50") == timedelta(0)
    assert demo.parse_offset("3600") == timedelta(hours=1)
    assert demo.parse_offset(str(10**12)) == demo.MAX_OFFSET
