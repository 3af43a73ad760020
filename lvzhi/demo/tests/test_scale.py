"""build_scale_data on a tiny set: the cases appear where a clerk looks, with their states, the
audit chain still verifies, the command's counts are the database's; and the scale benchmark
prints a figure for every page (so it cannot rot)."""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from lvzhi.cases.events import verify_chain
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, Event
from lvzhi.core.models import Congress, User
from lvzhi.demo import data as D
from lvzhi.search.models import SearchDocument

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LINE = re.compile(r"（(\w+)/(\w+)）：(\d+)$")


def _by_state() -> Counter:
    return Counter({(k, s): n for k, s, n in Case.objects.values_list("kind", "state")
                    .annotate(n=Count("id")).values_list("kind", "state", "n")})


@pytest.fixture
def scale_city():
    call_command("seed_demo", "--small", stdout=io.StringIO())
    before, last_demo = _by_state(), Case.objects.order_by("-id").values_list("id", flat=True)[0]
    out = io.StringIO()
    call_command("build_scale_data", "--cases", "300", "--seed", "3", stdout=out)
    return before, last_demo, out.getvalue()


def test_scale_cases_show_up_chain_verifies_bench_runs(scale_city, client, capsys):
    before, last_demo, out = scale_city
    reported = Counter({(m[1], m[2]): int(m[3]) for m in
                        (LINE.search(line.strip()) for line in out.splitlines()) if m})
    assert sum(reported.values()) == 300 == Case.objects.filter(id__gt=last_demo).count()
    assert _by_state() - before == reported  # what the command says it added, state by state
    assert ("suggestion", "closed") in reported and len(reported) >= 5  # a decade's mix
    years = {c.created_at.year for c in Case.objects.filter(id__gt=last_demo)}
    assert len(years) >= 5

    city = Congress.objects.get(name=D.CITY_NAME)
    assert verify_chain(city.pk) == (True, None)
    new = Case.objects.filter(id__gt=last_demo)
    assert Event.objects.filter(case__in=new).count() >= 5 * 300  # every step has its event
    assert SearchDocument.objects.filter(case__in=new).count() == 300

    # the clerk's list shows them, with their state labels, newest first
    client.force_login(User.objects.get(username="clerk"))
    page = client.get("/cases/?state=closed&kind=suggestion").content.decode()
    closed = new.filter(kind="suggestion", state="closed").order_by("-id").first()
    assert closed.title in page and get_kind("suggestion").state_label("closed") in page
    detail = client.get(f"/cases/{closed.pk}/")
    assert detail.status_code == 200 and closed.number in detail.content.decode()

    # one build serves both checks: seeding and loading the real messages take most of the time
    check_bench_prints_every_page(capsys)


def check_bench_prints_every_page(capsys) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    try:
        import bench_scale
    finally:
        sys.path.pop(0)
    rows = bench_scale.main(["--rounds", "1"])
    pages = bench_scale.Bench(1).pages()
    printed = capsys.readouterr().out
    assert len(rows) == len(pages) + 2  # every page and the two naive baselines
    for row in rows:
        assert row.status == 200, row
        assert row.p50 > 0 and row.queries > 0, row
        assert row.label in printed and "p95" in printed
    assert "×" in rows[-1].note  # the naive/new ratio is printed
