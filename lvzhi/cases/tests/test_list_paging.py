"""The case list's pages as a clerk walks them: keyset pages in every sort, 截止 nearest first,
a next page that neither repeats nor skips a case when cases arrive meanwhile, an honest total,
and the same number of queries for a short list as for a long one."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lvzhi.cases import selectors
from lvzhi.cases.filters import CaseFilters, filtered_cases
from lvzhi.cases.models import Case, Deadline
from lvzhi.cases.views import lists
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db
LIST = "/cases/"
NEXT = re.compile(r'href="\?([^"]*)" rel="next"')
PREV = re.compile(r'href="\?([^"]*)" rel="prev"')


def ids_in(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'name="ids" value="(\d+)"', html)]


def get(client, query: str) -> str:
    r = client.get(f"{LIST}?{htmllib.unescape(query)}")
    assert r.status_code == 200
    return r.content.decode()


def walk(client, query: str) -> tuple[list[list[int]], str]:
    """Every page from the first by 下一页; the pages' ids and the last page's HTML."""
    pages, html = [], get(client, query)
    while True:
        pages.append(ids_in(html))
        nxt = NEXT.search(html)
        if not nxt:
            return pages, html
        html = get(client, nxt.group(1))


def open_clocks(case: Case):
    return Deadline.objects.filter(case=case, met_at__isnull=True, cancelled=False)


@pytest.fixture
def mixed(world):
    """Seven cases a clerk sees: four in handling (reply and co-opinion clocks), two
    registered, one submitted; submission dates spread, two on the same second."""
    cases = [to_state(world, draft(world, deputy_index=i % 6, cosigners=1, title=f"关于第{i}号片区停车难的建议"),
                      "handling" if i < 4 else "registered" if i < 6 else "submitted") for i in range(7)]
    today = timezone.localdate()
    # the earliest running clock decides: a case's other clocks run later
    for case, days in zip(cases[:4], [30, 5, 60, 5], strict=True):
        open_clocks(case).update(due_on=today + dt.timedelta(days=days + 100))
        Deadline.objects.filter(pk=open_clocks(case).order_by("id").first().pk).update(
            due_on=today + dt.timedelta(days=days))
    base = timezone.now() - dt.timedelta(days=10)
    for case, hours in zip(cases, [5, 1, 3, 3, 7, 2, 0], strict=True):
        Case.objects.filter(pk=case.pk).update(submitted_at=base.replace(microsecond=0) + dt.timedelta(hours=hours))
    return cases


def test_sorted_by_deadline_shows_the_nearest_first(world, mixed, client):
    a, b, c, d, *_ = mixed
    client.force_login(world.clerk)
    up = ids_in(get(client, "sort=due"))
    # 5 days (b and d: ties by number order, i.e. id), 30 (a), 60 (c), then the cases without
    # a running clock that the row shows, by id
    assert up[:4] == [b.pk, d.pk, a.pk, c.pk]
    down = ids_in(get(client, "sort=-due"))
    assert down[:4] == [c.pk, a.pk, d.pk, b.pk]
    assert sorted(up) == sorted(down) == sorted(x.pk for x in mixed)
    html = get(client, "sort=due")
    assert 'selected>按截止升序' in html  # the 排序 choice shows what the list is sorted by


@pytest.mark.parametrize("sort", ["", "due", "-due", "submitted", "-submitted", "title", "-unit",
                                  "number", "-state", "deputy"])
def test_every_sort_pages_through_the_whole_list_in_order(world, mixed, client, monkeypatch, sort):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client.force_login(world.clerk)
    expected = list(filtered_cases(world.clerk, CaseFilters(sort=sort)).values_list("pk", flat=True))
    pages, last = walk(client, f"sort={sort}")
    assert [pk for p in pages for pk in p] == expected  # no case twice, none left out
    assert [len(p) for p in pages] == [2, 2, 2, 1]
    assert "第4/4页" in last and "首页" in last
    # and back again by 上一页, page by page
    back, html = [], last
    while (prev := PREV.search(html)):
        html = get(client, prev.group(1))
        back.append(ids_in(html))
    assert back == pages[-2::-1]
    assert "第1/4页" in html and "首页" not in html


def test_next_page_continues_where_the_last_ended_when_cases_arrive(world, mixed, client, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 3)
    client.force_login(world.clerk)
    before = list(filtered_cases(world.clerk, CaseFilters(sort="due")).values_list("pk", flat=True))
    first = get(client, "sort=due")
    assert ids_in(first) == before[:3]
    # meanwhile: a case due sooner than any (it sorts first) and a newest one without a clock
    soon = to_state(world, draft(world, deputy_index=7, cosigners=0), "handling")
    open_clocks(soon).update(due_on=timezone.localdate() + dt.timedelta(days=1))
    fresh = to_state(world, draft(world, deputy_index=8, cosigners=0), "registered")
    second = get(client, NEXT.search(first).group(1))
    assert ids_in(second) == before[3:6]  # no repeat of page 1's last case, no gap
    third = get(client, NEXT.search(second).group(1))
    assert ids_in(third) == before[6:] + [fresh.pk]  # the new case without a clock: at the end
    assert soon.pk not in ids_in(second) + ids_in(third)  # it is on page 1 now, not repeated here
    assert ids_in(get(client, "sort=due"))[0] == soon.pk


def test_a_cursor_for_another_sort_or_garbage_falls_back_to_the_first_page(world, mixed, client, monkeypatch):
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    client.force_login(world.clerk)
    cursor = re.search(r"cursor=([\w-]+)", NEXT.search(get(client, "sort=due")).group(1)).group(1)
    for query in (f"sort=title&cursor={cursor}", "cursor=%E6%97%A0%E6%95%88", "sort=due&cursor=W10"):
        html = get(client, query)
        assert "分页位置无效" in html and "第1/4页" in html
    # changing the sort (a header) starts on page 1: the links carry no cursor
    html = get(client, f"sort=due&cursor={cursor}")
    assert "第2/4页" in html
    assert not re.search(r'href="\?[^"]*cursor=[^"]*" title="按', html)


def test_the_total_is_exact_or_says_it_is_an_estimate(world, mixed, client, monkeypatch):
    client.force_login(world.clerk)
    assert "共 7 件" in get(client, "")
    assert "共 4 件（按所选条件）" in get(client, "state=handling")
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 5)
    html = get(client, "")
    if connection.vendor == "postgresql":  # the planner's estimate, at least the cap + 1
        assert re.search(r"约 [\d.]+ 万件（估算）|超过5件", html)
    else:
        assert "超过5件" in html
    assert "不逐条计数" in html  # the tooltip says why
    assert selectors.ListCount(987_654, False).text == "约 99 万件（估算）"
    assert selectors.ListCount(23_456, False).text == "约 2.3 万件（估算）"


# The list page's queries whatever its length: session and user (2), the navigation's counts
# and chrome, the filter choices (units, sessions, delegations), one per run of the order, the
# rows, their three prefetches (units, clocks, co-signers), the count; plus the rule set and
# calendar of the lights.
LIST_PAGE_BUDGET = 20  # measured: 18 (newest first), 19 (by 截止 or 提交日期: two runs)


@pytest.mark.parametrize("sort", ["", "due", "submitted"])
def test_the_list_runs_the_same_queries_for_5_and_50_cases(world, client, sort):
    client.force_login(world.clerk)
    states = ["submitted", "handling", "registered"]

    def add(n: int) -> None:
        for i in range(n):
            to_state(world, draft(world, deputy_index=i % 6, cosigners=1), states[i % 3])

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            html = get(client, f"sort={sort}")
        return len(ctx.captured_queries), len(ids_in(html))

    add(5)
    get(client, f"sort={sort}")  # warm the per-process caches (rule set, calendar)
    few, rows_few = queries()
    add(45)
    many, rows_many = queries()
    assert (rows_few, rows_many) == (5, lists.PAGE_SIZE)
    assert many == few <= LIST_PAGE_BUDGET, f"{few} queries for 5 rows, {many} for {rows_many}"
