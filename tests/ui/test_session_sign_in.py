"""Signing in: the one failure message, blocks with their end time, recovery, not activated."""

from __future__ import annotations

from typing import Any

from ensap_tui.services import events as event_kinds
from ensap_tui.ui.screens.espace import EspaceScreen
from ensap_tui.ui.screens.forgot_password import ForgotPasswordScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.mailbox import MailboxScreen
from ensap_tui.ui.screens.reset_password import ResetPasswordScreen
from ensap_tui.ui.screens.sign_in import ATTEMPTS_WARNING, SignInScreen
from tests.support.accounts import active_person, events, register
from tests.support.people import NEW_PASSWORD, NIR_SPACED, PASSWORD, UNKNOWN_NIR
from tests.support.waiting import wait_for_focus, wait_until

from .session_support import click, fill, settle, shown, sign_in, visible

SIZE = (100, 40)
FAILED_2_LEFT = (
    "✖ Identifiant ou mot de passe incorrect. Il vous reste 2 tentatives avant que l'accès à "
    "votre espace soit momentanément bloqué."
)


async def open_sign_in(pilot: Any) -> None:
    await click(pilot, "#acceder-espace")
    assert isinstance(pilot.app.screen, SignInScreen)


async def test_screen_shows_the_warning_about_three_attempts(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        assert shown(app, "#avertissement-tentatives") == ATTEMPTS_WARNING
        assert app.screen.query_one("#mot-de-passe").password is True
        await wait_for_focus(pilot, "identifiant")


async def test_unknown_nir_and_wrong_password_read_the_same(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        await sign_in(pilot, password="Mauvais#Passe1")
        wrong_password = shown(app, "#message-connexion")
        # The password is cleared after a failure, and typed again from an empty field.
        assert app.screen.query_one("#mot-de-passe").value == ""
        await wait_for_focus(pilot, "mot-de-passe")

        await sign_in(pilot, nir=UNKNOWN_NIR, password="Mauvais#Passe1")
        unknown_nir = shown(app, "#message-connexion")
    assert wrong_password == unknown_nir == FAILED_2_LEFT


async def test_malformed_nir_is_reported_next_to_the_field_and_not_counted(
    make_app: Any,
) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        await sign_in(pilot, nir="1 85 05 75", password="Mauvais#Passe1")
        assert visible(app, "#identifiant-erreur")
        assert "15 caractères" in shown(app, "#identifiant-erreur")
        assert not visible(app, "#message-connexion")
        await wait_for_focus(pilot, "identifiant")
        # An empty password is not an attempt either.
        await fill(pilot, "#identifiant", NIR_SPACED)
        await fill(pilot, "#mot-de-passe", "")
        await click(pilot, "#acceder")
        assert shown(app, "#mot-de-passe-erreur") == "✖ Saisissez votre mot de passe."
        assert events(app.services, kind=event_kinds.SIGN_IN_FAILED) == []


async def test_enter_in_the_identifier_moves_to_the_password(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        await fill(pilot, "#identifiant", NIR_SPACED)
        await pilot.press("enter")
        await settle(pilot)
        await wait_for_focus(pilot, "mot-de-passe")
        assert not visible(app, "#message-connexion")


async def test_three_failures_block_then_recovery_lifts_the_block(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        await sign_in(pilot, password="Mauvais#Passe1")
        assert shown(app, "#message-connexion") == FAILED_2_LEFT
        await sign_in(pilot, password="Mauvais#Passe2")
        assert "Il vous reste 1 tentative avant" in shown(app, "#message-connexion")
        await sign_in(pilot, password="Mauvais#Passe3")
        blocked = shown(app, "#message-connexion")
        assert "momentanément bloqué jusqu'à 14:17" in blocked  # 14:02 + 15 minutes, Paris time
        # Even the right password is refused while blocked, with the same end time.
        await sign_in(pilot, password=PASSWORD)
        assert isinstance(app.screen, SignInScreen)
        assert "bloqué jusqu'à 14:17" in shown(app, "#message-connexion")

        await click(pilot, "#mot-de-passe-oublie")
        assert isinstance(app.screen, ForgotPasswordScreen)
        assert not visible(app, "#ouvrir-boite")
        await fill(pilot, "#identifiant", NIR_SPACED)
        await pilot.press("enter")
        await settle(pilot)
        sent = shown(app, "#message-oubli")
        assert "Si un espace existe pour ce numéro, un courriel" in sent

        await click(pilot, "#ouvrir-boite")
        assert isinstance(app.screen, MailboxScreen)
        assert "ensap-tui://reinitialiser/" in shown(app, "#courriel-texte")
        await click(pilot, "#suivre-lien")
        assert isinstance(app.screen, ResetPasswordScreen)
        assert app.screen.query_one("#lien").value.startswith("ensap-tui://reinitialiser/")

        await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
        assert "Fort" in shown(app, "#niveau-securite")
        await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        # Back to the sign-in screen the journey came through, which says what happened.
        assert isinstance(app.screen, SignInScreen)
        assert [type(s) for s in app.screen_stack] == [HomeScreen, SignInScreen]
        assert "mot de passe a été modifié" in shown(app, "#message-connexion")

        await sign_in(pilot, password=NEW_PASSWORD)
        assert isinstance(app.screen, EspaceScreen)


async def test_recovery_answer_is_the_same_for_an_unknown_nir(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    answers = []
    async with app.run_test(size=SIZE) as pilot:
        for nir in (NIR_SPACED, UNKNOWN_NIR):
            await open_sign_in(pilot)
            await click(pilot, "#mot-de-passe-oublie")
            await fill(pilot, "#identifiant", nir)
            await click(pilot, "#envoyer")
            answers.append(shown(app, "#message-oubli"))
            assert visible(app, "#ouvrir-boite")
            await pilot.press("escape", "escape")
            await settle(pilot)
        # The activation mail and one reset mail: nothing for the unknown number.
        assert [m.kind for m in app.services.mailbox.messages()] == ["reset", "activation"]
    assert answers[0] == answers[1]


async def test_not_activated_is_said_only_after_the_right_password(make_app: Any) -> None:
    app = make_app()
    register(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        await sign_in(pilot, password="Mauvais#Passe1")
        assert shown(app, "#message-connexion") == FAILED_2_LEFT
        await sign_in(pilot, password=PASSWORD)
        message = shown(app, "#message-connexion")
        assert "pas encore activé" in message
        assert isinstance(app.screen, SignInScreen)


async def test_reset_link_expired_or_used_offers_a_new_request(make_app: Any, clock: Any) -> None:
    from datetime import timedelta

    from tests.support.accounts import last_link

    app = make_app()
    active_person(app.services)
    app.services.recovery.request_reset(NIR_SPACED)
    link = last_link(app.services, "reset")
    clock.advance(timedelta(minutes=31))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ResetPasswordScreen(link))
        await settle(pilot)
        # A prefilled link is checked on arrival: no need to type a password first.
        assert "expiré" in shown(app, "#message-reinitialisation")
        assert visible(app, "#mot-de-passe-oublie")
        await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
        await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)
        await click(pilot, "#valider")
        assert "expiré" in shown(app, "#message-reinitialisation")
        await click(pilot, "#mot-de-passe-oublie")
        assert isinstance(app.screen, ForgotPasswordScreen)


async def test_reset_field_errors_show_next_to_their_fields(make_app: Any) -> None:
    from tests.support.accounts import last_link

    app = make_app()
    active_person(app.services)
    app.services.recovery.request_reset(NIR_SPACED)
    link = last_link(app.services, "reset")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ResetPasswordScreen(link))
        await settle(pilot)
        # Arriving from the mail with the link filled in, the password is the next thing to type.
        await wait_for_focus(pilot, "mot-de-passe")
        await fill(pilot, "#mot-de-passe", "Dupont1985!")  # contains the birth name
        assert not shown(app, "#niveau-securite").endswith("Fort")
        await fill(pilot, "#confirmation-mot-de-passe", "Dupont1985!")
        await click(pilot, "#valider")
        assert "nom de naissance" in shown(app, "#mot-de-passe-erreur")

        await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
        await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD + "x")
        await click(pilot, "#valider")
        assert not visible(app, "#mot-de-passe-erreur")
        assert "identiques" in shown(app, "#confirmation-mot-de-passe-erreur")

        await fill(pilot, "#lien", "pas un lien !")
        await click(pilot, "#valider")
        assert visible(app, "#lien-erreur")


async def test_tab_order_follows_the_screen(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        order = []
        for _ in range(5):
            order.append(app.focused.id if app.focused is not None else None)
            await pilot.press("tab")
    assert order == [
        "identifiant", "mot-de-passe", "afficher-mot-de-passe", "acceder", "mot-de-passe-oublie"
    ]


async def test_database_trouble_is_reported_and_the_screen_stays_usable(make_app: Any) -> None:
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        app.services.store.close()  # as if the database went away under the app
        await sign_in(pilot, password=PASSWORD)
        assert app.is_running
        assert isinstance(app.screen, SignInScreen)
        assert not app.screen.query_one("#acceder").disabled
        assert shown(app, "#travail-en-cours") == ""  # the busy line says nothing any more
        assert [n.message for n in app._notifications][-1] == "La base de données est fermée."


async def test_the_busy_line_keeps_its_row_so_nothing_moves(make_app: Any) -> None:
    """Busy shows «Vérification en cours…» in a row kept for it: no widget moves, so the
    screen is not laid out again at the click that starts the work (issue 9)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        before = {w.id: w.region for w in screen.query("#travail-en-cours, #acceder, Notice")}
        assert shown(app, "#travail-en-cours") == ""
        screen.set_busy(True)
        await pilot.pause()
        assert shown(app, "#travail-en-cours").endswith("Vérification en cours…")
        after = {w.id: w.region for w in screen.query("#travail-en-cours, #acceder, Notice")}
        assert after == before
        screen.set_busy(False)
        await pilot.pause()
        assert shown(app, "#travail-en-cours") == ""


async def test_after_a_reset_the_new_password_is_typed_straight_away(make_app: Any) -> None:
    """Left by the keyboard for «Mot de passe oublié», the sign-in comes back after the reset
    with the number filled in and the focus on the password: the new password typed at once
    signs in (the focus stayed on «Mot de passe oublié», so the typing was lost and Enter asked
    for another link)."""
    app = make_app()
    active_person(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_sign_in(pilot)
        await fill(pilot, "#identifiant", NIR_SPACED)
        app.screen.query_one("#mot-de-passe-oublie").focus()
        await wait_for_focus(pilot, "mot-de-passe-oublie", "before asking for a link")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ForgotPasswordScreen))
        await fill(pilot, "#identifiant", NIR_SPACED)
        await pilot.press("enter")
        await settle(pilot)
        await click(pilot, "#ouvrir-boite")
        await click(pilot, "#suivre-lien")
        assert isinstance(app.screen, ResetPasswordScreen)
        await fill(pilot, "#mot-de-passe", NEW_PASSWORD)
        await fill(pilot, "#confirmation-mot-de-passe", NEW_PASSWORD)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await wait_for_focus(pilot, "mot-de-passe", "back on the sign-in after the reset")
        await pilot.press(*NEW_PASSWORD, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EspaceScreen))
