"""«Activer mon espace»: paste the link of the activation mail (or the bare token)."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Label, Static

from ensap_tui.services.models import ActivationOutcome
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.base import FormScreen
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.link_input import LinkInput
from ensap_tui.ui.widgets.notice import Notice, NoticeKind

INTRO = (
    "Collez le lien reçu par courriel pour finaliser la création de votre espace (le lien "
    "entier, ou seulement le code qui le termine), puis choisissez « Activer mon espace ». "
    "Le lien est valable 24 heures et ne sert qu'une fois."
)

#: What each outcome says, and how it is framed.
OUTCOMES: dict[ActivationOutcome, tuple[str, NoticeKind]] = {
    ActivationOutcome.ACTIVATED: (
        "Votre espace sécurisé est activé. Vous pouvez maintenant y accéder avec votre numéro "
        "de sécurité sociale et le mot de passe choisi lors de la création.",
        "succes",
    ),
    ActivationOutcome.EXPIRED: (
        "Ce lien a expiré : il n'était valable que 24 heures. Votre demande de création a été "
        "supprimée ; recommencez la création de votre espace.",
        "erreur",
    ),
    ActivationOutcome.ALREADY_USED: (
        "Ce lien a déjà été utilisé : votre espace est déjà activé. Accédez à votre espace avec "
        "votre numéro de sécurité sociale et votre mot de passe.",
        "info",
    ),
    ActivationOutcome.UNKNOWN: (
        "Ce lien n'est pas reconnu. Vérifiez que vous avez copié le lien entier du dernier "
        "courriel reçu : un nouveau lien remplace le précédent.",
        "erreur",
    ),
}


class ActivationScreen(FormScreen):
    """``#lien`` (filled with ``link`` when given) and ``#activer``; with ``follow``, the link
    is activated as soon as the screen opens («Suivre le lien» in the mailbox).

    The outcome goes to ``#message-activation``. After «activated» or «already used»,
    ``#acceder-espace`` («Accéder à mon espace») opens the sign-in screen; after «expired»,
    ``#creer-espace`` («Créer mon espace») starts the creation again. Input that is neither a
    link nor a token is reported in ``#lien-erreur``.
    """

    HELP_TOPIC = "activation"
    SCREEN_NAME = "Activation de l'espace"

    def __init__(self, link: str = "", *, follow: bool = False) -> None:
        super().__init__()
        self._link = link
        self._follow = follow

    def compose_body(self) -> ComposeResult:
        yield Static("Activer mon espace", classes="titre-page")
        yield Static(INTRO, classes="introduction", markup=False)
        yield Label(
            "Lien d'activation *  (ensap-tui://activer/… ou le code seul)", classes="libelle"
        )
        yield LinkInput(self._link, id="lien", max_length=400)
        yield FieldErrorLine("lien")
        yield Notice(id="message-activation")
        yield from action_bar(
            Button("Retour", id="retour"),
            right=[
                Button("Créer mon espace", id="creer-espace"),
                Button("Accéder à mon espace", id="acceder-espace"),
                Button("Activer mon espace", id="activer", variant="primary"),
            ],
        )

    def on_mount(self) -> None:
        self.query_one("#creer-espace").display = False
        self.query_one("#acceder-espace").display = False
        if self._follow and self._link:
            self.submit()  # «Suivre le lien» activates at once, as a real mail's link does

    @on(Button.Pressed, "#activer")
    def submit(self) -> None:
        if not self.begin_attempt("creer-espace", "acceder-espace"):
            return
        self.call_service(
            partial(self.services.activation.activate, self.query_one("#lien", LinkInput).value),
            self._show_outcome,
            group="activation",
        )

    def _show_outcome(self, outcome: ActivationOutcome) -> None:
        text, kind = OUTCOMES[outcome]
        self.query_one("#message-activation", Notice).show(text, kind)
        if outcome is ActivationOutcome.EXPIRED:
            follow_up = self.query_one("#creer-espace", Button)
        elif outcome is ActivationOutcome.UNKNOWN:
            self.query_one("#lien", LinkInput).focus()
            return
        else:
            follow_up = self.query_one("#acceder-espace", Button)
        follow_up.display = True
        follow_up.focus()

    @on(Button.Pressed, "#acceder-espace")
    def _sign_in(self) -> None:
        self.navigator.open(to.SignIn())

    @on(Button.Pressed, "#creer-espace")
    def _create(self) -> None:
        # Starting over: the creation opens over the home page, with nothing kept.
        self.return_home(to.Registration())
