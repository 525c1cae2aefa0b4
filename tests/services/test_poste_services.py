"""The services of a training room's poste (issue 12, point 3): what a poste creates is its
own, its mailbox shows its mails only (the help desk's included), its clock is its own; the
help desk still sees every space; outside a room nothing changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.adapters.tokens import SequenceTokenSource
from ensap_tui.bootstrap import Settings, StartupError, open_services
from ensap_tui.services import events as kinds
from ensap_tui.services.assistance import state_of
from ensap_tui.services.container import Services
from ensap_tui.services.errors import TooManyAttempts, ValidationFailed
from ensap_tui.services.models import (
    AccountState,
    ActivationOutcome,
    Poste,
    ResetOutcome,
    SignInStatus,
)
from tests.conftest import T0
from tests.support.accounts import block
from tests.support.people import (
    NEW_PASSWORD,
    NIR,
    OTHER_NIR,
    OTHER_REQUEST,
    PASSWORD,
    REQUEST,
    WRONG_PASSWORD,
)

Opener = Callable[..., Services]


@pytest.fixture
def opened(db_path: Path, clock: FixedClock) -> Iterator[Opener]:
    """Opens services on the test database (one token source for all, as one database's
    programs never draw the same token), each closed at the end."""
    tokens = SequenceTokenSource()
    made: list[Services] = []

    def open_(poste: int | None = None, *, demo: bool = False) -> Services:
        settings = dataclasses.replace(Settings.for_tests(), poste=poste)
        if demo:
            settings = settings.demo_mode()
        built = open_services(db_path, clock=clock, token_source=tokens, settings=settings)
        made.append(built)
        return built

    yield open_
    for services in made:
        services.close()


def two_postes(opened: Opener) -> tuple[Services, Poste, Poste]:
    trainer = opened()
    room = trainer.room.open_room()
    return trainer, trainer.room.join(room.code, "Camille"), trainer.room.join(room.code, "Léo")


def test_a_postes_registration_mail_and_events_are_its_own(opened: Opener) -> None:
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    assert [m.nir for m in at_a.mailbox.messages()] == [NIR]
    assert at_b.mailbox.messages() == []
    assert [m.nir for m in trainer.mailbox.messages()] == [NIR]  # outside a poste: every mail
    with trainer.store.read() as tx:
        assert tx.newest_account_of_poste(a.id) is not None
        assert tx.newest_account_of_poste(b.id) is None
    link = at_a.mailbox.messages()[0].link
    assert at_a.activation.activate(link) is ActivationOutcome.ACTIVATED
    journal = trainer.room.room_events(a.room_id)
    assert [(e.kind, e.poste_id) for e in journal[:2]] == [
        (kinds.ACCOUNT_ACTIVATED, a.id), (kinds.REGISTRATION_CREATED, a.id)]
    assert [row.space for row in trainer.room.board(a.room_id)] == [
        "actif", "aucun espace"]


def test_the_help_desk_of_any_poste_sees_every_space_and_its_mail_reaches_the_spaces_poste(
    opened: Opener,
) -> None:
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    at_b.registration.register(OTHER_REQUEST)
    # Léo, as a help-desk agent at his poste, finds Camille's space and resends its link.
    assert {s.account.nir for s in at_b.assistance.search("")} >= {NIR, OTHER_NIR}
    at_b.assistance.resend_activation(NIR, "Léo")
    assert [m.nir for m in at_a.mailbox.messages()] == [NIR, NIR]
    assert [m.nir for m in at_b.mailbox.messages()] == [OTHER_NIR]
    # The journal says who acted: Léo's poste, on Camille's space.
    resent = [e for e in trainer.room.room_events(a.room_id)
              if e.kind == kinds.ACTIVATION_SENT]
    assert [(e.nir, e.poste_id) for e in resent] == [(NIR, b.id)]
    # Camille's newest link works for her; the older one was revoked.
    newest = at_a.mailbox.messages()[0].link
    assert at_a.activation.activate(newest) is ActivationOutcome.ACTIVATED


def test_a_link_resent_to_a_postes_space_is_valid_24_hours_on_that_postes_clock(
    opened: Opener, clock: FixedClock
) -> None:
    # Camille lets her link expire on her own clock, then calls the help desk: Léo at his
    # poste (his clock a day behind hers), or the trainer's console outside the room.
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    at_a.room.move_poste_clock(a.id, timedelta(hours=25), actor="")
    trainer.room.move_room_clock(a.room_id, timedelta(hours=1))
    for helper, agent in ((at_b, "Léo"), (trainer, "martin")):
        helper.assistance.resend_activation(NIR, agent)
        newest = at_a.mailbox.messages()[0]
        assert newest.sent_at == T0 + timedelta(hours=26)  # Camille's clock, not the sender's
    clock.advance(timedelta(hours=23, minutes=59))
    assert at_a.activation.activate(at_a.mailbox.messages()[0].link) is (
        ActivationOutcome.ACTIVATED)
    # The journal keeps the time of who acted (the trainer's console: the real time).
    resent = [e for e in trainer.room.room_events(a.room_id)
              if e.kind == kinds.ACTIVATION_SENT]
    assert [(e.actor, e.at) for e in resent] == [
        ("martin", T0), ("Léo", T0 + timedelta(hours=1))]


def test_an_activation_link_is_checked_on_its_spaces_poste_clock_whoever_follows_it(
    opened: Opener,
) -> None:
    # Camille let her link expire on her clock; the trainer copies it from `ensap-tui
    # outbox` into his own app (real time, a day behind hers): expired there too.
    trainer, a, _ = two_postes(opened)
    at_a = opened(a.id)
    at_a.registration.register(REQUEST)
    link = at_a.mailbox.messages()[0].link
    at_a.room.move_poste_clock(a.id, timedelta(hours=25), actor="")
    assert trainer.activation.activate(link) is ActivationOutcome.EXPIRED
    assert trainer.assistance.search(NIR) == []  # purged, as on Camille's poste


def test_a_reset_link_asked_for_a_postes_space_is_dated_and_checked_on_that_postes_clock(
    opened: Opener, clock: FixedClock
) -> None:
    # Camille's clock runs 25 hours ahead; her «Mot de passe oublié» is asked from Léo's
    # poste, or from the trainer's console or command line (outside the room, real time).
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    assert at_a.activation.activate(at_a.mailbox.messages()[0].link) is (
        ActivationOutcome.ACTIVATED)
    at_a.room.move_poste_clock(a.id, timedelta(hours=25), actor="")
    for asker in (at_b, trainer):
        asker.recovery.request_reset(NIR)
        mail = at_a.mailbox.messages()[0]
        assert (mail.kind, mail.sent_at) == ("reset", T0 + timedelta(hours=25))
        assert "valable 30 minutes" in mail.body
    # The journal keeps the time of who asked (the trainer's event is the space's poste's).
    asked = [e for e in trainer.room.room_events(a.room_id)
             if e.kind == kinds.RESET_REQUESTED]
    assert [(e.poste_id, e.at) for e in asked] == [(a.id, T0), (b.id, T0)]
    link = at_a.mailbox.messages()[0].link
    # Checked on Camille's clock whoever follows it: 31 minutes later it has expired there,
    # though only 31 minutes went by on the trainer's and Léo's clocks too.
    clock.advance(timedelta(minutes=31))
    for follower in (at_a, at_b, trainer):
        assert follower.recovery.personal_for_reset(link) is ResetOutcome.EXPIRED
    at_b.recovery.request_reset(NIR)
    link = at_a.mailbox.messages()[0].link
    clock.advance(timedelta(minutes=29))
    assert at_a.recovery.reset_password(link, NEW_PASSWORD, NEW_PASSWORD) is ResetOutcome.DONE
    notice = at_a.mailbox.messages()[0]
    assert (notice.kind, notice.sent_at) == (
        "password-changed", T0 + timedelta(hours=26, minutes=0))


def test_the_help_desk_reads_a_postes_space_on_that_postes_clock(opened: Opener) -> None:
    # Camille let her link expire (F7 twice at her poste): the help desk that takes her
    # call, at Léo's poste or the trainer's console, sees it expired, not on its own clock.
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    at_b.registration.register(OTHER_REQUEST)
    at_a.room.move_poste_clock(a.id, timedelta(hours=25), actor="")
    for helper in (at_b, trainer):
        found = {s.account.nir: state_of(s) for s in helper.assistance.search("")}
        assert found == {NIR: AccountState.LINK_EXPIRED, OTHER_NIR: AccountState.PENDING}
        by_name = {s.account.nir: state_of(s)
                   for s in helper.assistance.search("dupo")}
        assert by_name[NIR] is AccountState.LINK_EXPIRED
        assert state_of(helper.assistance.status_of(NIR)) is AccountState.LINK_EXPIRED
        assert [s.account.nir for s in helper.assistance.accounts(
            AccountState.LINK_EXPIRED)] == [NIR]
        assert [s.account.nir for s in helper.assistance.accounts()] == [OTHER_NIR, NIR]


def test_a_postes_blocked_space_is_listed_as_blocked_on_that_postes_clock(
    opened: Opener, clock: FixedClock
) -> None:
    # Camille (her clock 25 hours ahead) is blocked at her poste for 15 minutes on her clock.
    # `accounts list --statut bloque` at the trainer's (real time) and at Léo's poste (48
    # hours ahead) say what her poste and the console say.
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    assert at_a.activation.activate(at_a.mailbox.messages()[0].link) is (
        ActivationOutcome.ACTIVATED)
    at_a.room.move_poste_clock(a.id, timedelta(hours=25), actor="")
    at_b.room.move_poste_clock(b.id, timedelta(hours=48), actor="")
    block(at_a)
    ends = T0 + timedelta(hours=25, minutes=15)
    helpers = (trainer, at_b)
    for helper in helpers:
        listed = helper.assistance.accounts(AccountState.BLOCKED)
        assert [(s.account.nir, s.blocked_until) for s in listed] == [(NIR, ends)]
        # Judged on Camille's clock, where the block ends the same day.
        assert helper.assistance.status_label(listed[0]) == "bloqué jusqu'à 15:17"
        assert helper.assistance.accounts(AccountState.ACTIVE) == []
    clock.advance(timedelta(minutes=16))  # over on Camille's clock, whoever looks
    for helper in helpers:
        assert helper.assistance.accounts(AccountState.BLOCKED) == []
        assert [s.account.nir for s in helper.assistance.accounts(AccountState.ACTIVE)] == [NIR]
        assert helper.assistance.status_label(helper.assistance.status_of(NIR)) == "active"


def test_a_postes_space_is_signed_into_on_that_postes_clock_from_any_poste(
    opened: Opener, clock: FixedClock
) -> None:
    # Léo, his clock 25 hours ahead, types Camille's NIR with a wrong password three times:
    # her space is blocked 15 minutes on her clock, as she, the console and the board see it.
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    assert at_a.activation.activate(at_a.mailbox.messages()[0].link) is (
        ActivationOutcome.ACTIVATED)
    at_b.room.move_poste_clock(b.id, timedelta(hours=25), actor="")
    block(at_b)
    ends = T0 + timedelta(minutes=15)
    assert at_a.sign_in.sign_in(NIR, PASSWORD).blocked_until == ends
    assert trainer.assistance.status_of(NIR).blocked_until == ends
    assert trainer.room.board(a.room_id)[0].space == "bloqué jusqu'à 14:17"
    clock.advance(timedelta(minutes=15))
    assert at_b.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.SIGNED_IN
    # Outside a room the NIR's counter is on the caller's clock, as before.
    assert trainer.sign_in.sign_in(OTHER_NIR, PASSWORD).attempts_left == 2


def test_a_wrong_current_password_of_a_postes_space_counts_on_that_postes_clock(
    opened: Opener,
) -> None:
    # Léo, his clock 25 hours ahead, signed into Camille's space and types three wrong
    # current passwords: the same counter as her sign-ins, on her clock.
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    assert at_a.activation.activate(at_a.mailbox.messages()[0].link) is (
        ActivationOutcome.ACTIVATED)
    at_b.room.move_poste_clock(b.id, timedelta(hours=25), actor="")
    session = at_b.sign_in.sign_in(NIR, PASSWORD).session
    assert session is not None and session.signed_in_at == T0
    for _ in range(2):
        with pytest.raises(ValidationFailed):
            at_b.account.change_password(session, WRONG_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(TooManyAttempts) as caught:
        at_b.account.change_password(session, WRONG_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    ends = T0 + timedelta(minutes=15)
    assert caught.value.blocked_until == ends
    assert at_a.sign_in.sign_in(NIR, PASSWORD).blocked_until == ends
    assert trainer.assistance.status_of(NIR).blocked_until == ends


def test_the_help_desk_of_a_poste_ahead_lifts_a_block_in_force_on_the_spaces_clock(
    opened: Opener,
) -> None:
    # Camille is blocked at her poste; Léo's console, his clock a day ahead, shows her space
    # «bloqué» (her clock) and «Débloquer» lifts it, instead of «n'était pas bloqué».
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    assert at_a.activation.activate(at_a.mailbox.messages()[0].link) is (
        ActivationOutcome.ACTIVATED)
    block(at_a)
    at_b.room.move_poste_clock(b.id, timedelta(hours=25), actor="")
    assert state_of(at_b.assistance.status_of(NIR)) is AccountState.BLOCKED
    assert at_b.assistance.unlock(NIR, "Léo") is True
    assert at_a.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.SIGNED_IN
    lifted = [e for e in trainer.room.room_events(a.room_id) if e.kind == kinds.ACCOUNT_UNBLOCKED]
    assert [(e.actor, e.poste_id, e.at) for e in lifted] == [
        ("Léo", b.id, T0 + timedelta(hours=25))]
    assert lifted[0].detail.startswith("blocage levé")


def test_a_duplicate_registration_notice_reaches_the_poste_of_the_space_on_file(
    opened: Opener,
) -> None:
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    at_b.registration.register(REQUEST)  # the same NIR from Léo's poste
    assert [m.kind for m in at_a.mailbox.messages()] == ["notice", "activation"]
    assert at_b.mailbox.messages() == []
    # What the trainer sees of it (the README's «Salle de formation» says so): Léo's poste
    # has no space, its last event is the duplicate request.
    camille, leo = trainer.room.board(a.room_id)
    assert (camille.space, leo.space) == ("en attente d'activation", "aucun espace")
    assert leo.last_event == "nouvelle demande de création (espace existant)"


def test_a_space_registered_again_from_a_poste_ahead_is_judged_on_its_own_postes_clock(
    opened: Opener,
) -> None:
    # Camille's link is valid on her clock; Léo, his clock 25 hours ahead, types her NIR:
    # her space is not purged as expired, she gets the notice dated on her clock, and her
    # link still works.
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    at_b.room.move_poste_clock(b.id, timedelta(hours=25), actor="")
    at_b.registration.register(REQUEST)
    assert [(m.kind, m.sent_at) for m in at_a.mailbox.messages()] == [
        ("notice", T0), ("activation", T0)]
    assert at_b.mailbox.messages() == []
    with trainer.store.read() as tx:
        assert tx.newest_account_of_poste(b.id) is None
    assert at_a.activation.activate(at_a.mailbox.messages()[1].link) is (
        ActivationOutcome.ACTIVATED)


def test_a_postes_clock_moves_alone_and_expires_its_own_link_only(
    opened: Opener, clock: FixedClock
) -> None:
    trainer, a, b = two_postes(opened)
    at_a, at_b = opened(a.id), opened(b.id)
    at_a.registration.register(REQUEST)
    at_b.registration.register(OTHER_REQUEST)
    at_a.room.move_poste_clock(a.id, timedelta(hours=24), actor="")
    assert at_a.clock.now() == T0 + timedelta(hours=24)  # read from the database at each call
    assert at_b.clock.now() == T0
    assert trainer.clock.now() == T0
    assert at_a.activation.activate(at_a.mailbox.messages()[0].link) is ActivationOutcome.EXPIRED
    assert at_b.activation.activate(at_b.mailbox.messages()[0].link) is (
        ActivationOutcome.ACTIVATED)
    trainer.room.move_room_clock(a.room_id, timedelta(hours=1))
    assert at_a.clock.now() == T0 + timedelta(hours=25)
    assert at_b.clock.now() == T0 + timedelta(hours=1)
    clock.advance(timedelta(minutes=5))
    assert at_b.clock.now() == T0 + timedelta(hours=1, minutes=5)


def test_in_demo_mode_a_postes_clock_replaces_the_demo_clock(opened: Opener) -> None:
    trainer = opened(demo=True)
    trainer.demo.advance(timedelta(hours=3))
    room = trainer.room.open_room()
    poste = trainer.room.join(room.code, "Camille")
    at_poste = opened(poste.id, demo=True)
    assert trainer.clock.now() == T0 + timedelta(hours=3)
    assert at_poste.clock.now() == T0  # the room's time: the demo clock does not move it
    at_poste.room.move_poste_clock(poste.id, timedelta(hours=1), actor="")
    assert at_poste.clock.now() == T0 + timedelta(hours=1)
    # The demo's own accounts and mails belong to no poste.
    with trainer.store.read() as tx:
        assert tx.list_accounts() and tx.newest_account_of_poste(poste.id) is None
        assert tx.list_mail() and tx.list_mail(poste_id=poste.id) == []


def test_a_missing_poste_or_an_ended_room_opens_nothing(opened: Opener) -> None:
    trainer, a, _ = two_postes(opened)
    with pytest.raises(StartupError, match="Le poste 99 n'existe pas"):
        opened(99)
    trainer.room.end_room(a.room_id)
    with pytest.raises(StartupError, match="est terminée"):
        opened(a.id)


def test_outside_a_room_the_services_are_as_before(opened: Opener) -> None:
    services = opened()
    assert services.poste_id is None and services.store is services.database
    services.registration.register(REQUEST)
    with services.store.read() as tx:
        account = tx.account_by_nir(NIR)
        assert account is not None
        assert tx.newest_account_of_poste(1) is None
    assert [(m.nir, m.poste_id) for m in services.mailbox.messages()] == [(NIR, None)]
