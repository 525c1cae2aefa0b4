"""``scripts/busy_cores.py`` keeps N cores busy for the duration of a command, then stops its
busy processes, and gives back the command's exit code (docs/TESTING.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "busy_cores.py"

#: Prints the process ids of its parent's other children: the busy processes.
SIBLINGS = (
    "import os, pathlib; me = os.getpid(); parent = os.getppid();"
    "kids = set();"
    "[kids.update(map(int, t.joinpath('children').read_text().split()))"
    " for t in pathlib.Path(f'/proc/{parent}/task').iterdir()];"
    "print(' '.join(str(k) for k in sorted(kids - {me}))); raise SystemExit(3)"
)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_busy_processes_run_during_the_command_and_stop_after() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "2", "--", sys.executable, "-c", SIBLINGS],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 3, done.stderr
    busy = [int(pid) for pid in done.stdout.split()]
    assert len(busy) >= 2  # the busy processes (and a start-method helper, if any)
    assert os.getpid() not in busy
    assert not any(alive(pid) for pid in busy)


def test_a_command_is_required() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "2"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2
    assert "il faut au moins 1 cœur et une commande" in done.stderr
