"""The frame every screen shares: home page, banner, footer keys, help, back, quit, theme."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from textual.theme import Theme
from textual.widgets import Button, Footer, Markdown, Static
from textual.widgets._toast import Toast

import ensap_tui.ui.screens as screens_package
from ensap_tui.services.container import Services
from ensap_tui.ui.app import EnsapApp
from ensap_tui.ui.help import HELP_TOPICS, HelpScreen, help_text
from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.base import SIMULATOR_BANNER, EnsapScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from tests.support.waiting import wait_for_focus, wait_until

from .registration_wizard import NIR, shown_text, type_text

#: Every topic a screen of the journey may name (issue 3).
TOPICS = (
    "accueil", "identite", "mot-de-passe", "coordonnees", "finalisation", "boite", "activation",
    "connexion", "oubli", "reinitialisation", "espace", "modifier-mot-de-passe",
    "modifier-coordonnees",
)

HOME_BUTTONS = {
    "creer-espace": "Créer mon espace",
    "acceder-espace": "Accéder à mon espace",
    "activer-espace": "Activer mon espace",
    "boite-reception": "Boîte de réception (simulée)",
    "espace-assistance": "Espace assistance",
}


def static_text(widget: Static) -> str:
    return str(widget.render())


def assert_frame(screen: Any) -> None:
    """The header line, the simulator banner and the footer are there."""
    assert SIMULATOR_BANNER in static_text(screen.query_one("#bandeau-simulation", Static))
    assert "Simulateur de formation" in static_text(screen.query_one("#entete-simulateur", Static))
    screen.query_one(Footer)


async def test_home_starts_with_its_four_buttons_and_their_explanations(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "HomeScreen")
        assert isinstance(app.screen, HomeScreen)
        for button_id, label in HOME_BUTTONS.items():
            button = app.screen.query_one(f"#{button_id}", Button)
            assert str(button.label) == label
        explanations = [static_text(s) for s in app.screen.query(".explication").results(Static)]
        assert "première connexion : créez votre espace en 4 étapes" in explanations
        assert "numéro de sécurité sociale et mot de passe" in explanations
        assert "collez le lien reçu par courriel" in explanations
        await wait_for_focus(pilot, "creer-espace")


async def test_every_screen_shows_the_header_the_simulator_banner_and_the_keys(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert_frame(app.screen)
        await pilot.click("#creer-espace")
        await pilot.pause()
        assert_frame(app.screen)
        assert isinstance(app.screen, IdentityScreen)
        keys = {
            app.get_key_display(binding): binding.description
            for _, binding, enabled, _ in app.screen.active_bindings.values()
            if enabled and binding.show
        }
        assert keys["F1"] == "Aide"
        assert keys["Échap"] == "Retour"
        assert keys["Ctrl+Q"] == "Quitter"
        assert "ctrl+p" in app.screen.active_bindings  # the command palette stays available


async def test_f1_opens_the_help_of_the_current_screen_and_escape_closes_it(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "HelpScreen")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.topic == "accueil"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "HomeScreen")
        assert isinstance(app.screen, HomeScreen)

        await pilot.click("#creer-espace")
        await pilot.pause()
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "HelpScreen")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.topic == "identite"
        text = app.screen.query_one("#aide-texte", Markdown).source
        assert "carte Vitale" in text
        await pilot.press("f1")  # F1 again closes it too
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityScreen), "IdentityScreen")
        assert isinstance(app.screen, IdentityScreen)


async def test_escape_goes_back_but_never_leaves_the_home_page(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "HomeScreen")
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1
        await pilot.press("enter")  # «Créer mon espace» has the focus
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityScreen), "IdentityScreen")
        assert isinstance(app.screen, IdentityScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "HomeScreen")
        assert isinstance(app.screen, HomeScreen)


async def test_ctrl_q_quits_and_closes_the_services(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    with pytest.raises(Exception):  # noqa: B017 - any refusal: the database is closed
        app.services.mailbox.messages()


async def test_ctrl_c_says_in_french_which_key_quits(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: bool(app._notifications), "a notice")
        (notice,) = app._notifications
        assert (notice.title, notice.message) == (
            "Quitter ?", "Pour quitter le simulateur, appuyez sur Ctrl+Q."
        )
        assert app.is_running


async def test_the_start_notices_are_shown(services: Services) -> None:
    services.notices.append("Le secret de la base est conservé dans un fichier.")
    app = EnsapApp(services)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any("conservé dans un fichier" in text for text in toasts), toasts


async def test_our_theme_is_pinned_and_builtin_themes_stay_usable(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "ensap"
        for theme in ("textual-dark", "textual-light", "ansi-dark", "nord"):
            app.theme = theme
            await pilot.pause()
            assert "Créer mon espace" in str(
                app.screen.query_one("#creer-espace", Button).label
            )


async def test_the_current_theme_is_looked_up_once_per_theme_and_follows_changes(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual looked the theme up by name (copying the dict of themes twice) for each colour
    # drawn: 500 times as a wizard step opens.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        looked_up: list[str] = []
        get_theme = app.get_theme

        def counting(name: str) -> Theme | None:
            looked_up.append(name)
            return get_theme(name)

        monkeypatch.setattr(app, "get_theme", counting)
        assert [app.current_theme.name for _ in range(3)] == ["ensap"] * 3
        app.theme = "nord"
        await pilot.pause()
        assert app.current_theme.name == "nord"
        assert app.screen.query_one("#creer-espace", Button).background_colors
        assert app.current_theme.name == "nord"
        assert looked_up.count("ensap") <= 1 and looked_up.count("nord") == 1
        # A theme registered again under the current name replaces the one kept.
        lighter = Theme("nord", primary="#123456", dark=True)
        app.register_theme(lighter)
        assert app.current_theme is lighter
        app.unregister_theme("nord")
        app.theme = "ensap"
        assert app.current_theme.name == "ensap"


async def test_with_no_color_the_level_is_still_written(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.no_color
        draft = RegistrationDraft(nir=NIR, birth_name="DUPONT", birth_day="14",
                                  birth_month="05", birth_year="1985", terms_accepted=True)
        await app.push_screen(PasswordScreen(draft))
        await pilot.pause()
        await type_text(pilot, "abc")
        await pilot.pause()
        assert "Étape 2 sur 4 — Mot de passe" in shown_text(app.screen.query_one("#etapes"))
        meter = shown_text(app.screen.query_one("#niveau-securite"))
        assert "Faible" in meter and "█" in meter and "░" in meter
        assert "✖ 8 caractères minimum" in shown_text(app.screen.query_one("#regles"))


def all_screen_classes() -> list[type[EnsapScreen]]:
    for module in pkgutil.iter_modules(screens_package.__path__):
        importlib.import_module(f"{screens_package.__name__}.{module.name}")
    found: list[type[EnsapScreen]] = []
    pending = list(EnsapScreen.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_screen_names_a_help_page_that_exists() -> None:
    classes = all_screen_classes()
    assert HomeScreen in classes
    for cls in classes:
        assert cls.HELP_TOPIC in HELP_TOPICS, cls


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_a_french_help_page(topic: str) -> None:
    title, body = help_text(topic)
    assert topic in HELP_TOPICS
    assert title and len(body) > 200
    assert "F1" in body and "Échap" in body  # the keys are recalled on every page
    assert "N'y saisissez pas vos vrais identifiants" in body


async def test_the_palette_offers_the_home_page_buttons_in_the_same_words(make_app: Any) -> None:
    """One table of the top-level screens: every button of the home page is a line of the
    palette with the same name and explanation, and both open the same screen."""
    from ensap_tui.ui.commands import palette_commands

    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        found = home.query("#choix-accueil Button").results(Button)
        buttons = [(str(button.label), button.id) for button in found]
        explanations = [static_text(s) for s in home.query(".explication").results(Static)]
        commands = palette_commands(app)
        assert commands[0].name == "Accueil"
        labels = [label for label, _ in buttons]
        expected = list(zip(labels, explanations, strict=True))
        assert [(c.name, c.help) for c in commands[1:]] == expected
        for (_, button_id), command in zip(buttons, commands[1:], strict=True):
            await pilot.click(f"#{button_id}")
            await pilot.pause()
            by_button = type(app.screen)
            await app.pop_screen()
            await pilot.pause()
            command.run()
            await pilot.pause()
            assert type(app.screen) is by_button and by_button is not HomeScreen, command.name
            await app.pop_screen()
            await pilot.pause()


async def test_the_palette_says_in_french_when_no_command_matches(make_app: Any) -> None:
    from textual.command import CommandList

    from ensap_tui.ui.palette import NO_MATCH, FrenchCommandPalette

    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, FrenchCommandPalette),
                         "the palette open")
        await pilot.press(*"zzqxw")

        def said() -> str:
            options = app.screen.query_one(CommandList)._options
            return " ".join(str(option.prompt.renderable) for option in options
                            if option.disabled)

        await wait_until(pilot, lambda: NO_MATCH in said(), "the no-match line")
        assert "No matches" not in said()
