"""Step 4 of 4: «Votre espace sécurisé est en cours de création»."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Button, Static

from ensap_tui.domain.timefmt import format_datetime
from ensap_tui.services.models import RegistrationReceipt
from ensap_tui.ui.screens.base import EnsapScreen
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.step_indicator import StepIndicator


class FinalisationScreen(EnsapScreen):
    """The end of the wizard: the address the mail went to and what to do next.

    Shown alike for a new space and for a NIR that already had one (the receipt is the same, so
    nothing is disclosed). Ids: ``#etapes``, ``#adresse-envoi``, ``#validite``, ``#ouvrir-boite``,
    ``#retour-accueil``. It sits right above the home page: Escape goes home.
    """

    STEP: ClassVar[int] = 4
    HELP_TOPIC: ClassVar[str] = "finalisation"
    SCREEN_NAME: ClassVar[str] = "Étape 4 — Finalisation"
    AUTO_FOCUS: ClassVar[str | None] = None  # see on_mount

    def __init__(self, receipt: RegistrationReceipt) -> None:
        super().__init__()
        self.receipt = receipt

    def compose_body(self) -> ComposeResult:
        yield StepIndicator(4)
        yield Static("Votre espace sécurisé est en cours de création", classes="titre-page")
        yield Static(
            "La création de votre espace a bien été prise en compte. Nous vous en remercions.",
            classes="paragraphe",
        )
        yield Static(
            "Un courriel vous est envoyé sur l'adresse de messagerie affichée ci-dessous. "
            "Veuillez la vérifier. En cas d'erreur, vous devez recommencer toute la procédure "
            "après un délai de 24 heures.",
            classes="paragraphe",
        )
        yield Static(self.receipt.email, id="adresse-envoi", markup=False)
        yield Static(
            "Consultez votre messagerie et cliquez sur le lien contenu dans le message afin de "
            "finaliser la création de votre espace. Attention : ce lien a une validité limitée "
            "à 24 heures. Passé ce délai, vous devrez recommencer la procédure.",
            classes="paragraphe",
        )
        yield Static(
            f"Lien valable jusqu'au {format_datetime(self.receipt.valid_until)}.",
            id="validite",
            classes="paragraphe",
        )
        yield Static("Si vous ne recevez pas ce courriel :", classes="sous-titre")
        yield Static(
            "- vérifiez que votre messagerie ne l'a pas classé en tant que spam ou courrier "
            "indésirable ;\n"
            "- attention : en cas d'affluence sur notre site, ce courriel peut vous parvenir "
            "dans un délai maximum de 24 heures. Merci pour votre compréhension.",
            classes="paragraphe liste",
        )
        yield from action_bar(
            Button(
                "Ouvrir la boîte de réception (simulée)", id="ouvrir-boite", variant="primary"
            ),
            right=[Button("Retour à l'accueil", id="retour-accueil")],
        )

    def on_mount(self) -> None:
        # «Ouvrir la boîte de réception» has the focus (Enter opens the mailbox), but the page
        # opens at its top: on a small terminal the title and the address come first.
        self.query_one("#ouvrir-boite").focus(scroll_visible=False)

    def go_back(self) -> None:
        """The space is created: going back leads home, not to step 3."""
        self.return_home()
