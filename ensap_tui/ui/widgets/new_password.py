"""A new password: its input, the rules it must follow, its «Niveau de sécurité», its
confirmation, each input with its «Afficher» box."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import var
from textual.widgets import Input, Static

from ensap_tui.domain.password import Assessment, PersonalInfo, Rule, assess
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.password_field import PasswordField
from ensap_tui.ui.widgets.rules_checklist import RulesChecklist
from ensap_tui.ui.widgets.strength_meter import StrengthMeter

#: The rules in a sentence, above the checklist (the creation's step 2 says it its own way).
RULES_INTRO = (
    "Le mot de passe doit être « FORT » : au moins 8 caractères et 3 des 4 types suivants, "
    "sans votre nom, votre date de naissance ni votre numéro de sécurité sociale."
)


class NewPassword(Vertical):
    """The one new-password widget (creation step 2, the reset, the change of password).

    It composes, in order: ``PasswordField`` ``#mot-de-passe`` (with ``#afficher-mot-de-passe``)
    and its ``#mot-de-passe-erreur`` line, the rules sentence (``.consigne``), the checklist
    ``#regles``, the meter ``#niveau-securite``, then ``#confirmation-mot-de-passe`` (with its
    box) and its ``#confirmation-mot-de-passe-erreur`` line. With ``learn_more`` (an action,
    such as ``"screen.learn_more"``), the sentence of rules ends with a «Pour en savoir plus.»
    link that runs it, and is ``#en-savoir-plus``. Screens keep handling the inputs'
    ``Input.Changed`` / ``Input.Submitted`` and showing errors by field as before.

    What the password must not contain comes down reactively, as Textual's ``ProgressBar`` feeds
    its parts: the screen declares a ``personal`` reactive and binds it,
    ``NewPassword(...).data_bind(MyScreen.personal)``. The checklist and the meter are bound in
    turn to :attr:`rules` and :attr:`level`, set here while the key is being processed (a
    watcher on the input's value, not its ``Changed`` message, which would often reach us after
    the frame and cost a second one). Each gets only what it shows, so a key that turns no rule
    around and leaves the level as it was costs them nothing.
    """

    DEFAULT_CSS = """
    NewPassword {
        height: auto;
        width: 1fr;
    }
    """

    personal: var[PersonalInfo | None] = var(None, init=False)
    """What the password must not contain (the person's name, birth date, NIR, e-mail), or
    ``None`` while it is not known."""

    rules: var[tuple[Rule, ...]] = var((), init=False)
    """The rules of the current password's assessment, in display order, for the checklist."""

    level: var[str] = var("", init=False)
    """The current password's level, for the meter: ``""`` while the input is empty, else
    ``"Faible"``, ``"Moyen"`` or ``"Fort"``."""

    def __init__(
        self,
        *,
        label: str = "Nouveau mot de passe *",
        confirmation_label: str = "Confirmation mot de passe *",
        rules_text: str = RULES_INTRO,
        learn_more: str | None = None,
        password: str = "",
        confirmation: str = "",
        personal: PersonalInfo | None = None,
        id: str | None = "nouveau-mot-de-passe",
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._label = label
        self._confirmation_label = confirmation_label
        self._rules_text = rules_text
        self._learn_more = learn_more
        self._password = password
        self._confirmation = confirmation
        self.set_reactive(NewPassword.personal, personal)
        self._assessment = assess(password, personal)
        self.set_reactive(NewPassword.rules, self._assessment.rules)
        self.set_reactive(NewPassword.level, self._assessment.level if password else "")
        self._input: Input | None = None

    def compose(self) -> ComposeResult:
        yield PasswordField(self._label, input_id="mot-de-passe", value=self._password)
        yield FieldErrorLine("mot-de-passe")
        if self._learn_more is None:
            yield Static(self._rules_text, classes="consigne", markup=False)
        else:
            # The link ends the sentence of rules, as on the real site.
            link = Content.from_markup(f"[@click={self._learn_more}]Pour en savoir plus.[/]")
            sentence = Content.assemble(self._rules_text, " ", link)
            yield Static(sentence, id="en-savoir-plus", classes="consigne")
        yield RulesChecklist(self.rules).data_bind(NewPassword.rules)
        yield StrengthMeter(self.level).data_bind(NewPassword.level)
        yield PasswordField(
            self._confirmation_label,
            input_id="confirmation-mot-de-passe",
            value=self._confirmation,
        )
        yield FieldErrorLine("confirmation-mot-de-passe")

    def on_mount(self) -> None:
        self._input = self.query_one("#mot-de-passe", Input)
        self.watch(self._input, "value", self._set_assessment, init=False)

    @property
    def assessment(self) -> Assessment:
        """The current password's assessment."""
        return self._assessment

    @property
    def password(self) -> str:
        """The new password as typed."""
        return self.query_one("#mot-de-passe", Input).value

    @property
    def confirmation(self) -> str:
        """Its confirmation as typed."""
        return self.query_one("#confirmation-mot-de-passe", Input).value

    def watch_personal(self) -> None:
        self._set_assessment(self._input.value if self._input is not None else self._password)

    def _set_assessment(self, password: str) -> None:
        assessment = self._assessment = assess(password, self.personal)
        # Reactives: the checklist and the meter hear only of a change.
        self.rules = assessment.rules
        self.level = assessment.level if password else ""
