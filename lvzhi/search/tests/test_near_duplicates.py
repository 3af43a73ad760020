"""Near-duplicate titles (search.query.near_duplicate_titles): pg_trgm on PostgreSQL through
its GIN trigram index, a bounded character scan on SQLite; the same answers on both."""

from __future__ import annotations

import pytest
from django.db import connection

from lvzhi.search.query import near_duplicate_titles
from lvzhi.testing import draft

pytestmark = pytest.mark.django_db


def test_a_reworded_title_is_found_and_an_unrelated_one_is_not(world):
    lift = draft(world, title="关于加快推进老旧小区加装电梯的建议")
    bus = draft(world, deputy_index=3, title="关于增设城东新区公交线路的建议")
    found = near_duplicate_titles("关于加快老旧小区加装电梯的建议", 5)
    assert [m.pk for m in found] == [lift.pk]
    assert found[0].score >= 0.5 and found[0].title == lift.title
    assert bus.pk not in [m.pk for m in near_duplicate_titles("关于老旧小区加装电梯的建议", 5)]
    assert near_duplicate_titles("", 5) == []
    # `cases` narrows the candidates (e.g. one congress, or what a user may see)
    assert near_duplicate_titles(lift.title, 5, cases=lift.__class__.objects.exclude(pk=lift.pk)) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_trigram_index_answers_on_postgresql(world):
    draft(world, title="关于加快推进老旧小区加装电梯的建议")
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cases_case_title_trgm'")
        assert "gin_trgm_ops" in cur.fetchone()[0]
        cur.execute("SET enable_seqscan = off")
        cur.execute("EXPLAIN SELECT id FROM cases_case WHERE title %% %s", ["关于老旧小区加装电梯的建议"])
        assert "cases_case_title_trgm" in " ".join(r[0] for r in cur.fetchall())
