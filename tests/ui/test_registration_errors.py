"""Every error of every field of steps 1 to 3 shows in its «#<field>-erreur» line, the focus
goes to the first invalid field, and a line disappears once its field is corrected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from textual.widgets import Input, Select

from ensap_tui.domain.errors import FieldError
from ensap_tui.services.models import ContactsForm
from ensap_tui.ui.registration import STEP_OF_FIELD, RegistrationDraft
from ensap_tui.ui.screens.base import FormScreen
from ensap_tui.ui.screens.contacts import ContactsScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.tick_box import TickBox
from tests.support.waiting import wait_for_focus, wait_for_press_ready, wait_until

from .registration_wizard import NIR, STRONG_PASSWORD, shown_text, type_text

EMAIL = "jean.dupont@example.fr"
IDENTITY: dict[str, str | bool] = {
    "nir": NIR, "nom-naissance": "DUPONT", "jour": "14", "mois": "05", "annee": "1985",
    "cgu": True,
}
PASSWORDS: dict[str, str | bool] = {
    "mot-de-passe": STRONG_PASSWORD, "confirmation-mot-de-passe": STRONG_PASSWORD,
}
CONTACTS: dict[str, str | bool] = {
    "courriel": EMAIL, "confirmation-courriel": EMAIL, "courriel-secours": "",
    "confirmation-courriel-secours": "", "telephone": "", "telephone-secondaire": "",
}
STEP_VALUES: dict[int, dict[str, str | bool]] = {1: IDENTITY, 2: PASSWORDS, 3: CONTACTS}
#: Where the focus goes for an error on a field that is not one widget.
FOCUS = {"date-naissance": "jour"}



@dataclass(frozen=True)
class Case:
    """Values typed over a valid step, and the fields expected wrong, in screen order."""

    step: int
    changes: dict[str, str | bool] = field(default_factory=dict)
    wrong: tuple[str, ...] = ()


CASES = {
    # Step 1
    "identite-vide": Case(1, {"nir": "", "nom-naissance": "", "jour": "", "mois": "",
                              "annee": "", "cgu": False},
                          ("nir", "nom-naissance", "date-naissance", "cgu")),
    "nir-14-caracteres": Case(1, {"nir": "18505751151236"}, ("nir",)),
    "nir-mauvaise-cle": Case(1, {"nir": "185057511512365"}, ("nir",)),
    "nir-sexe-5": Case(1, {"nir": "585057511512364"}, ("nir",)),
    "nir-annee-differente": Case(1, {"annee": "1986"}, ("nir",)),
    "nir-mois-different": Case(1, {"mois": "06"}, ("nir",)),
    "nom-avec-chiffre": Case(1, {"nom-naissance": "DUP0NT"}, ("nom-naissance",)),
    "nom-avec-balises": Case(1, {"nom-naissance": "[bold]X[/]"}, ("nom-naissance",)),
    "date-inexistante": Case(1, {"jour": "31", "mois": "02"}, ("date-naissance",)),
    "date-sans-jour": Case(1, {"jour": ""}, ("date-naissance",)),
    "date-future": Case(1, {"jour": "31", "mois": "12", "annee": "2026"}, ("date-naissance",)),
    "cgu-non-cochees": Case(1, {"cgu": False}, ("cgu",)),
    # Step 2
    "mots-de-passe-vides": Case(2, {"mot-de-passe": "", "confirmation-mot-de-passe": ""},
                                ("mot-de-passe", "confirmation-mot-de-passe")),
    "trop-court": Case(2, {"mot-de-passe": "Ab1!", "confirmation-mot-de-passe": "Ab1!"},
                       ("mot-de-passe",)),
    "deux-types": Case(2, {"mot-de-passe": "abcdefghij",
                           "confirmation-mot-de-passe": "abcdefghij"}, ("mot-de-passe",)),
    "courant": Case(2, {"mot-de-passe": "Azerty123", "confirmation-mot-de-passe": "Azerty123"},
                    ("mot-de-passe",)),
    "contient-le-nom": Case(2, {"mot-de-passe": "Dupont-2024!",
                                "confirmation-mot-de-passe": "Dupont-2024!"}, ("mot-de-passe",)),
    "contient-la-date": Case(2, {"mot-de-passe": "Xy!14051985",
                                 "confirmation-mot-de-passe": "Xy!14051985"}, ("mot-de-passe",)),
    "contient-le-nir": Case(2, {"mot-de-passe": "Xy!1851575115",
                                "confirmation-mot-de-passe": "Xy!1851575115"}, ("mot-de-passe",)),
    "confirmation-vide": Case(2, {"confirmation-mot-de-passe": ""},
                              ("confirmation-mot-de-passe",)),
    "confirmation-differente": Case(2, {"confirmation-mot-de-passe": "Soleil-Vert-43"},
                                    ("confirmation-mot-de-passe",)),
    # Step 3
    "coordonnees-vides": Case(3, {"courriel": "", "confirmation-courriel": ""},
                              ("courriel", "confirmation-courriel")),
    "courriel-sans-domaine": Case(3, {"courriel": "jean.dupont@",
                                      "confirmation-courriel": "jean.dupont@"}, ("courriel",)),
    "courriel-domaine-sans-point": Case(3, {"courriel": "jean.dupont@example",
                                            "confirmation-courriel": "jean.dupont@example"},
                                        ("courriel",)),
    "confirmation-courriel-differente": Case(3, {"confirmation-courriel": "jean@example.fr"},
                                             ("confirmation-courriel",)),
    "secours-identique": Case(3, {"courriel-secours": EMAIL,
                                  "confirmation-courriel-secours": EMAIL}, ("courriel-secours",)),
    "secours-invalide": Case(3, {"courriel-secours": "secours@",
                                 "confirmation-courriel-secours": "secours@"},
                             ("courriel-secours",)),
    "confirmation-secours-differente": Case(
        3, {"courriel-secours": "secours@example.fr",
            "confirmation-courriel-secours": "autre@example.fr"},
        ("confirmation-courriel-secours",)),
    "confirmation-secours-seule": Case(3, {"confirmation-courriel-secours": "secours@example.fr"},
                                       ("confirmation-courriel-secours",)),
    "telephone-trop-court": Case(3, {"telephone": "12"}, ("telephone",)),
    "telephone-xxx": Case(3, {"telephone": "XXX615147978"}, ("telephone",)),
    "telephone-secondaire-invalide": Case(3, {"telephone-secondaire": "0615"},
                                          ("telephone-secondaire",)),
}


def draft_before(step: int) -> RegistrationDraft:
    """A draft holding valid values for every step before ``step``."""
    draft = RegistrationDraft()
    if step > 1:
        draft.nir, draft.birth_name = NIR, "DUPONT"
        draft.birth_day, draft.birth_month, draft.birth_year = "14", "05", "1985"
        draft.terms_accepted = True
    if step > 2:
        draft.password = draft.password_confirmation = STRONG_PASSWORD
    return draft


def open_step(step: int) -> FormScreen:
    draft = draft_before(step)
    if step == 1:
        return IdentityScreen(draft)
    if step == 2:
        return PasswordScreen(draft)
    return ContactsScreen(draft)


def set_value(screen: FormScreen, widget_id: str, value: str | bool) -> None:
    widget = screen.query_one(f"#{widget_id}")
    if isinstance(widget, TickBox):
        widget.value = bool(value)
    elif isinstance(widget, Select):
        widget.value = value if value else Select.NULL
    else:
        assert isinstance(widget, Input)
        widget.value = str(value)


def expected_errors(app: Any, step: int, values: dict[str, str | bool]) -> list[FieldError]:
    """What the services say about ``values`` (the screen must show exactly that)."""
    checks = app.services.registration
    v = values
    if step == 1:
        return list(checks.check_identity(v["nir"], v["nom-naissance"], v["jour"], v["mois"],
                                          v["annee"], v["cgu"]))
    if step == 2:
        personal = draft_before(2).personal()
        return list(checks.check_password(v["mot-de-passe"], v["confirmation-mot-de-passe"],
                                          personal))
    return list(checks.check_contacts(ContactsForm(*(str(v[k]) for k in CONTACTS))))


def test_the_cases_cover_every_field_of_the_three_steps() -> None:
    covered = {name for case in CASES.values() for name in case.wrong}
    assert covered == set(STEP_OF_FIELD)


@pytest.mark.parametrize("step", [1, 2, 3])
async def test_each_error_shows_under_its_field_and_the_first_gets_the_focus(
    make_app: Any, step: int
) -> None:
    """One screen per step, every case of that step typed over valid values in turn."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = open_step(step)
        await app.push_screen(screen)
        await pilot.pause()
        for name, case in CASES.items():
            if case.step != step:
                continue
            values: dict[str, str | bool] = {**STEP_VALUES[step], **case.changes}
            for widget_id, value in values.items():
                set_value(screen, widget_id, value)
            await pilot.pause()
            button = "continuer" if step == 1 else "valider"
            screen.query_one(f"#{button}").focus()
            await wait_for_focus(pilot, button, name)
            # The same button as the case before: its press is ignored until that one's flash ends.
            await wait_for_press_ready(pilot, button, name)
            await pilot.press("enter")
            # The errors show and the focus moves in the round after Enter is handled: wait
            # for the focus to reach the first wrong field (a loaded machine needs more rounds).
            first = case.wrong[0]
            await wait_for_focus(pilot, FOCUS.get(first, first), name)

            assert app.screen is screen, f"{name}: the step must stay open"
            errors = expected_errors(app, step, values)
            assert tuple(e.field for e in errors) == case.wrong, name
            messages = {e.field: e.message for e in errors}
            for line in screen.query(FieldErrorLine):
                if line.field in messages:
                    assert line.display, f"{name}: #{line.id} hidden"
                    assert line.message == messages[line.field], name
                    painted = " ".join(shown_text(line).split())
                    assert " ".join(messages[line.field].split()) in painted, name
                else:
                    assert not line.display, f"{name}: #{line.id} shows {line.message!r}"

        if step == 1:  # the birth date: the focus goes to the first list left empty
            for widget_id, value in {**IDENTITY, "mois": ""}.items():
                set_value(screen, widget_id, value)
            screen.query_one("#continuer").focus()
            await wait_for_focus(pilot, "continuer")
            await wait_for_press_ready(pilot, "continuer")
            await pilot.press("enter")
            await wait_for_focus(pilot, "mois", "date without its month")


async def test_steps_open_without_their_error_lines_which_come_in_their_place(
    make_app: Any,
) -> None:
    # Every line was a hidden widget composed, mounted and styled as its step opened, though
    # most steps are filled in right: steps 1 and 3 open without them (a tenth of their
    # widgets), and a line comes with its field's first error, where it always was.
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = IdentityScreen(RegistrationDraft())
        await app.push_screen(screen)
        await pilot.pause()
        assert not screen.query(FieldErrorLine)
        await pilot.press("enter")  # Continuer with nothing filled in
        await wait_for_focus(pilot, "nir", "the first wrong field")
        for field, after in (("nir", "nir"), ("nom-naissance", "nom-naissance"),
                             ("date-naissance", "date-naissance"), ("cgu", "lire-cgu")):
            line = screen.query_one(f"#{field}-erreur", FieldErrorLine)
            assert line.parent is not None
            siblings = list(line.parent.children)
            assert siblings[siblings.index(line) - 1].id == after, field
            await wait_until(pilot, lambda line=line: line.region.height > 0, f"{field} shown")
        assert len(screen.error_lines) == 4  # each tells the form it is there (live checks)
        # A second attempt uses the same lines.
        await pilot.press("enter")
        await pilot.pause()
        assert len(screen.query(FieldErrorLine)) == 4

        draft = RegistrationDraft(nir=NIR, birth_name="DUPONT", birth_day="14",
                                  birth_month="05", birth_year="1985", terms_accepted=True,
                                  password=STRONG_PASSWORD,
                                  password_confirmation=STRONG_PASSWORD)
        contacts = ContactsScreen(draft)
        await app.push_screen(contacts)
        await pilot.pause()
        # The phones' lines come after their examples: composed with them.
        assert {line.field for line in contacts.query(FieldErrorLine)} == {
            "telephone", "telephone-secondaire"
        }
        contacts.show_errors([FieldError("confirmation-courriel", "Différent.")])
        line = contacts.query_one("#confirmation-courriel-erreur", FieldErrorLine)
        assert line.parent is not None
        assert [type(child).__name__ for child in line.parent.children] == [
            "Label", "SteadyInput", "FieldErrorLine"
        ]
        await wait_until(pilot, lambda: line.region.height > 0, "the line shown")
        assert "Différent." in shown_text(line)


async def test_a_line_disappears_once_its_field_is_corrected(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = IdentityScreen(RegistrationDraft())
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("enter")  # Continuer with nothing filled in
        await wait_for_focus(pilot, "nir", "the first wrong field")
        shown = {line.field for line in screen.query(FieldErrorLine) if line.display}
        assert shown == {"nir", "nom-naissance", "date-naissance", "cgu"}

        await type_text(pilot, "1 85 05 75 115 123 6")  # still one character short
        await pilot.pause()
        nir_line = screen.query_one("#nir-erreur", FieldErrorLine)
        assert nir_line.display
        await type_text(pilot, "4")
        await wait_until(pilot, lambda: not nir_line.display, "the NIR's line goes")
        shown = {line.field for line in screen.query(FieldErrorLine) if line.display}
        assert shown == {"nom-naissance", "date-naissance", "cgu"}  # no new line, none lost

        screen.query_one("#cgu").focus()
        await pilot.press("space")
        await pilot.pause()
        assert not screen.query_one("#cgu-erreur", FieldErrorLine).display


async def test_an_error_found_when_registering_goes_back_to_the_step_of_its_field(
    make_app: Any,
) -> None:
    """The password cannot contain the e-mail's local part: only known at step 3, so the
    service refuses at registration and the wizard returns to step 2 with the message."""
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        draft = draft_before(2)
        identity = IdentityScreen(draft)
        await app.push_screen(identity)
        await pilot.pause()
        await pilot.click("#continuer")
        await wait_until(pilot, lambda: isinstance(app.screen, PasswordScreen), "step 2")
        step2 = app.screen
        assert isinstance(step2, PasswordScreen)
        set_value(step2, "mot-de-passe", "Bateaulibre-42")
        set_value(step2, "confirmation-mot-de-passe", "Bateaulibre-42")
        await pilot.click("#valider")
        await wait_until(pilot, lambda: isinstance(app.screen, ContactsScreen), "step 3")
        step3 = app.screen
        assert isinstance(step3, ContactsScreen)
        set_value(step3, "courriel", "bateaulibre@example.fr")
        set_value(step3, "confirmation-courriel", "bateaulibre@example.fr")
        await pilot.click("#valider")
        await wait_until(pilot, lambda: app.screen is step2, "back to step 2")
        await wait_for_focus(pilot, "mot-de-passe", "the refused password")
        line = step2.query_one("#mot-de-passe-erreur", FieldErrorLine)
        assert line.message == (
            "Le mot de passe ne doit pas contenir l'identifiant de votre adresse électronique."
        )
        assert app.services.mailbox.messages() == []
