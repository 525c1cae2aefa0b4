"""The terms of use of the simulator («conditions générales d'utilisation»), read from step 1."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Markdown

from ensap_tui.ui.screens.dialog import Dialog

#: The simulator's own terms: modelled on the shape of a public service's terms of use, they
#: describe this training tool, not the real ENSAP.
TERMS_OF_USE = """
**Article 1 — Objet.** Le présent simulateur, ensap-tui, reproduit à des fins de formation le
parcours de création et d'utilisation d'un espace numérique sécurisé de l'agent public. Il n'est
ni édité ni validé par l'administration et ne remplace en aucun cas le service en ligne officiel.

**Article 2 — Absence de transmission.** Aucune donnée saisie n'est transmise à l'ENSAP ni à
aucun autre organisme. Le simulateur ne se connecte à aucun réseau : les courriels sont simulés et
restent dans la boîte de réception du simulateur.

**Article 3 — Données saisies.** Utilisez des données fictives. Ne saisissez jamais votre vrai
numéro de sécurité sociale ni un mot de passe que vous utilisez ailleurs. Les informations sont
conservées uniquement dans la base locale de cet ordinateur ; les mots de passe n'y sont jamais
stockés en clair.

**Article 4 — Identifiants.** L'espace simulé est accessible avec le numéro de sécurité sociale
et le mot de passe choisis à la création. Après trois tentatives de connexion infructueuses,
l'accès est momentanément bloqué, comme sur le service réel.

**Article 5 — Activation.** La création n'est définitive qu'après avoir suivi le lien envoyé par
courriel (simulé), valable 24 heures. Passé ce délai, la demande est effacée et la procédure doit
être recommencée.

**Article 6 — Responsabilité.** Le simulateur est fourni tel quel, pour la formation et les
tests. Les documents, montants et informations affichés sont fictifs et n'ont aucune valeur.

**Article 7 — Acceptation.** Cocher la case « Je déclare avoir lu, compris et accepté les
conditions générales d'utilisation » vaut acceptation des présentes conditions.
"""


class TermsScreen(Dialog[bool]):
    """The terms of use over the identity step.

    Dismisses with True from «J'accepte» (``#accepter-cgu``: the caller ticks ``#cgu``) and with
    False from «Fermer» (``#fermer-cgu``) or Escape.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Fermer", key_display="Échap"),
    ]
    #: What a training room's poste reports while the terms are open.
    SCREEN_NAME = "Étape 1 — Conditions d'utilisation"

    PREFIX = "cgu"

    def __init__(self) -> None:
        super().__init__(
            "Conditions générales d'utilisation du simulateur",
            [
                (Button("Fermer", id="fermer-cgu"), False),
                (Button("J'accepte", id="accepter-cgu", variant="primary"), True),
            ],
            False,
        )

    def compose_content(self) -> ComposeResult:
        with VerticalScroll(id="cgu-defilement"):
            yield Markdown(TERMS_OF_USE, id="cgu-texte")

    def on_mount(self) -> None:
        self.query_one("#cgu-defilement").focus()
