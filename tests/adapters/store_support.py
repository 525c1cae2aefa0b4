"""What the store tests of both engines share: accounts to insert, token hashes, compound names."""

from __future__ import annotations

from datetime import date, datetime

from ensap_tui.adapters.clocks import FixedClock
from ensap_tui.services.models import Contacts, NewAccount
from ensap_tui.services.ports import Store

HASH_A = "a" * 64
HASH_B = "b" * 64
HASH_C = "c" * 64


def new_account(nir: str = "185057511512364", name: str = "LEFÈVRE", *,
                at: datetime) -> NewAccount:
    """A new account of ``nir`` and ``name`` created ``at``, every contact filled."""
    return NewAccount(
        nir=nir,
        birth_name=name,
        birth_date=date(1985, 5, 17),
        password_hash="$argon2id$fake",
        contacts=Contacts(email="marie.lefevre@example.fr", email_backup="m@example.org",
                          phone="+33615147879", phone_secondary="+68989123456"),
        created_at=at,
    )


#: Names with several parts (and the punctuation between them) that a search must find.
COMPOUND = {
    "185057511512364": "d'Artagnan-Lefèvre",
    "278072B03300742": "N'Diaye",
    "192049712001143": "Le Goff",
    "170069935000525": "LEFEBVRE",
    "185057511500189": "Martin-Martinez",
}


def compound_names(store: Store, clock: FixedClock) -> None:
    """Inserts the accounts of :data:`COMPOUND`."""
    with store.write() as tx:
        for nir, name in COMPOUND.items():
            tx.insert_account(new_account(nir, name, at=clock.now()))
