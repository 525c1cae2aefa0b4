"""«Boîte de réception (simulée)»: every mail the simulator sent, newest first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, DataTable, Static

from ensap_tui.domain.timefmt import format_datetime, format_short
from ensap_tui.services import mail_texts
from ensap_tui.services.models import MailMessage
from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.base import EnsapScreen
from ensap_tui.ui.screens.shown import item_at_cursor
from ensap_tui.ui.widgets.action_bar import action_bar

INTRO = (
    "Les courriels « envoyés » par le simulateur arrivent ici : aucun courriel réel n'est "
    "envoyé. Choisissez un courriel dans la liste pour le lire."
)
EMPTY = (
    "Aucun courriel pour le moment. Après la création d'un espace ou une demande de mot de "
    "passe oublié, le courriel correspondant apparaîtra ici."
)
SENDER = "ENSAP (simulateur) <ne-pas-repondre@ensap-tui.invalid>"


class MailboxScreen(EnsapScreen):
    """``#messages`` (De / À, Objet, Reçu), the selected mail in ``#courriel-selectionne``
    (``#courriel-entete``, ``#courriel-texte``), ``#suivre-lien``.

    The table lists the newest mail first and the first row is selected on arrival. A mail's
    text, link included, is shown literally. ``#suivre-lien`` opens the activation (which
    runs at once, as clicking a real mail's link does) or the reset screen with the link filled
    in; it is disabled for a mail without a link. With no mail,
    ``#boite-vide`` says so. The list is read again each time the screen comes back (F5 too);
    a damaged mail is left out and said, the others are listed.
    """

    HELP_TOPIC = "boite"
    SCREEN_NAME = "Boîte de réception"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "refresh", "Actualiser", id="actualiser"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._messages: list[MailMessage] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Boîte de réception (simulée)", classes="titre-page")
        yield Static(INTRO, classes="introduction", markup=False)
        yield Static(EMPTY, id="boite-vide", classes="paragraphe", markup=False)
        table: DataTable[Text] = DataTable(id="messages", cursor_type="row", zebra_stripes=True)
        yield table
        # The buttons sit between the list and the mail, so they stay in view above a long mail.
        yield from action_bar(
            Button("Retour", id="retour"),
            right=[Button("Suivre le lien", id="suivre-lien", variant="primary")],
        )
        with Vertical(id="courriel-selectionne") as mail:
            mail.border_title = "Courriel sélectionné"
            yield Static(id="courriel-entete", markup=False)
            yield Static(id="courriel-texte", markup=False)

    def on_mount(self) -> None:
        self.action_refresh()

    def on_resize(self) -> None:
        self.action_refresh()

    def _columns_for_width(self, width: int) -> tuple[int, int, int]:
        """Widths of De / À, Objet and Reçu filling ``width`` cells (each column adds 2)."""
        received = 11
        recipient = max(16, min(28, width // 3))
        subject = max(12, width - recipient - received - 6)
        return recipient, subject, received

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Reads the outbox again, keeping the selected mail when it is still listed."""
        messages = self.call_now(self.services.mailbox.messages)
        if messages is None:
            return  # said; the list shown stays
        table: DataTable[Text] = self.query_one("#messages", DataTable)
        selected = self._selected()
        self._messages = messages
        # The body's width: the screen less its padding (2 + 2) and scrollbar gutter (2).
        recipient, subject, received = self._columns_for_width(self.app.size.width - 6)
        table.clear(columns=True)
        table.add_column("De / À", width=recipient, key="destinataire")
        table.add_column("Objet", width=subject, key="objet")
        table.add_column("Reçu", width=received, key="recu")
        for message in self._messages:
            table.add_row(
                Text(message.recipient, no_wrap=True, overflow="ellipsis"),
                Text(message.subject, no_wrap=True, overflow="ellipsis"),
                Text(format_short(message.sent_at)),
                key=str(message.id),
            )
        empty = not self._messages
        self.query_one("#boite-vide").display = empty
        table.display = not empty
        self.query_one("#courriel-selectionne").display = not empty
        ids = [message.id for message in self._messages]
        if selected is not None and selected.id in ids:
            table.move_cursor(row=ids.index(selected.id), animate=False)
        self._show(self._selected())

    def _selected(self) -> MailMessage | None:
        return item_at_cursor(self.query_one("#messages", DataTable), self._messages)

    @on(DataTable.RowHighlighted, "#messages")
    def _highlighted(self) -> None:
        self._show(self._selected())

    def _show(self, message: MailMessage | None) -> None:
        header = self.query_one("#courriel-entete", Static)
        body = self.query_one("#courriel-texte", Static)
        follow = self.query_one("#suivre-lien", Button)
        if message is None:
            header.update("")
            body.update("")
            follow.disabled = True
            return
        header.update(
            Text.assemble(
                ("De : ", "bold"), SENDER, "\n",
                ("À : ", "bold"), message.recipient, "\n",
                ("Objet : ", "bold"), message.subject, "\n",
                ("Reçu le : ", "bold"), format_datetime(message.sent_at),
            )
        )
        text = message.body.rstrip("\n")
        if message.link and message.link not in text:
            text += f"\n\n    {message.link}"
        body.update(Text(text))
        follow.disabled = not message.link

    @on(DataTable.RowSelected, "#messages")
    @on(Button.Pressed, "#suivre-lien")
    def _follow(self) -> None:
        message = self._selected()
        if message is None or not message.link:
            return
        if message.kind == mail_texts.RESET:
            self.navigator.open(to.ResetPassword(message.link))
        else:
            self.navigator.open(to.Activation(message.link, follow=True))
