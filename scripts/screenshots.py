"""Writes an SVG of every screen into ``screenshots/``, from the snapshot tests' own flows.

The snapshot tests (``tests/ui/test_snapshots_*.py``) drive the real app through each screen with
a fixed clock, fixed tokens and a pinned theme; their SVGs are reviewed before they are committed.
This script runs them (they must match the reviewed pictures), then publishes the pictures under
readable names so the README can show them. Run it with ``make screenshots``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "ui" / "__snapshots__"
TARGET = ROOT / "screenshots"


def main() -> int:
    """Runs the snapshot tests, then copies their SVGs; returns the exit code."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/ui", "-k",
         "snapshot"],
        cwd=ROOT,
    )
    if run.returncode != 0:
        print(
            "Les tests de captures ont échoué : les écrans ne correspondent plus aux captures "
            "relues. Relisez les différences (snapshot_report.html), puis mettez-les à jour "
            "avec « make snapshots-update ».",
            file=sys.stderr,
        )
        return 1
    TARGET.mkdir(exist_ok=True)
    for old in TARGET.glob("*.svg"):
        old.unlink()
    count = 0
    for svg in sorted(SNAPSHOTS.glob("*/*.svg")):
        group = svg.parent.name.removeprefix("test_snapshots_")
        name = svg.stem.removeprefix("test_")
        shutil.copyfile(svg, TARGET / f"{group}-{name}.svg")
        count += 1
    print(f"{count} captures écrites dans screenshots/.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
