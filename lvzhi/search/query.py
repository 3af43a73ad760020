"""The search condition on cases: the database's own full-text index over the segmented words.

SQLite: FTS5 `MATCH` on `search_fts` (rowid = case id). PostgreSQL: the GIN-indexed
to_tsvector('simple', tokens) against a tsquery of the same words. Every word of the query
must be in the document (AND). A case without a document yet (written just now, or data from
before the index: `manage.py reindex_search`) is still found by its title or number.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from lvzhi.search.documents import query_words
from lvzhi.search.models import SearchDocument


def _fts5_expression(words: list[str]) -> str:
    # Each word quoted as an FTS5 string ("" escapes a quote): no query syntax gets through.
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def _matching_ids(words: list[str]) -> RawSQL:
    if connection.vendor == "postgresql":
        return RawSQL("SELECT case_id FROM search_searchdocument WHERE "
                      "to_tsvector('simple'::regconfig, tokens) @@ plainto_tsquery('simple'::regconfig, %s)",
                      [" ".join(words)])
    return RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [_fts5_expression(words)])


def search_condition(q: str) -> Q:
    """A Q on Case for the text `q`."""
    parts = query_words(q)
    plain = [p for p in q.split() if p]
    fallback = Q()
    for p in plain:  # what the list searched before the index: each part in the title or number
        fallback &= Q(title__icontains=p) | Q(number__icontains=p)
    if not parts:  # only punctuation: nothing for the index to look up
        return fallback
    words = [w for ws in parts for w in ws]
    unindexed = ~Exists(SearchDocument.objects.filter(case_id=OuterRef("pk")))
    return Q(pk__in=_matching_ids(words)) | (Q(unindexed) & fallback)
