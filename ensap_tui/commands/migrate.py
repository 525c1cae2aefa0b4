"""``ensap-tui migrate --from BASE.sqlite3 --to postgresql://…``: copies a local database to an
empty PostgreSQL database, then checks the copy.

The copy itself (``adapters/engine_copy.py``) is one transaction on the target, checked before
it commits (rows counted per table, the meta, a sample of password hashes byte for byte). Once
committed, the target is opened as the application opens it and read through its store: the
sample's hashes and the secret's check value again, then the secret this machine finds for it
(the same identifier as the source, so the same keyring entry; or the file of
``--secret-file``, made from the source's secret when it does not exist yet).
"""

from __future__ import annotations

import argparse
import hmac
from pathlib import Path
from typing import TYPE_CHECKING

from ensap_tui.commands import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_json_option,
    chosen_settings,
    database_argument,
    print_json,
)

if TYPE_CHECKING:
    from ensap_tui.adapters.database_url import PostgresUrl
    from ensap_tui.adapters.engine_copy import CopyReport
    from ensap_tui.bootstrap import Settings


def build(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """``migrate``'s arguments."""
    parser.add_argument(
        "--from", dest="source", type=Path, required=True, metavar="BASE.sqlite3",
        help="la base SQLite à copier (ses données ne sont pas modifiées)",
    )
    parser.add_argument(
        "--to", dest="target", type=database_argument, required=True, metavar="URL",
        help="la base PostgreSQL vide qui reçoit la copie (postgresql://utilisateur@serveur/base)",
    )
    add_json_option(parser)
    parser.set_defaults(handler=run)


#: Whether the progress lines are printed (not with ``--json``, which prints one object).
_talking = True


def _say(line: str) -> None:
    if _talking:
        print(line, flush=True)


def _fmt(count: int) -> str:
    return f"{count:,}".replace(",", "\u202f")


def _source_secret(source: Path) -> bytes | None:
    """The source's secret as this machine finds it (keyring, or the file beside it), or None
    when it is not here: the copy does not need it, only the advice given afterwards."""
    from ensap_tui.bootstrap import (
        META_SECRET_CHECK,
        Settings,
        StartupError,
        database_secret,
        open_store,
    )

    try:
        store = open_store(source, Settings())
    except StartupError as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    try:
        with store.read() as tx:
            if tx.get_meta(META_SECRET_CHECK) is None:
                return None  # never opened by the application: no secret to find
        return database_secret(store, Settings())[0]
    except StartupError:
        return None
    finally:
        store.close()


def run(args: argparse.Namespace) -> int:
    """Copies ``--from`` into ``--to`` and checks the copy."""
    from ensap_tui.adapters.database_url import PostgresUrl
    from ensap_tui.adapters.engine_copy import CopyRefused, copy_sqlite_to_postgres
    from ensap_tui.services.ports import StoreBusyError, StoreError

    global _talking
    _talking = not args.json
    source: Path = args.source
    target = args.target
    if not isinstance(target, PostgresUrl):
        raise CommandError(
            f"--to attend l'adresse d'une base PostgreSQL (postgresql://utilisateur@serveur/base), "
            f"pas «\u00a0{target}\u00a0».", EXIT_USAGE,
        )
    if not source.is_file():
        raise CommandError(
            f"La base source «\u00a0{source}\u00a0» n'existe pas (ou n'est pas un fichier).",
            EXIT_USAGE,
        )
    # Opened once as the application opens it: checked, and brought to this version's schema.
    secret = _source_secret(source)
    _say(f"Copie de «\u00a0{source}\u00a0» vers «\u00a0{target.masked}\u00a0»\u00a0:")
    try:
        report = copy_sqlite_to_postgres(source, target, progress=lambda line: _say(f"  {line}"))
    except CopyRefused as error:
        raise CommandError(str(error), EXIT_FAILED) from None
    except (StoreError, StoreBusyError) as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    _say(
        f"Copie vérifiée avant validation\u00a0: {len(report.rows)} tables, autant de lignes de "
        f"chaque côté ({_fmt(sum(report.rows.values()))} en tout)\u00a0; table meta identique "
        "(identifiant de la base, valeur de contrôle du secret)\u00a0; empreintes des mots de "
        f"passe de {_fmt(len(report.sample))} espaces identiques octet pour octet."
    )
    settings = chosen_settings(args, False)
    _check_through_the_store(target, settings, report)
    found = _secret_on_this_machine(source, target, settings, secret)
    if args.json:
        print_json({
            "source": str(source.absolute()), "cible": target.masked, "tables": report.rows,
            "echantillon": len(report.sample), "secret_trouve": found,
        })
    return EXIT_OK


def _check_through_the_store(target: PostgresUrl, settings: Settings, report: CopyReport) -> None:
    """Reads the committed copy as the application will: its store, the sample's accounts by
    NIR and the secret's check value."""
    from ensap_tui.bootstrap import META_SECRET_CHECK, StartupError, open_store
    from ensap_tui.services.ports import StoreBusyError, StoreError

    try:
        store = open_store(target, settings)
    except StartupError as error:
        raise CommandError(f"La copie a été faite, mais {error}", EXIT_FAILED) from None
    try:
        with store.read() as tx:
            check = tx.get_meta(META_SECRET_CHECK)
            differing = [
                nir for nir, digest in report.sample
                if (found := tx.account_by_nir(nir)) is None
                or not hmac.compare_digest(found.password_hash.encode(), digest.encode())
            ]
    except (StoreError, StoreBusyError) as error:
        raise CommandError(f"La copie a été faite, mais sa relecture a échoué\u00a0: {error}",
                           EXIT_FAILED) from None
    finally:
        store.close()
    if differing or check != report.meta.get(META_SECRET_CHECK):
        raise CommandError(
            "La copie a été faite, mais sa relecture par ensap-tui ne donne pas les mêmes "
            "espaces ou la même valeur de contrôle du secret.", EXIT_FAILED,
        )
    _say(
        f"Relecture par ensap-tui\u00a0: les {_fmt(len(report.sample))} espaces de l'échantillon "
        "et la valeur de contrôle du secret sont ceux de la source."
    )


def _secret_on_this_machine(
    source: Path, target: PostgresUrl, settings: Settings, secret: bytes | None
) -> bool:
    """Says whether this machine can open the copy (its secret found where the configuration
    looks), making the ``--secret-file`` file from the source's secret when it does not exist;
    returns it."""
    from ensap_tui.adapters.secret_store import SecretError, secret_file_path, write_secret_file
    from ensap_tui.bootstrap import StartupError, database_secret, open_store

    file = settings.secret_file
    if file is not None and secret is not None and not (file.exists() or file.is_symlink()):
        try:
            write_secret_file(file, secret)
        except SecretError as error:
            raise CommandError(
                f"La copie a été faite, mais le fichier du secret n'a pas été écrit\u00a0: {error}."
            ) from None
        _say(f"Secret de la base écrit dans «\u00a0{file}\u00a0» (lisible par vous seul).")
    try:
        store = open_store(target, settings)
    except StartupError as error:
        raise CommandError(f"La copie a été faite, mais {error}", EXIT_FAILED) from None
    try:
        database_secret(store, settings)
    except StartupError:
        beside = secret_file_path(source)
        hint = (
            f" (le fichier «\u00a0{beside}\u00a0» convient tel quel)" if beside.exists() else ""
        )
        _say(
            "Migration terminée. Ce poste ne trouve pas encore le secret de la base "
            "cible\u00a0: indiquez son fichier avec --secret-file FICHIER ou "
            f"ENSAP_TUI_SECRET_FILE{hint}, ou installez-le avec «\u00a0ensap-tui --db URL "
            "secret import FICHIER\u00a0» après «\u00a0ensap-tui --db "
            f"{source} secret export FICHIER\u00a0»."
        )
        return False
    finally:
        store.close()
    _say(
        "Migration terminée\u00a0: ce poste ouvre la base cible avec le secret de la base source. "
        "Sur les autres postes, installez ce secret (ensap-tui secret import), puis ouvrez "
        "la base avec --db URL ou ENSAP_TUI_DB."
    )
    return True
