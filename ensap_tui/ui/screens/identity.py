"""Step 1 of 4: «Mon identité»."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Click
from textual.widgets import Button, Input, Label, Select, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.ui.screens.step import RegistrationStep
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.select_list import SelectList
from ensap_tui.ui.widgets.steady_input import SteadyInput
from ensap_tui.ui.widgets.step_indicator import StepIndicator
from ensap_tui.ui.widgets.tick_box import TickBox

NIR_HELP = (
    "Votre numéro de sécurité sociale comporte 15 caractères (13 chiffres et une clé de "
    "2 chiffres). Il figure sur votre carte Vitale ou sur votre carte CPS."
)
NAME_HELP = (
    "Le nom porté à votre naissance, tel qu'il figure sur votre acte de naissance "
    "(et non votre nom d'usage)."
)
#: The oldest birth year offered (the domain refuses earlier dates).
FIRST_YEAR = 1900


class HintMark(Static):
    """A «?» that shows its hint as a tooltip on hover, and under the field when clicked."""

    def __init__(self, hint: str, *, target: str, id: str | None = None) -> None:
        super().__init__("?", id=id, classes="aide-champ", markup=False)
        self.tooltip = hint
        self._target = target

    def on_click(self, event: Click) -> None:
        event.stop()
        hint = self.screen.query_one(f"#{self._target}", Static)
        hint.display = not hint.display


def _options(first: int, last: int, width: int) -> list[tuple[str, str]]:
    step = 1 if last >= first else -1
    return [(f"{n:0{width}d}", f"{n:0{width}d}") for n in range(first, last + step, step)]


def _selected(select: Select[str]) -> str:
    value = select.value
    return value if isinstance(value, str) else ""


class IdentityScreen(RegistrationStep):
    """Step 1: NIR, birth name, birth date (three lists) and the terms box.

    Ids: ``#etapes``, ``#nir`` (``#aide-nir`` «?»), ``#nom-naissance`` (``#aide-nom-naissance``),
    ``#jour`` ``#mois`` ``#annee``, ``#cgu``, ``#lire-cgu``, ``#retour-accueil``, ``#continuer``;
    errors in ``#nir-erreur``, ``#nom-naissance-erreur``, ``#date-naissance-erreur``,
    ``#cgu-erreur`` (each created with its field's first error). «Continuer» stores the fields
    in the draft and, when the services find nothing wrong, the wizard goes on to step 2;
    «Lire les conditions…» asks the wizard for the terms and ticks ``#cgu`` when they are
    accepted.
    """

    STEP: ClassVar[int] = 1
    HELP_TOPIC: ClassVar[str] = "identite"
    SCREEN_NAME: ClassVar[str] = "Étape 1 — Identité"
    FOCUS_FOR_FIELD: ClassVar[dict[str, str]] = {"date-naissance": "jour"}
    LAZY_ERROR_LINES: ClassVar[dict[str, str]] = {
        "nir": "nir",
        "nom-naissance": "nom-naissance",
        "date-naissance": "date-naissance",
        "cgu": "lire-cgu",
    }

    def compose_body(self) -> ComposeResult:
        draft = self.draft
        this_year = self.services.clock.now().astimezone().year
        yield StepIndicator(1)
        with Horizontal(classes="entete-formulaire"):
            yield Static("Créer mon espace sécurisé", classes="titre-page")
            yield Static("* Informations obligatoires", classes="obligatoire")
        yield Static("Mon identité", classes="titre-section")
        yield Static("Identité", classes="sous-titre")

        with Horizontal(classes="libelle"):
            yield Label("N° de sécurité sociale *  (15 caractères)")
            yield HintMark(NIR_HELP, target="nir-aide", id="aide-nir")
        yield Static(NIR_HELP, id="nir-aide", classes="aide-depliee", markup=False)
        nir_input = SteadyInput(
            draft.nir, placeholder="1 85 05 75 115 123 64", id="nir", max_length=30
        )
        nir_input.tooltip = NIR_HELP
        yield nir_input

        with Horizontal(classes="libelle"):
            yield Label("Nom de naissance *")
            yield HintMark(NAME_HELP, target="nom-naissance-aide", id="aide-nom-naissance")
        yield Static(NAME_HELP, id="nom-naissance-aide", classes="aide-depliee", markup=False)
        yield SteadyInput(draft.birth_name, placeholder="DUPONT", id="nom-naissance", max_length=80)

        yield Label("Date de naissance *  (JJ/MM/AAAA)", classes="libelle")
        with Horizontal(id="date-naissance"):
            yield SelectList(
                _options(1, 31, 2), prompt="JJ", id="jour", value=draft.birth_day or Select.NULL
            )
            yield SelectList(
                _options(1, 12, 2), prompt="MM", id="mois", value=draft.birth_month or Select.NULL
            )
            yield SelectList(
                _options(this_year, FIRST_YEAR, 4),
                prompt="AAAA",
                id="annee",
                value=draft.birth_year or Select.NULL,
            )

        yield TickBox(
            "* En cochant cette case, je déclare avoir lu, compris et accepté les conditions "
            "générales d'utilisation",
            draft.terms_accepted,
            id="cgu",
        )
        yield Button(
            "Lire les conditions générales d'utilisation", id="lire-cgu", classes="lien"
        )

        yield from action_bar(
            Button("Retour à la page d'accueil", id="retour-accueil"),
            right=[Button("Continuer", id="continuer", variant="primary")],
        )

    def save(self) -> None:
        """Copies the fields into the draft."""
        self.draft.nir = self.query_one("#nir", Input).value
        self.draft.birth_name = self.query_one("#nom-naissance", Input).value
        self.draft.birth_day = _selected(self.query_one("#jour", Select))
        self.draft.birth_month = _selected(self.query_one("#mois", Select))
        self.draft.birth_year = _selected(self.query_one("#annee", Select))
        self.draft.terms_accepted = self.query_one("#cgu", TickBox).value

    def check_fields(self) -> list[FieldError]:
        self.save()
        d = self.draft
        return self.services.registration.check_identity(
            d.nir, d.birth_name, d.birth_day, d.birth_month, d.birth_year, d.terms_accepted
        )

    def focus_field(self, field: str) -> None:
        """For the birth date, focuses the first list left empty (the day list otherwise)."""
        if field == "date-naissance":
            for list_id in ("jour", "mois", "annee"):
                if self.query_one(f"#{list_id}", Select).is_blank():
                    super().focus_field(list_id)
                    return
        super().focus_field(field)

    @on(Button.Pressed, "#lire-cgu")
    def _read_terms(self) -> None:
        self.wizard.read_terms(self._terms_read)

    def _terms_read(self, accepted: bool | None) -> None:
        box = self.query_one("#cgu", TickBox)
        if accepted:
            box.value = True
        box.focus()
