"""What a served page would fetch: every URL a page, stylesheet or script names, and which of
them lead to another machine (the browser view must work in a room without internet)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

#: Attributes and CSS/JS forms that make a browser fetch something (or open a connection).
_URL_FORMS = (
    re.compile(r"""\b(?:src|href|action|poster|data-session-websocket-url)\s*=\s*["']([^"']*)["']"""),
    re.compile(r"""url\(\s*["']?([^"')\s]+)"""),
    re.compile(r"""@import\s+["']([^"']+)"""),
    re.compile(r"""\b(?:https?|wss?):\/\/[^\s"'<>`)\\]+"""),
    re.compile(r"""["'](\/\/[A-Za-z0-9.-]+[^"']*)["']"""),
)
#: Namespace names are identifiers, never fetched.
_NAMESPACES = frozenset({"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml",
                         "http://www.w3.org/1999/xlink"})
_XMLNS = re.compile(r"""\bxmlns(?::\w+)?\s*=\s*["'][^"']*["']""")


def named_urls(text: str, base: str) -> set[str]:
    """Every URL ``text`` names, made absolute against ``base`` (the page's own address)."""
    text = _XMLNS.sub("", text)
    found: set[str] = set()
    for form in _URL_FORMS:
        for match in form.finditer(text):
            url = match.group(1) if form.groups else match.group(0)
            if url and not url.startswith(("#", "data:", "javascript:", "about:", "blob:")):
                absolute = urljoin(base, url)
                if absolute not in _NAMESPACES:
                    found.add(absolute)
    return found


def elsewhere(urls: set[str], base: str) -> set[str]:
    """Those of ``urls`` whose machine (name and port) is not ``base``'s."""
    home = urlsplit(base).netloc
    return {url for url in urls if urlsplit(url).netloc != home}


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def css_without_comments(text: str) -> str:
    """A stylesheet without its comments (credits name sites the browser never fetches)."""
    return _CSS_COMMENT.sub("", text)
