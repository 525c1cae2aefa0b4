"""Start-up probe for ``scripts/bench.py``: ``python bench_startup_child.py bare|ensap [DB]``.

Prints ``ready`` on stdout and ends the process at once when the first frame of the first screen
has been composed and turned into terminal output. ``bare`` is a Textual app showing one line;
``ensap`` is ``ensap-tui --db DB`` started exactly as the command line starts it (``cli.main``).
Both run headless (no terminal is needed), at 100 × 40; the frame is still rendered to the
escape sequences a terminal would receive, so that the cost of the first paint is counted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

# The probe itself: Textual's App is patched before anything else is imported.
from textual.app import App
from textual.screen import Screen

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_original_run = App.run
_original_display = App._display


def _run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
    kwargs["headless"] = True
    kwargs.setdefault("size", (100, 40))
    return _original_run(self, *args, **kwargs)


def _display(self: App[Any], screen: Screen[Any], renderable: Any) -> None:
    _original_display(self, screen, renderable)
    if renderable is None or self._batch_count:
        return
    render = getattr(renderable, "render_segments", None)
    if render is not None:
        render(self.console)  # what the terminal driver would write
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    os._exit(0)  # the measure ends at the first frame: no shutdown


App.run = _run  # type: ignore[method-assign]
App._display = _display  # type: ignore[method-assign]


def bare() -> None:
    from textual.app import ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Bonjour")

    Bare().run()


def ensap(db: str) -> None:
    from ensap_tui.cli import main

    main(["--db", db])


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        ensap(sys.argv[2])
    raise SystemExit("the first frame never came")
