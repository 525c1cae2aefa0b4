"""Runs a command while other processes keep N cores busy: the suite under load, as on CI.

    .venv/bin/python scripts/busy_cores.py 2 -- make test

starts N processes that spin at full speed (at the same priority as the command, which must
share the cores with them as on a busy CI machine), runs the command, then stops each busy
process by its process id. The exit code is the command's. Used to check that the suite waits
for conditions and never for luck (docs/TESTING.md, «La suite sous charge»).
"""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys


def _spin() -> None:
    while True:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Lance une commande pendant que N processus occupent N cœurs."
    )
    parser.add_argument("cores", type=int, help="nombre de processus qui tournent à plein")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- puis la commande")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if args.cores < 1 or not command:
        parser.error("il faut au moins 1 cœur et une commande (après --)")
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.cores)]
    for spinner in spinners:
        spinner.start()
    try:
        return subprocess.call(command)
    finally:
        for spinner in spinners:
            spinner.terminate()  # SIGTERM to this process id only
            spinner.join(timeout=5)


if __name__ == "__main__":
    sys.exit(main())
