"""French wording of damaged rows (see :class:`~ensap_tui.services.ports.DamagedRecord`), shared
by the screens and the command line."""

from __future__ import annotations

from collections.abc import Sequence

from ensap_tui.services.ports import DamagedRecord

#: What a row of each table is, for the user: (singular, plural, «this ...»).
_NOUNS: dict[str, tuple[str, str, str]] = {
    "accounts": ("espace endommagé", "espaces endommagés", "Cet espace"),
    "outbox": ("courriel endommagé", "courriels endommagés", "Ce courriel"),
    "agents": ("agent endommagé", "agents endommagés", "Ce compte d'agent"),
    "events": ("événement endommagé", "événements endommagés", "Cet événement du journal"),
    "tokens": ("lien endommagé", "liens endommagés", "Le lien de cet espace"),
    "login_failures": (
        "compteur de connexion endommagé",
        "compteurs de connexion endommagés",
        "Le compteur de connexion de cet espace",
    ),
}
_OTHER = ("enregistrement endommagé", "enregistrements endommagés", "Cet enregistrement")
ADVICE = "Restaurez une sauvegarde de la base, ou supprimez cet enregistrement."


def _where(errors: Sequence[DamagedRecord]) -> str:
    table = errors[0].table
    rows = ", ".join(str(error.row) for error in errors)
    word = "ligne" if len(errors) == 1 else "lignes"
    return f"table « {table} », {word} {rows}"


def damaged_text(error: DamagedRecord) -> str:
    """«Ce courriel est endommagé dans la base de données (table « outbox », ligne 12) : il
    ne peut pas être lu. …»: the record asked for cannot be read."""
    this = _NOUNS.get(error.table, _OTHER)[2]
    return (
        f"{this} est endommagé dans la base de données ({_where([error])}) : une valeur "
        f"enregistrée est illisible. {ADVICE}"
    )


def left_out_text(errors: Sequence[DamagedRecord]) -> str:
    """«2 courriels endommagés ne sont pas affichés (table « outbox », lignes 3, 7). …»: the
    rows a list left out, grouped by table, one sentence each; empty when there are none."""
    by_table: dict[str, list[DamagedRecord]] = {}
    for error in errors:
        by_table.setdefault(error.table, []).append(error)
    sentences = []
    for table, found in by_table.items():
        one, many, _this = _NOUNS.get(table, _OTHER)
        if len(found) == 1:
            sentences.append(f"1 {one} n'est pas affiché ({_where(found)}).")
        else:
            sentences.append(f"{len(found)} {many} ne sont pas affichés ({_where(found)}).")
    if not sentences:
        return ""
    return " ".join([*sentences, "Les autres sont affichés.", ADVICE])
