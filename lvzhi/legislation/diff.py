"""Two texts of a regulation (two versions, or two drafts of a bill) compared article by article.

Articles are matched by their content, not their number: an amendment that inserts a new 第五条
renumbers every later article, and a reader wants to see "第十条 → 第十一条, unchanged", not
forty changed articles. So identical articles are paired first (in order, by difflib over the
articles' texts), then the remaining ones by similarity (difflib's ratio over characters, at least
SIMILAR); what stays unpaired was added or deleted. Within a modified article the changed characters
are marked (Chinese has no spaces, so words are characters here).

Pure Python (no Django): the bill and comment areas call `compare()` for draft-to-draft diffs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lvzhi.legislation.articles import Article, parse

ADDED = "新增"
DELETED = "删除"
MODIFIED = "修改"
UNCHANGED = "未改"
KINDS = (MODIFIED, ADDED, DELETED, UNCHANGED)

SIMILAR = 0.5  # below this two articles are different articles, not one modified
MAX_PAIRS = 250_000  # similarity pairs tried at most (a 修订 of 200 articles against 200 is 40,000)


@dataclass(frozen=True)
class Mark:
    """A run of characters within an article: "=" the same, "-" deleted, "+" inserted."""

    op: str
    text: str


@dataclass
class ArticleChange:
    kind: str  # ADDED / DELETED / MODIFIED / UNCHANGED
    old: Article | None
    new: Article | None
    similarity: float = 1.0
    marks: list[Mark] = field(default_factory=list)

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.key != self.new.key

    @property
    def label(self) -> str:
        """"第十条", or "第十条 → 第十一条" for an article that moved."""
        if self.renumbered:
            return f"{self.old.label} → {self.new.label}"
        return (self.new or self.old).label

    @property
    def key(self) -> str:
        """An anchor: the new text's article, or the old one's for a deletion ("d10")."""
        return self.new.key if self.new is not None else f"d{self.old.key}"


SHORT_SAME = 2  # a run of this many characters or fewer between two changes is shown as changed


def marks(old: str, new: str) -> list[Mark]:
    """The characters of `old` and `new`, run by run, as one reading shows them. "三十" → "四十五"
    reads as one change, not 三→四, 十, +五: a short unchanged run between changes joins them."""
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    runs: list[list] = []  # [op, old piece, new piece], op "=" or "~"
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        same = op == "equal"
        between = 0 < k < len(ops) - 1 and i2 - i1 <= SHORT_SAME
        if same and not between:
            runs.append(["=", old[i1:i2], new[j1:j2]])
        elif runs and runs[-1][0] == "~":
            runs[-1][1] += old[i1:i2]
            runs[-1][2] += new[j1:j2]
        else:
            runs.append(["~", old[i1:i2], new[j1:j2]])
    out: list[Mark] = []
    for op, a, b in runs:
        if op == "=":
            out.append(Mark("=", a))
            continue
        if a:
            out.append(Mark("-", a))
        if b:
            out.append(Mark("+", b))
    return out


def _similarity(a: str, b: str) -> float:
    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SIMILAR or m.quick_ratio() < SIMILAR:
        return 0.0
    return m.ratio()


def _pair(old: list[Article], new: list[Article]) -> dict[int, int]:
    """old index → new index, for the articles that are one article in both texts."""
    pairs: dict[int, int] = {}
    texts_old, texts_new = [a.text for a in old], [a.text for a in new]
    for block in SequenceMatcher(None, texts_old, texts_new, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            pairs[block.a + k] = block.b + k
    left = [i for i in range(len(old)) if i not in pairs]
    right = [j for j in range(len(new)) if j not in set(pairs.values())]
    # an identical article moved elsewhere (out of order, so not in a matching block)
    by_text: dict[str, list[int]] = {}
    for j in right:
        by_text.setdefault(texts_new[j], []).append(j)
    for i in list(left):
        same = by_text.get(texts_old[i])
        if same:
            pairs[i] = same.pop(0)
            left.remove(i)
    taken = set(pairs.values())
    right = [j for j in right if j not in taken]
    if len(left) * len(right) > MAX_PAIRS:  # compare each only with its neighbours by position
        window = max(1, MAX_PAIRS // max(1, len(left)))
        candidates = [(i, j) for i in left for j in right if abs(j - i) <= window]
    else:
        candidates = [(i, j) for i in left for j in right]
    scored = sorted(((_similarity(texts_old[i], texts_new[j]), -abs(i - j), i, j) for i, j in candidates),
                    reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, _dist, i, j in scored:
        if score < SIMILAR:
            break
        if i in used_old or j in used_new:
            continue
        pairs[i] = j
        used_old.add(i)
        used_new.add(j)
    return pairs


def compare_articles(old: list[Article], new: list[Article]) -> list[ArticleChange]:
    """The changes in the new text's order; a deleted article comes where it stood, after the
    article that preceded it in the old text."""
    pairs = _pair(old, new)
    paired_old = {j: i for i, j in pairs.items()}
    # deletions hang after the new position of the nearest preceding paired old article (-1: top)
    after: dict[int, list[int]] = {}
    last_new = -1
    for i in range(len(old)):
        if i in pairs:
            last_new = pairs[i]
        else:
            after.setdefault(last_new, []).append(i)

    def deleted(pos: int) -> list[ArticleChange]:
        return [ArticleChange(DELETED, old[i], None, 0.0, [Mark("-", old[i].text)]) for i in after.get(pos, [])]

    out = deleted(-1)
    for j, article in enumerate(new):
        i = paired_old.get(j)
        if i is None:
            out.append(ArticleChange(ADDED, None, article, 0.0, [Mark("+", article.text)]))
        elif old[i].text == article.text:
            out.append(ArticleChange(UNCHANGED, old[i], article, 1.0, [Mark("=", article.text)]))
        else:
            m = SequenceMatcher(None, old[i].text, article.text, autojunk=False)
            out.append(ArticleChange(MODIFIED, old[i], article, m.ratio(), marks(old[i].text, article.text)))
        out.extend(deleted(j))
    return out


def compare(old_text: str, new_text: str) -> list[ArticleChange]:
    """Two full texts (one paragraph a line, 第X条 starting an article), article by article."""
    return compare_articles(parse(old_text).articles, parse(new_text).articles)


def counts(changes: list[ArticleChange]) -> dict[str, int]:
    """How many of each kind, and how many paired articles changed their number ("重新编号")."""
    c = Counter(ch.kind for ch in changes)
    out = {kind: c.get(kind, 0) for kind in KINDS}
    out["重新编号"] = sum(1 for ch in changes if ch.renumbered)
    return out
