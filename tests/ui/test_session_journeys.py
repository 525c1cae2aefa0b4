"""End-to-end journeys through the session screens, on the real services (Pilot)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.events import Paste

from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.sign_in import SignInScreen
from tests.support.accounts import last_link, register
from tests.support.people import EMAIL, NIR, PASSWORD
from tests.support.waiting import wait_for_focus

from .session_support import click, fill, settle, shown, sign_in, visible

SIZE = (100, 40)


async def test_register_read_mail_activate_sign_in_and_out(make_app: Any) -> None:
    app = make_app()
    register(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        assert isinstance(app.screen, MailboxScreen)
        table = app.screen.query_one("#messages")
        assert table.row_count == 1
        mail = shown(app, "#courriel-texte")
        assert "ensap-tui://activer/jetontest" in mail
        assert EMAIL in shown(app, "#courriel-entete")

        # Following the link activates at once, as clicking the link of a real mail does.
        await click(pilot, "#suivre-lien")
        assert isinstance(app.screen, ActivationScreen)
        link = app.screen.query_one("#lien").value
        assert link.startswith("ensap-tui://activer/") and link in mail
        assert "espace sécurisé est activé" in shown(app, "#message-activation")
        assert visible(app, "#acceder-espace")

        await click(pilot, "#acceder-espace")
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot)
        assert isinstance(app.screen, EspaceScreen)
        welcome = shown(app, "#bienvenue-nom") + shown(app, "#bienvenue-nir")
        assert "Dupont" in welcome
        assert "1 85 •• •• ••• ••• 64" in welcome
        assert NIR not in welcome
        assert shown(app, "#derniere-connexion") == "Première connexion"

        await click(pilot, "#deconnexion")
        assert isinstance(app.screen, SignInScreen)
        assert "Déconnexion effectuée" in shown(app, "#message-connexion")
        assert app.screen.query_one("#identifiant").value == ""
        assert app.screen.query_one("#mot-de-passe").value == ""

        await sign_in(pilot, password=PASSWORD)
        assert isinstance(app.screen, EspaceScreen)
        assert shown(app, "#derniere-connexion") == "Dernière connexion : 26/11/2026 à 14:02"


async def test_expired_link_says_so_and_offers_to_start_again(make_app: Any, clock: Any) -> None:
    app = make_app()
    register(app.services)
    clock.advance(timedelta(hours=24))
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        await click(pilot, "#suivre-lien")
        message = shown(app, "#message-activation")
        assert "expiré" in message and "24 heures" in message
        assert "recommencez la création" in message
        assert visible(app, "#creer-espace")
        assert not visible(app, "#acceder-espace")

        await click(pilot, "#creer-espace")
        assert isinstance(app.screen, IdentityScreen)
        # Starting over opens the creation over the home page, not over the old link.
        assert [type(s) for s in app.screen_stack] == [HomeScreen, IdentityScreen]


async def test_replayed_link_is_already_used(make_app: Any) -> None:
    app = make_app()
    register(app.services)
    link = last_link(app.services, "activation")
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#activer-espace")
        assert isinstance(app.screen, ActivationScreen)
        await fill(pilot, "#lien", link)
        await pilot.press("enter")
        await settle(pilot)
        assert "activé" in shown(app, "#message-activation")

        await click(pilot, "#activer")
        message = shown(app, "#message-activation")
        assert "déjà été utilisé" in message
        assert visible(app, "#acceder-espace")


async def test_bare_token_with_stray_spaces_activates(make_app: Any) -> None:
    app = make_app()
    register(app.services)
    token = last_link(app.services, "activation").rsplit("/", 1)[1]
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#activer-espace")
        await fill(pilot, "#lien", f"   {token}  ")
        await click(pilot, "#activer")
        assert "espace sécurisé est activé" in shown(app, "#message-activation")


async def test_link_pasted_over_two_lines_is_joined(make_app: Any) -> None:
    app = make_app()
    register(app.services)
    link = last_link(app.services, "activation")
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#activer-espace")
        app.screen.query_one("#lien").focus()
        # A mail client wrapped the link: the paste carries a line break in the middle.
        app.screen.query_one("#lien").post_message(Paste(f" {link[:25]}\n{link[25:]}\n"))
        await pilot.pause()
        assert app.screen.query_one("#lien").value == link
        await click(pilot, "#activer")
        assert "espace sécurisé est activé" in shown(app, "#message-activation")


async def test_unknown_and_malformed_links(make_app: Any) -> None:
    app = make_app()
    register(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#activer-espace")
        await fill(pilot, "#lien", "ensap-tui://activer/jetoninconnu00000000099")
        await click(pilot, "#activer")
        assert "n'est pas reconnu" in shown(app, "#message-activation")
        assert not visible(app, "#lien-erreur")

        await fill(pilot, "#lien", "https://ensap.gouv.fr/activer?x=<b>")
        await click(pilot, "#activer")
        assert visible(app, "#lien-erreur")
        assert shown(app, "#lien-erreur").startswith("✖ ")
        assert not visible(app, "#message-activation")
        await wait_for_focus(pilot, "lien")


async def test_empty_mailbox_says_so(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        assert visible(app, "#boite-vide")
        assert "Aucun courriel" in shown(app, "#boite-vide")
        assert not visible(app, "#messages")
        assert app.screen.query_one("#suivre-lien").disabled


async def test_mailbox_lists_newest_first_and_follows_the_selected_link(
    make_app: Any, clock: Any
) -> None:
    app = make_app()
    register(app.services)
    clock.advance(timedelta(minutes=5))
    # The same NIR again: the address on file gets a notice without a link.
    register(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#boite-reception")
        table = app.screen.query_one("#messages")
        assert table.row_count == 2
        newest = [cell.plain for cell in table.get_row_at(0)]
        assert newest[0] == EMAIL
        assert newest[1].startswith("Demande de création")
        assert newest[2] == "26/11 14:07"
        assert "Ce message ne contient aucun lien" in shown(app, "#courriel-texte")
        assert app.screen.query_one("#suivre-lien").disabled

        await pilot.press("down")
        await pilot.pause()
        assert "ensap-tui://activer/" in shown(app, "#courriel-texte")
        assert not app.screen.query_one("#suivre-lien").disabled
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ActivationScreen)
        assert app.screen.query_one("#lien").value == last_link(app.services, "activation")
