"""The help desk: agents and their throttled sign-in, the search, the states, and the actions
(each written to the event log with the agent's name)."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.domain.errors import FieldError
from ensap_tui.services import assistance
from ensap_tui.services.agents import agent_throttle_key
from ensap_tui.services.assistance import state_of
from ensap_tui.services.container import Services
from ensap_tui.services.errors import (
    ActionRefused,
    NotSignedIn,
    UnknownAccount,
    UnknownAgent,
    ValidationFailed,
)
from ensap_tui.services.models import (
    AccountState,
    ActivationOutcome,
    AgentSignInResult,
    Contacts,
    NewAccount,
    SignInStatus,
)
from tests.support.accounts import account, active_person, block, events, last_link, register
from tests.support.people import (
    AGENT,
    AGENT_PASSWORD,
    LEFEBVRE,
    LEFEVRE,
    NIR,
    OTHER_NIR,
    OTHER_REQUEST,
    PASSWORD,
    THIRD_NIR,
    UNKNOWN_NIR,
    WRONG_PASSWORD,
)


def found(services: Services, query: str) -> list[str]:
    return [s.account.nir for s in services.assistance.search(query)]


def label(services: Services, nir: str = NIR) -> str:
    return services.assistance.status_label(services.assistance.status_of(nir))


# -- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["185057511512364", "1 85 05 75 115 123 64", "1.85.05.75.115.123.64",
     "1\u00a085\u00a005 75 115 123 64", "  185057511512364\t".strip()],
)
def test_a_nir_in_any_accepted_spelling_finds_its_account(
        services: Services, spelling: str) -> None:
    register(services)
    register(services, OTHER_REQUEST)
    assert found(services, spelling) == [NIR]


def test_a_corsican_nir_is_found_with_a_lower_case_department(services: Services) -> None:
    register(services)
    register(services, OTHER_REQUEST)
    assert found(services, "2 78 07 2b 033 007 42") == [OTHER_NIR]


def test_the_start_of_the_name_finds_it_ignoring_case_and_accents(services: Services) -> None:
    register(services, LEFEVRE)
    register(services, OTHER_REQUEST)
    register(services, LEFEBVRE)
    assert found(services, "lefevre") == [NIR]
    assert found(services, "LEFÈV") == [NIR]
    assert sorted(found(services, "Lef")) == sorted([NIR, THIRD_NIR])
    assert found(services, "martin-lege") == [OTHER_NIR]
    assert found(services, "lefevres") == []
    assert found(services, "Dupont") == []


def test_a_name_spelt_over_the_phone_is_found_by_any_of_its_parts(services: Services) -> None:
    register(services, dataclasses.replace(LEFEVRE, birth_name="d'Artagnan-Lefèvre"))
    register(services, dataclasses.replace(OTHER_REQUEST, birth_name="N’Diaye"))
    register(services, dataclasses.replace(LEFEBVRE, birth_name="Le Goff"))
    for text in ("dartagnan", "d artagnan", "D'ARTAGNAN", "artagnan", "lefevre", "Lefèvre"):
        assert found(services, text) == [NIR], text
    assert found(services, "ndiaye") == found(services, "n'diaye") == [OTHER_NIR]
    assert found(services, "legoff") == found(services, "goff") == [THIRD_NIR]
    assert found(services, "agnan") == []


def test_digits_that_are_not_a_nir_find_nothing_and_say_why(services: Services) -> None:
    register(services)
    assert found(services, "1850575115") == []
    assert "15 caractères" in services.assistance.search_hint("1850575115")
    assert "clé" in services.assistance.search_hint("185057511512365")
    assert services.assistance.search_hint("Dupont") == ""
    assert services.assistance.search_hint(NIR) == ""


def test_an_empty_search_lists_the_newest_accounts(
        services: Services, clock: FixedClock) -> None:
    register(services)
    clock.advance(timedelta(minutes=1))
    register(services, OTHER_REQUEST)
    assert found(services, "  ") == [OTHER_NIR, NIR]
    assert len(services.assistance.search("", limit=1)) == 1


# -- states ----------------------------------------------------------------------------------


def test_each_state_has_its_words(services: Services, clock: FixedClock) -> None:
    register(services)
    assert label(services) == "en attente d'activation"
    clock.advance(timedelta(hours=24))
    assert label(services) == "lien expiré"
    register(services, OTHER_REQUEST)
    services.activation.activate(last_link(services, "activation"))
    assert label(services, OTHER_NIR) == "active"
    block(services, OTHER_NIR)
    # 26/11/2026 14:02 in Paris + 24 h, blocked 15 minutes.
    assert label(services, OTHER_NIR) == "bloqué jusqu'à 14:17"
    clock.advance(timedelta(minutes=15))
    assert label(services, OTHER_NIR) == "active"


def test_a_block_ending_after_midnight_gives_the_date(
        services: Services, clock: FixedClock) -> None:
    active_person(services)
    clock.advance(timedelta(hours=9, minutes=50))  # 23:52 in Paris
    block(services)
    assert label(services) == "bloqué jusqu'au 27/11/2026 à 00:07"


def test_accounts_are_listed_by_state(services: Services, clock: FixedClock) -> None:
    register(services, LEFEBVRE)  # will expire
    clock.advance(timedelta(hours=25))
    register(services)  # pending
    active_person(services, OTHER_REQUEST)
    clock.advance(timedelta(minutes=1))
    block(services, OTHER_NIR)
    service = services.assistance

    def nirs(state: AccountState | None) -> list[str]:
        return [s.account.nir for s in service.accounts(state)]

    assert nirs(AccountState.PENDING) == [NIR]
    assert nirs(AccountState.LINK_EXPIRED) == [THIRD_NIR]
    assert nirs(AccountState.BLOCKED) == [OTHER_NIR]
    assert nirs(AccountState.ACTIVE) == []
    assert nirs(None) == [OTHER_NIR, NIR, THIRD_NIR]
    assert [state_of(s) for s in service.accounts()] == [
        AccountState.BLOCKED, AccountState.PENDING, AccountState.LINK_EXPIRED,
    ]


def test_a_summary_types_its_failures_and_link_expiry(
        services: Services, clock: FixedClock) -> None:
    register(services)
    pending = services.assistance.status_of(NIR)
    assert pending.link_valid_until == clock.now() + timedelta(hours=24)
    assert pending.failures == 0
    active_person(services, OTHER_REQUEST)
    services.sign_in.sign_in(OTHER_NIR, WRONG_PASSWORD)
    services.sign_in.sign_in(OTHER_NIR, WRONG_PASSWORD)
    active = services.assistance.status_of(OTHER_NIR)
    assert active.failures == 2
    assert active.link_valid_until is None
    # The same fields come from the one-query search.
    assert [(s.failures, s.link_valid_until) for s in services.assistance.search("Dupont")] == [
        (0, clock.now() + timedelta(hours=24))
    ]


def test_blocked_lists_ignore_agents_and_nirs_without_account(services: Services) -> None:
    active_person(services)
    block(services)
    block(services, UNKNOWN_NIR)
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    for _ in range(3):
        services.agents.sign_in(AGENT, WRONG_PASSWORD)
    assert [s.account.nir for s in services.assistance.accounts(AccountState.BLOCKED)] == [NIR]


def test_a_filtered_list_reads_further_when_the_first_rows_do_not_match(
        services: Services, clock: FixedClock) -> None:
    active_person(services)
    # 100 newer pending accounts: more than the first read of the scan.
    with services.store.write() as tx:
        for order in range(1, 101):
            body = f"18505751{order:05d}"
            nir = body + f"{97 - int(body) % 97:02d}"
            tx.insert_account(NewAccount(
                nir=nir, birth_name="Durand", birth_date=date(1985, 5, 14),
                password_hash="x", contacts=Contacts("a@example.fr"),
                created_at=clock.now() + timedelta(minutes=order),
            ))
    got = services.assistance.accounts(AccountState.ACTIVE, limit=1)
    assert [s.account.nir for s in got] == [NIR]
    assert len(services.assistance.accounts(AccountState.PENDING, limit=200)) == 100


# -- actions ---------------------------------------------------------------------------------


def test_unlock_lifts_the_block_and_records_the_agent(services: Services) -> None:
    active_person(services)
    block(services)
    assert services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.BLOCKED
    assert services.assistance.unlock("1 85 05 75 115 123 64", AGENT) is True
    assert label(services) == "active"
    assert services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.SIGNED_IN
    unblocked = [e for e in events(services, NIR) if e.kind == assistance.ACCOUNT_UNBLOCKED]
    assert len(unblocked) == 1
    assert unblocked[0].actor == AGENT
    assert "blocage levé" in unblocked[0].detail


def test_unlock_forgets_failures_and_does_nothing_when_there_is_nothing(
        services: Services) -> None:
    active_person(services)
    assert services.assistance.unlock(NIR, AGENT) is False
    assert not [e for e in events(services, NIR) if e.kind == assistance.ACCOUNT_UNBLOCKED]
    services.sign_in.sign_in(NIR, WRONG_PASSWORD)
    services.sign_in.sign_in(NIR, WRONG_PASSWORD)
    assert services.assistance.unlock(NIR, AGENT) is True
    # The count restarted: two more failures do not block.
    services.sign_in.sign_in(NIR, WRONG_PASSWORD)
    assert services.sign_in.sign_in(NIR, WRONG_PASSWORD).status is SignInStatus.FAILED


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
        services: Services, clock: FixedClock) -> None:
    register(services)
    old = last_link(services, "activation")
    clock.advance(timedelta(hours=1))
    assert services.assistance.resend_activation(NIR, AGENT) == "jean.dupont@example.fr"
    new = last_link(services, "activation")
    assert new != old
    assert services.activation.activate(old) is ActivationOutcome.UNKNOWN
    assert services.activation.activate(new) is ActivationOutcome.ACTIVATED
    sent = [e for e in events(services, NIR) if e.kind == "activation-sent"]
    assert [e.actor for e in sent] == [AGENT]


def test_resend_gives_an_expired_registration_a_fresh_day(
        services: Services, clock: FixedClock) -> None:
    register(services)
    clock.advance(timedelta(hours=30))
    assert label(services) == "lien expiré"
    services.assistance.resend_activation(NIR, AGENT)
    assert label(services) == "en attente d'activation"
    clock.advance(timedelta(hours=23, minutes=59))
    assert services.activation.activate(last_link(services, "activation")) is (
        ActivationOutcome.ACTIVATED
    )


def test_resend_is_refused_for_an_active_space(services: Services) -> None:
    active_person(services)
    mails_before = len(services.mailbox.messages(limit=1000))
    with pytest.raises(ActionRefused, match="déjà activé"):
        services.assistance.resend_activation(NIR, AGENT)
    assert len(services.mailbox.messages(limit=1000)) == mails_before


def test_delete_removes_the_space_and_keeps_its_journal(services: Services) -> None:
    active_person(services)
    deleted = services.assistance.delete(NIR, AGENT)
    assert deleted.nir == NIR
    assert account(services) is None
    journal = services.assistance.journal(NIR)
    assert journal[0].kind == assistance.ACCOUNT_DELETED
    assert journal[0].actor == AGENT
    assert "active" in journal[0].detail
    assert [e.kind for e in journal][-1] == "registration-created"
    with pytest.raises(UnknownAccount):
        services.assistance.status_of(NIR)
    # The same person can register again.
    register(services)
    assert label(services) == "en attente d'activation"


def test_an_unknown_nir_is_a_clear_error_for_every_action(services: Services) -> None:
    for action in (
        lambda: services.assistance.status_of(UNKNOWN_NIR),
        lambda: services.assistance.unlock(UNKNOWN_NIR, AGENT),
        lambda: services.assistance.resend_activation(UNKNOWN_NIR, AGENT),
        lambda: services.assistance.delete(UNKNOWN_NIR, AGENT),
    ):
        with pytest.raises(UnknownAccount) as caught:
            action()
        assert str(caught.value) == (
            "Aucun espace n'existe pour le numéro 1 92 04 97 120 011 43."
        )
    assert events(services) == []


def test_a_malformed_nir_is_a_field_error(services: Services) -> None:
    with pytest.raises(FieldError) as caught:
        services.assistance.unlock("185057511512365", AGENT)
    assert caught.value.field == "nir"


def test_the_journal_lists_events_newest_first_with_their_actor(services: Services) -> None:
    register(services)
    services.assistance.resend_activation(NIR, AGENT)
    journal = services.assistance.journal(NIR)
    assert [(e.kind, e.actor) for e in journal] == [
        ("activation-sent", AGENT),
        ("registration-created", ""),
    ]
    assert assistance.event_label("activation-sent") == "nouveau lien d'activation envoyé"
    assert assistance.event_label("quelque-chose") == "quelque-chose"
    assert len(services.assistance.journal(limit=1)) == 1


# -- agents ----------------------------------------------------------------------------------


def test_agents_are_added_listed_and_removed(services: Services, clock: FixedClock) -> None:
    services.agents.add("  zoe_roux-2 ", AGENT_PASSWORD, AGENT_PASSWORD, actor="ligne")
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    assert [a.name for a in services.agents.list()] == [AGENT, "zoe_roux-2"]
    assert services.agents.list()[0].created_at == clock.now()
    assert services.agents.get("CAMILLE.MARTIN") is not None
    removed = services.agents.remove("camille.martin", actor="ligne")
    assert removed.name == AGENT
    assert [a.name for a in services.agents.list()] == ["zoe_roux-2"]
    with pytest.raises(UnknownAgent, match="«\u00a0camille\\.martin\u00a0»"):
        services.agents.remove("camille.martin")
    kinds = [(e.kind, e.actor, e.detail) for e in events(services)]
    assert (assistance.AGENT_REMOVED, "ligne", f"agent « {AGENT} »") in kinds
    assert (assistance.AGENT_ADDED, "ligne", "agent « zoe_roux-2 »") in kinds


def test_an_agent_name_is_unique_ignoring_case(services: Services) -> None:
    services.agents.add("Elodie", AGENT_PASSWORD, AGENT_PASSWORD)
    with pytest.raises(ValidationFailed) as caught:
        services.agents.add("ELODIE", AGENT_PASSWORD, AGENT_PASSWORD)
    assert [e.field for e in caught.value.errors] == ["agent-identifiant"]
    assert "déjà" in caught.value.errors[0].message


@pytest.mark.parametrize(
    ("name", "password", "confirmation", "fields", "words"),
    [
        ("Camille", "Camille#2026x", "Camille#2026x", ["mot-de-passe"], "identifiant de l'agent"),
        ("Camille", "court", "court", ["mot-de-passe"], "8 caractères"),
        ("Camille", AGENT_PASSWORD, "Autre#Chose99", ["confirmation-mot-de-passe"], "identiques"),
        ("[b]x[/b]", AGENT_PASSWORD, AGENT_PASSWORD, ["agent-identifiant"], "lettres"),
        ("x", AGENT_PASSWORD, AGENT_PASSWORD, ["agent-identifiant"], "de 2 à 40"),
        ("Systeme", AGENT_PASSWORD, AGENT_PASSWORD, ["agent-identifiant"], "réservé"),
        ("", "", "", ["agent-identifiant", "mot-de-passe", "confirmation-mot-de-passe"], ""),
    ],
)
def test_agent_names_and_passwords_follow_the_rules(
        services: Services, name: str, password: str, confirmation: str,
        fields: list[str], words: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.agents.add(name, password, confirmation)
    # Every problem is listed (issue 11, point 16): a field may have several.
    assert list(dict.fromkeys(e.field for e in caught.value.errors)) == fields
    assert words in caught.value.errors[0].message
    assert services.agents.list() == []


def sign_agent(services: Services, password: str, name: str = AGENT) -> AgentSignInResult:
    return services.agents.sign_in(name, password)


def test_an_agent_signs_in_ignoring_case(services: Services, clock: FixedClock) -> None:
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    result = sign_agent(services, AGENT_PASSWORD, " camille.MARTIN ")
    assert result.status is SignInStatus.SIGNED_IN
    assert result.session is not None
    assert result.session.name == AGENT
    assert result.session.signed_in_at == clock.now()
    assert events(services)[0].kind == assistance.AGENT_SIGN_IN
    assert events(services)[0].actor == AGENT


def test_three_agent_failures_block_15_then_30_minutes(
        services: Services, clock: FixedClock) -> None:
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    assert sign_agent(services, WRONG_PASSWORD).attempts_left == 2
    assert sign_agent(services, WRONG_PASSWORD, "CAMILLE.MARTIN").attempts_left == 1
    third = sign_agent(services, WRONG_PASSWORD)
    assert third.status is SignInStatus.BLOCKED
    assert third.blocked_until == clock.now() + timedelta(minutes=15)
    # During the block even the right password is refused.
    assert sign_agent(services, AGENT_PASSWORD).status is SignInStatus.BLOCKED
    clock.advance(timedelta(minutes=15))
    for _ in range(2):
        assert sign_agent(services, WRONG_PASSWORD).status is SignInStatus.FAILED
    assert sign_agent(services, WRONG_PASSWORD).blocked_until == clock.now() + timedelta(minutes=30)
    clock.advance(timedelta(minutes=30))
    assert sign_agent(services, AGENT_PASSWORD).status is SignInStatus.SIGNED_IN
    kinds = [e.kind for e in events(services)]
    assert kinds.count(assistance.AGENT_SIGN_IN_BLOCKED) == 2


def test_an_agent_block_does_not_touch_a_person_and_the_reverse(services: Services) -> None:
    active_person(services)
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    for _ in range(3):
        sign_agent(services, WRONG_PASSWORD)
    assert services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.SIGNED_IN
    block(services)
    services.assistance.unlock(NIR, AGENT)
    assert sign_agent(services, AGENT_PASSWORD).status is SignInStatus.BLOCKED
    assert ":" in agent_throttle_key("Un Inconnu")
    assert agent_throttle_key("un inconnu") == agent_throttle_key("Un Inconnu")


def test_an_unknown_agent_name_is_counted_and_never_stored(
        services: Services, db_path: Path) -> None:
    typed = "Secret Motdepasse"
    assert sign_agent(services, WRONG_PASSWORD, typed).status is SignInStatus.FAILED
    assert sign_agent(services, WRONG_PASSWORD, typed).attempts_left == 1
    assert sign_agent(services, WRONG_PASSWORD, typed).status is SignInStatus.BLOCKED
    failed = [e for e in events(services) if e.kind == assistance.AGENT_SIGN_IN_FAILED]
    assert len(failed) == 3
    assert all(e.actor == "" and e.detail == "identifiant inconnu" for e in failed)
    conn = sqlite3.connect(db_path)
    try:
        dump = "\n".join(conn.iterdump()).casefold()
    finally:
        conn.close()
    assert "motdepasse" not in dump


def test_a_malformed_agent_name_is_refused_without_counting(services: Services) -> None:
    with pytest.raises(FieldError) as caught:
        sign_agent(services, WRONG_PASSWORD, "  ")
    assert caught.value.field == "agent-identifiant"
    assert events(services) == []


def test_a_removed_agent_loses_the_console(services: Services) -> None:
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    session = sign_agent(services, AGENT_PASSWORD).session
    assert session is not None
    services.agents.check_session(session)
    services.agents.remove(AGENT)
    with pytest.raises(NotSignedIn):
        services.agents.check_session(session)
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)  # same name, another agent
    with pytest.raises(NotSignedIn):
        services.agents.check_session(session)


def test_agents_survive_reopening(services: Services, db_path: Path) -> None:
    services.agents.add(AGENT, AGENT_PASSWORD, AGENT_PASSWORD)
    from ensap_tui.bootstrap import Settings, open_services

    again = open_services(db_path, settings=Settings.for_tests())
    try:
        assert [a.name for a in again.agents.list()] == [AGENT]
        assert again.agents.sign_in(AGENT, AGENT_PASSWORD).status is SignInStatus.SIGNED_IN
    finally:
        again.close()
