"""The frame every screen shares (header line, simulator banner, scrolling body, footer), and the
form behaviour the step screens share (errors next to fields, Enter submits, busy state)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Select, Static

from ensap_tui.ui.widgets.field_error import FieldErrorLine

if TYPE_CHECKING:
    from ensap_tui.domain.errors import FieldError
    from ensap_tui.services.container import Services

#: Shown on every screen, under the header line.
SIMULATOR_BANNER = (
    "Simulation : aucune donnée n'est transmise à l'ENSAP. N'utilisez pas vos vrais identifiants."
)
#: Left and right of the header line.
HEADER_TITLE = "ENSAP — Espace numérique sécurisé de l'agent public"
HEADER_TAG = "Simulateur de formation"


class _HasServices(Protocol):
    services: Services
    demo: bool


class EnsapScreen(Screen[object]):
    """Base of every full screen: subclasses implement :meth:`compose_body`.

    - ``HELP_TOPIC`` names the help page F1 opens for this screen (``ui/help/pages/<topic>.md``).
    - :attr:`services` is the app's :class:`~ensap_tui.services.container.Services`.
    - :meth:`go_back` is what Escape does (the app calls it); by default it closes the screen.
    - :meth:`show_errors` puts each :class:`~ensap_tui.domain.errors.FieldError` in the
      ``FieldErrorLine`` of its field (``#<field>-erreur``) and focuses the first invalid field;
      ``FOCUS_FOR_FIELD`` maps a field to another widget id when they differ (e.g.
      ``{"date-naissance": "jour"}``).
    """

    HELP_TOPIC: ClassVar[str] = "accueil"
    #: Focus goes to the first focusable field inside the body as soon as the screen is
    #: composed (not the scrolling body itself, and not later in on_mount, where it would
    #: steal the focus back from a user who already typed Tab on a slow machine).
    AUTO_FOCUS: ClassVar[str | None] = "#corps *"
    FOCUS_FOR_FIELD: ClassVar[dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="entete"):
            yield Static(HEADER_TITLE, id="entete-titre", markup=False)
            tag = HEADER_TAG + (" — démonstration" if self._demo else "")
            yield Static(tag, id="entete-simulateur", markup=False)
        yield Static(f"▌{SIMULATOR_BANNER}", id="bandeau-simulation", markup=False)
        with VerticalScroll(id="corps"):
            yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """The screen's own content, placed inside the scrolling body."""
        yield from ()

    @property
    def _demo(self) -> bool:
        return bool(getattr(self.app, "demo", False))

    @property
    def services(self) -> Services:
        """The application's services."""
        return cast(_HasServices, self.app).services

    def go_back(self) -> None:
        """What Escape does here: close this screen (the home screen stays)."""
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.dismiss()

    def return_home(self, then: Screen[object] | None = None) -> None:
        """Closes every screen above the home page, then opens ``then`` over it if given.

        Used when going back makes no sense any more (after registering, signing out, ...).
        """
        app = self.app

        async def unwind() -> None:
            with app.batch_update():
                while len(app.screen_stack) > 1:
                    await app.pop_screen()
                if then is not None:
                    await app.push_screen(then)

        app.call_later(unwind)

    # Errors next to their fields.

    def show_errors(self, errors: Sequence[FieldError]) -> bool:
        """Shows each error under its field, clears the others, focuses the first invalid field.

        An error whose field has no ``#<field>-erreur`` line on this screen is shown as a
        notification. Returns True when there was at least one error.
        """
        messages: dict[str, str] = {}
        for error in errors:
            messages.setdefault(error.field, error.message)
        lines = {line.field: line for line in self.query(FieldErrorLine)}
        for field, line in lines.items():
            line.message = messages.get(field, "")
        for field, message in messages.items():
            if field not in lines:
                self.notify(message, severity="error", markup=False)
        if errors:
            self.focus_field(errors[0].field)
        return bool(errors)

    def clear_errors(self) -> None:
        """Hides every error line of this screen."""
        for line in self.query(FieldErrorLine):
            line.clear()

    def focus_field(self, field: str) -> None:
        """Focuses the widget of ``field`` (through ``FOCUS_FOR_FIELD``) and scrolls to it."""
        target = self.FOCUS_FOR_FIELD.get(field, field)
        widgets = self.query(f"#{target}")
        if widgets:
            widget = widgets.first(Widget)
            widget.focus()
            widget.scroll_visible()


class FormScreen(EnsapScreen):
    """A screen with fields and one main action.

    Subclasses implement :meth:`submit` (Enter in an input, Enter on a box, or their main button
    calls it) and, for live clearing of errors, :meth:`check_fields` (cheap checks, no I/O, through
    the services). Once an error line shows, every edit re-runs :meth:`check_fields`: the lines of
    corrected fields disappear and the others follow the current message; no new line appears
    before the next submission. :meth:`set_busy` disables the buttons while a worker runs.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Valider", show=False),
    ]

    def submit(self) -> None:
        """The screen's main action (Continuer, Valider, ...)."""

    def check_fields(self) -> list[FieldError] | None:
        """The current errors of the form, or None when the screen does not check live."""
        return None

    def action_submit(self) -> None:
        self.submit()

    @on(Input.Submitted)
    def _submit_from_input(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _recheck(self) -> None:
        self.refresh_errors()

    def refresh_errors(self) -> None:
        """Clears the lines of fields now valid; updates the messages of those still wrong."""
        shown = [line for line in self.query(FieldErrorLine) if line.message]
        if not shown:
            return
        errors = self.check_fields()
        if errors is None:
            return
        messages: dict[str, str] = {}
        for error in errors:
            messages.setdefault(error.field, error.message)
        for line in shown:
            line.message = messages.get(line.field, "")

    def set_busy(self, busy: bool) -> None:
        """Disables (or enables again) every button and shows ``#travail-en-cours`` if present."""
        # A state flag only (no style uses it): restyling the whole screen for it would stall
        # the screen for tens of milliseconds at the very moment its work starts.
        self.set_class(busy, "-occupe", update=False)
        for button in self.query(Button):
            button.disabled = busy
        for indicator in self.query("#travail-en-cours"):
            indicator.display = busy
