"""The frame every screen shares (header line, simulator banner, scrolling body, footer), the one
path from a screen to a service (:meth:`EnsapScreen.call_service`), and the form behaviour the
step screens share (errors next to fields, Enter submits)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol, TypeVar, cast

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.selection import SelectState
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static
from textual.worker import Worker, WorkerState

from ensap_tui.domain.errors import FieldError
from ensap_tui.services.errors import NotSignedIn, ValidationFailed
from ensap_tui.ui.browser_keys import shown_key
from ensap_tui.ui.screens.navigation import Mailbox
from ensap_tui.ui.widgets.busy_line import BusyLine
from ensap_tui.ui.widgets.field_error import FieldErrorLine
from ensap_tui.ui.widgets.footer import EnsapFooter
from ensap_tui.ui.widgets.notice import Notice

if TYPE_CHECKING:
    from textual.app import App

    from ensap_tui.services.container import Services
    from ensap_tui.services.ports import DamagedRecord
    from ensap_tui.ui.screens.navigation import Destination, Navigator

_T = TypeVar("_T")

#: Shown on every screen, under the header line.
SIMULATOR_BANNER = (
    "Simulation : aucune donnée n'est transmise à l'ENSAP. N'utilisez pas vos vrais identifiants."
)
#: Left and right of the header line.
HEADER_TITLE = "ENSAP — Espace numérique sécurisé de l'agent public"
HEADER_TAG = "Simulateur de formation"


def show_header_tag(screen: Screen[object], text: str) -> None:
    """Writes ``text`` on the right of ``screen``'s header line (``#entete-simulateur``).

    Nothing is done when it already shows ``text``: the clocks write it every second though
    it changes once a minute, and each update repaints the header. A text of the same width
    (the next minute) repaints only the tag; the screen is laid out again only when the
    width changes (the first clock text in place of the plain tag)."""
    tag = screen.header_tag if isinstance(screen, EnsapScreen) else None
    if tag is None:
        return
    shown = tag.content
    if shown != text:
        tag.update(text, layout=not isinstance(shown, str) or cell_len(shown) != cell_len(text))


class _HasServices(Protocol):
    services: Services
    navigator: Navigator
    demo: bool


# Named tuples rather than dataclasses: this module is imported as the app starts, and a
# dataclass compiles its methods when its class is made (about half a millisecond each).
class _Answer(NamedTuple):
    """What a service call's worker returns: the call's value, or the error it raised, and the
    damaged rows the lists read for it left out. The worker itself always succeeds, so that
    waiting for it (``App.workers.wait_for_complete``) never raises either."""

    value: Any
    error: Exception | None
    damaged: list[DamagedRecord]


class _Call(NamedTuple):
    """What to do on the screen's thread when a call started by :meth:`EnsapScreen.call_service`
    ends."""

    then: Callable[[Any], object] | None
    after: Callable[[], object] | None
    busy: bool


class EnsapScreen(Screen[object]):
    """Base of every full screen: subclasses implement :meth:`compose_body`.

    - ``HELP_TOPIC`` names the help page F1 opens for this screen (``ui/help/pages/<topic>.md``).
    - :attr:`services` is the app's :class:`~ensap_tui.services.container.Services`.
    - :attr:`navigator` opens the other screens (see ``ui/screens/navigation.py``): a screen
      never imports another to open it.
    - :meth:`go_back` is what Escape does (the app calls it); by default it closes the screen.
    - :meth:`show_errors` puts each :class:`~ensap_tui.domain.errors.FieldError` in the
      ``FieldErrorLine`` of its field (``#<field>-erreur``, created then for the fields of
      ``LAZY_ERROR_LINES``) and focuses the first invalid field; ``FOCUS_FOR_FIELD`` maps a
      field to another widget id when they differ (e.g. ``{"date-naissance": "jour"}``).
      Changing a field hides its error line (see
      :meth:`FormScreen.refresh_errors`); a screen the journey comes back to shows none.
    """

    HELP_TOPIC: ClassVar[str] = "accueil"
    #: The screen's short French name, which a training room's poste reports to the
    #: trainer's board («Étape 2 — Mot de passe», «Boîte de réception»).
    SCREEN_NAME: ClassVar[str] = ""
    #: How long the same trouble notice is not repeated (a live check may fail on every key).
    TROUBLE_REPEAT_SECONDS: ClassVar[float] = 10.0
    #: True while a call started with ``busy=True`` runs (see :meth:`set_busy`).
    busy: bool = False
    #: Focus goes to the first focusable field inside the body as soon as the screen is
    #: composed (not the scrolling body itself, and not later in on_mount, where it would
    #: steal the focus back from a user who already typed Tab on a slow machine).
    AUTO_FOCUS: ClassVar[str | None] = "#corps *"
    FOCUS_FOR_FIELD: ClassVar[dict[str, str]] = {}
    #: Error lines the screen creates when an error first shows rather than with the screen:
    #: each field, and the id of the widget its line comes right after (see
    #: :meth:`error_line`). A hidden line is still a widget composed, mounted and styled as
    #: the screen opens, for forms that are mostly filled in right.
    LAZY_ERROR_LINES: ClassVar[dict[str, str]] = {}
    #: The screen has its breakpoint classes (``-court``, ``-etroit``...) for the terminal's
    #: size before it is first styled (see :meth:`breakpoint_classes`); False: at its first
    #: Resize, as Textual gives them (the screen is then styled twice).
    EARLY_BREAKPOINTS: ClassVar[bool] = True

    # Textual's screen repaints itself whole when its focused widget or its mouse-selection
    # state changes, that is twice on every click into a field or a list (a mouse-selection
    # starts on the press and is dropped on the release): every widget rendered again and
    # the whole screen sent, for nothing, since the widgets concerned repaint themselves (a
    # focused or blurred widget is restyled; a widget whose selected text changes is told so
    # through ``selections`` and refreshes). Here neither change repaints the screen itself.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    _select_state: Reactive[SelectState | None] = Reactive(None, repaint=False)

    def _watch__select_state(self, select_state: SelectState | None) -> None:
        if select_state is None:
            # Textual's watcher also repaints the screen here (see above).
            self._selecting = False
            return
        super()._watch__select_state(select_state)

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self._service_calls: dict[Worker[Any], _Call] = {}
        self._last_trouble: tuple[str, float] | None = None
        self._values_at_error: dict[str, object] = {}
        self._resumed = False
        #: True from the first resume to the end of the layout Textual then does at once.
        self._first_layout = False
        #: True while that layout runs: its frame is left to the layout due next, if any.
        self._frame_deferred = False
        #: The size of the app's first screen's first layout, left for its update.
        self._opening_size: Size | None = None
        #: True for a screen pushed (or switched to), False for the app's first screen.
        self._pushed = False
        #: True from the first resume until the screen's first frame is drawn.
        self._opening = False
        #: True from a push until Textual has awaited the mounting of the screen's widgets
        #: (see :meth:`mount_awaited`); the first screen of the app is not pushed.
        self.mount_pending = False
        #: The right of the header line (``#entete-simulateur``), kept for the clocks that
        #: write it every second (a query would walk the whole screen each time).
        self.header_tag: Static | None = None
        #: The screen's mounted error lines (each adds itself), read on every key of a form.
        self.error_lines: set[FieldErrorLine] = set()
        self._preset_breakpoints()

    def _preset_breakpoints(self) -> None:
        """Gives the screen now the app's size classes (``-court``/``-haut``), which Textual
        gives it at its first Resize, after the screen is mounted and styled: a change of
        class then styles the whole new screen a second time. The Resize finds them set and
        changes nothing (it still corrects them should the size differ).

        A screen with breakpoints of its own (``-etroit``/``-large``) keeps Textual's order:
        its first focus scrolls the body as laid out before them (the 80-column demo page)."""
        if self.HORIZONTAL_BREAKPOINTS is not None or self.VERTICAL_BREAKPOINTS is not None:
            return
        try:
            app = self.app
        except RuntimeError:  # Textual's NoActiveAppError: Textual's Resize sets them
            return
        width, height = app.size
        for breakpoints, dimension in (
            (app.HORIZONTAL_BREAKPOINTS or [], width), (app.VERTICAL_BREAKPOINTS or [], height)
        ):
            for start, name in sorted(breakpoints, reverse=True):
                if dimension >= start:
                    # Not attached yet: no styles are computed for it (EnsapApp.update_styles).
                    self.add_class(name)
                    break

    def compose(self) -> ComposeResult:
        with Horizontal(id="entete"):
            yield Static(HEADER_TITLE, id="entete-titre", markup=False)
            tag = HEADER_TAG + (" — démonstration" if self._demo else "")
            self.header_tag = Static(tag, id="entete-simulateur", markup=False)
            yield self.header_tag
        yield Static(f"▌{SIMULATOR_BANNER}", id="bandeau-simulation", markup=False)
        with VerticalScroll(id="corps"):
            yield from self.compose_body()
        yield EnsapFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own content, placed inside the scrolling body."""
        yield from ()

    # A pushed screen is styled, laid out and drawn once, not two or three times. Textual gives
    # a new screen its breakpoint classes (``-court``/``-haut``) only at its first Resize,
    # which its own first layout sends it: the class change restyled the whole screen again
    # and the Resize laid it out and drew it in full once more, at the size it had just been
    # laid out at (with the screens under it), a third of each step's CPU in a training room.

    def _post_register(self, app: App[Any]) -> None:
        super()._post_register(app)
        if self.EARLY_BREAKPOINTS:
            # Before the stylesheet is applied to the screen and to its children as they mount.
            self.update_classes(self.breakpoint_classes(app.size), update=False)

    def breakpoint_classes(self, size: Size) -> dict[str, bool]:
        """The breakpoint classes Textual's ``Screen._on_resize`` gives this screen at
        ``size``: each class name, True for the one that applies."""
        app = self.app
        horizontal = (
            app.HORIZONTAL_BREAKPOINTS
            if self.HORIZONTAL_BREAKPOINTS is None
            else self.HORIZONTAL_BREAKPOINTS
        ) or []
        vertical = (
            app.VERTICAL_BREAKPOINTS
            if self.VERTICAL_BREAKPOINTS is None
            else self.VERTICAL_BREAKPOINTS
        ) or []
        classes = {name: False for _, name in (*horizontal, *vertical)}
        for dimension, breakpoints in ((size.width, horizontal), (size.height, vertical)):
            for name in self._get_breakpoint_classes(dimension, list(breakpoints)):
                classes[name] = True
        return classes

    def _screen_resized(self, size: Size) -> None:
        # Already laid out at this size (the Resize a screen's first layout sends to itself and
        # to the screens under it): anything else waiting is done by the next update.
        if size == self._size:
            return
        super()._screen_resized(size)

    @on(events.ScreenResume)
    def _first_resume(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler (Screen's, further up the classes). A screen just
        # pushed had each node styled as it mounted, with its classes (breakpoints included):
        # restyling it whole is for a screen that comes back.
        if not self._resumed:
            self._resumed = True
            if self.EARLY_BREAKPOINTS:
                event.refresh_styles = False
            # Textual's handler lays the new screen out now, on the same condition.
            self._first_layout = self.is_attached and self._size != self.app.size
            self._opening = True

    # A new screen is laid out twice: at its resume, then at the next update, because the
    # first layout gives each widget its size, which asks for another (Textual's AwaitMount
    # asks one more once the children are mounted). Each drew a full frame, and the repaint
    # the resume asks for a third: the same picture sent three times to a training room's
    # browser. The first frame drawn is now the second layout's, and the only one.

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        if self._first_layout and not self._pushed:
            # The app's first screen: its resume's layout is left to its update. Its widgets
            # have not yet reported what they changed while mounting (each asks for a layout
            # as it goes idle), and nothing on it changes with the sizes a layout gives: one
            # layout, once they have (see _on_idle), lays it out and draws it.
            self._first_layout = False
            self._opening_size = size
            self._layout_required = True
            self.check_idle()
            return
        if size is None and self._opening_size is not None:
            size = self._opening_size  # a new screen has no size of its own before its layout
        self._opening_size = None
        self._frame_deferred, self._first_layout = self._first_layout, False
        try:
            super()._refresh_layout(size, scroll)
        finally:
            self._frame_deferred = False

    # That settled layout, and with it the first frame, is done as soon as the new screen and
    # every widget on it have nothing left to do, rather than at the next tick of Textual's
    # update timer (a sixtieth of a second later), which every screen opened waited for idle.

    async def _on_idle(self, event: events.Idle) -> None:
        if not (
            self._opening
            and self._layout_required
            and not self.mount_pending  # mount_awaited() brings the screen its next idle
            and self.is_current
            and not self.app._batch_count
        ):
            return  # Textual's Screen._on_idle runs next (handlers go along the classes)
        if self._widgets_settled():
            event.prevent_default()  # Textual's handler would start the update timer
            self._on_timer_update()
            return
        # A widget still busy may have nothing to report once done, which would bring the
        # screen no idle: it looks again once the widgets' pending steps have run. Textual's
        # handler, next, still starts the timer, whose update is the latest one.
        asyncio.get_running_loop().call_soon(self.check_idle)

    def _widgets_settled(self) -> bool:
        """Whether no widget of the screen has a message or a callback waiting, or a change
        not yet reported to the screen (each widget reports its changes when idle)."""
        if self._next_callbacks:
            return False
        for widget in self.walk_children(with_self=False):
            if (
                widget._next_callbacks
                or not widget._message_queue.empty()
                or widget._layout_required
                or widget._repaint_required
                or widget._scroll_required
                or widget._refresh_styles_required
            ):
                return False
        return True

    def mount_awaited(self) -> None:
        """Called by the app once Textual has awaited the mounting of this pushed screen's
        widgets (which then asks for a layout): the screen may now draw its first frame."""
        self.mount_pending = False
        self.check_idle()

    def _compositor_refresh(self) -> None:
        if not self._opening:
            super()._compositor_refresh()
            return
        if self._frame_deferred and self._layout_required:
            return  # the layout due at the next update draws the screen
        full = (
            self is self.app.screen
            and self._compositor.size.region in self._compositor._dirty_regions
        )
        super()._compositor_refresh()
        self._opening = False
        if full:
            # The repaint Textual's resume asked for (after its layout) is this whole frame:
            # the update would otherwise draw the same full frame again at once.
            self._repaint_required = False

    @property
    def _demo(self) -> bool:
        return bool(getattr(self.app, "demo", False))

    def key(self, key: str) -> str:
        """The label of the key that does what the terminal key ``key`` does here: ``F1`` in
        a terminal, ``Ctrl+G`` in a browser (see ``ui/browser_keys.py``)."""
        return shown_key(key, in_browser=bool(getattr(self.app, "in_browser", False)))

    @property
    def services(self) -> Services:
        """The application's services."""
        return cast(_HasServices, self.app).services

    def go_back(self) -> None:
        """What Escape does here: close this screen (the home screen stays)."""
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.dismiss()

    # A button's id says where it leads, the same on every screen: the «Retour» buttons do
    # what Escape does (each screen's go_back says where that is), «Ouvrir la boîte de
    # réception» opens the simulated mailbox.

    @on(Button.Pressed, "#retour, #retour-accueil, #retour-etape")
    def _back_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.go_back()

    @on(Button.Pressed, "#ouvrir-boite")
    def _mailbox_button(self, event: Button.Pressed) -> None:
        event.stop()
        self.navigator.open(Mailbox())

    @property
    def navigator(self) -> Navigator:
        """The app's navigator: where this screen leads, by destination."""
        return cast(_HasServices, self.app).navigator

    def return_home(self, then: Destination | None = None) -> None:
        """Closes every screen above the home page, then opens ``then`` over it if given.

        Used when going back makes no sense any more (after registering, signing out, ...).
        """
        self.navigator.return_home(then)

    # The one path from a screen to a service. Every call goes through call_service (a thread
    # worker) or call_now (a read of a few rows the frame being drawn needs); whatever fails
    # comes to service_failed, the one place that says it to the user.

    def call_service(
        self,
        call: Callable[[], _T],
        then: Callable[[_T], object] | None = None,
        *,
        group: str = "service",
        busy: bool = True,
        exclusive: bool = True,
        after: Callable[[], object] | None = None,
    ) -> Worker[Any] | None:
        """Runs ``call`` (a service call, without arguments: use a lambda or ``partial``) in a
        thread worker that never stops the app, then ``then(value)`` on the screen's thread.

        ``busy`` (the default, for writes and for anything slow): :meth:`set_busy` while it
        runs, and nothing is started while the screen is already busy (returns None).
        ``exclusive`` cancels the previous call of the same ``group`` (a newer search makes an
        older one moot: its answer is dropped). A failure goes to :meth:`service_failed`
        instead of ``then``; rows a list had to leave out go to :meth:`show_damaged` before
        ``then``. ``after`` runs last either way (e.g. leaving once a sign-out is recorded).
        """
        if busy:
            if self.busy:
                return None
            self.set_busy(True)
        services = self.services

        def work() -> _Answer:
            services.take_damaged()  # left by an earlier call on this pooled thread
            try:
                value = call()
            except Exception as error:  # the one path: nothing a service raises stops the app
                return _Answer(None, error, services.take_damaged())
            return _Answer(value, None, services.take_damaged())

        worker: Worker[Any] = self.run_worker(
            work, name=group, group=group, thread=True, exclusive=exclusive, exit_on_error=False
        )
        self._service_calls[worker] = _Call(then, after, busy)
        return worker

    def call_now(self, call: Callable[[], _T]) -> _T | None:
        """Runs ``call`` now, on the screen's thread, for a screen that must show its answer in
        the frame being drawn; None when it failed (said by :meth:`service_failed`).

        For reads: in WAL mode a read never waits for a writer, so another program holding
        the write lock cannot freeze the screen. The one write made here is the demo clock's
        (one meta row, F6 to F8), which the header must show at the key press. Every other
        write goes through :meth:`call_service`."""
        services = self.services
        services.take_damaged()
        try:
            value = call()
        except Exception as error:  # the one path: nothing a service raises stops the app
            self.service_failed(error)
            return None
        damaged = services.take_damaged()
        if damaged:
            self.show_damaged(damaged)
        return value

    @on(Worker.StateChanged)
    def _service_call_ended(self, event: Worker.StateChanged) -> None:
        call = self._service_calls.get(event.worker)
        if call is None or event.state not in (
            WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED
        ):
            return
        event.stop()
        del self._service_calls[event.worker]
        if call.busy:
            self.set_busy(False)
        answer = event.worker.result
        if isinstance(answer, _Answer):
            if answer.damaged:
                self.show_damaged(answer.damaged)
            if answer.error is not None:
                self.service_failed(answer.error)
            elif call.then is not None:
                call.then(answer.value)
        elif event.state is WorkerState.ERROR and event.worker.error is not None:
            self.service_failed(event.worker.error)  # a BaseException out of the call
        if call.after is not None and event.state is not WorkerState.CANCELLED:
            call.after()

    def service_failed(self, error: BaseException) -> None:
        """Says what a failed call means: the errors of a refused form next to their fields
        (:meth:`refused`), an ended session (:meth:`session_ended`), otherwise a French notice
        (a busy or unreadable database, a damaged row...) while the screen stays usable with
        everything typed kept."""
        from ensap_tui.ui.failures import trouble_text

        if isinstance(error, ValidationFailed):
            self.refused(error.errors)
        elif isinstance(error, FieldError):
            self.refused([error])
        elif isinstance(error, NotSignedIn):
            self.session_ended(error)
        else:
            self.show_trouble(trouble_text(error))

    def refused(self, errors: Sequence[FieldError]) -> None:
        """A form was refused: by default each error goes next to its field."""
        self.show_errors(errors)

    def session_ended(self, error: NotSignedIn) -> None:
        """The session this screen belongs to has ended; the signed-in screens go back to the
        sign-in. Elsewhere (no session) it is only said."""
        self.show_trouble(str(error))

    def show_damaged(self, damaged: Sequence[DamagedRecord]) -> None:
        """Says which damaged rows a list left out (the others are shown)."""
        from ensap_tui.services.damage import left_out_text

        self.show_trouble(left_out_text(damaged))

    def show_trouble(self, text: str) -> None:
        """A French notice for a call that could not be done. The same notice is not repeated
        within ``TROUBLE_REPEAT_SECONDS`` (a check run on every key would otherwise stack
        them)."""
        now = time.monotonic()
        last = self._last_trouble
        if last is not None and last[0] == text and now - last[1] < self.TROUBLE_REPEAT_SECONDS:
            return
        self._last_trouble = (text, now)
        self.notify(text, severity="error", markup=False, timeout=self.TROUBLE_REPEAT_SECONDS)

    def set_busy(self, busy: bool) -> None:
        """Disables (or enables again) every button and shows the :class:`BusyLine`
        (``#travail-en-cours``) if present; :attr:`busy` says which. Called by
        :meth:`call_service`. Nothing here lays the screen out again."""
        self.busy = busy
        # A state flag only (no style uses it): restyling the whole screen for it would stall
        # the screen for tens of milliseconds at the very moment its work starts.
        self.set_class(busy, "-occupe", update=False)
        for button in self.query(Button):
            button.disabled = busy
        for line in self.query(BusyLine):
            line.busy = busy

    # Errors next to their fields.

    class FieldErrorsShown(Message):
        """A form has just shown ``count`` field errors (one attempt's; the app of a training
        room's poste counts them for the trainer's board)."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def show_errors(self, errors: Sequence[FieldError]) -> bool:
        """Shows each error under its field, clears the others, focuses the first invalid field.

        An error whose field has no ``#<field>-erreur`` line on this screen is shown as a
        notification. Returns True when there was at least one error.
        """
        messages: dict[str, str] = {}
        for error in errors:
            messages.setdefault(error.field, error.message)
        lines = {line.field: line for line in self.query(FieldErrorLine)}
        for field in messages.keys() - lines.keys():
            created = self.error_line(field)
            if created is not None:
                lines[field] = created
        for field, line in lines.items():
            line.message = messages.get(field, "")
        # What each wrong field held: a change of it (not a mere repaint) clears its line.
        self._values_at_error = {field: self._field_value(field) for field in messages}
        for field, message in messages.items():
            if field not in lines:
                self.notify(message, severity="error", markup=False)
        if errors:
            self.focus_field(errors[0].field)
            self.post_message(self.FieldErrorsShown(len(messages)))
        return bool(errors)

    def error_line(self, field: str) -> FieldErrorLine | None:
        """The error line of ``field`` (``#<field>-erreur``): the one on the screen, else a new
        hidden one put in its place when ``field`` is in :attr:`LAZY_ERROR_LINES`, else
        None."""
        for line in self.query(f"#{field}-erreur"):
            if isinstance(line, FieldErrorLine):
                return line
        after = self.LAZY_ERROR_LINES.get(field)
        if after is None:
            return None
        anchor = self.query_one(f"#{after}")
        line = FieldErrorLine(field)
        cast(Widget, anchor.parent).mount(line, after=anchor)
        return line

    def clear_errors(self) -> None:
        """Hides every error line of this screen."""
        for line in self.query(FieldErrorLine):
            line.clear()
        self._values_at_error = {}

    def _field_value(self, field: str) -> object:
        """The value of ``field``'s widget (an input, box or list), None if it has none."""
        widgets = self.query(f"#{self.FOCUS_FOR_FIELD.get(field, field)}")
        return getattr(widgets.first(), "value", None) if widgets else None

    def clear_changed_error(self, field: str) -> None:
        """Hides ``field``'s error line once its value differs from the one that was refused."""
        if field not in self._values_at_error:
            return
        if self._field_value(field) != self._values_at_error[field]:
            del self._values_at_error[field]
            for line in self.query(FieldErrorLine):
                if line.field == field:
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
    before the next submission. While :attr:`busy`, Enter submits nothing.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Valider", show=False),
    ]

    def submit(self) -> None:
        """The screen's main action (Continuer, Valider, ...)."""

    def check_fields(self) -> list[FieldError] | None:
        """The current errors of the form, or None when the screen does not check live."""
        return None

    def begin_attempt(self, *follow_ups: str) -> bool:
        """Starts a new attempt at the form's main action: False while a call runs (nothing
        changes then); otherwise hides what the last attempt showed (the field errors, the
        screen's notices, and the follow-up buttons whose ids are ``follow_ups``) and returns
        True."""
        if self.busy:
            return False
        self.clear_errors()
        for notice in self.query(Notice):
            notice.clear()
        for button_id in follow_ups:
            self.query_one(f"#{button_id}").display = False
        return True

    def action_submit(self) -> None:
        self.submit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit" and self.busy:
            return False  # the screen's action is already running
        return super().check_action(action, parameters)

    @on(Input.Submitted)
    def _submit_from_input(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _recheck(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        self.refresh_errors(changed=event.control.id)

    def refresh_errors(self, changed: str | None = None) -> None:
        """Clears the lines of fields now valid; updates the messages of those still wrong.

        On a screen that does not check live, the line of the ``changed`` field goes as soon as
        its value differs from the refused one (the next submission says what is still wrong).
        """
        shown = [line for line in self.error_lines if line.message]
        if not shown:
            return
        errors = self.check_fields()
        if errors is None:
            fields = {target: field for field, target in self.FOCUS_FOR_FIELD.items()}
            if changed is not None:
                self.clear_changed_error(fields.get(changed, changed))
            return
        messages: dict[str, str] = {}
        for error in errors:
            messages.setdefault(error.field, error.message)
        for line in shown:
            line.message = messages.get(line.field, "")
