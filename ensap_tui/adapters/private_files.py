"""The permissions of the files that hold accounts and secrets: owner only (0600).

Shared by the database (and its ``-wal``/``-shm``) and the secret file. Written here because the
standard library gives the pieces (``os.fstat``, ``os.chmod``) but no policy.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ensap_tui.adapters.oserrors import french_reason

PRIVATE_MODE = 0o600
#: Group and others: any of these bits means someone else may read or change the file.
_OTHERS = 0o077


def resolved(path: Path) -> Path:
    """``path`` made absolute with every symbolic link followed, even a dangling one (whose
    target is where a new file gets created), so that the database and the files beside it
    (``-wal``, ``-shm``, ``.secret``) sit together at the real place."""
    return Path(os.path.realpath(Path(path).absolute()))


def special_file_reason(mode: int) -> str | None:
    """Why a file of ``mode`` cannot hold data (a device, a named pipe…), or None for a
    regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "ce chemin est un dossier"
    if stat.S_ISFIFO(mode):
        return "c'est un tube nommé, pas un fichier ordinaire"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "c'est un périphérique, pas un fichier ordinaire"
    if stat.S_ISSOCK(mode):
        return "c'est une prise de communication, pas un fichier ordinaire"
    return "ce n'est pas un fichier ordinaire"


def tightened_notice(path: Path) -> str:
    """The French notice shown when the rights of ``path`` were restricted."""
    return (
        f"Le fichier «\u00a0{path}\u00a0» était accessible à d'autres utilisateurs\u00a0: "
        "ses droits ont été restreints à vous seul (0600)."
    )


def _untightened_notice(path: Path, error: OSError) -> str:
    return (
        f"Le fichier «\u00a0{path}\u00a0» est accessible à d'autres utilisateurs et ses droits "
        f"n'ont pas pu être restreints ({french_reason(error)})\u00a0: faites-le "
        "(chmod 600)."
    )


def make_private(path: Path, mode: int, fd: int | None = None) -> str | None:
    """Restricts ``path`` (current ``mode``; through ``fd`` when given) to 0600 when group or
    others have any right on it. Returns a French notice when something was (or could not be)
    changed, else None."""
    if not mode & _OTHERS:
        return None
    try:
        if fd is not None:
            os.fchmod(fd, PRIVATE_MODE)
        else:
            os.chmod(path, PRIVATE_MODE)
    except OSError as error:
        return _untightened_notice(path, error)
    return tightened_notice(path)
