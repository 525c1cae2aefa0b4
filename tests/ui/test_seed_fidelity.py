"""The journey as on the guide (issue 11, point 13), leaving the wizard with something typed
(point 7), and «Suivre le lien» activating at once."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from ensap_tui.services.models import AccountStatus
from ensap_tui.ui.help import HelpScreen
from ensap_tui.ui.registration import ABANDON_TITLE, RegistrationDraft
from ensap_tui.ui.screens.activation import ActivationScreen
from ensap_tui.ui.screens.confirm import ConfirmScreen
from ensap_tui.ui.screens.contacts import PHONE_EXAMPLE, ContactsScreen
from ensap_tui.ui.screens.finalisation import FinalisationScreen
from ensap_tui.ui.screens.home import HomeScreen
from ensap_tui.ui.screens.identity import IdentityScreen
from ensap_tui.ui.screens.password import PasswordScreen
from tests.support.accounts import account
from tests.support.people import NIR, REQUEST
from tests.support.waiting import wait_for_focus, wait_until

from .registration_wizard import shown_text

SIZE = (100, 40)
NB = "\u00a0"


def texts(app: Any) -> str:
    """Every text the current screen paints, one widget a line, spaces made plain."""
    return "\n".join(shown_text(w) for w in app.screen.query(Static)).replace(NB, " ")


def plain(text: str) -> str:
    return " ".join(text.replace(NB, " ").split())


async def test_step_1_reads_as_on_the_guide(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(IdentityScreen(RegistrationDraft()))
        await pilot.pause()
        headings = [shown_text(w) for w in app.screen.query(".sous-titre")]
        assert "Identité" in headings
        box = plain(shown_text(app.screen.query_one("#cgu")))
        assert (
            "* En cochant cette case, je déclare avoir lu, compris et accepté les conditions "
            "générales d'utilisation"
        ) in box


async def test_step_2_reads_as_on_the_guide_with_its_link_in_the_sentence(
    make_app: Any,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(PasswordScreen(RegistrationDraft(nir=NIR, birth_name="DUPONT")))
        await pilot.pause()
        headings = [shown_text(w) for w in app.screen.query(".sous-titre")]
        assert "Mot de passe" in headings
        assert "Il est important de conserver précieusement son mot de passe." in texts(app)
        sentence = app.screen.query_one("#en-savoir-plus", Static)
        painted = shown_text(sentence)
        assert plain(painted).endswith("caractères spéciaux. Pour en savoir plus.")
        # A click on the link, where it is painted, opens the help on passwords.
        lines = painted.split("\n")
        row = next(i for i, line in enumerate(lines) if "Pour en savoir" in line)
        column = lines[row].index("Pour en savoir") + 2
        await pilot.click("#en-savoir-plus", offset=(column, row))
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help opens")
        assert isinstance(app.screen, HelpScreen) and app.screen.topic == "mot-de-passe"


async def test_each_phone_field_has_its_example_under_it(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ContactsScreen(RegistrationDraft()))
        await pilot.pause()
        for field in ("telephone", "telephone-secondaire"):
            column = app.screen.query_one(f"#{field}", Input).parent
            assert column is not None
            examples = [shown_text(w) for w in column.query(".exemple")]
            assert [plain(e) for e in examples] == [plain(PHONE_EXAMPLE)], field
            assert "0615147879" in examples[0]


async def test_finalisation_keeps_the_busy_site_sentence(make_app: Any) -> None:
    app = make_app()
    receipt = app.services.registration.register(REQUEST)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(FinalisationScreen(receipt))
        await pilot.pause()
        assert "en cas d'affluence sur notre site, ce courriel" in plain(texts(app))


async def test_following_the_link_activates_at_once(make_app: Any) -> None:
    app = make_app()
    app.services.registration.register(REQUEST)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#boite-reception")
        await wait_until(pilot, lambda: not app.screen.query_one("#suivre-lien").disabled)
        await pilot.click("#suivre-lien")
        await wait_until(pilot, lambda: isinstance(app.screen, ActivationScreen))
        await wait_until(
            pilot,
            lambda: "activé" in shown_text(app.screen.query_one("#message-activation")),
            "the activation's message",
        )
        found = account(app.services)
        assert found is not None and found.status is AccountStatus.ACTIVE


async def test_leaving_the_wizard_with_something_typed_asks_first(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#creer-espace")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityScreen), "step 1")
        step1 = app.screen
        step1.query_one("#nir", Input).value = NIR
        await pilot.pause()

        await pilot.press("escape")  # one Escape too many
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert plain(shown_text(app.screen.query_one("#confirmation-titre"))) == plain(
            ABANDON_TITLE
        )
        assert plain(ABANDON_TITLE) == "Abandonner la création de votre espace ?"
        await wait_for_focus(pilot, "annuler")  # Enter by habit loses nothing
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is step1, "back on step 1")
        assert step1.query_one("#nir", Input).value == NIR

        await pilot.click("#retour-accueil")  # the button asks the same
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.click("#confirmer")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")

        await pilot.click("#creer-espace")  # the draft went with the wizard
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityScreen), "step 1")
        assert app.screen.query_one("#nir", Input).value == ""


async def test_leaving_an_empty_wizard_asks_nothing(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#creer-espace")
        await wait_until(pilot, lambda: isinstance(app.screen, IdentityScreen), "step 1")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home at once")
