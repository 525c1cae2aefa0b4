"""The help-desk console: find a caller's space, read its state and journal, and act on it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, DataTable, Input, Label, Static

from ensap_tui.domain.nir import mask_nir
from ensap_tui.domain.throttle import MAX_FAILURES
from ensap_tui.domain.timefmt import format_datetime, format_short
from ensap_tui.services.assistance import event_label, state_of
from ensap_tui.services.errors import ActionRefused, NotSignedIn, UnknownAccount
from ensap_tui.services.models import (
    AccountState,
    AccountStatus,
    AccountSummary,
    AgentSession,
    Event,
)
from ensap_tui.ui.screens.shown import item_at_cursor, phone_text
from ensap_tui.ui.screens.sign_in import duration_text
from ensap_tui.ui.screens.signed_in import SignedInScreen, idle_seconds
from ensap_tui.ui.widgets.notice import Notice, NoticeKind
from ensap_tui.ui.widgets.steady_input import SteadyInput

SEARCH_LABEL = "Rechercher (Ctrl+F) : numéro de sécurité sociale ou nom de naissance"
SEARCH_PLACEHOLDER = "ex. 1 85 05 75 115 123 64, ou lefevre"
NONE = "—"

UNLOCK, RESEND, DELETE = "debloquer", "renvoyer-activation", "supprimer"

TITLE = "Console d'assistance"
#: The header's cells besides the title and the agent's name («Agent : », the gap, the
#: «Se déconnecter» button), and the body's padding and scroll bar.
HEADER_FIXED, HEADER_MARGINS = 8 + 1 + 16, 6

#: Terminal width (columns) from which the console takes its wide layout.
WIDE = 100
#: The results' columns: label, key, width in the wide layout, width in the narrow one.
RESULT_COLUMNS = (
    ("NIR", "nir", 21, 9),
    ("Nom de\nnaissance", "nom", 16, 14),
    ("Statut", "statut", 23, 23),
    ("Créé le", "cree", 11, 7),
    ("Dernière\nconnexion", "connexion", 11, 11),
)
#: The journal's columns, likewise.
JOURNAL_COLUMNS = (
    ("Quand", "quand", 11, 11),
    ("Événement", "evenement", 28, 20),
    ("Auteur", "auteur", 16, 12),
    ("Détail", "detail", 25, 17),
)

if TYPE_CHECKING:
    from ensap_tui.services.models import Session


@dataclass(frozen=True, slots=True)
class Row:
    """One result as the table shows it: the account and its status wording at search time."""

    summary: AccountSummary
    status: str

    @property
    def nir(self) -> str:
        return self.summary.account.nir


def _count_text(query: str, count: int) -> str:
    if not query.strip():
        if not count:
            return "Aucun espace n'a encore été créé."
        return f"Les espaces les plus récents ({count})."
    if not count:
        return f"Aucun espace ne correspond à « {query.strip()} »."
    plural = "s" if count > 1 else ""
    return f"{count} espace{plural} trouvé{plural}."


def _short_mask(nir: str) -> str:
    """``"1 85 … 64"``: the masked NIR without its bullets, for narrow terminals."""
    masked = mask_nir(nir)
    return f"{masked[:4]} … {masked[-2:]}"


def _link_text(summary: AccountSummary) -> str:
    account = summary.account
    if account.status is AccountStatus.ACTIVE:
        activated = account.activated_at
        when = "" if activated is None else f" le {format_datetime(activated)}"
        return f"sans objet (espace activé{when})"
    until = summary.link_valid_until
    if summary.link_expired:
        return NONE if until is None else f"expiré depuis le {format_datetime(until)}"
    return NONE if until is None else f"valable jusqu'au {format_datetime(until)}"


def details_lines(row: Row) -> list[tuple[str, str]]:
    """The lines of the details panel of ``row``: (label, value), French."""
    summary = row.summary
    account = summary.account
    contacts = account.contacts
    until = summary.blocked_until
    last = account.last_sign_in_at
    return [
        ("Courriel", contacts.email or NONE),
        ("Courriel de secours", contacts.email_backup or NONE),
        ("Téléphone", phone_text(contacts.phone, NONE)),
        ("Second téléphone", phone_text(contacts.phone_secondary, NONE)),
        ("État", row.status),
        ("Lien d'activation", _link_text(summary)),
        # The count starts again at 0 once a block starts: the block says how it came.
        ("Échecs de connexion", f"{MAX_FAILURES}, accès bloqué" if until is not None
         else str(summary.failures)),
        ("Fin du blocage", NONE if until is None else format_datetime(until)),
        ("Créé le", format_datetime(account.created_at)),
        ("Dernière connexion", "jamais" if last is None else format_datetime(last)),
    ]


class ConsoleScreen(SignedInScreen):
    """The console of a signed-in agent (its :class:`AgentSession` is required to open it).

    - ``#recherche``: a NIR in any spelling or the start of a birth name; the search runs as
      one types (after :attr:`DEBOUNCE` seconds without a key, or at once on Enter) in a
      thread worker; ``#recherche-info`` says how many were found or why a NIR is not one.
      The field keeps the focus through every search (found or not): the agent moves it, to
      the results with Down or Tab.
    - ``#resultats``: masked NIR, birth name, status, created, last sign-in.
    - On the selected row: ``#debloquer``, ``#renvoyer-activation``, ``#supprimer`` (after the
      :class:`~ensap_tui.ui.screens.confirm.ConfirmScreen`), ``#journal`` (its events in
      ``#journal-evenements``). Each action runs in a thread worker, is logged with the
      agent's name, and its outcome shows in ``#message-console``; the row is read again.
      The outcome is about one account: it goes when the agent selects another row or runs
      another search.
    - ``#details-espace``: the selected account as the caller would confirm it (e-mails,
      phones read out in pairs), its state, its activation link's validity, its failures,
      the end of its block, its creation and last sign-in (``#details-titre``,
      ``#details-contenu``); hidden while no row is selected.
    - ``#deconnexion-agent`` or Escape signs the agent out, and so does inactivity (the app's
      ``services.idle_timeout``, watched like Mon espace's). The screen dismisses with a French
      message when the agent was removed meanwhile or idle, or "" after a plain sign-out.
    """

    HELP_TOPIC = "console"
    SCREEN_NAME = "Console d'assistance"
    #: Seconds without a key before the search runs.
    DEBOUNCE: ClassVar[float] = 0.25

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "refresh", "Actualiser", id="actualiser"),
        # Named in the search label rather than the footer, which keeps to 80 columns.
        Binding("ctrl+f", "focus_search", "Rechercher", key_display="Ctrl+F", show=False),
        Binding("down", "to_results", "Résultats", show=False),
    ]

    class Searched(Message):
        """A search finished."""

        def __init__(self, query: str, rows: list[Row], hint: str) -> None:
            super().__init__()
            self.query = query
            self.rows = rows
            self.hint = hint

    class Acted(Message):
        """An action finished: its outcome."""

        def __init__(self, message: str, kind: NoticeKind) -> None:
            super().__init__()
            self.message = message
            self.kind: NoticeKind = kind

    class JournalRead(Message):
        """The events of one NIR were read."""

        def __init__(self, nir: str, events: list[Event]) -> None:
            super().__init__()
            self.nir = nir
            self.events = events

    def __init__(self, session: AgentSession) -> None:
        # The idle watch of SignedInScreen only keeps its session; the console's is an agent's.
        super().__init__(cast("Session", session))
        self.agent = session
        self._rows: list[Row] = []
        self._debounce: Timer | None = None
        self._signing_out = False
        self._journal_nir: str | None = None
        self._query = ""
        # The row selected when the results were last shown: a highlight of another row is
        # the agent's move (the table's own events after a refresh land on this one).
        self._anchor: str | None = None
        self._narrow: bool | None = None  # set by the first _fit_to_width

    # -- layout ------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="console-entete"):
            yield Static(TITLE, classes="titre-page")
            with Horizontal(id="agent-zone"):
                yield Static(
                    Text.assemble("Agent : ", (self.agent.name, "bold")), id="agent-connecte"
                )
                yield Button("Se déconnecter", id="deconnexion-agent", classes="lien")
        yield Label(SEARCH_LABEL, classes="libelle")
        yield SteadyInput(id="recherche", placeholder=SEARCH_PLACEHOLDER, max_length=64)
        yield Static(id="recherche-info", markup=False)
        table: DataTable[Text] = DataTable(
            id="resultats", cursor_type="row", zebra_stripes=True, header_height=2
        )
        yield table
        with Horizontal(id="actions-console"):
            yield Button("Débloquer", id=UNLOCK)
            yield Button("Renvoyer le lien d'activation", id=RESEND)
            yield Button("Journal", id="journal")
            yield Static(classes="espace")
            yield Button("Supprimer l'espace", id=DELETE, variant="error")
        yield Notice(id="message-console")
        with Vertical(id="panneau-journal"):
            yield Static(id="journal-titre", markup=False)
            journal: DataTable[Text] = DataTable(id="journal-evenements", cursor_type="row")
            yield journal
        # After the journal: opened on demand, it comes first, under the actions.
        with Vertical(id="details-espace"):
            yield Static(id="details-titre", markup=False)
            yield Static(id="details-contenu", markup=False)

    def on_mount(self) -> None:
        self._fit_to_width()
        self.query_one("#panneau-journal").display = False
        self._update_actions()
        self.query_one("#recherche", Input).focus()
        self._run_search("")

    # -- width -------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._fit_to_width()

    def _fit_header(self) -> None:
        """The agent's name and «Se déconnecter» go under the title when the three do not fit
        on one line (a long agent name at 80 columns): the title is never cut."""
        body_width = self.app.size.width - HEADER_MARGINS
        needed = len(TITLE) + len(self.agent.name) + HEADER_FIXED
        self.query_one("#console-entete").set_class(needed > body_width, "-deux-lignes")

    def _fit_to_width(self) -> None:
        """The wide layout from :data:`WIDE` columns, else the narrow one (80×24 and up):
        shorter columns, the middle of the masked NIR and the creation time left to the
        details panel, a shorter button label. Nothing is cut mid-word."""
        self._fit_header()
        narrow = self.app.size.width < WIDE
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self.set_class(narrow, "-etroit")
        self.query_one(f"#{RESEND}", Button).label = (
            "Renvoyer le lien" if narrow else "Renvoyer le lien d'activation"
        )
        table: DataTable[Text] = self.query_one("#resultats", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for label, key, wide, slim in RESULT_COLUMNS:
            table.add_column(label, width=slim if narrow else wide, key=key)
        self._fill_results()
        if self._rows:
            table.move_cursor(row=min(cursor, len(self._rows) - 1), animate=False)
        journal: DataTable[Text] = self.query_one("#journal-evenements", DataTable)
        journal.clear(columns=True)
        # Fixed widths and rows as tall as their text: the journal wraps instead of scrolling
        # sideways (the widths, the cell padding and a scroll bar fit the panel at 100 and at
        # 80 columns).
        for label, key, wide, slim in JOURNAL_COLUMNS:
            journal.add_column(label, width=slim if narrow else wide, key=key)
        if self._journal_nir is not None:
            self._read_journal(self._journal_nir)

    def _masked(self, nir: str) -> str:
        return _short_mask(nir) if self._narrow else mask_nir(nir)

    def _fill_results(self) -> None:
        table: DataTable[Text] = self.query_one("#resultats", DataTable)
        table.clear()
        for row in self._rows:
            account = row.summary.account
            last = account.last_sign_in_at
            created = format_short(account.created_at)
            table.add_row(
                Text(self._masked(account.nir)),
                Text(account.birth_name, overflow="ellipsis", no_wrap=True),
                Text(row.status),
                Text(created.split(" ")[0] if self._narrow else created),
                Text(format_short(last) if last is not None else NONE),
                key=account.nir,
            )

    # -- searching ---------------------------------------------------------------------------

    @on(Input.Changed, "#recherche")
    def _typed(self) -> None:
        self._clear_message()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(self.DEBOUNCE, self._search_now)

    @on(Input.Submitted, "#recherche")
    def _search_on_enter(self, event: Input.Submitted) -> None:
        event.stop()
        self._clear_message()
        # The focus stays in the field: with no result, the next search is typed at once.
        self._search_now()

    def _search_now(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self._run_search(self.query_one("#recherche", Input).value)

    def action_refresh(self) -> None:
        """Searches again (statuses move with time) and reloads the journal shown."""
        self._clear_message()
        self._run_search(self.query_one("#recherche", Input).value)

    def action_focus_search(self) -> None:
        """Puts the cursor in the search field."""
        self.query_one("#recherche", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":
            # Down leaves the search field only; elsewhere it keeps its own meaning.
            return self.focused is self.query_one("#recherche", Input)
        return super().check_action(action, parameters)

    def action_to_results(self) -> None:
        """Moves the focus from the search field to the results."""
        self.query_one("#resultats", DataTable).focus()

    def _clear_message(self) -> None:
        self.query_one("#message-console", Notice).clear()

    def _run_search(self, query: str) -> None:
        service = self.services.assistance

        def search() -> ConsoleScreen.Searched:
            summaries = service.search(query, limit=50)
            rows = [Row(summary, service.status_label(summary)) for summary in summaries]
            return self.Searched(query, rows, service.search_hint(query))

        self.call_service(search, self._show_results, group="recherche", busy=False)

    def _show_results(self, message: Searched) -> None:
        if message.query != self.query_one("#recherche", Input).value:
            return  # typed further meanwhile: a newer search follows
        self._query = message.query
        table: DataTable[Text] = self.query_one("#resultats", DataTable)
        selected = self._selected()
        self._rows = message.rows
        self._fill_results()
        nirs = [row.nir for row in self._rows]
        if selected is not None and selected.nir in nirs:
            table.move_cursor(row=nirs.index(selected.nir), animate=False)
        elif selected is not None:
            # The account shown is gone (deleted): its journal is not the next row's.
            self.query_one("#panneau-journal").display = False
            self._journal_nir = None
        after = self._selected()
        self._anchor = None if after is None else after.nir
        info = self.query_one("#recherche-info", Static)
        info.update(message.hint or _count_text(message.query, len(self._rows)))
        info.set_class(bool(message.hint), "-erreur")
        self._selection_changed()

    def _selected(self) -> Row | None:
        return item_at_cursor(self.query_one("#resultats", DataTable), self._rows)

    @on(DataTable.RowHighlighted, "#resultats")
    def _highlighted(self) -> None:
        selected = self._selected()
        nir = None if selected is None else selected.nir
        if nir != self._anchor:
            # Another account: the outcome shown was about the previous one.
            self._anchor = nir
            self._clear_message()
        self._selection_changed()

    def _selection_changed(self) -> None:
        self._update_actions()
        self._show_details()
        if self.query_one("#panneau-journal").display:
            selected = self._selected()
            if selected is None:
                self.query_one("#panneau-journal").display = False
                self._journal_nir = None
            else:
                self._read_journal(selected.nir)

    def _update_actions(self) -> None:
        row = self._selected()
        summary = row.summary if row is not None else None
        blocked = summary is not None and (
            state_of(summary) is AccountState.BLOCKED or summary.failures > 0
        )
        pending = summary is not None and summary.account.status is AccountStatus.PENDING
        self.query_one(f"#{UNLOCK}", Button).disabled = self.busy or not blocked
        self.query_one(f"#{RESEND}", Button).disabled = self.busy or not pending
        self.query_one(f"#{DELETE}", Button).disabled = self.busy or summary is None
        self.query_one("#journal", Button).disabled = summary is None

    def _show_details(self) -> None:
        selected = self._selected()
        panel = self.query_one("#details-espace")
        panel.display = selected is not None
        if selected is None:
            return
        account = selected.summary.account
        self.query_one("#details-titre", Static).update(
            Text(f"Espace {mask_nir(account.nir)} — {account.birth_name}", style="bold")
        )
        lines = details_lines(selected)
        width = max(len(label) for label, _ in lines)
        text = Text("\n").join(
            Text.assemble((label.ljust(width), "bold"), "  ", value) for label, value in lines
        )
        self.query_one("#details-contenu", Static).update(text)

    # -- journal -----------------------------------------------------------------------------

    @on(Button.Pressed, "#journal")
    def _toggle_journal(self) -> None:
        panel = self.query_one("#panneau-journal")
        selected = self._selected()
        if panel.display or selected is None:
            panel.display = False
            self._journal_nir = None
            return
        panel.display = True
        self._read_journal(selected.nir)

    def _read_journal(self, nir: str) -> None:
        journal = self.services.assistance.journal
        self.call_service(
            lambda: self.JournalRead(nir, journal(nir, limit=50)),
            self._show_journal,
            group="journal",
            busy=False,
        )

    def _show_journal(self, message: JournalRead) -> None:
        selected = self._selected()
        if selected is None or selected.nir != message.nir:
            return
        self._journal_nir = message.nir
        account = selected.summary.account
        self.query_one("#journal-titre", Static).update(
            Text.assemble(
                ("Journal de l'espace ", "bold"),
                (f"{self._masked(account.nir)} — {account.birth_name}", "bold"),
                f"  ({len(message.events)} événement{'s' if len(message.events) > 1 else ''})",
            )
        )
        table: DataTable[Text] = self.query_one("#journal-evenements", DataTable)
        table.clear()
        for event in message.events:
            table.add_row(
                Text(format_short(event.at)),
                Text(event_label(event.kind)),
                Text(event.actor or NONE),
                Text(event.detail or NONE),
                height=None,
            )
        panel = self.query_one("#panneau-journal")
        panel.display = True
        panel.scroll_visible()

    # -- actions -----------------------------------------------------------------------------

    @on(Button.Pressed, f"#{UNLOCK}")
    def _unlock(self) -> None:
        self._start(UNLOCK)

    @on(Button.Pressed, f"#{RESEND}")
    def _resend(self) -> None:
        self._start(RESEND)

    @on(Button.Pressed, f"#{DELETE}")
    def _delete(self) -> None:
        from ensap_tui.ui.screens.confirm import ConfirmScreen

        row = self._selected()
        if row is None or self.busy:
            return
        account = row.summary.account
        question = (
            f"L'espace de {account.birth_name} ({mask_nir(account.nir)}, {row.status}) sera "
            "supprimé définitivement, avec ses liens en cours. Son journal est conservé. "
            "La personne devra recommencer la création de son espace."
        )

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._start(DELETE, row.nir)

        self.app.push_screen(
            ConfirmScreen(
                "Supprimer cet espace ?", question, confirm_label="Supprimer définitivement"
            ),
            confirmed,
        )

    def _start(self, action: str, nir: str | None = None) -> None:
        if self.busy:
            return
        if nir is None:
            row = self._selected()
            if row is None:
                return
            nir = row.nir
        self.query_one("#message-console", Notice).clear()
        self.call_service(partial(self._act, action, nir), self._acted, exclusive=False)

    def set_busy(self, busy: bool) -> None:
        """While an action runs, the actions are off (the search and the journal stay)."""
        self.busy = busy
        self._update_actions()

    def _act(self, action: str, nir: str) -> Acted:
        """Runs ``action`` on ``nir`` (in the service call's thread): what it did, or why it
        does not apply to this account."""
        service = self.services.assistance
        name = self.agent.name
        masked = mask_nir(nir)
        try:
            self.services.agents.check_session(self.agent)
            if action == UNLOCK:
                if service.unlock(nir, name):
                    text = (
                        f"Le blocage de l'espace {masked} est levé : la personne peut se "
                        "connecter de nouveau."
                    )
                else:
                    text = f"L'espace {masked} n'était pas bloqué : rien à faire."
            elif action == RESEND:
                email = service.resend_activation(nir, name)
                text = (
                    f"Un nouveau lien d'activation, valable 24 heures, a été envoyé à {email} ; "
                    "le lien précédent ne fonctionne plus."
                )
            else:
                service.delete(nir, name)
                text = f"L'espace {masked} a été supprimé ; son journal est conservé."
        except (UnknownAccount, ActionRefused) as error:
            return self.Acted(str(error), "erreur")
        return self.Acted(text, "succes")

    def _acted(self, message: Acted) -> None:
        self.query_one("#message-console", Notice).show(message.message, message.kind)
        self._update_actions()
        # The row is read again (the journal shown follows the selection).
        self._run_search(self.query_one("#recherche", Input).value)

    # -- leaving -----------------------------------------------------------------------------

    @on(Button.Pressed, "#deconnexion-agent")
    def _sign_out_pressed(self) -> None:
        self._sign_out()

    def go_back(self) -> None:
        """Escape signs the agent out."""
        self._sign_out()

    def idle_expired(self) -> None:
        """Signs the agent out after ``services.idle_timeout`` without a key or a click."""
        seconds = idle_seconds(self.services.idle_timeout)
        self._sign_out(
            "inactivité",
            f"Par sécurité, la console a été fermée après {duration_text(seconds)} sans "
            "activité. Identifiez-vous de nouveau pour la rouvrir.",
        )

    def _sign_out(self, reason: str = "", message: str = "") -> None:
        # The console closes even when the sign-out cannot be written (said then).
        self.call_service(
            partial(self.services.agents.sign_out, self.agent, reason=reason),
            group="deconnexion-agent",
            busy=False,
            after=partial(self._close, message),
        )

    def session_ended(self, error: NotSignedIn) -> None:
        """The agent was removed meanwhile: the console closes and says why."""
        self._close(str(error))

    def _close(self, message: str) -> None:
        if self.is_current and not self._signing_out:
            self._signing_out = True
            self.dismiss(message)
