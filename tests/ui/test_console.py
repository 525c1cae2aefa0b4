"""The help desk in the app: the agent's sign-in (throttled like a person's), the console's
search as one types, and each action with its confirmation and its line in the journal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Label
from textual.widgets._footer import FooterKey

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.services import assistance
from ensap_tui.services.models import ActivationOutcome, SignInStatus
from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen
from ensap_tui.ui.screens.confirm import ConfirmScreen
from ensap_tui.ui.screens.console import ConsoleScreen
from tests.support.accounts import help_desk_people, last_link, register
from tests.support.people import (
    AGENT,
    AGENT_PASSWORD,
    NIR,
    OTHER_NIR,
    PASSWORD,
    WRONG_PASSWORD,
    request,
)

from .session_support import click, fill, settle, shown, visible, wait_until

SIZE = (100, 40)
async def open_agent_sign_in(pilot: Pilot[Any]) -> None:
    await pilot.app.push_screen(AgentSignInScreen())
    await pilot.pause()


async def agent_sign_in(pilot: Pilot[Any], name: str = AGENT,
                        password: str = AGENT_PASSWORD) -> None:
    await fill(pilot, "#agent-identifiant", name)
    await fill(pilot, "#agent-mot-de-passe", password)
    await pilot.press("enter")
    await settle(pilot)


async def open_console(pilot: Pilot[Any]) -> ConsoleScreen:
    await open_agent_sign_in(pilot)
    await agent_sign_in(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConsoleScreen)
    await settle(pilot)
    return screen


def result_rows(app: Any) -> list[list[str]]:
    table = app.screen.query_one("#resultats", DataTable)
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)]
            for i in range(table.row_count)]


async def search(pilot: Pilot[Any], text: str) -> None:
    """Types ``text`` in the search field and presses Enter (no waiting for the debounce)."""
    await fill(pilot, "#recherche", text)
    await pilot.press("enter")
    await settle(pilot)


def disabled(app: Any, selector: str) -> bool:
    return bool(app.screen.query_one(selector, Button).disabled)


# -- agent sign-in ---------------------------------------------------------------------------


async def test_the_home_page_leads_to_the_agent_sign_in(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await click(pilot, "#espace-assistance")
        assert isinstance(app.screen, AgentSignInScreen)
        assert app.screen.query_one("#agent-mot-de-passe", Input).password is True
        await click(pilot, "#retour-accueil")
        assert not isinstance(app.screen, AgentSignInScreen)


async def test_a_wrong_password_says_so_and_counts(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent_sign_in(pilot)
        assert app.focused is app.screen.query_one("#agent-identifiant")
        await agent_sign_in(pilot, password=WRONG_PASSWORD)
        assert isinstance(app.screen, AgentSignInScreen)
        assert shown(app, "#message-agent") == (
            "✖ Identifiant d'agent ou mot de passe incorrect. Il vous reste 2 tentatives avant "
            "le blocage de l'accès à la console."
        )
        assert app.screen.query_one("#agent-mot-de-passe", Input).value == ""
        assert app.focused is app.screen.query_one("#agent-mot-de-passe")


async def test_three_failures_block_the_agent_until_a_time(
        make_app: Any, clock: FixedClock) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent_sign_in(pilot)
        for _ in range(3):
            await agent_sign_in(pilot, password=WRONG_PASSWORD)
        message = shown(app, "#message-agent")
        assert "bloqué jusqu'à 14:17" in message  # 14:02 in Paris + 15 minutes
        # Even the right password is refused during the block.
        await agent_sign_in(pilot)
        assert isinstance(app.screen, AgentSignInScreen)
        assert "bloqué jusqu'à 14:17" in shown(app, "#message-agent")
        kinds = [e.kind for e in app.services.assistance.journal(limit=100)]
        assert kinds.count(assistance.AGENT_SIGN_IN_FAILED) == 3
        assert assistance.AGENT_SIGN_IN not in kinds


async def test_an_empty_password_is_not_an_attempt(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent_sign_in(pilot)
        await fill(pilot, "#agent-identifiant", AGENT)
        await click(pilot, "#agent-connexion")
        assert shown(app, "#agent-mot-de-passe-erreur") == "✖ Saisissez votre mot de passe."
        assert not [e for e in app.services.assistance.journal()
                if e.kind == assistance.AGENT_SIGN_IN_FAILED]


async def test_a_malformed_name_is_shown_under_its_field(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_agent_sign_in(pilot)
        await agent_sign_in(pilot, name="[b]agent[/b]")
        assert "lettres sans accent, des chiffres" in shown(app, "#agent-identifiant-erreur")


async def test_signing_in_opens_the_console_and_signing_out_comes_back(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(pilot)
        assert console.agent.name == AGENT
        assert "Camille.Martin" in shown(app, "#agent-connecte")
        await click(pilot, "#deconnexion-agent")
        assert isinstance(app.screen, AgentSignInScreen)
        assert shown(app, "#message-agent") == "ℹ Vous avez quitté la console d'assistance."
        assert app.screen.query_one("#agent-identifiant", Input).value == ""
        kinds = [(e.kind, e.actor) for e in app.services.assistance.journal()]
        assert (assistance.AGENT_SIGN_OUT, AGENT) in kinds
        assert (assistance.AGENT_SIGN_IN, AGENT) in kinds


async def test_an_idle_console_closes_itself(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    app.services.idle_timeout = timedelta(seconds=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent_sign_in(pilot)
        await agent_sign_in(pilot)
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, AgentSignInScreen)
            and "sans activité" in shown(app, "#message-agent"),
        )
        assert isinstance(app.screen, AgentSignInScreen)
        assert "fermée après 1 seconde sans activité" in shown(app, "#message-agent")
        outs = [e for e in app.services.assistance.journal()
                if e.kind == assistance.AGENT_SIGN_OUT]
        assert [(e.actor, e.detail) for e in outs] == [(AGENT, "inactivité")]


async def test_escape_signs_the_agent_out(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AgentSignInScreen)


# -- search ----------------------------------------------------------------------------------


async def test_the_console_opens_on_the_newest_accounts(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        rows = result_rows(app)
        assert [r[1] for r in rows] == ["Lefebvre", "Martin-Léger", "Lefèvre"]
        assert rows[2] == ["1 85 •• •• ••• ••• 64", "Lefèvre", "en attente d'activation",
                           "26/11 14:02", "—"]
        assert rows[1][2] == "bloqué jusqu'à 14:17"
        assert shown(app, "#recherche-info") == "Les espaces les plus récents (3)."
        assert app.focused is app.screen.query_one("#recherche")


async def test_typing_a_name_searches_without_accents(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await pilot.press(*"lefevre")
        await wait_until(pilot, lambda: len(result_rows(app)) == 1)
        assert result_rows(app)[0][1] == "Lefèvre"
        assert shown(app, "#recherche-info") == "1 espace trouvé."
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await wait_until(pilot, lambda: len(result_rows(app)) == 2)
        assert sorted(r[1] for r in result_rows(app)) == ["Lefebvre", "Lefèvre"]


async def test_typing_a_later_part_of_a_compound_name_finds_it(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await pilot.press(*"leger")
        await wait_until(pilot, lambda: len(result_rows(app)) == 1)
        assert result_rows(app)[0][1] == "Martin-Léger"
        await search(pilot, "martin leger")
        assert [r[1] for r in result_rows(app)] == ["Martin-Léger"]


async def test_a_nir_in_any_spelling_finds_its_account(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "2 78 07 2b 033 007 42")
        assert [r[1] for r in result_rows(app)] == ["Martin-Léger"]
        await search(pilot, "1.85.05.75.115.123.64")
        assert [r[1] for r in result_rows(app)] == ["Lefèvre"]
        await search(pilot, "1 85 05 75 115 123 65")
        assert result_rows(app) == []
        assert "clé du numéro" in shown(app, "#recherche-info")
        await search(pilot, "durand")
        assert shown(app, "#recherche-info") == "Aucun espace ne correspond à « durand »."
        assert disabled(app, "#supprimer") and disabled(app, "#journal")


async def test_the_buttons_follow_the_selected_account(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "martin")
        assert not disabled(app, "#debloquer")
        assert disabled(app, "#renvoyer-activation")
        await search(pilot, "lefevre")
        assert disabled(app, "#debloquer")
        assert not disabled(app, "#renvoyer-activation")
        assert not disabled(app, "#supprimer")


async def test_after_a_search_with_no_result_the_next_one_is_typed_at_once(
    make_app: Any,
) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        field = app.screen.query_one("#recherche", Input)
        await pilot.press(*"durand", "enter")
        await settle(pilot)
        assert shown(app, "#recherche-info") == "Aucun espace ne correspond à « durand »."
        assert app.focused is field
        # The agent corrects the text without Ctrl+F: the keys go to the field.
        await pilot.press(*["backspace"] * 6, *"martin", "enter")
        await settle(pilot)
        assert field.value == "martin"
        assert [r[1] for r in result_rows(app)] == ["Martin-Léger"]
        assert app.focused is field
        # The agent moves the focus: Down goes to the results.
        await pilot.press("down")
        assert app.focused is app.screen.query_one("#resultats")


def details(app: Any) -> dict[str, str]:
    """The details panel as label → value (its lines are «label  value»)."""
    lines = shown(app, "#details-contenu").splitlines()
    pairs = [line.split("  ", 1) for line in lines]
    return {label.strip(): value.strip() for label, value in pairs}


async def test_the_details_panel_shows_the_selected_account(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    register(app.services, request(
        nir="285067511500353", birth_name="N'Diaye", birth_month="06",
        email="awa.ndiaye@example.fr",
        email_confirmation="awa.ndiaye@example.fr", email_backup="awa@example.org",
        email_backup_confirmation="awa@example.org", phone="+33615147879",
        phone_secondary="+689 89 12 34 56",
    ))
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "lefevre")
        assert shown(app, "#details-titre") == "Espace 1 85 •• •• ••• ••• 64 — Lefèvre"
        assert details(app) == {
            "Courriel": "jean.dupont@example.fr",
            "Courriel de secours": "—",
            "Téléphone": "—",
            "Second téléphone": "—",
            "État": "en attente d'activation",
            "Lien d'activation": "valable jusqu'au 27/11/2026 à 14:02",
            "Échecs de connexion": "0",
            "Fin du blocage": "—",
            "Créé le": "26/11/2026 à 14:02",
            "Dernière connexion": "jamais",
        }
        # The phones as the caller reads them out: in pairs, or with their country code.
        await search(pilot, "diaye")
        assert shown(app, "#details-titre") == "Espace 2 85 •• •• ••• ••• 53 — N'Diaye"
        shown_details = details(app)
        assert (shown_details["Courriel"], shown_details["Courriel de secours"]) == (
            "awa.ndiaye@example.fr", "awa@example.org")
        assert shown_details["Téléphone"] == "06 15 14 78 79"
        assert shown_details["Second téléphone"] == "+689 89 12 34 56"
        # A blocked space: its block, and the link it no longer needs.
        await search(pilot, "martin")
        shown_details = details(app)
        assert shown_details["État"] == "bloqué jusqu'à 14:17"
        assert shown_details["Échecs de connexion"] == "3, accès bloqué"
        assert shown_details["Fin du blocage"] == "26/11/2026 à 14:17"
        assert shown_details["Lien d'activation"] == (
            "sans objet (espace activé le 26/11/2026 à 14:02)")
        # It follows the selection, and goes with it.
        await search(pilot, "lef")
        app.screen.query_one("#resultats", DataTable).move_cursor(row=1)
        await settle(pilot)
        assert shown(app, "#details-titre").endswith("— Lefèvre")
        await search(pilot, "durand")
        assert not visible(app, "#details-espace")


async def test_everything_fits_at_80x24(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_console(pilot)
        screen = app.screen
        table = screen.query_one("#resultats", DataTable)
        await wait_until(pilot, lambda: table.row_count == 3)
        # Every column in view: nothing to scroll sideways, no cell cut.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert result_rows(app)[1][:4] == ["2 78 … 42", "Martin-Léger", "bloqué jusqu'à 14:17",
                                           "26/11"]
        # The search label and every button's label whole.
        label = screen.query_one(".libelle", Label)
        assert label.region.width >= len(str(label.render()))
        for button in screen.query("#actions-console Button").results(Button):
            assert button.region.right <= screen.region.right
            assert button.content_region.width >= len(str(button.label)), button.id
        # The footer whole: each key left of the command palette's.
        keys = list(screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown_keys = [k for k in keys if k is not palette]
        assert {k.key_display for k in shown_keys} >= {"F5", "F1", "Ctrl+Q"}
        for key in shown_keys:
            assert key.region.right <= palette.region.x, key.key_display
            assert key.region.width >= len(f"{key.key_display} {key.description}")
        # Back to 100 columns, the wide layout.
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        assert result_rows(app)[1][0] == "2 78 •• •• ••• ••• 42"
        assert str(screen.query_one("#renvoyer-activation", Button).label) == (
            "Renvoyer le lien d'activation")


async def test_a_long_agent_name_puts_the_title_on_its_own_line_at_80x24(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    long_name = "marie-christine.de_la_tour-montgolfier"
    app.services.agents.add(long_name, AGENT_PASSWORD, AGENT_PASSWORD)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agent_sign_in(pilot)
        await agent_sign_in(pilot, name=long_name)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConsoleScreen)
        title = screen.query_one("#console-entete .titre-page")
        assert title.region.width >= len("Console d'assistance")
        assert title.region.height == 1
        agent = screen.query_one("#agent-connecte")
        assert agent.region.width >= len(f"Agent : {long_name}")
        sign_out = screen.query_one("#deconnexion-agent", Button)
        assert sign_out.region.right <= screen.region.right
        # With room for all three (100 columns), one line again.
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        assert agent.region.y == title.region.y


# -- actions ---------------------------------------------------------------------------------


async def test_unblocking_lifts_the_block_and_logs_the_agent(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, OTHER_NIR)
        await click(pilot, "#debloquer")
        await wait_until(pilot, lambda: result_rows(app)[0][2] == "active")
        assert shown(app, "#message-console").startswith(
            "✔ Le blocage de l'espace 2 78 •• •• ••• ••• 42 est levé"
        )
        assert disabled(app, "#debloquer")
        journal = app.services.assistance.journal(OTHER_NIR)
        assert (journal[0].kind, journal[0].actor) == (assistance.ACCOUNT_UNBLOCKED, AGENT)
        signed = app.services.sign_in.sign_in(OTHER_NIR, "Azur&Corail1978x")
        assert signed.status is SignInStatus.SIGNED_IN


async def test_an_outcome_goes_when_another_account_is_selected(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        table = app.screen.query_one("#resultats", DataTable)
        table.focus()
        await pilot.press("down")  # MARTIN-LÉGER, between LEFEBVRE and LEFÈVRE
        await click(pilot, "#debloquer")
        await wait_until(pilot, lambda: result_rows(app)[1][2] == "active")
        # The row read again after the action keeps its message.
        assert shown(app, "#message-console").startswith("✔ Le blocage de l'espace 2 78")
        table.focus()
        await pilot.press("down")
        await settle(pilot)
        assert table.cursor_row == 2
        assert not visible(app, "#message-console")


async def test_an_outcome_goes_when_a_new_search_runs(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "martin")
        await click(pilot, "#debloquer")
        await wait_until(pilot, lambda: result_rows(app)[0][2] == "active")
        assert visible(app, "#message-console")
        await search(pilot, "lefebvre")
        assert [r[1] for r in result_rows(app)] == ["Lefebvre"]
        assert not visible(app, "#message-console")


async def test_the_outcome_of_a_deletion_stays_after_the_results_are_read_again(
    make_app: Any,
) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        table = app.screen.query_one("#resultats", DataTable)
        await click(pilot, "#supprimer")  # LEFEBVRE, the newest
        await click(pilot, "#confirmer")
        await wait_until(pilot, lambda: len(result_rows(app)) == 2)
        await settle(pilot)
        # The selection moved to another row by itself: the message is still the agent's.
        assert table.cursor_row == 0
        assert shown(app, "#message-console").startswith("✔ L'espace 1 92")


async def test_resending_makes_a_new_link_and_the_old_one_stops(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    old = next(m.link for m in app.services.mailbox.messages() if m.nir == NIR)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "lefèvre")
        await click(pilot, "#renvoyer-activation")
        await wait_until(pilot, lambda: "nouveau lien" in shown(app, "#message-console"))
        assert "jean.dupont@example.fr" in shown(app, "#message-console")
        journal = app.services.assistance.journal(NIR)
        assert (journal[0].kind, journal[0].actor) == ("activation-sent", AGENT)
        assert app.services.activation.activate(old) is ActivationOutcome.UNKNOWN
        new = last_link(app.services, "activation")
        assert app.services.activation.activate(new) is ActivationOutcome.ACTIVATED


async def test_deleting_asks_first_and_cancel_keeps_the_space(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "lefèvre")
        await click(pilot, "#supprimer")
        assert isinstance(app.screen, ConfirmScreen)
        question = shown(app, "#confirmation-question")
        assert "Lefèvre (1 85 •• •• ••• ••• 64, en attente d'activation)" in question
        # «Annuler» has the focus: Enter by habit destroys nothing.
        assert app.focused is app.screen.query_one("#annuler")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        await click(pilot, "#supprimer")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert [r[1] for r in result_rows(app)] == ["Lefèvre"]
        assert app.services.assistance.status_of(NIR).account.nir == NIR
        assert not [e for e in app.services.assistance.journal(NIR)
                if e.kind == assistance.ACCOUNT_DELETED]


async def test_deleting_after_confirmation_removes_the_space(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "lefèvre")
        await click(pilot, "#supprimer")
        await click(pilot, "#confirmer")
        await wait_until(pilot, lambda: result_rows(app) == [])
        assert shown(app, "#message-console") == (
            "✔ L'espace 1 85 •• •• ••• ••• 64 a été supprimé ; son journal est conservé."
        )
        journal = app.services.assistance.journal(NIR)
        assert (journal[0].kind, journal[0].actor) == (assistance.ACCOUNT_DELETED, AGENT)


async def test_the_journal_shows_the_selected_accounts_events(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "martin")
        await click(pilot, "#journal")
        await wait_until(
            pilot, lambda: app.screen.query_one("#journal-evenements", DataTable).row_count > 0
        )
        table = app.screen.query_one("#journal-evenements", DataTable)
        labels = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert labels[0] == "accès bloqué après 3 échecs"
        assert labels[-1] == "création de l'espace, lien d'activation envoyé"
        assert "Martin-Léger" in shown(app, "#journal-titre")
        # An action adds its line, with the agent as author.
        await click(pilot, "#debloquer")
        await wait_until(
            pilot,
            lambda: str(table.get_row_at(0)[1]) == "accès débloqué par l'assistance",
        )
        assert str(table.get_row_at(0)[2]) == AGENT
        # Pressed again, the panel closes.
        await click(pilot, "#journal")
        assert not app.screen.query_one("#panneau-journal").display


async def test_a_removed_agent_is_sent_back_to_the_sign_in(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "martin")
        app.services.agents.remove(AGENT)
        await click(pilot, "#debloquer")
        await wait_until(pilot, lambda: isinstance(app.screen, AgentSignInScreen))
        assert "n'existe plus" in shown(app, "#message-agent")
        assert app.services.assistance.status_label(
        app.services.assistance.status_of(OTHER_NIR)
        ).startswith("bloqué")


async def test_the_person_can_sign_in_after_an_unblock(make_app: Any) -> None:
    app = make_app()
    help_desk_people(app.services)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(pilot)
        await search(pilot, "Martin-Léger")
        await click(pilot, "#debloquer")
        await settle(pilot)
        result = app.services.sign_in.sign_in(OTHER_NIR, "Azur&Corail1978x")
        assert result.status is SignInStatus.SIGNED_IN
        assert app.services.sign_in.sign_in(NIR, PASSWORD).status is SignInStatus.NOT_ACTIVATED
