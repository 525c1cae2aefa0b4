"""What the creation wizard has collected so far, shared by its steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ensap_tui.domain import nir
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo
from ensap_tui.services.models import RegistrationRequest

#: The step (1 to 3) whose screen owns each field, for routing an error back to it.
STEP_OF_FIELD: dict[str, int] = {
    "nir": 1,
    "nom-naissance": 1,
    "date-naissance": 1,
    "cgu": 1,
    "mot-de-passe": 2,
    "confirmation-mot-de-passe": 2,
    "courriel": 3,
    "confirmation-courriel": 3,
    "courriel-secours": 3,
    "confirmation-courriel-secours": 3,
    "telephone": 3,
    "telephone-secondaire": 3,
}


@dataclass
class RegistrationDraft:
    """The raw text of steps 1 to 3, kept while the person goes back and forth.

    One draft is created by «Créer mon espace» and handed to each step screen, which fills its
    fields from it and writes them back on «Continuer» and «Retour». Nothing here is checked:
    the services check (``check_*``) and check again when registering.
    """

    nir: str = ""
    birth_name: str = ""
    birth_day: str = ""
    birth_month: str = ""
    birth_year: str = ""
    terms_accepted: bool = False
    password: str = ""
    password_confirmation: str = ""
    email: str = ""
    email_confirmation: str = ""
    email_backup: str = ""
    email_backup_confirmation: str = ""
    phone: str = ""
    phone_secondary: str = ""

    def personal(self) -> PersonalInfo:
        """What the password must not contain, from step 1 (and the e-mail once typed).

        Used for the live meter; parts not valid yet are left out rather than guessed.
        """
        birth: date | None
        try:
            birth = date(int(self.birth_year), int(self.birth_month), int(self.birth_day))
        except ValueError:
            birth = None
        try:
            compact = nir.parse_nir(self.nir)
        except FieldError:
            compact = ""
        return PersonalInfo(
            nir=compact, birth_name=self.birth_name.strip(), birth_date=birth,
            email=self.email.strip(),
        )

    def request(self) -> RegistrationRequest:
        """Everything, for ``services.registration.register``."""
        return RegistrationRequest(
            nir=self.nir,
            birth_name=self.birth_name,
            birth_day=self.birth_day,
            birth_month=self.birth_month,
            birth_year=self.birth_year,
            terms_accepted=self.terms_accepted,
            password=self.password,
            password_confirmation=self.password_confirmation,
            email=self.email,
            email_confirmation=self.email_confirmation,
            email_backup=self.email_backup,
            email_backup_confirmation=self.email_backup_confirmation,
            phone=self.phone,
            phone_secondary=self.phone_secondary,
        )
