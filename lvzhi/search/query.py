"""The search condition on cases: the database's own full-text index over the segmented words.

SQLite: FTS5 `MATCH` on `search_fts` (rowid = case id). PostgreSQL: the GIN-indexed
to_tsvector('simple', tokens) against a tsquery of the same words. Every word of the query
must be in the document (AND). A case without a document yet (written a moment ago: its
document is written on commit) is still found by its title or number, among the newest cases
(RECENT) and any case newer than the newest document; older data imported outside the engine
needs `manage.py reindex_search`.

Near-duplicate titles (`near_duplicate_titles`): pg_trgm similarity through a GIN trigram index
on PostgreSQL (search/migrations/0002), a plain title scan on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least

from lvzhi.cases.models import Case
from lvzhi.search.documents import query_words
from lvzhi.search.models import SearchDocument

# How many of the newest cases are looked at by title when they have no document yet: the
# documents are written on commit, so only the last moments' cases can lack one.
RECENT = 1000


def _fts5_expression(words: list[str]) -> str:
    # Each word quoted as an FTS5 string ("" escapes a quote): no query syntax gets through.
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


class _TsMatch(Func):
    """to_tsvector('simple', tokens) @@ plainto_tsquery('simple', q): exactly the expression of
    the GIN index (search/migrations/0001), on whatever alias the subquery gives the table."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    arg_joiner = ") @@ plainto_tsquery('simple'::regconfig, "
    output_field = BooleanField()


def _matching_documents(words: list[str]) -> QuerySet[SearchDocument]:
    docs = SearchDocument.objects.order_by()
    if connection.vendor == "postgresql":
        docs = docs.filter(_TsMatch(F("tokens"), Value(" ".join(words))))
    else:
        docs = docs.filter(case_id__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                                              [_fts5_expression(words)]))
    return docs.values("case_id")


def _unindexed(fallback: Q) -> QuerySet[Case]:
    """Cases without a document yet among the newest, matched by title or number: an id range
    on the primary key (the newest RECENT, or newer than the newest document), never a scan."""
    newest_doc = SearchDocument.objects.order_by("-case_id").values("case_id")[:1]
    nth_newest = Case.objects.order_by("-id").values("id")[RECENT - 1:RECENT]
    floor = Least(Coalesce(Subquery(newest_doc), Value(0)), Coalesce(Subquery(nth_newest), Value(1)) - 1)
    return (Case.objects.alias(floor=floor).filter(pk__gt=F("floor"))
            .filter(~Exists(SearchDocument.objects.filter(case_id=OuterRef("pk"))))
            .filter(fallback).order_by().values("pk"))


def search_condition(q: str) -> Q:
    """A Q on Case for the text `q`: `pk IN (matching documents UNION ALL the newest cases
    without one that match by title)`, one subquery the planner can join or hash."""
    parts = query_words(q)
    plain = [p for p in q.split() if p]
    fallback = Q()
    for p in plain:  # what the list searched before the index: each part in the title or number
        fallback &= Q(title__icontains=p) | Q(number__icontains=p)
    if not parts:  # only punctuation: nothing for the index to look up
        return fallback
    words = [w for ws in parts for w in ws]
    return Q(pk__in=_matching_documents(words).union(_unindexed(fallback), all=True))


# ------------------------------------------------------------------ near-duplicate titles

@dataclass
class TitleMatch:
    pk: int
    number: str
    title: str
    state: str
    score: float  # 0..1, pg_trgm similarity (or the share of shared characters on SQLite)


NEAR_THRESHOLD = 0.3  # pg_trgm's default similarity threshold (a lower one is not supported)


def _char_similarity(a: str, b: str) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def near_duplicate_titles(title: str, limit: int = 10, *, cases: QuerySet[Case] | None = None,
                          threshold: float = NEAR_THRESHOLD) -> list[TitleMatch]:
    """Cases whose titles are near `title` (关于加快老旧小区加装电梯的建议 ~ 关于加快推进老旧小区
    加装电梯的建议), most similar first, at most `limit`. `cases` narrows the candidates (e.g.
    visible_cases(user) of one congress); on PostgreSQL the trigram GIN index on the title
    answers `title % q` without reading every title."""
    title = (title or "").strip()
    qs = cases if cases is not None else Case.objects.all()
    if not title or limit <= 0:
        return []
    if connection.vendor == "postgresql":
        # `title % q` is what the GIN trigram index answers (pg_trgm.similarity_threshold, 0.3 by
        # default; `%%` is the driver's escape); a stricter threshold is checked on the hits.
        near = RawSQL("cases_case.title %% %s", [title], output_field=BooleanField())
        rows = (qs.filter(near).annotate(score=RawSQL("similarity(cases_case.title, %s)", [title]))
                .filter(score__gte=threshold).order_by("-score", "-id")
                .values_list("pk", "number", "title", "state", "score")[:limit])
        return [TitleMatch(*r) for r in rows]
    # SQLite: no trigram index; a bounded scan of the newest titles, scored in Python
    found = []
    for pk, number, t, state in qs.order_by("-id").values_list("pk", "number", "title", "state")[:5000]:
        score = _char_similarity(title, t)
        if score >= threshold:
            found.append(TitleMatch(pk, number, t, state, round(score, 3)))
    found.sort(key=lambda m: (-m.score, -m.pk))
    return found[:limit]
