"""Memory probe for ``scripts/bench.py``: ``python bench_memory_child.py bare|ensap [DB]
[tracemalloc]`` prints one JSON line with the process's peak resident memory.

``ensap`` creates a secure space as a person would finish it: the application runs headless
under Pilot, the «Mes coordonnées» screen of a filled-in draft is validated (argon2id with the
real parameters, in the screen's worker), until step 4 shows. ``bare`` is the reference: a
Textual app showing one line, run the same way. Nothing of ensap-tui is imported for it.
"""

from __future__ import annotations

import sys

if sys.argv[-1] == "tracemalloc":
    import tracemalloc

    tracemalloc.start()

import asyncio
import json
import resource
import time
from pathlib import Path
from typing import Any

SIZE = (100, 40)


async def _bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Bonjour")

    async with Bare().run_test(size=SIZE) as pilot:
        await pilot.pause()


async def _ensap(db: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_ui import draft

    from ensap_tui.bootstrap import Settings
    from ensap_tui.ui.app import create_app
    from ensap_tui.ui.screens.contacts import ContactsScreen
    from ensap_tui.ui.screens.finalisation import FinalisationScreen

    app = create_app(db, settings=Settings(use_keyring=False))
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ContactsScreen(draft(7)))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        screen.submit()
        deadline = time.monotonic() + 120
        while not isinstance(app.screen, FinalisationScreen):
            assert time.monotonic() < deadline, "step 4 never came"
            await asyncio.sleep(0.005)
        await pilot.pause()
        assert len(app.services.mailbox.messages()) == 1


def _peak_kib() -> int:
    """This program's peak resident memory, in KiB: Linux's VmHWM, which counts this program
    alone (ru_maxrss also keeps the size of the process it was forked from, before exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    if sys.argv[1] == "bare":
        asyncio.run(_bare())
    else:
        asyncio.run(_ensap(Path(sys.argv[2])))
    answer: dict[str, Any] = {"maxrss_kib": _peak_kib()}
    if sys.argv[-1] == "tracemalloc":
        import tracemalloc

        answer["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
