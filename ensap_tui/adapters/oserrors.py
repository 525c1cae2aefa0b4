"""French wording of operating-system errors, for messages shown to users."""

from __future__ import annotations

import errno

_REASONS = {
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.EROFS: "le disque est en lecture seule",
    errno.ENOSPC: "le disque est plein",
    errno.ENOENT: "dossier introuvable",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "ce chemin est un dossier",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENAMETOOLONG: "nom de fichier ou chemin trop long",
    errno.ELOOP: "trop de liens symboliques dans le chemin",
}


def french_reason(error: OSError) -> str:
    """Why ``error`` happened, in French (the system's own text is often English)."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    return f"erreur système {error.errno}" if error.errno else "erreur système"
