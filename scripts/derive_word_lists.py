"""Derives the bundled French word and name lists from the shared zxcvbn-ts lists.

Usage (from the repository root)::

    python scripts/derive_word_lists.py [SOURCE_FOLDER]

SOURCE_FOLDER defaults to ``../shared/data/password-lists`` (relative to the repository root); it
holds ``french-common-words.json``, ``french-firstnames.json`` and their ``LICENSE.txt``. Writes
``ensap_tui/domain/data/french-words.txt`` and ``ensap_tui/domain/data/french-names.txt``: the
entries in frequency order, lower-cased, accents removed, kept only when they are then made of at
least 4 letters a to z (the password rule looks for guessable cores of at least 4 characters),
without duplicates, one per line after a header line citing the source and its licence. The
licence is the one ``scripts/derive_password_list.py`` already copies beside them.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("..") / "shared" / "data" / "password-lists"
DATA_DIR = REPO_ROOT / "ensap_tui" / "domain" / "data"
MIN_CORE = 4
#: (source file, output file, what the entries are, entries the list must keep)
LISTS = (
    ("french-common-words.json", "french-words.txt", "common French words", ("soleil", "chaton")),
    ("french-firstnames.json", "french-names.txt", "French first and last names", ("marie",)),
)
HEADER = (
    "# {what}, in the order of the source: the {count} entries of @zxcvbn-ts/language-fr 4.1.2 "
    "src/{source} made of at least {min_core} letters once lower-cased and without accents, MIT "
    "licence (Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.; Copyright (c) 2021 "
    "@zxcvbn-ts), see LICENSE-password-lists.txt. Regenerate with scripts/derive_word_lists.py."
)
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def fold(word: str) -> str:
    """Lower case without accents: «Éléphant» → «elephant»."""
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def derive(entries: list[str]) -> list[str]:
    """The folded entries of at least 4 letters a to z, without duplicates, in their order."""
    seen: dict[str, None] = {}
    for entry in entries:
        word = fold(entry)
        if len(word) >= MIN_CORE and set(word) <= _LETTERS:
            seen.setdefault(word, None)
    return list(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    folder: Path = args.source if args.source.is_absolute() else REPO_ROOT / args.source
    for source, output, what, sentinels in LISTS:
        entries = json.loads((folder / source).read_text(encoding="utf-8"))
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            print(f"{source}: a JSON list of strings was expected", file=sys.stderr)
            return 1
        words = derive(entries)
        missing = [w for w in sentinels if w not in set(words)]
        if missing:
            print(f"{source}: missing {missing}", file=sys.stderr)
            return 1
        header = HEADER.format(
            what=what[0].upper() + what[1:],
            count=f"{len(words):,}",
            source=source,
            min_core=MIN_CORE,
        )
        (DATA_DIR / output).write_text(
            header + "\n" + "\n".join(words) + "\n", encoding="utf-8", newline="\n"
        )
        print(f"{len(words)} entries written to {(DATA_DIR / output).relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
