"""The word cutter the password's name checks and the help desk's name keys share."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ensap_tui.domain.words import runs


@pytest.mark.parametrize(
    ("text", "keep", "expected"),
    [
        ("d'Artagnan-Lefèvre", str.isalpha, ["d", "Artagnan", "Lefèvre"]),
        ("  Le  Goff ", str.isalpha, ["Le", "Goff"]),
        ("ab12-cd", str.isalpha, ["ab", "cd"]),
        ("ab12-cd", str.isalnum, ["ab12", "cd"]),
        ("", str.isalpha, []),
        ("--'' ", str.isalpha, []),
    ],
)
def test_runs_keep_the_accepted_characters_cut_at_the_others(
    text: str, keep: Callable[[str], bool], expected: list[str]
) -> None:
    assert runs(text, keep) == expected
