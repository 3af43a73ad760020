"""What a case's search document holds, and writing it.

Searchable: number, title, body, the lead deputy's and confirmed co-signers' names, the names
of the units with a live assignment, and the text of accepted replies (a draft or a returned
reply is not searchable: a deputy must not find a case by words they cannot read).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.utils import timezone

from lvzhi.cases.models import Assignment, AssignmentState, Case, Cosign, CosignState, Reply, ReplyState
from lvzhi.intelligence import text as textlib
from lvzhi.search.models import SearchDocument

CHUNK = 500  # cases built and written per round trip


ADMIN_PREFIXES = ("市", "省", "区", "县")


def _subwords(word: str) -> list[str]:
    # rjieba's search mode on the one word: its 2- and 3-character dictionary words
    # (segment() already cut off the anonymised place codes)
    return [s for s in textlib._jieba().cut_for_search(word, False) if s != word and s.strip()]


def words(text: str | None) -> Iterator[str]:
    """The words of `text` as the index stores them: rjieba's precise words (with the
    government dictionary), the dictionary sub-words of each longer word (市交通运输局 → 交通,
    运输, 运输局), and a long name without its 市/省/区/县 (住房和城乡建设局), so a query for a
    part of a long word still matches."""
    for w in textlib.segment(text):
        yield w
        if len(w) > 2:
            yield from _subwords(w)
        if len(w) > 3 and w.startswith(ADMIN_PREFIXES):
            yield w[1:]


def _covered(word: str, parts: list[str]) -> bool:
    seen = [False] * len(word)
    for p in parts:
        start = word.find(p)
        while start != -1:
            seen[start:start + len(p)] = [True] * len(p)
            start = word.find(p, start + 1)
    return all(seen)


def query_words(text: str) -> list[list[str]]:
    """A query's words, one list per whitespace-separated part; every word of every part must
    be in a document (加装电梯 补贴 → [[加装, 电梯], [补贴]]). A long query word whose
    dictionary sub-words cover all its characters is looked up by those (交通运输局 → 交通, 通运,
    运输, 运输局): a document may have cut the same characters into a longer word. One they do
    not cover stays whole (刘建华, not 建华 alone)."""
    out = []
    for part in textlib.normalize(text).split():
        ws: list[str] = []
        for w in textlib.segment(part):
            subs = _subwords(w) if len(w) > 2 else []
            ws.extend(subs if subs and _covered(w, subs) else [w])
        if ws:
            out.append(list(dict.fromkeys(ws)))
    return out


def document_text(case: Case) -> str:
    parts: list[str | None] = [case.number, case.title, case.body]
    if case.lead_deputy_id:
        parts.append(case.lead_deputy.name)
    parts += [c.deputy.name for c in case.search_cosigns]
    parts += [a.unit.name for a in case.search_assignments]
    parts += [r.text for r in case.search_replies]
    seen: dict[str, None] = {}
    for p in parts:
        for w in words(p):
            seen.setdefault(w, None)
    return " ".join(seen)


def _cases(ids: Iterable[int]):
    return Case.objects.filter(pk__in=list(ids)).select_related("lead_deputy").prefetch_related(
        Prefetch("cosigns", to_attr="search_cosigns", queryset=Cosign.objects.filter(
            state=CosignState.CONFIRMED).select_related("deputy")),
        Prefetch("assignments", to_attr="search_assignments", queryset=Assignment.objects.exclude(
            state=AssignmentState.WITHDRAWN).select_related("unit")),
        Prefetch("replies", to_attr="search_replies", queryset=Reply.objects.filter(
            state=ReplyState.ACCEPTED)),
    ).only("id", "number", "title", "body", "lead_deputy__name")


def reindex(case_ids: Iterable[int]) -> int:
    """Write the documents of these cases (ids of cases that no longer exist are skipped)."""
    ids = sorted(set(case_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        now = timezone.now()
        docs = [SearchDocument(case_id=c.pk, tokens=document_text(c), updated_at=now)
                for c in _cases(ids[start:start + CHUNK])]
        SearchDocument.objects.bulk_create(docs, update_conflicts=True, unique_fields=["case"],
                                           update_fields=["tokens", "updated_at"])
        written += len(docs)
    return written


def reindex_all(congress_id: int | None = None) -> int:
    qs = Case.objects.all() if congress_id is None else Case.objects.filter(congress_id=congress_id)
    return reindex(qs.values_list("pk", flat=True).iterator())
