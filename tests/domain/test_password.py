"""Password policy, level, checklist, confirmation, and the bundled common-password list."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from ensap_tui.domain import password
from ensap_tui.domain.errors import FieldError
from ensap_tui.domain.password import PersonalInfo

PERSONAL = PersonalInfo(
    nir="185057511512364",
    birth_name="Lefèvre-Dubois",
    birth_date=date(1985, 5, 17),
    email="jean.martin@exemple.fr",
)

RULES = [
    ("longueur", "8 caractères minimum"),
    ("majuscules", "majuscules"),
    ("minuscules", "minuscules"),
    ("chiffres", "chiffres"),
    ("speciaux", "caractères spéciaux"),
    ("types", "3 des 4 types"),
    ("courant", "pas un mot de passe courant"),
    ("personnel", "sans information personnelle"),
]


def rules(result: password.Assessment) -> dict[str, bool]:
    return {rule.key: rule.ok for rule in result.rules}


def test_rules_keys_and_labels_in_order() -> None:
    result = password.assess("")
    assert [(rule.key, rule.label) for rule in result.rules] == RULES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ﬁ", "fi"),
        ("Ａｂ１", "Ab1"),
        ("e\u0301", "é"),
        ("  espace  ", "  espace  "),  # never trimmed
        ("MajUscules", "MajUscules"),  # never folded
        ("x" * 500, "x" * 500),  # never truncated
    ],
)
def test_normalise_password(text: str, expected: str) -> None:
    assert password.normalise_password(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tournevis-Ocre-42", "tournevis ocre 42 !", "TOURNEVIS-OCRE42!", "Éléphant-Rose-42",
        "Ab1!Ab1!", "Ab1" + ("Kqz!mxw-" * 16)[:125],
    ],
)
def test_acceptable_passwords_are_strong(text: str) -> None:
    result = password.assess(text, PERSONAL)
    assert result.acceptable
    assert result.level == "Fort"
    assert result.problems == ()
    got = rules(result)
    assert got["longueur"] and got["types"] and got["courant"] and got["personnel"]
    assert result.kinds >= 3


def test_accented_upper_case_counts_as_upper_case() -> None:
    result = password.assess("éÉ1aaaaa")
    assert rules(result)["majuscules"]
    assert result.kinds == 3


@pytest.mark.parametrize(
    ("text", "kinds", "flags"),
    [
        ("", 0, (False, False, False, False)),
        ("abc", 1, (False, True, False, False)),
        ("ABC", 1, (True, False, False, False)),
        ("123", 1, (False, False, True, False)),
        ("!€ ", 1, (False, False, False, True)),
        ("aB3€", 4, (True, True, True, True)),
        ("ᾈ", 1, (True, False, False, False)),  # title case counts as upper
        ("٣", 1, (False, False, True, False)),  # any decimal digit
        ("漢字", 1, (False, False, False, True)),  # letters without case are «other»
    ],
)
def test_kinds(text: str, kinds: int, flags: tuple[bool, bool, bool, bool]) -> None:
    result = password.assess(text)
    assert result.kinds == kinds
    got = rules(result)
    assert (got["majuscules"], got["minuscules"], got["chiffres"], got["speciaux"]) == flags


REFUSED = [
    ("empty", "", password.MSG_EMPTY, "Faible"),
    ("7 characters", "Ab1!Ab1", password.MSG_TOO_SHORT, "Faible"),
    ("129 characters", "Ab1" + "x" * 126, password.MSG_TOO_LONG, "Moyen"),
    ("one kind", "abcdefghij", password.MSG_KINDS, "Faible"),
    ("two kinds", "kqzmxwvb12", password.MSG_KINDS, "Moyen"),
    ("tab", "Kqzmxw1\tx", password.MSG_CONTROL, "Moyen"),
    ("line break", "Kqzmxw1\nx", password.MSG_CONTROL, "Moyen"),
    ("escape", "Kqzmxw1\x1bx", password.MSG_CONTROL, "Moyen"),
    ("bidi override", "Kqzmxw1\u202ex", password.MSG_CONTROL, "Moyen"),
    ("common, any case", "Password1", password.MSG_COMMON, "Faible"),
    ("common French", "Azerty123", password.MSG_COMMON, "Faible"),
    ("common after NFKC", "Ｐａｓｓｗｏｒｄ１", password.MSG_COMMON, "Faible"),
    ("whole NIR", "x185057511512364A", password.MSG_NIR, "Faible"),
    ("6-digit run of the NIR", "Abc!751151", password.MSG_NIR, "Faible"),
    ("NIR run across spaces", "Abc! 751 151", password.MSG_NIR, "Faible"),
    ("JJMMAAAA", "Abc!17051985", password.MSG_BIRTH_DATE, "Faible"),
    ("JJMMAA", "Abc!x170585", password.MSG_BIRTH_DATE, "Faible"),
    ("AAAAMMJJ", "Abc!19850517", password.MSG_BIRTH_DATE, "Faible"),
    ("date with slashes", "Abc!17/05/1985", password.MSG_BIRTH_DATE, "Faible"),
    ("birth name", "Lefèvre-Dubois!1", password.MSG_BIRTH_NAME, "Faible"),
    ("name part, no accent", "LEFEVRE2024!", password.MSG_BIRTH_NAME, "Faible"),
    ("other name part", "xDubois2024!", password.MSG_BIRTH_NAME, "Faible"),
    ("name parts joined", "Xlefevredubois1", password.MSG_BIRTH_NAME, "Faible"),
    ("e-mail local part", "Jean.Martin#1", password.MSG_EMAIL, "Faible"),
    ("local part, no dot", "JeanMartin#1", password.MSG_EMAIL, "Faible"),
]


@pytest.mark.parametrize(("why", "text", "problem", "level"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_passwords(why: str, text: str, problem: str, level: str) -> None:
    result = password.assess(text, PERSONAL)
    assert not result.acceptable
    assert problem in result.problems
    assert result.level == level


def test_problems_come_most_basic_first() -> None:
    result = password.assess("abc", PERSONAL)
    assert result.problems == (password.MSG_TOO_SHORT, password.MSG_KINDS)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("courant", "Password1"),
        ("personnel", "Abc!17051985"),
        ("types", "abcdefgh12"),
        ("longueur", "Ab1!"),
        ("longueur", "Ab1!" * 40),
    ],
)
def test_checklist_line_shows_the_failure(key: str, text: str) -> None:
    assert rules(password.assess(text, PERSONAL))[key] is False


def test_empty_password_ticks_nothing() -> None:
    assert not any(rules(password.assess("", PERSONAL)).values())


@pytest.mark.parametrize(
    ("personal", "text"),
    [
        (PersonalInfo(birth_name="Li"), "Lilas#Ocre2024x"),  # names under 3 letters ignored
        (PersonalInfo(email="jd@exemple.fr"), "Jdavid#Ocre2024"),  # local parts under 3 ignored
        (PersonalInfo(nir="180032A00401289"), "Ajaccio#2A0"),  # no 6-digit run of the NIR
        (PersonalInfo(birth_date=date(1985, 5, 17)), "Kumquat#Ocre1985"),  # the year alone
        (PersonalInfo(), "Lefèvre-Dubois!1"),  # nothing known, nothing refused
        (PersonalInfo(nir="pas un NIR", birth_name="<>", email="sans-arobase"), "Tournevis#Ocre42"),
    ],
)
def test_personal_information_that_does_not_refuse(personal: PersonalInfo, text: str) -> None:
    assert password.assess(text, personal).acceptable


def test_corsican_nir_is_refused_whatever_the_case() -> None:
    personal = PersonalInfo(nir="180032A00401289")
    assert password.MSG_NIR in password.assess("x180032a00401289X", personal).problems


def test_length_is_counted_after_nfkc() -> None:
    # 8 characters once «ﬁ» becomes «fi»: ok; 7 code points before.
    assert password.assess("ﬁ1!KQZM").acceptable
    # 4 code points that compose into one character: the minimum counts what NFKC makes...
    composed = "α\u0313\u0300\u0345"
    assert len(password.normalise_password(composed)) == 1
    assert not rules(password.assess(composed * 7))["longueur"]
    assert rules(password.assess(composed * 8))["longueur"]
    # ...and the maximum holds as typed too (128 code points), so a sign-in field takes it again.
    assert rules(password.assess(composed * 32))["longueur"]
    assert not rules(password.assess(composed * 33))["longueur"]


@pytest.mark.parametrize("size", [129, 513, 10_000, 1_000_000])
def test_very_long_input_is_refused_as_too_long(size: int) -> None:
    result = password.assess("Ab1!" * (size // 4) + "x" * (size % 4))
    assert not result.acceptable
    assert result.level == "Moyen"
    assert result.problems[0] == password.MSG_TOO_LONG


def test_assess_without_personal_information() -> None:
    assert password.assess("Tournevis-Ocre-42").acceptable


def test_check_password_accepts_a_confirmed_password() -> None:
    password.check_password("Tournevis-Ocre-42", "Tournevis-Ocre-42", PERSONAL)


def test_check_password_compares_the_confirmation_after_nfkc() -> None:
    password.check_password("Élan-vital-42", "E\u0301lan-vital-42", PERSONAL)


def test_check_password_reports_the_first_problem_on_its_field() -> None:
    with pytest.raises(FieldError) as caught:
        password.check_password("abc", "abc", PERSONAL, field="nouveau-mot-de-passe")
    assert caught.value.field == "nouveau-mot-de-passe"
    assert caught.value.message == password.MSG_TOO_SHORT


def test_check_password_reports_a_mismatch_on_the_confirmation() -> None:
    with pytest.raises(FieldError) as caught:
        password.check_password("Tournevis-Ocre-42", "Tournevis-Ocre-43", PERSONAL)
    assert caught.value.field == "confirmation-mot-de-passe"
    assert caught.value.message == "Les deux mots de passe ne sont pas identiques."


def test_check_password_asks_for_the_confirmation() -> None:
    with pytest.raises(FieldError) as caught:
        password.check_password("Tournevis-Ocre-42", "", PERSONAL)
    assert caught.value.field == "confirmation-mot-de-passe"
    assert caught.value.message == password.MSG_CONFIRMATION_EMPTY


def test_confirmation_is_case_sensitive() -> None:
    with pytest.raises(FieldError):
        password.check_password("Tournevis-Ocre-42", "tournevis-ocre-42", PERSONAL)


# The bundled list --------------------------------------------------------------------------

DATA = resources.files("ensap_tui.domain").joinpath("data")


def bundled_entries() -> list[str]:
    lines = DATA.joinpath("common-passwords.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("#")]


@pytest.mark.parametrize("word", ["azerty", "motdepasse", "soleil", "loulou", "marseille"])
def test_french_common_passwords_are_bundled_and_refused(word: str) -> None:
    assert word in bundled_entries()
    assert password.is_common(word.capitalize())
    assert not rules(password.assess(word.upper()))["courant"]


def test_bundled_list_is_large_lower_case_and_unique() -> None:
    entries = bundled_entries()
    assert len(entries) >= 3000
    assert len(set(entries)) == len(entries)
    assert all(entry == entry.lower() and entry.strip() == entry and entry for entry in entries)


def test_bundled_list_cites_its_source_and_licence() -> None:
    header = DATA.joinpath("common-passwords.txt").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("#")
    assert "zxcvbn-ts" in header
    assert "MIT" in header
    licence = DATA.joinpath("LICENSE-password-lists.txt").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in licence
    assert "Dropbox" in licence


REPO_ROOT = Path(__file__).resolve().parents[2]


def load_script() -> ModuleType:
    """scripts/derive_password_list.py, loaded from its file (scripts/ is not a package)."""
    path = REPO_ROOT / "scripts" / "derive_password_list.py"
    spec = importlib.util.spec_from_file_location("derive_password_list", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_derivation_keeps_order_lowers_and_deduplicates() -> None:
    derive = load_script().derive
    assert derive(["Soleil", "soleil", " AZERTY ", "", "loulou", "x"], 3) == [
        "soleil",
        "azerty",
        "loulou",
    ]


SHARED_SOURCE = REPO_ROOT / ".." / "shared" / "data" / "password-lists" / "common-passwords.json"


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="the shared source list is not here")
def test_bundled_list_is_what_the_script_derives() -> None:
    script = load_script()
    source = json.loads(SHARED_SOURCE.read_text(encoding="utf-8"))
    assert bundled_entries() == script.derive(source, script.DEFAULT_COUNT)


# Issue 10, finding 3: format characters (Unicode Cf) are invisible; they must be refused like the
# control characters, never count as «caractères spéciaux», and never hide a common password or
# personal information.
FORMAT_CHARACTERS = [
    ("zero-width space", "\u200b"),
    ("soft hyphen", "\u00ad"),
    ("byte order mark", "\ufeff"),
    ("word joiner", "\u2060"),
    ("zero-width joiner", "\u200d"),
    ("tag character", "\U000e0041"),
    ("language tag", "\U000e0001"),
    ("left-to-right mark", "\u200e"),
    ("Arabic letter mark", "\u061c"),
]


@pytest.mark.parametrize(
    "char", [c for _, c in FORMAT_CHARACTERS], ids=[n for n, _ in FORMAT_CHARACTERS]
)
def test_format_characters_are_refused_and_are_not_special(char: str) -> None:
    result = password.assess(f"Tournesol{char}42x")
    assert not result.acceptable
    assert password.MSG_CONTROL in result.problems
    assert not rules(password.assess(f"tournesol{char}42x"))["speciaux"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Password1\u200b", password.MSG_COMMON),
        ("Azerty123\u200b", password.MSG_COMMON),
        ("Motdepasse\u00ad", password.MSG_COMMON),
        ("Pass\ufeffword1", password.MSG_COMMON),
        ("jean\u200bmartin99X", password.MSG_EMAIL),
        ("Lef\u2060evre!2024", password.MSG_BIRTH_NAME),
        ("Abc!1705\u200b1985", password.MSG_BIRTH_DATE),
    ],
)
def test_format_characters_do_not_hide_common_or_personal_passwords(
    text: str, problem: str
) -> None:
    result = password.assess(text, PERSONAL)
    assert result.level == "Faible"
    assert password.MSG_CONTROL in result.problems
    assert problem in result.problems


# Issue 11, point 10: a common password, word or name, a repeated character, a keyboard or number
# sequence of at least 4 characters, once lower-cased and with substitutions undone, plus at most
# 6 other characters, is guessed quickly: refused with the reason.
GUESSABLE = [
    ("Azerty123!", "Une suite de touches du clavier suivie de chiffres et de symboles"),
    ("Password1!", "Un mot de passe courant suivi de chiffres et de symboles"),
    ("Qwerty123!", "Une suite de touches du clavier suivie de chiffres et de symboles"),
    ("Soleil123!", "Un mot de passe courant suivi de chiffres et de symboles"),
    ("Aaaaaaaa1!", "Un même caractère répété suivi de chiffres et de symboles"),
    ("12345678Aa", "Une suite de chiffres suivie de lettres"),
    ("P@ssw0rd2024", "Un mot de passe courant suivi de chiffres"),
    ("S0l3il!2024", "Un mot de passe courant déguisé suivi de chiffres et de symboles"),
    ("Pa$$w0rd", "Un mot de passe courant déguisé"),
    ("Chaton#2024", "Un mot courant suivi de chiffres et de symboles"),
    ("2024 Chaton!", "Un mot courant entouré de chiffres, d'espaces et de symboles"),
    ("Schtroumpf2024!", "Un mot courant suivi de chiffres et de symboles"),
    ("Bourguignon#42", "Un prénom ou un nom courant suivi de chiffres et de symboles"),
    ("Wxcvbn#2024", "Une suite de touches du clavier suivie de chiffres et de symboles"),
    ("Abcdefgh1!", "Une suite de lettres suivie de chiffres et de symboles"),
    ("&é\"'(-è_çà1A", "Une suite de touches du clavier suivie de chiffres et de lettres"),
    ("!!Motdepasse", "Un mot de passe courant précédé de symboles"),
]


@pytest.mark.parametrize(("text", "reason"), GUESSABLE, ids=[g[0] for g in GUESSABLE])
def test_common_password_variants_are_refused_with_the_reason(text: str, reason: str) -> None:
    result = password.assess(text)
    assert not result.acceptable
    assert result.level == "Faible"
    assert result.problems == (reason + password.MSG_GUESSABLE_END,)
    assert rules(result)["courant"] is False
    with pytest.raises(FieldError) as caught:
        password.check_password(text, text)
    assert caught.value.message == reason + password.MSG_GUESSABLE_END


@pytest.mark.parametrize(
    "text",
    [
        "cheval Agrafe 7 batterie",
        "Éléphant-Rose-42",
        "Soleil#Kq29zmx",  # a common word, but 7 other characters
        "Abc!Kqzm-Wx7",  # «abc» is a sequence of only 3
        "Kayak-Ocre-1984",
        "Tournevis-Ocre-42",
        "Quartz#Vélo8842",
    ],
)
def test_passphrases_and_enough_other_characters_stay_strong(text: str) -> None:
    result = password.assess(text)
    assert result.acceptable, result.problems
    assert result.level == "Fort"


def test_personal_information_is_reported_before_a_guessable_core() -> None:
    # «Dupont» is a common name and the birth name: the precise reason comes first.
    result = password.assess("Dupont-2024!", PersonalInfo(birth_name="Dupont"))
    assert result.problems[0] == password.MSG_BIRTH_NAME
    assert result.problems[1].endswith(password.MSG_GUESSABLE_END)


def test_an_exact_common_password_keeps_its_own_message() -> None:
    assert password.assess("Azerty123").problems == (password.MSG_COMMON,)


@pytest.mark.parametrize("size", [8, 64, 128])
def test_guessable_check_stays_bounded_on_crafted_input(size: int) -> None:
    # Every window is a candidate here; the cost is bounded by the 7 × 7 windows, whatever the
    # length (speed itself is measured by `make bench`, never timed in a test).
    assert not password.assess("1" * size).acceptable
    assert password.assess(("Kq2!" * 40)[:size]).level in ("Fort", "Moyen")


@pytest.mark.parametrize(
    ("name", "sentinels"), [("french-words.txt", ["soleil", "chaton", "elephant"]),
                            ("french-names.txt", ["marie", "dupont"])]
)  # fmt: skip
def test_word_lists_are_bundled_folded_with_their_source(name: str, sentinels: list[str]) -> None:
    lines = DATA.joinpath(name).read_text(encoding="utf-8").splitlines()
    header, entries = lines[0], lines[1:]
    assert header.startswith("#") and "zxcvbn-ts" in header and "MIT" in header
    assert len(entries) > 5000
    assert len(set(entries)) == len(entries)
    assert all(len(e) >= 4 and e.isascii() and e.isalpha() and e == e.lower() for e in entries)
    assert set(sentinels) <= set(entries)


def load_word_script() -> ModuleType:
    path = REPO_ROOT / "scripts" / "derive_word_lists.py"
    spec = importlib.util.spec_from_file_location("derive_word_lists", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_word_derivation_folds_filters_and_deduplicates() -> None:
    derive = load_word_script().derive
    assert derive(["Éléphant", "elephant", "ça", "l'", "peut-être", "Zoé", "chaton"]) == [
        "elephant",
        "chaton",
    ]


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="the shared source list is not here")
@pytest.mark.parametrize(("source", "output"), [("french-common-words.json", "french-words.txt"),
                                                ("french-firstnames.json", "french-names.txt")])
def test_word_lists_are_what_the_script_derives(source: str, output: str) -> None:
    script = load_word_script()
    entries = json.loads((SHARED_SOURCE.parent / source).read_text(encoding="utf-8"))
    bundled = DATA.joinpath(output).read_text(encoding="utf-8").splitlines()[1:]
    assert bundled == script.derive(entries)
