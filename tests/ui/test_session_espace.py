"""Mon espace: what it shows, changing the password and the contacts, signing out (also when
idle), and names or addresses shown literally."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ensap_tui.bootstrap import Settings
from ensap_tui.services import events as event_kinds
from ensap_tui.services.models import AccountStatus, Contacts, MailMessage, NewAccount
from ensap_tui.ui.app import create_app
from ensap_tui.ui.screens.change_contacts import ChangeContactsScreen
from ensap_tui.ui.screens.change_password import ChangePasswordScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import active_person, events
from tests.support.people import EMAIL, NEW_PASSWORD, NIR, OTHER_NIR, PASSWORD
from tests.support.waiting import wait_for_focus

from .session_support import click, fill, settle, shown, sign_in, visible

SIZE = (100, 40)


async def open_space(pilot: Any, password: str = PASSWORD, nir: str = NIR) -> None:
    await click(pilot, "#acceder-espace")
    await sign_in(pilot, nir=nir, password=password)
    assert isinstance(pilot.app.screen, EspaceScreen)


async def test_space_shows_contacts_and_simulated_documents(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_space(pilot)
        contacts = shown(app, "#coordonnees")
        assert f"Courriel principal : {EMAIL}" in contacts
        assert "Téléphone principal : non renseigné" in contacts
        assert "fictifs" in shown(app, "#documents-simulation")
        documents = app.screen.query_one("#documents")
        assert documents.row_count == 4
        assert list(documents.get_row_at(0)) == [
            "Bulletin de paie (fictif)", "octobre 2026", "25/10/2026"
        ]


async def test_escape_signs_out_cleanly(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_space(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "Déconnexion effectuée" in shown(app, "#message-connexion")
        signed_out = events(app.services, kind=event_kinds.SIGN_OUT)
        assert [e.detail for e in signed_out] == [""]


def app_with_idle_timeout(db_path: Path, clock: Any, tokens: Any, seconds: float) -> Any:
    settings = replace(Settings.for_tests(), idle_timeout=timedelta(seconds=seconds))
    return create_app(db_path, clock=clock, token_source=tokens, settings=settings)


async def wait_until_signed_out(pilot: Any) -> None:
    # Waits on the condition, with a generous bound, rather than on a duration.
    for _ in range(400):
        if isinstance(pilot.app.screen, SignInScreen):
            break
        await pilot.pause(0.05)
    await settle(pilot)


async def test_idle_space_signs_out_with_a_message(
    db_path: Path, clock: Any, tokens: Any
) -> None:
    app = app_with_idle_timeout(db_path, clock, tokens, 0.5)
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        # The space may already have closed when the sign-in settles: no assertion in between.
        await click(pilot, "#acceder-espace")
        await sign_in(pilot)
        await wait_until_signed_out(pilot)
        assert isinstance(app.screen, SignInScreen)
        message = shown(app, "#message-connexion")
        assert "sans activité" in message and "1 seconde" in message
        assert len(events(app.services, kind=event_kinds.SIGN_IN)) == 1
        assert [e.detail for e in events(app.services, kind=event_kinds.SIGN_OUT)] == ["inactivité"]


async def test_idle_while_changing_the_password_signs_out_too(
    db_path: Path, clock: Any, tokens: Any
) -> None:
    # Long enough to reach the change screen first (a few hundred ms), short for the test.
    app = app_with_idle_timeout(db_path, clock, tokens, 2)
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_space(pilot)
        await click(pilot, "#modifier-mot-de-passe")
        assert isinstance(app.screen, ChangePasswordScreen)
        await wait_until_signed_out(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "après 2 secondes sans activité" in shown(app, "#message-connexion")
        assert len(app.screen_stack) == 2  # home, sign-in: nothing of the space is left
        assert [e.detail for e in events(app.services, kind=event_kinds.SIGN_OUT)] == ["inactivité"]


async def test_change_password_then_sign_in_with_the_new_one(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_space(pilot)
        await click(pilot, "#modifier-mot-de-passe")
        assert isinstance(app.screen, ChangePasswordScreen)
        await fill(pilot, "#mot-de-passe-actuel", "Pas#LeBon123")
        await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
        assert shown(app, "#niveau-securite").endswith("Fort")
        await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)
        await click(pilot, "#valider")
        assert "actuel est incorrect" in shown(app, "#mot-de-passe-actuel-erreur")
        await wait_for_focus(pilot, "mot-de-passe-actuel")

        await fill(pilot, "#mot-de-passe-actuel", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EspaceScreen)
        assert "mot de passe a été modifié" in shown(app, "#message-espace")

        await click(pilot, "#deconnexion")
        await sign_in(pilot, password=PASSWORD)
        assert "incorrect" in shown(app, "#message-connexion")
        await sign_in(pilot, password=NEW_PASSWORD)
        assert isinstance(app.screen, EspaceScreen)


async def test_cancel_change_password_changes_nothing(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_space(pilot)
        await click(pilot, "#modifier-mot-de-passe")
        await fill(pilot, "#mot-de-passe-actuel", PASSWORD)
        await click(pilot, "#annuler")
        assert isinstance(app.screen, EspaceScreen)
        assert not visible(app, "#message-espace")
        assert events(app.services, kind=event_kinds.PASSWORD_CHANGED) == []


async def test_change_contacts_prefilled_checked_and_saved(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_space(pilot)
        await click(pilot, "#modifier-coordonnees")
        assert isinstance(app.screen, ChangeContactsScreen)
        values = {
            field: app.screen.query_one(f"#{field}").value
            for field in ("courriel", "confirmation-courriel", "courriel-secours",
                          "confirmation-courriel-secours", "telephone", "telephone-secondaire")
        }
        assert values == {
            "courriel": EMAIL, "confirmation-courriel": EMAIL, "courriel-secours": "",
            "confirmation-courriel-secours": "", "telephone": "", "telephone-secondaire": "",
        }
        # The backup address must differ from the main one.
        await fill(pilot, "#courriel-secours", EMAIL)
        await fill(pilot, "#confirmation-courriel-secours", EMAIL)
        await click(pilot, "#valider")
        assert visible(app, "#courriel-secours-erreur")
        assert isinstance(app.screen, ChangeContactsScreen)

        await fill(pilot, "#courriel-secours", "secours@example.org")
        await fill(pilot, "#confirmation-courriel-secours", "secours@example.org")
        await fill(pilot, "#telephone", "0615147879")
        await click(pilot, "#valider")
        assert isinstance(app.screen, EspaceScreen)
        assert "coordonnées ont été mises à jour" in shown(app, "#message-espace")
        contacts = shown(app, "#coordonnees")
        assert "Courriel de secours : secours@example.org" in contacts
        assert "Téléphone principal : 06 15 14 78 79" in contacts

        await click(pilot, "#modifier-coordonnees")
        assert app.screen.query_one("#telephone").value == "06 15 14 78 79"


async def test_markup_in_stored_name_and_mail_is_shown_literally(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    name = "[bold red]Dupont[/] \x1b[31m"
    with app.services.store.write() as tx:
        # A record written by another tool: the screens must not interpret it.
        model = tx.account_by_nir(NIR)
        assert model is not None
        account_id = tx.insert_account(
            NewAccount(
                nir=OTHER_NIR,
                birth_name=name,
                birth_date=date(1978, 7, 3),
                password_hash=model.password_hash,
                contacts=Contacts(email="[link=x]claire@example.org"),
                created_at=model.created_at,
            )
        )
        tx.set_status(account_id, AccountStatus.ACTIVE, model.created_at)
        tx.add_mail(
            MailMessage(
                recipient="[i]claire@example.org",
                subject="[b]Objet[/b]",
                body="Texte [red]rouge[/red]",
                sent_at=model.created_at + timedelta(hours=1),
                kind="notice",
            )
        )
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        row = [cell.plain for cell in app.screen.query_one("#messages").get_row_at(0)]
        assert row[:2] == ["[i]claire@example.org", "[b]Objet[/b]"]
        assert shown(app, "#courriel-texte") == "Texte [red]rouge[/red]"
        await pilot.press("escape")
        await settle(pilot)

        await open_space(pilot, nir=OTHER_NIR)
        assert shown(app, "#bienvenue-nom") == f"Bienvenue, {name}"
        assert "[link=x]claire@example.org" in shown(app, "#coordonnees")


async def test_idle_with_the_help_page_open_still_signs_out(
    db_path: Path, clock: Any, tokens: Any
) -> None:
    app = app_with_idle_timeout(db_path, clock, tokens, 2)
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_space(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, EspaceScreen)  # the help page covers the space
        await wait_until_signed_out(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert len(app.screen_stack) == 2  # the help page closed with the space
        assert "sans activité" in shown(app, "#message-connexion")
