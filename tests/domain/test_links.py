"""Activation and reset links, and reading a token back from pasted text."""

from __future__ import annotations

import pytest

from ensap_tui.domain import links
from ensap_tui.domain.errors import FieldError

TOKEN = "Abc_def-0123456789xyzXYZ_-abcdefghijklmnopq"  # 43 characters, like token_urlsafe(32)


def test_kinds() -> None:
    assert (links.ACTIVATION, links.RESET) == ("activer", "reinitialiser")


@pytest.mark.parametrize("kind", [links.ACTIVATION, links.RESET])
def test_make_link(kind: str) -> None:
    assert links.make_link(kind, TOKEN) == f"ensap-tui://{kind}/{TOKEN}"


@pytest.mark.parametrize("kind", [links.ACTIVATION, links.RESET])
def test_made_link_reads_back(kind: str) -> None:
    assert links.parse_link(links.make_link(kind, TOKEN), kind) == TOKEN


@pytest.mark.parametrize(
    "text",
    [
        f"ensap-tui://activer/{TOKEN}",
        f"  ensap-tui://activer/{TOKEN}\n",
        f"ensap-tui://activer/{TOKEN[:20]}\n{TOKEN[20:]}",  # pasted across two lines
        f"ensap-tui://acti\r\nver/{TOKEN[:10]} {TOKEN[10:]}",
        f"\tensap-tui://activer/\n{TOKEN}",
        f"ENSAP-TUI://ACTIVER/{TOKEN}",
        TOKEN,
        f" {TOKEN[:5]}\n{TOKEN[5:]} ",
    ],
)
def test_pasted_link_or_token_gives_the_token(text: str) -> None:
    assert links.parse_link(text, links.ACTIVATION) == TOKEN


def test_token_keeps_its_case() -> None:
    assert links.parse_link(f"ensap-tui://reinitialiser/{TOKEN}", links.RESET) == TOKEN


def test_link_of_the_other_kind_says_what_it_is_for() -> None:
    with pytest.raises(FieldError) as caught:
        links.parse_link(f"ensap-tui://reinitialiser/{TOKEN}", links.ACTIVATION)
    assert caught.value.field == "lien"
    assert caught.value.message.startswith(
        "Ce lien sert à réinitialiser un mot de passe et non à activer un espace"
    )
    with pytest.raises(FieldError) as caught:
        links.parse_link(f"ensap-tui://activer/{TOKEN}", links.RESET, field="lien-reinit")
    assert caught.value.field == "lien-reinit"
    assert caught.value.message.startswith(
        "Ce lien sert à activer un espace et non à réinitialiser un mot de passe"
    )


REFUSED = [
    ("", links.MSG_EMPTY),
    (" \n ", links.MSG_EMPTY),
    (f"https://ensap.gouv.fr/activer/{TOKEN}", links.MSG_NOT_OURS),
    (f"ensap-tui://autre/{TOKEN}", links.MSG_NOT_OURS),
    (f"ensap-tui:/activer/{TOKEN}", links.MSG_NOT_OURS),
    (f"ensap-tui://activer{TOKEN}", links.MSG_NOT_OURS),
    (f"activer/{TOKEN}", links.MSG_NOT_OURS),
    (f"javascript:{TOKEN}", links.MSG_NOT_OURS),
    (f"ensap-tui://activer/{TOKEN}/", links.MSG_CHARACTERS),
    (f"ensap-tui://activer/{TOKEN}?x=1", links.MSG_CHARACTERS),
    (f"{TOKEN}%00", links.MSG_CHARACTERS),
    (f"{TOKEN}é", links.MSG_CHARACTERS),
    (f"{TOKEN}\u200b", links.MSG_CHARACTERS),
    (f"[b]{TOKEN}[/b]", links.MSG_NOT_OURS),
    (f"<{TOKEN}>", links.MSG_CHARACTERS),
    ("a" * 15, links.MSG_TOKEN_LENGTH),
    ("a" * 129, links.MSG_TOKEN_LENGTH),
    ("ensap-tui://activer/", links.MSG_TOKEN_LENGTH),
    ("a" * 5000, links.MSG_TOO_LONG),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refused_links(text: str, message: str) -> None:
    with pytest.raises(FieldError) as caught:
        links.parse_link(text, links.ACTIVATION)
    assert caught.value.message == message
    assert caught.value.field == "lien"


@pytest.mark.parametrize("size", [16, 128])
def test_token_length_bounds(size: int) -> None:
    assert links.parse_link("a" * size, links.RESET) == "a" * size


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(FieldError):
        links.parse_link(TOKEN, "supprimer")
    with pytest.raises(FieldError):
        links.make_link("supprimer", TOKEN)


def test_make_link_refuses_a_token_it_could_not_read_back() -> None:
    with pytest.raises(FieldError):
        links.make_link(links.ACTIVATION, "court")
    with pytest.raises(FieldError):
        links.make_link(links.ACTIVATION, TOKEN + "/../x")
