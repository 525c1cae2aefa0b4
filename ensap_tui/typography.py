"""French typography on screen: lines never break at a non-breaking space.

The texts put U+00A0 (or U+202F) before « : ; ! ? » » and after « « », so that a line never
starts with one of these marks. Rich, which wraps every text Textual shows (and the tables of
the command line), splits words on any Unicode space, non-breaking ones included (Rich issue
3545, not fixed in the versions this project allows); :func:`keep_non_breaking_spaces` gives its
word splitter a pattern that leaves them inside the word. Hand-written because neither Rich nor
Textual offers the option.
"""

from __future__ import annotations

import re

#: The two non-breaking spaces of French typography.
NON_BREAKING_SPACES = "\u00a0\u202f"

#: A word and the breakable spaces around it, a non-breaking space being part of the word
#: (Rich's own pattern is ``\s*\S+\s*``).
_BREAKABLE = rf"[^\S{NON_BREAKING_SPACES}]"
_WORD = re.compile(rf"{_BREAKABLE}*[\S{NON_BREAKING_SPACES}]+{_BREAKABLE}*")


def keep_non_breaking_spaces() -> None:
    """Makes Rich (hence Textual) wrap lines only at breakable spaces. Idempotent."""
    from rich import _wrap

    _wrap.re_word = _WORD
