"""``ensap-tui secret``: shares a database's secret between the machines that open it.

Every password is peppered with the database's secret, so every machine of one database (a
PostgreSQL server's, or a copy of a file) needs the same one. ``secret export`` writes it to a
file (0600, never over an existing one without ``--force``) or, when asked, to the standard
output; ``secret import FICHIER`` installs it on this machine where the database's
configuration looks for it (the file of ``--secret-file`` / ``ENSAP_TUI_SECRET_FILE``, else the
system keyring, else the file beside a SQLite database), after checking it against the check
value kept in the database: a secret of another database is refused and nothing is written.
"""

from __future__ import annotations

import argparse
import hmac
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ensap_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    ActionSpec,
    CommandError,
    add_actions,
    add_json_option,
    chosen_database,
    chosen_settings,
    report,
)

if TYPE_CHECKING:
    from ensap_tui.adapters.database_url import PostgresUrl
    from ensap_tui.bootstrap import OpenedStore, Settings

#: The warning every export prints on stderr: the secret is what makes the stored hashes
#: useless to whoever copies the database alone.
EXPORT_WARNING = (
    "Attention\u00a0: quiconque détient ce secret et une copie de la base peut y vérifier des "
    "mots de passe hors ligne. Transmettez-le par un moyen sûr (clé USB, copie chiffrée), "
    "jamais par courriel, et effacez cette copie une fois importée."
)

#: Where a server's secret goes when no keyring works on this machine.
_SECRET_FILE_REMEDY = (
    "Indiquez un fichier de secret pour cette base (--secret-file FICHIER ou "
    "ENSAP_TUI_SECRET_FILE, le même sur chaque poste)\u00a0: le fichier exporté peut servir tel "
    "quel."
)


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``secret``'s actions."""
    add_actions(parser, common, _ACTIONS, when_bare=_missing_action)


def _missing_action(parser: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace) -> int:
        parser.print_usage()
        raise CommandError("précisez l'action\u00a0: export ou import.", EXIT_USAGE)

    return run


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "file", nargs="?", type=Path, metavar="FICHIER",
        help="fichier à écrire (droits 0600)",
    )
    where.add_argument(
        "--stdout", action="store_true",
        help="écrit le secret sur la sortie standard plutôt que dans un fichier",
    )
    parser.add_argument(
        "--force", action="store_true", help="remplace FICHIER s'il existe déjà",
    )
    add_json_option(parser)


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FICHIER",
        help=(
            "fichier écrit par «\u00a0secret export\u00a0» («\u00a0-\u00a0»\u00a0: "
            "l'entrée standard)"
        ),
    )
    parser.add_argument(
        "--force", action="store_true",
        help="remplace un fichier de secret qui contient un autre secret",
    )
    add_json_option(parser)


@dataclass
class _Opened:
    """The database chosen on the command line, its store opened, and its settings."""

    shown: str
    store: OpenedStore
    settings: Settings
    db_id: str
    check: str | None


def _open(args: argparse.Namespace) -> _Opened:
    """The database of ``--db`` (or ``ENSAP_TUI_DB``, or the default one), opened; a database
    file that does not exist is refused rather than created (it has no secret to share)."""
    from ensap_tui.bootstrap import (
        META_DB_ID,
        META_SECRET_CHECK,
        StartupError,
        database,
        open_store,
        shown,
    )
    from ensap_tui.services.ports import StoreBusyError, StoreError

    chosen, in_demo = chosen_database(args)
    settings = chosen_settings(args, in_demo)
    db: Path | PostgresUrl = database(chosen)
    if isinstance(db, Path) and not db.exists():
        raise CommandError(
            f"La base «\u00a0{db}\u00a0» n'existe pas\u00a0: elle n'a pas de secret.", EXIT_USAGE
        )
    try:
        store = open_store(db, settings)
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    try:
        with store.read() as tx:
            db_id = tx.get_meta(META_DB_ID)
            check = tx.get_meta(META_SECRET_CHECK)
    except (StoreError, StoreBusyError) as error:
        store.close()
        raise CommandError(str(error), EXIT_USAGE) from None
    if not db_id:
        store.close()
        raise CommandError(
            f"La base «\u00a0{shown(db)}\u00a0» n'a pas d'identifiant\u00a0: elle n'est pas "
            "utilisable.", EXIT_USAGE,
        )
    return _Opened(shown(db), store, settings, db_id, check)


def _found_secret(opened: _Opened) -> bytes:
    """The secret this machine finds for the database, exactly as the application finds it
    when it starts (checked against the database's check value)."""
    from ensap_tui.bootstrap import StartupError, database_secret

    try:
        secret, _notices = database_secret(opened.store, opened.settings)
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    return secret


def run_export(args: argparse.Namespace) -> int:
    """Writes the database's secret to a file, or to the standard output with ``--stdout``."""
    from ensap_tui.adapters.secret_store import (
        SecretError,
        SecretFileExists,
        encode_secret,
        write_secret_file,
    )

    if args.stdout and args.json:
        raise CommandError(
            "--stdout écrit le secret seul\u00a0: il ne se combine pas avec --json.", EXIT_USAGE
        )
    opened = _open(args)
    try:
        secret = _found_secret(opened)
    finally:
        opened.store.close()
    if args.stdout:
        print(f"ensap-tui\u00a0: {EXPORT_WARNING}", file=sys.stderr)
        print(encode_secret(secret))
        return EXIT_OK
    file: Path = args.file
    try:
        write_secret_file(file, secret, replace=args.force)
    except SecretFileExists:
        raise CommandError(
            f"Le fichier «\u00a0{file}\u00a0» existe déjà\u00a0: il n'est pas remplacé. "
            "Choisissez un autre fichier, ou ajoutez --force pour le remplacer."
        ) from None
    except SecretError as error:
        raise CommandError(f"Le secret n'a pas été exporté\u00a0: {error}.") from None
    print(f"ensap-tui\u00a0: {EXPORT_WARNING}", file=sys.stderr)
    report(
        args,
        f"Secret de la base «\u00a0{opened.shown}\u00a0» exporté dans «\u00a0{file}\u00a0» "
        "(lisible par vous seul).\nSur chaque autre poste qui ouvre cette base\u00a0: "
        "ensap-tui secret import FICHIER (avec le même --db ou ENSAP_TUI_DB).",
        {"base": opened.shown, "fichier": str(file.absolute())},
    )
    return EXIT_OK


def _read_imported(name: str) -> tuple[bytes, list[str]]:
    """The secret in the file ``name`` (``-``: the standard input), and notices."""
    from ensap_tui.adapters.secret_store import (
        SECRET_FILE_MAX_BYTES,
        SecretError,
        decode_secret,
        read_secret_file,
    )

    try:
        if name == "-":
            text = sys.stdin.read(SECRET_FILE_MAX_BYTES + 1)
            if len(text) > SECRET_FILE_MAX_BYTES:
                raise SecretError("l'entrée standard est bien trop longue pour être un secret")
            return decode_secret(text, "sur l'entrée standard"), []
        found = read_secret_file(Path(name))
    except SecretError as error:
        raise CommandError(f"Aucun secret n'a été importé\u00a0: {error}.") from None
    return found.secret, found.notices


@dataclass
class _Installed:
    """Where the secret now is (in words, and the file if it is one), and whether it was
    already there or replaced another."""

    where: str
    file: Path | None = None
    already: bool = False
    replaced: str = ""

    def data(self, shown: str) -> dict[str, Any]:
        """What ``secret import --json`` prints."""
        return {
            "base": shown,
            "emplacement": "trousseau" if self.file is None else "fichier",
            "fichier": None if self.file is None else str(self.file.absolute()),
            "deja_present": self.already,
            "remplace": bool(self.replaced),
        }


def _install_in_file(file: Path, secret: bytes, force: bool) -> _Installed:
    """``secret`` in ``file``: kept when it already holds it; another secret there (perhaps
    another database's) is replaced only with ``force``."""
    from ensap_tui.adapters.secret_store import SecretError, read_secret_file, write_secret_file

    where = f"le fichier «\u00a0{file}\u00a0»"
    exists = file.exists() or file.is_symlink()
    if exists:
        try:
            held: bytes | None = read_secret_file(file).secret
        except SecretError:
            held = None
        if held is not None and hmac.compare_digest(held, secret):
            return _Installed(where, file, already=True)
        if not force:
            raise CommandError(
                f"Le fichier «\u00a0{file}\u00a0» existe déjà et ne contient pas ce secret "
                "(peut-être celui d'une autre base)\u00a0: rien n'a été modifié. Indiquez un autre "
                "fichier, ou ajoutez --force pour le remplacer."
            )
    try:
        write_secret_file(file, secret, replace=exists)
    except SecretError as error:
        raise CommandError(f"Le secret n'a pas été installé\u00a0: {error}.") from None
    return _Installed(where, file, replaced="l'ancien fichier a été remplacé" if exists else "")


def _install(opened: _Opened, secret: bytes, force: bool) -> _Installed:
    """``secret`` installed where this database's configuration looks for it."""
    from ensap_tui.adapters.secret_store import (
        KeyringUnavailable,
        SecretError,
        keyring_secret,
        put_keyring_secret,
        secret_file_path,
    )
    settings = opened.settings
    if settings.secret_file is not None:
        return _install_in_file(settings.secret_file, secret, force)
    beside = None if opened.store.path is None else secret_file_path(opened.store.path)
    if settings.use_keyring:
        try:
            try:
                held = keyring_secret(opened.db_id, timeout=settings.keyring_timeout)
            except KeyringUnavailable:
                raise
            except SecretError:
                held = None  # an unreadable entry is replaced: it cannot serve this database
            where = "le trousseau système"
            if held is not None and hmac.compare_digest(held, secret):
                return _Installed(where, already=True)
            put_keyring_secret(opened.db_id, secret, timeout=settings.keyring_timeout)
            # The entry is this database's (named by its identifier), so a different secret
            # there could not open it anyway.
            return _Installed(
                where, replaced="l'entrée qui ne correspondait pas a été remplacée"
                if held is not None else "",
            )
        except KeyringUnavailable as error:
            if beside is None:
                raise CommandError(
                    f"Le secret n'a pas été installé\u00a0: {error} sur ce poste. "
                    f"{_SECRET_FILE_REMEDY}"
                ) from None
    if beside is None:
        raise CommandError(f"Le secret n'a pas été installé. {_SECRET_FILE_REMEDY}")
    return _install_in_file(beside, secret, force)


def run_import(args: argparse.Namespace) -> int:
    """Installs a secret exported from another machine, after checking it is this
    database's."""
    from ensap_tui.adapters.secret_store import secret_check

    secret, notices = _read_imported(args.file)
    for notice in notices:
        print(f"ensap-tui\u00a0: {notice}", file=sys.stderr)
    opened = _open(args)
    try:
        if opened.check is None:
            raise CommandError(
                f"La base «\u00a0{opened.shown}\u00a0» n'a pas encore de secret\u00a0: ouvrez-la "
                "d'abord sur le poste qui l'a créée (son secret y est créé), puis exportez-le "
                "depuis ce poste-là. Rien n'a été modifié."
            )
        if not hmac.compare_digest(opened.check, secret_check(secret)):
            source = "l'entrée standard" if args.file == "-" else f"«\u00a0{args.file}\u00a0»"
            raise CommandError(
                f"Le secret lu dans {source} n'est pas celui de la base «\u00a0{opened.shown}"
                "\u00a0» (sa valeur de contrôle ne correspond pas)\u00a0: rien n'a été modifié. "
                "Exportez le secret depuis un poste qui ouvre cette base "
                "(ensap-tui secret export FICHIER)."
            )
        installed = _install(opened, secret, args.force)
        # What the application will do at its next start: find the secret and check it.
        if not hmac.compare_digest(_found_secret(opened), secret):
            raise CommandError(
                f"Le secret a été installé dans {installed.where}, mais ce poste en trouve un "
                "autre pour cette base."
            )
    finally:
        opened.store.close()
    if installed.already:
        text = (
            f"Ce poste avait déjà le secret de la base «\u00a0{opened.shown}\u00a0» "
            f"({installed.where})\u00a0: rien n'a été modifié."
        )
    else:
        replaced = f" ({installed.replaced})" if installed.replaced else ""
        text = (
            f"Secret de la base «\u00a0{opened.shown}\u00a0» installé dans {installed.where}"
            f"{replaced}. Vérifié\u00a0: ce poste ouvre désormais cette base avec ce secret."
        )
    report(args, text, installed.data(opened.shown))
    return EXIT_OK


_ACTIONS = (
    ActionSpec(
        "export",
        help="écrit le secret de la base dans un fichier, pour les autres postes",
        description=(
            "Écrit le secret de la base (celui qui protège ses mots de passe) dans FICHIER, "
            "lisible par vous seul, ou sur la sortie standard avec --stdout. Quiconque détient "
            "ce secret et une copie de la base peut y vérifier des mots de passe hors ligne."
        ),
        handler=run_export,
        arguments=_export_arguments,
    ),
    ActionSpec(
        "import",
        help="installe sur ce poste le secret exporté depuis un autre",
        description=(
            "Installe le secret de FICHIER pour cette base sur ce poste\u00a0: dans le fichier "
            "de --secret-file (ou ENSAP_TUI_SECRET_FILE) s'il est indiqué, sinon dans le "
            "trousseau système, sinon dans le fichier à côté d'une base SQLite. Le secret est "
            "d'abord comparé à la valeur de contrôle de la base\u00a0: celui d'une autre base est "
            "refusé et rien n'est modifié."
        ),
        handler=run_import,
        arguments=_import_arguments,
    ),
)
