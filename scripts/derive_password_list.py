"""Derives the bundled common-password list from the shared zxcvbn-ts frequency list.

Usage (from the repository root)::

    python scripts/derive_password_list.py [SOURCE_JSON] [--count N]

SOURCE_JSON defaults to ``../shared/data/password-lists/common-passwords.json`` (relative to the
repository root); its ``LICENSE.txt`` must sit beside it. Writes
``ensap_tui/domain/data/common-passwords.txt`` (the first N distinct entries in frequency order,
lower-cased, one per line, after a header line citing the source and its licence) and copies the
licence to ``ensap_tui/domain/data/LICENSE-password-lists.txt``.

The default N is 20,000 rather than a rounder 10,000 because «motdepasse», the French «password»,
is only the 12,668th entry of the source; the script refuses to write a list missing any of the
French sentinels below.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("..") / "shared" / "data" / "password-lists" / "common-passwords.json"
DATA_DIR = REPO_ROOT / "ensap_tui" / "domain" / "data"
OUTPUT = DATA_DIR / "common-passwords.txt"
LICENCE_OUTPUT = DATA_DIR / "LICENSE-password-lists.txt"
DEFAULT_COUNT = 20_000
#: French passwords the list must contain (the policy promises French ones are refused).
FRENCH_SENTINELS = ("azerty", "motdepasse", "soleil", "loulou", "marseille")
HEADER = (
    "# Common passwords, most frequent first: the first {count} distinct entries (lower-cased) of "
    "@zxcvbn-ts/language-common 4.1.3 src/passwords.json, MIT licence "
    "(Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.; Copyright (c) 2021 @zxcvbn-ts), "
    "see LICENSE-password-lists.txt. Regenerate with scripts/derive_password_list.py."
)


def derive(entries: list[str], count: int) -> list[str]:
    """The first ``count`` distinct non-blank entries, lower-cased, in their original order."""
    seen: dict[str, None] = {}
    for entry in entries:
        word = entry.strip().lower()
        if word and not word.startswith("#") and word not in seen:
            seen[word] = None
            if len(seen) == count:
                break
    return list(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    args = parser.parse_args(argv)
    source: Path = args.source if args.source.is_absolute() else REPO_ROOT / args.source
    licence = source.parent / "LICENSE.txt"
    entries = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        print(f"{source}: a JSON list of strings was expected", file=sys.stderr)
        return 1
    words = derive(entries, args.count)
    missing = [w for w in FRENCH_SENTINELS if w not in set(words)]
    if missing:
        print(f"missing French sentinels with --count {args.count}: {missing}", file=sys.stderr)
        return 1
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(
        HEADER.format(count=f"{len(words):,}") + "\n" + "\n".join(words) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    shutil.copyfile(licence, LICENCE_OUTPUT)
    print(f"{len(words)} entries written to {OUTPUT.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
