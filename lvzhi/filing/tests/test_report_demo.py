"""The demo's part on filings made through the engine: catalogues with one 漏报, two special reviews,
the 2025 report heard, published and sent up."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from lvzhi.filing import demo_reports, report, states
from lvzhi.filing.choices import DocKind
from lvzhi.filing.models import AnnualReport, Catalogue, CatalogueEntry, SpecialReview
from lvzhi.filing.testing import add_filing_world, make_filing

pytestmark = pytest.mark.django_db


class Builder:
    def __init__(self, congress) -> None:
        self.city = congress
        self.today = dt.date(2026, 12, 1)
        self.latest = self.today - dt.timedelta(days=1)
        self.rng = random.Random(1)

    def at(self, prev, day: dt.date, *, hour: float | None = None) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_demo_year(world):
    add_filing_world(world)
    for month in (3, 5, 7):
        make_filing(world, state=states.TERMINATED, now=timezone.make_aware(dt.datetime(2025, month, 10, 10)))
    make_filing(world, state=states.REGISTERED, doc_kind=DocKind.JUDICIAL_NORMATIVE,
                now=timezone.make_aware(dt.datetime(2025, 8, 10, 10)))
    demo_reports.build(Builder(world.congress))
    assert Catalogue.objects.count() == 2  # the government and the court; the district filed nothing
    missing = CatalogueEntry.objects.filter(missing=True)
    assert [e.title for e in missing] == [demo_reports.MISSING_TITLE]
    assert SpecialReview.objects.count() == 2
    r = AnnualReport.objects.get()
    assert r.published_at and r.sent_up_on and r.sent_up_on <= r.send_up_due_on
    assert "发现漏报1件" in r.text and "开展专项审查、集中清理2次" in r.text
    assert report.value(report.figures(world.congress, 2025), "filing_received") == 4
