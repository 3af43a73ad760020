"""The visible-text English checker shared by the admin test and the role-day browser suite.

Every word a user reads is Chinese; a run of three or more ASCII letters in visible text is
either a proper noun everyone in a Chinese office says as is (the allowlist) or a leak of
English (Django defaults, a third-party app's names, a raw code such as `draft`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

# Kept short: each is a product or standard name a clerk reads as it is written (two-letter
# ones such as ID, IP and SM3/SM4 are never matched).
ALLOWED: frozenset[str] = frozenset({
    "Excel", "Word", "PDF", "WPS",  # the office's file formats, named by their products
    "API", "URL", "UTF",  # interface, address, encoding (UTF-8): said in English in every office
    "OTP",  # printed on the authenticator apps a user installs
})

_TOKEN = re.compile(r"[A-Za-z0-9*]+")
_WORD = re.compile(r"[A-Za-z]{3,}")
_SKIP_TAGS = {"script", "style", "template", "noscript", "head"}
# Text an element shows besides its content (an input's hint, a tooltip). Not `alt`: an icon's
# text sits beside a visible word (Django's search icon says "Search" next to 搜索).
_SHOWN_ATTRS = {"placeholder", "title"}


def english_words(text: str, ignore: Iterable[str] = ()) -> list[str]:
    """The English words in `text` outside ALLOWED, in order, each once. Runs with a digit
    (hashes, masked numbers) are identifiers, not words. `ignore` takes data the test itself
    wrote (usernames, addresses), which are removed before looking."""
    for value in sorted({v for v in ignore if v}, key=len, reverse=True):
        # Any case: a page may show it styled in capitals (the admin's 欢迎，AUDITOR).
        text = re.sub(re.escape(value), " ", text, flags=re.IGNORECASE)
    seen: list[str] = []
    for token in _TOKEN.findall(text):
        if any(c.isdigit() or c == "*" for c in token):
            continue  # an identifier or a masked value (a1b2c3, 13800****), not a word
        for word in _WORD.findall(token):
            if word not in ALLOWED and word.upper() not in ALLOWED and word not in seen:
                seen.append(word)
    return seen


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._hidden: list[str] = []  # the hidden element's tag, then each open tag of that name in it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if self._hidden:
            if tag == self._hidden[0]:
                self._hidden.append(tag)
            return
        if "hidden" in a or (tag == "input" and a.get("type") == "hidden"):
            if tag not in {"input", "img", "br", "hr", "meta", "link"}:
                self._hidden.append(tag)
            return
        if self._skip:
            return
        for name in _SHOWN_ATTRS:
            if a.get(name):
                self.parts.append(a[name] or "")
        if tag == "input" and a.get("type") in {"submit", "button", "reset"} and a.get("value"):
            self.parts.append(a["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif self._hidden and self._hidden[0] == tag:
            self._hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader of the page sees, roughly: text nodes and shown attributes, without
    scripts, styles and elements marked `hidden` (for the test client, which runs no CSS)."""
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
