"""The people, passwords and help-desk agents the tests use (valid NIRs, strong passwords that
contain nothing of their owner)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from ensap_tui.services.models import RegistrationRequest

NIR = "185057511512364"  # born May 1985 in Paris
NIR_SPACED = "1 85 05 75 115 123 64"
#: How lists and journals show :data:`NIR`.
MASKED_NIR = "1 85 •• •• ••• ••• 64"
OTHER_NIR = "278072B03300742"  # born July 1978 in Haute-Corse
UNKNOWN_NIR = "192049712001143"  # valid, and never registered by the default people
PASSWORD = "Ensap#Sûr2026"
NEW_PASSWORD = "Printemps!Vert77"
#: A wrong password of the right shape (sign-in failures).
WRONG_PASSWORD = "Mauvais#Passe1"
EMAIL = "jean.dupont@example.fr"
BIRTH_DATE = date(1985, 5, 14)

#: A help-desk agent and its password.
AGENT = "Camille.Martin"
AGENT_PASSWORD = "Guichet#Aide2026"

#: Jean Dupont; the confirmation differs in case only (it is compared ignoring case).
REQUEST = RegistrationRequest(
    nir=NIR_SPACED,
    birth_name="Dupont",
    birth_day="14",
    birth_month="05",
    birth_year="1985",
    terms_accepted=True,
    password=PASSWORD,
    password_confirmation=PASSWORD,
    email=EMAIL,
    email_confirmation="Jean.Dupont@example.fr",
)

#: Claire Martin-Léger, a second person.
OTHER_REQUEST = RegistrationRequest(
    nir=OTHER_NIR,
    birth_name="Martin-Léger",
    birth_day="03",
    birth_month="07",
    birth_year="1978",
    terms_accepted=True,
    password="Azur&Corail1978x",
    password_confirmation="Azur&Corail1978x",
    email="claire.martin@example.org",
    email_confirmation="claire.martin@example.org",
)


def request(**changes: Any) -> RegistrationRequest:
    """The default registration (:data:`REQUEST`) with some fields changed."""
    return dataclasses.replace(REQUEST, **changes)


#: Jean Dupont again, his birth name now Lefèvre (searches by accents and prefixes).
LEFEVRE = request(birth_name="Lefèvre")
THIRD_NIR = "192049712001143"  # born April 1992 in Guadeloupe (the same as UNKNOWN_NIR)
#: Paul Lefebvre, a third person, whose name starts like Lefèvre's.
LEFEBVRE = request(
    nir=THIRD_NIR,
    birth_name="Lefebvre",
    birth_day="02",
    birth_month="04",
    birth_year="1992",
    email="paul.lefebvre@example.fr",
    email_confirmation="paul.lefebvre@example.fr",
)
