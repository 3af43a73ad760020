"""Text helpers shared by every intelligence feature: normalisation and word segmentation.

The segmenter is a private rjieba instance loaded with a government user dictionary
(``data/userdict.txt``) so that unit names such as 市住房和城乡建设局 or programme names such as
棚户区改造 stay whole: they are the words that carry routing and similarity signal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import rjieba

__all__ = [
    "content_words",
    "is_content_word",
    "join_title_body",
    "load_stopwords",
    "load_user_dictionary",
    "normalize",
    "phrase_tokens",
    "phrases",
    "segment",
    "split_sentences",
    "tokens",
]

_WS = re.compile(r"\s+")
# Anonymised place codes (A市, A3区, K3县) glue onto the next word in jieba ("市丽发"); cut
# them off first. Applied after lower-casing.
_ADMIN_CODE = re.compile(r"(?<![a-z0-9])([a-z]\d{0,2}[市区县])")
_SENT_SPLIT = re.compile(r"(?<=[。！？!?；;\n])")
_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")


def _data_lines(name: str) -> list[str]:
    text = resources.files("lvzhi.intelligence").joinpath("data", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def load_user_dictionary() -> tuple[tuple[str, int | None], ...]:
    """(word, frequency) pairs of the shipped government dictionary."""
    out: list[tuple[str, int | None]] = []
    for line in _data_lines("userdict.txt"):
        parts = line.split()
        out.append((parts[0], int(parts[1]) if len(parts) > 1 else None))
    return tuple(out)


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    words: set[str] = set()
    for line in _data_lines("stopwords.txt"):
        words.update(line.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def _jieba() -> rjieba.Jieba:
    # A private instance: adding words to rjieba's global one would leak into other code.
    jb = rjieba.Jieba()
    for word, freq in load_user_dictionary():
        jb.add_word(word, freq, None)
    return jb


def _cut(norm: str) -> list[str]:
    out: list[str] = []
    for part in _ADMIN_CODE.split(norm):
        if _ADMIN_CODE.fullmatch(part):
            out.append(part)
        elif part:
            out.extend(_jieba().cut(part, False))
    return out


def _tag(norm: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for part in _ADMIN_CODE.split(norm):
        if _ADMIN_CODE.fullmatch(part):
            out.append((part, "ns"))
        elif part:
            out.extend(_jieba().tag(part, True))
    return out


def normalize(text: str | None) -> str:
    """NFKC (full-width → half-width letters/digits/punctuation), lower-case Latin, one space.

    Citizens type Ａ３区 and A3区 interchangeably; NFKC makes them the same token.
    """
    if not text:
        return ""
    # The quick check is ~10× cheaper than normalising, and most texts are already NFKC.
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    return _WS.sub(" ", text).strip()


def join_title_body(title: str | None, body: str | None) -> str:
    """One text for a message. Empty title → body alone (the publisher sometimes already
    joined the title into the body); a body that repeats the title is not doubled."""
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        return body
    if not body:
        return title
    if body.startswith(title):
        return body
    return f"{title}\n{body}"


def segment(text: str | None) -> list[str]:
    """Words of ``text`` after normalisation; punctuation and whitespace tokens dropped."""
    norm = normalize(text)
    if not norm:
        return []
    return [t for t in _cut(norm) if t.strip() and not _PUNCT_OR_SPACE.match(t)]


def tokens(text: str | None) -> list[str]:
    """Like :func:`segment` but keeps punctuation tokens (they mark phrase boundaries)."""
    norm = normalize(text)
    return [t for t in _cut(norm) if t.strip()] if norm else []


def is_content_word(word: str, stop: frozenset[str] | None = None) -> bool:
    stop = load_stopwords() if stop is None else stop
    return (
        len(word) >= 2 and word not in stop and not word.replace(".", "").isdigit() and not _PUNCT_OR_SPACE.match(word)
    )


# POS tags that may sit inside a key phrase: nouns, places, names, English/codes, numbers,
# verbal nouns (污染), idioms. Verbs, particles and punctuation end a phrase.
_PHRASE_POS = ("n", "eng", "m", "vn", "i", "l", "j", "s", "zg", "an", "q")


def phrase_tokens(text: str | None, max_chars: int = 10) -> list[list[str]]:
    """Key-phrase candidates as word lists: runs of noun-like words (POS-tagged by rjieba),
    never across punctuation, a stopword or a verb, cut at ``max_chars`` characters."""
    norm = normalize(text)
    if not norm:
        return []
    stop = load_stopwords()
    out: list[list[str]] = []
    run: list[str] = []

    def flush() -> None:
        # Drop leading/trailing numbers and single characters ("58车贷案" keeps its number
        # inside, but "30米" alone is not a phrase).
        while run and len(run[0]) < 2 and not run[0].isalnum():
            run.pop(0)
        while run and run[-1].isdigit():
            run.pop()
        if run and any(is_content_word(w, stop) for w in run) and len("".join(run)) >= 2:
            out.append(list(run))
        run.clear()

    tagged = [*_tag(norm), ("。", "x")]
    for k, (word, pos) in enumerate(tagged):
        # jieba tags unknown names oddly (丽发 as a verb): a two-character word right before
        # a place noun (新城, 小区) is taken as part of the name.
        name_part = (
            len(word) == 2
            and pos in ("v", "a", "nr", "ad")
            and k + 1 < len(tagged)
            and tagged[k + 1][1] in ("ns", "n")
            and not _ADMIN_CODE.fullmatch(tagged[k + 1][0])
        )
        if word.strip() and word not in stop and (pos.startswith(_PHRASE_POS) or name_part):
            if run and len("".join(run)) + len(word) > max_chars:
                flush()
            run.append(word)
        else:
            flush()
    return out


def phrases(text: str | None, max_chars: int = 10) -> list[str]:
    """Key-phrase candidates of ``text`` as strings (see :func:`phrase_tokens`)."""
    return ["".join(p) for p in phrase_tokens(text, max_chars)]


def content_words(text: str | None, min_len: int = 2) -> list[str]:
    """Segmented words minus stopwords, pure numbers and one-character words: what a person
    would call the "key words" of a message (used for explanations and topic labels)."""
    stop = load_stopwords()
    return [w for w in segment(text) if len(w) >= min_len and w not in stop and not w.replace(".", "").isdigit()]


def split_sentences(text: str | None) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(text or "") if s.strip()]
