"""The public pages show registered filings, the 备案目录, published outcomes and published reports,
and nothing of the working papers: no findings, opinions, plans, unpublished results or drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.filing import report, states
from lvzhi.filing.testing import make_filing

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    from lvzhi.filing.testing import add_filing_world

    return add_filing_world(world)


def test_public_pages_show_only_what_is_public(client, world, fw):
    now = timezone.make_aware(dt.datetime(2025, 5, 10, 10))
    shown = make_filing(world, state=states.SUSPENDED, now=now)  # has a finding and a plan
    waiting = make_filing(world, state=states.FILED, now=now, title="尚在形式审查的文件")
    ended = make_filing(world, state=states.TERMINATED, now=now)
    d = ended.filing_detail
    d.outcome_public = True
    d.save(update_fields=["outcome_public"])
    secret = shown.filing_findings.first().reason
    plan = shown.filing_detail.correction_plan

    q = f"?congress={world.congress.pk}"
    page = client.get(reverse("filing:public_documents") + q).content.decode()
    assert shown.title in page and shown.filing_detail.doc_number in page and ended.title in page
    assert waiting.title not in page and secret not in page and plan not in page

    page = client.get(reverse("filing:public_directory", args=[2025]) + q).content.decode()
    assert shown.filing_detail.doc_number in page and "尚在形式审查的文件" not in page and secret not in page

    page = client.get(reverse("filing:public_outcomes") + q).content.decode()
    assert ended.title in page and shown.title not in page

    r = report.create(world.congress, 2025, fw.law_clerk)
    assert client.get(reverse("filing:public_report", args=[2025]) + q).status_code == 404  # a draft
    page = client.get(reverse("filing:public_reports") + q).content.decode()
    assert r.title not in page
    report.record_hearing(r, dt.date(2026, 3, 26), fw.law_clerk)
    report.publish(r, fw.law_clerk)
    page = client.get(reverse("filing:public_report", args=[2025]) + q).content.decode()
    assert "全年共接收报送备案的规范性文件3件" in page and secret not in page

    assert "规范性文件备案审查" in client.get(reverse("portal:index")).content.decode()
