"""An input for a pasted link or token, tolerant of the line breaks mail clients add."""

from __future__ import annotations

from textual import events

from ensap_tui.ui.widgets.steady_input import SteadyInput


class LinkInput(SteadyInput):
    """A :class:`SteadyInput` whose paste keeps every line, without whitespace.

    A plain ``Input`` keeps only the first line of a paste, which would cut a link that a mail
    client wrapped over two lines; here the pasted lines are joined and every space or line break
    dropped (a link or token never contains one). The services still strip and check the text.
    """

    def _on_paste(self, event: events.Paste) -> None:
        joined = "".join(event.text.split())
        if joined:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(joined)
            else:
                self.replace(joined, *selection)
        # Keep the base class from inserting its first-line-only version as well.
        event.prevent_default()
        event.stop()
