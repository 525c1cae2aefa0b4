"""Going back and forth between the steps keeps what was typed; the password meter and rules
follow each keystroke; text typed by the person is shown literally."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Markdown, Select

from ensap_tui.ui.registration import RegistrationDraft
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.rules_checklist import RulesChecklist
from ensap_tui.ui.widgets.strength_meter import StrengthMeter
from ensap_tui.ui.widgets.tick_box import TickBox
from tests.support.waiting import wait_for_focus, wait_for_press_ready, wait_until

from .registration_wizard import (
    NIR,
    STRONG_PASSWORD,
    Person,
    fill_contacts,
    fill_identity,
    fill_password,
    focus_and_type,
    shown_text,
    type_text,
    wait_for_screen,
)


def identity_values(screen: Any) -> tuple[object, ...]:
    return (
        screen.query_one("#nir", Input).value,
        screen.query_one("#nom-naissance", Input).value,
        screen.query_one("#jour", Select).value,
        screen.query_one("#mois", Select).value,
        screen.query_one("#annee", Select).value,
        screen.query_one("#cgu", TickBox).value,
    )


async def test_back_and_forth_keeps_every_value(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.click("#creer-espace")
        await wait_for_screen(pilot, "IdentityScreen")
        await fill_identity(pilot)
        typed = (NIR, "DUPONT", "14", "05", "1985", True)
        assert identity_values(app.screen) == typed
        await pilot.click("#continuer")
        await wait_for_screen(pilot, "PasswordScreen")
        await fill_password(pilot)

        await pilot.click("#retour-etape")  # «Retour à l'étape précédente»
        await wait_for_screen(pilot, "IdentityScreen")
        assert identity_values(app.screen) == typed

        await pilot.click("#continuer")
        await wait_for_screen(pilot, "PasswordScreen")
        password_screen = app.screen
        assert password_screen.query_one("#mot-de-passe", Input).value == STRONG_PASSWORD
        assert password_screen.query_one("#confirmation-mot-de-passe", Input).value == (
            STRONG_PASSWORD
        )
        # The meter reflects the password brought back from the draft.
        assert password_screen.query_one(StrengthMeter).level == "Fort"

        await pilot.click("#valider")
        await wait_for_screen(pilot, "ContactsScreen")
        await fill_contacts(pilot)
        await focus_and_type(pilot, "telephone", "0689123456")
        await pilot.press("escape")  # Escape is «Retour» too
        await wait_for_screen(pilot, "PasswordScreen")
        await wait_for_press_ready(pilot, "valider")  # the step's button, pressed just before
        await pilot.click("#valider")
        await wait_for_screen(pilot, "ContactsScreen")
        contacts = app.screen
        assert contacts.query_one("#courriel", Input).value == Person().email
        assert contacts.query_one("#confirmation-courriel", Input).value == Person().email
        assert contacts.query_one("#telephone", Input).value == "0689123456"

        await pilot.press("escape")
        await wait_for_screen(pilot, "PasswordScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "IdentityScreen")
        assert identity_values(app.screen) == typed
        await pilot.click("#retour-accueil")  # leaving with data typed asks first
        await wait_for_screen(pilot, "ConfirmScreen")
        await pilot.click("#confirmer")
        await wait_for_screen(pilot, "HomeScreen")
        assert isinstance(app.screen, HomeScreen)


async def test_the_meter_goes_from_faible_to_moyen_to_fort_as_the_password_is_typed(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        draft = RegistrationDraft(nir=NIR, birth_name="DUPONT", birth_day="14",
                                  birth_month="05", birth_year="1985", terms_accepted=True)
        await app.push_screen(PasswordScreen(draft))
        await pilot.pause()
        meter = app.screen.query_one("#niveau-securite", StrengthMeter)
        rules = app.screen.query_one("#regles", RulesChecklist)
        assert meter.level == ""
        assert "—" in shown_text(meter)

        seen: list[tuple[str, str]] = []
        for keys, level in (("kqzmxwv", "Faible"), ("7", "Moyen"), ("K", "Fort")):
            await type_text(pilot, keys)
            await pilot.pause()
            painted = shown_text(meter)
            assert meter.level == level
            assert level in painted  # the word, not only the colour
            assert meter.has_class(f"-{level.lower()}")
            assert [c for c in ("-faible", "-moyen", "-fort") if meter.has_class(c)] == [
                f"-{level.lower()}"
            ]
            seen.append((level, painted))
        # The bar grows with the level.
        assert [p.count("█") for _, p in seen] == sorted(p.count("█") for _, p in seen)
        assert len({p.count("█") for _, p in seen}) == 3

        checklist = shown_text(rules)
        assert "✔ 8 caractères minimum" in checklist
        assert "✔ majuscules" in checklist
        assert "✖ caractères spéciaux" in checklist
        assert "✔ 3 des 4 types" in checklist

        await pilot.press("backspace")
        await pilot.pause()
        assert meter.level == "Moyen"
        assert "✖ majuscules" in shown_text(rules)


async def test_afficher_reveals_the_password_and_hides_it_again(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(PasswordScreen(RegistrationDraft()))
        await pilot.pause()
        await type_text(pilot, "Secret!42")
        field = app.screen.query_one("#mot-de-passe", Input)
        assert field.password
        assert "Secret!42" not in shown_text(field)
        await pilot.press("tab")
        await wait_for_focus(pilot, "afficher-mot-de-passe")
        await pilot.press("space")
        await pilot.pause()
        assert not field.password
        assert "Secret!42" in shown_text(field)
        await pilot.press("space")
        await pilot.pause()
        assert field.password


async def test_a_name_with_markup_is_shown_literally(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = IdentityScreen(RegistrationDraft())
        await app.push_screen(screen)
        await pilot.pause()
        await focus_and_type(pilot, "nom-naissance", "[bold]X[/]")
        await pilot.press("enter")
        await pilot.pause()
        assert "[bold]X[/]" in shown_text(screen.query_one("#nom-naissance", Input))
        error = screen.query_one("#nom-naissance-erreur", FieldErrorLine)
        assert error.display
        assert "[" in shown_text(error)  # the refused character, quoted as typed

        # Back and forth: the draft brings the same text back, still literal.
        await pilot.press("escape")
        await wait_for_screen(pilot, "ConfirmScreen")  # «Abandonner la création… ?»
        await pilot.click("#confirmer")
        await wait_for_screen(pilot, "HomeScreen")
        again = IdentityScreen(RegistrationDraft(birth_name="[bold]X[/] [red]Y"))
        await app.push_screen(again)
        await pilot.pause()
        assert "[bold]X[/] [red]Y" in shown_text(again.query_one("#nom-naissance", Input))


async def test_an_address_with_markup_is_shown_literally_on_step_3(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = ContactsScreen(RegistrationDraft(email="[b]jean[/b]@example.fr"))
        await app.push_screen(screen)
        await pilot.pause()
        assert "[b]jean[/b]@example.fr" in shown_text(screen.query_one("#courriel", Input))


async def test_the_terms_can_be_read_and_accepting_them_ticks_the_box(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = IdentityScreen(RegistrationDraft())
        await app.push_screen(screen)
        await pilot.pause()
        box = screen.query_one("#cgu", TickBox)
        assert not box.value
        await pilot.click("#lire-cgu")
        await wait_for_screen(pilot, "TermsScreen")
        text = app.screen.query_one("#cgu-texte", Markdown).source
        assert "Aucune donnée saisie n'est transmise à l'ENSAP" in " ".join(text.split())
        await pilot.press("escape")  # closing does not accept
        await wait_for_screen(pilot, "IdentityScreen")
        assert not box.value
        await wait_for_press_ready(pilot, "lire-cgu")  # clicked just before
        await pilot.click("#lire-cgu")
        await wait_for_screen(pilot, "TermsScreen")
        await pilot.click("#accepter-cgu")
        await wait_for_screen(pilot, "IdentityScreen")
        assert box.value
        await wait_until(pilot, lambda: app.focused is box, "the box has the focus")


async def test_the_question_marks_explain_their_field(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = IdentityScreen(RegistrationDraft())
        await app.push_screen(screen)
        await pilot.pause()
        mark = screen.query_one("#aide-nir")
        assert "carte Vitale" in str(mark.tooltip)
        hint = screen.query_one("#nir-aide")
        assert not hint.display
        await pilot.click("#aide-nir")
        await pilot.pause()
        assert hint.display
        assert "carte Vitale ou sur votre carte CPS" in shown_text(hint)
