"""«Réinitialisation du mot de passe»: a new password through the link of the reset mail."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.reactive import var
from textual.widgets import Button, Input, Label, Static

from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo
from ensap_tui.services.models import ResetOutcome
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.base import FormScreen
from ensap_tui.ui.widgets.action_bar import action_bar
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.link_input import LinkInput
from ensap_tui.ui.widgets.new_password import NewPassword
from ensap_tui.ui.widgets.notice import Notice

INTRO = (
    "Choisissez un nouveau mot de passe pour votre espace. Le lien reçu par courriel est "
    "valable 30 minutes et ne sert qu'une fois."
)
DONE = (
    "Votre mot de passe a été modifié. Accédez à votre espace avec votre numéro de sécurité "
    "sociale et ce nouveau mot de passe."
)
#: Why a link cannot be used, for each outcome other than DONE.
LINK_PROBLEMS: dict[ResetOutcome, str] = {
    ResetOutcome.EXPIRED: (
        "Ce lien a expiré : il n'était valable que 30 minutes. Refaites une demande avec "
        "« Mot de passe oublié »."
    ),
    ResetOutcome.ALREADY_USED: (
        "Ce lien a déjà été utilisé. Si vous n'avez pas changé votre mot de passe vous-même, "
        "refaites une demande avec « Mot de passe oublié »."
    ),
    ResetOutcome.UNKNOWN: (
        "Ce lien n'est pas reconnu. Vérifiez que vous avez copié le lien entier du dernier "
        "courriel reçu (un nouveau lien remplace le précédent), ou refaites une demande avec "
        "« Mot de passe oublié »."
    ),
}


class ResetPasswordScreen(FormScreen):
    """``#lien`` (filled with ``link`` when given), ``#mot-de-passe`` with ``#regles`` and
    ``#niveau-securite`` updated live, ``#confirmation-mot-de-passe``, ``#valider``.

    The strength is judged against the link's account (its name, birth date, NIR, e-mail) as
    soon as the link is known. Field errors go to ``#lien-erreur``, ``#mot-de-passe-erreur``,
    ``#confirmation-mot-de-passe-erreur``. A link that cannot be used (expired, already used,
    unknown) is explained in ``#message-reinitialisation`` with ``#mot-de-passe-oublie`` to ask
    again; a prefilled link is checked on arrival. On success the sign-in screen opens and says
    the password was changed. Hashing runs in a thread worker.
    """

    HELP_TOPIC = "reinitialisation"
    SCREEN_NAME = "Réinitialisation du mot de passe"

    personal: var[PersonalInfo | None] = var(None, init=False)
    """The link's account (name, birth date, NIR, e-mail) once the link is known, for the
    :class:`NewPassword` checks."""

    def __init__(self, link: str = "") -> None:
        super().__init__()
        self._link = link
        if link:
            # Coming from the mail, the link is there: the first thing to type is the password.
            self.AUTO_FOCUS = "#corps #mot-de-passe"  # type: ignore[misc]

    def compose_body(self) -> ComposeResult:
        yield Static("Réinitialisation du mot de passe", classes="titre-page")
        yield Static(INTRO, classes="introduction", markup=False)
        yield Label(
            "Lien de réinitialisation *  (ensap-tui://reinitialiser/… ou le code seul)",
            classes="libelle",
        )
        yield LinkInput(self._link, id="lien", max_length=400)
        yield FieldErrorLine("lien")
        yield NewPassword().data_bind(ResetPasswordScreen.personal)
        yield Notice(id="message-reinitialisation")
        yield from action_bar(
            Button("Retour", id="retour"),
            right=[
                Button("Mot de passe oublié", id="mot-de-passe-oublie"),
                Button("Valider", id="valider", variant="primary"),
            ],
            busy="Enregistrement du nouveau mot de passe…",
        )

    def on_mount(self) -> None:
        self.query_one("#mot-de-passe-oublie").display = False
        if self._link:
            problem = self._load_personal(self._link)
            if problem is not None:
                self._show_link_problem(problem)

    def _load_personal(self, link: str) -> ResetOutcome | None:
        """Reads the link's account data for the meter; returns why the link cannot be used."""
        recovery = self.services.recovery

        def read() -> PersonalInfo | ResetOutcome | None:
            try:
                return recovery.personal_for_reset(link)
            except FieldError:
                return None  # not a link (yet): the rules are checked without it

        found = self.call_now(read)
        if found is None:
            self.personal = None
            return None
        if isinstance(found, ResetOutcome):
            self.personal = None
            return found
        self.personal = found
        return None

    @on(Input.Changed, "#lien")
    def _link_changed(self, event: Input.Changed) -> None:
        self._load_personal(event.value)

    def check_fields(self) -> list[FieldError] | None:
        # Cheap checks (no I/O) so shown errors follow the corrections live.
        return self.services.registration.check_password(
            self.query_one("#mot-de-passe", Input).value,
            self.query_one("#confirmation-mot-de-passe", Input).value,
            self.personal or PersonalInfo(),
        )

    @on(Button.Pressed, "#valider")
    def submit(self) -> None:
        if not self.begin_attempt("mot-de-passe-oublie"):
            return
        self.call_service(
            partial(
                self.services.recovery.reset_password,
                self.query_one("#lien", LinkInput).value,
                self.query_one("#mot-de-passe", Input).value,
                self.query_one("#confirmation-mot-de-passe", Input).value,
            ),
            self._show_outcome,
            group="reinitialisation",
        )

    def _show_outcome(self, outcome: ResetOutcome) -> None:
        if outcome is ResetOutcome.DONE:
            for field in ("#mot-de-passe", "#confirmation-mot-de-passe"):
                self.query_one(field, Input).value = ""
            self._go_to_sign_in()
            return
        self._show_link_problem(outcome)

    def _show_link_problem(self, outcome: ResetOutcome) -> None:
        self.query_one("#message-reinitialisation", Notice).show(LINK_PROBLEMS[outcome], "erreur")
        self.query_one("#mot-de-passe-oublie").display = True

    def _go_to_sign_in(self) -> None:
        self.navigator.return_to(to.SignIn(notice=DONE))

    @on(Button.Pressed, "#mot-de-passe-oublie")
    def _ask_again(self) -> None:
        self.navigator.return_to(to.ForgotPassword())
