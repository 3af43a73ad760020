"""The lists that used to show every case (重点建议, 我的建议, 待审查, the unit inbox, the public
list) show a page of 20 with a pager, in the same number of queries whatever the rows; the 并案
box suggests targets instead of listing every case of the congress."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.cases.selectors import PAGE_SIZE
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

# Queries per page, whatever the number of rows (measured on SQLite 2026-12-01: 5 and 50 rows run
# the same). Each case list costs 5: a bounded count, the page's ids, the rows, their units and
# their clocks; the rest is the session, the navigation and the to-do counts every page has.
BUDGET = {"key_cases": 19, "my_cases": 21, "intake": 17, "cases:inbox": 24, "portal:index": 5}


def make(world, n: int, state: str, start: int = 0, deputy_index: int = 0, **kw) -> list[Case]:
    return [to_state(world, draft(world, deputy_index=deputy_index, cosigners=0,
                                  title=f"关于第{start + i:03d}号社区事项的建议", **kw), state)
            for i in range(n)]


def titles(html: str) -> set[str]:
    return set(re.findall(r"关于第\d{3}号社区事项的建议", html))


def queries(client, name: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name), params).status_code == 200
    return len(ctx.captured_queries)


def test_key_cases_are_paged_and_the_next_page_continues(client, world):
    cases = make(world, PAGE_SIZE + 3, "registered")
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(is_key=True)
    client.force_login(world.clerk)
    first = client.get(reverse("key_cases")).content.decode()
    assert "重点建议（23件）" in first and "第1/2页" in first and "下一页" in first
    second = client.get(reverse("key_cases"), {"page": 2}).content.decode()
    assert len(titles(first)) == PAGE_SIZE and len(titles(second)) == 3
    assert titles(first) | titles(second) == {c.title for c in cases}  # no gap, no repeat
    assert "上一页" in second and "下一页" not in second
    # a number past the end shows the last page, not an error
    assert titles(client.get(reverse("key_cases"), {"page": 99}).content.decode()) == titles(second)


def test_the_deputy_sees_only_their_own_a_page_at_a_time(client, world):
    mine = make(world, PAGE_SIZE + 1, "submitted")
    other = make(world, 2, "submitted", start=500, deputy_index=6)
    client.force_login(world.deputy_user)
    first = client.get(reverse("my_cases")).content.decode()
    assert "我领衔的（21件）" in first
    second = client.get(reverse("my_cases"), {"led": 2}).content.decode()
    assert titles(first) | titles(second) == {c.title for c in mine}
    assert not (titles(first) | titles(second)) & {c.title for c in other}
    assert len(titles(first)) == PAGE_SIZE


def test_unit_inbox_pages_each_list_on_its_own(client, world):
    cases = make(world, PAGE_SIZE + 2, "handling")
    lead, co = world.handler_of(world.units[0]), world.handler_of(world.units[1])
    client.force_login(lead)
    first = client.get(reverse("cases:inbox")).content.decode()
    assert "主办/牵头：待办理（22件）" in first and len(titles(first)) == PAGE_SIZE
    second = client.get(reverse("cases:inbox"), {"reply": 2}).content.decode()
    assert titles(first) | titles(second) == {c.title for c in cases}
    assert 'href="?reply=2#to-reply"' in first
    client.force_login(co)  # the co-unit pages its own list with its own parameter
    page = client.get(reverse("cases:inbox"), {"co": 2}).content.decode()
    assert "会办：待送会办意见（22件）" in page and len(titles(page)) == 2
    client.force_login(world.handler_of(world.units[2]))  # not assigned: nothing
    assert not titles(client.get(reverse("cases:inbox")).content.decode())


def test_intake_pages_submitted_and_registered(client, world):
    submitted = make(world, PAGE_SIZE + 1, "submitted")
    client.force_login(world.clerk)
    first = client.get(reverse("intake")).content.decode()
    assert "待审查立案（21件）" in first
    last = client.get(reverse("intake"), {"submitted": 2}).content.decode()
    assert titles(first) | titles(last) == {c.title for c in submitted}
    assert titles(first) == {c.title for c in submitted[:PAGE_SIZE]}  # the oldest first


def test_public_list_pages_and_search_finds_a_body_word(client, world, django_capture_on_commit_callbacks):
    cases = make(world, PAGE_SIZE + 1, "replied")
    with django_capture_on_commit_callbacks(execute=True):  # its search document is written on commit
        odd = to_state(world, draft(world, cosigners=0, title="关于第999号社区事项的建议",
                                    body="城西片区雨污分流改造迟迟未完成，汛期道路积水严重，居民出行困难。"
                                         "建议市住建局加快推进管网改造，明确完工时间并向社会公布进度。"),
                       "replied")
    for c in [*cases, odd]:
        fire(c, "publish", world.clerk, {})
    first = client.get(reverse("portal:index")).content.decode()
    assert len(titles(first)) == PAGE_SIZE and "第1/2页" in first
    second = client.get(reverse("portal:index"), {"page": 2}).content.decode()
    assert titles(first) | titles(second) == {c.title for c in [*cases, odd]}
    found = client.get(reverse("portal:index"), {"q": "雨污分流"}).content.decode()
    assert titles(found) == {odd.title}  # a word of the body, not of the title
    # a phone number is not a search term: it would tell which case holds it
    assert len(titles(client.get(reverse("portal:index"), {"q": "13800000001"}).content.decode())) == PAGE_SIZE


def test_each_page_runs_the_same_queries_with_5_and_50_rows(client, world):
    def run() -> dict[str, int]:
        out = {}
        client.force_login(world.clerk)
        out["key_cases"] = queries(client, "key_cases")
        out["intake"] = queries(client, "intake")
        client.force_login(world.deputy_user)
        out["my_cases"] = queries(client, "my_cases")
        client.force_login(world.handler_of(world.units[0]))
        out["cases:inbox"] = queries(client, "cases:inbox")
        client.logout()
        out["portal:index"] = queries(client, "portal:index")
        return out

    def grow(n: int, start: int) -> None:
        handled = make(world, n, "handling", start=start)
        Case.objects.filter(pk__in=[c.pk for c in handled]).update(is_key=True)
        make(world, n, "submitted", start=start + 100)

    grow(5, 0)
    few = run()
    grow(45, 200)
    many = run()
    assert few == many
    for page, n in many.items():
        assert n <= BUDGET[page], (page, n)


# ---------------------------------------------------------------------- the 并案 box

NOISE = ("城区部分路段夜间施工和商铺外放音响噪声扰民问题突出，居民多次投诉未果。建议生态环境局"
         "会同城管部门建立夜间施工审批公示制度，加强噪声执法，设置噪声监测显示屏。")


@pytest.fixture
def merge_world(world, django_capture_on_commit_callbacks):
    """A submitted case to merge, a registered noise case (the target), a registered motion and a
    submitted suggestion with the same words (neither may be a target)."""
    with django_capture_on_commit_callbacks(execute=True):
        source = to_state(world, draft(world, cosigners=0, title="关于整治夜间施工噪声的建议", body=NOISE),
                          "submitted")
        target = to_state(world, draft(world, deputy_index=3, cosigners=0, title="关于治理城区噪声扰民的建议",
                                       body=NOISE), "registered")
        pending = to_state(world, draft(world, deputy_index=5, cosigners=0, title="关于减少噪声扰民的建议",
                                        body=NOISE), "submitted")
        others = make(world, 3, "registered", start=700)
    return source, target, pending, others


def suggest(client, case, q: str):
    return client.get(reverse("merge_targets", args=[case.pk]), {"q": q})


def test_merge_box_suggests_only_cases_this_one_may_be_merged_into(client, world, merge_world):
    source, target, pending, _ = merge_world
    client.force_login(world.clerk)
    for q in ("噪声 扰民", "治理城区", target.number):
        r = suggest(client, source, q)
        assert r.status_code == 200
        ids = [x["id"] for x in r.json()["results"]]
        assert ids == [target.pk] and pending.pk not in ids, q  # a submitted case is no target
    assert r.json()["results"][0] == {"id": target.pk, "number": target.number, "title": target.title,
                                      "state": "已立案待交办"}
    assert suggest(client, source, "").json() == {"results": []}
    assert suggest(client, source, "农村公路").json() == {"results": []}


def test_merge_box_answers_nobody_who_may_not_merge(client, world, merge_world):
    source, *_ = merge_world
    client.force_login(world.handler_of(world.units[0]))  # does not see a submitted case at all
    assert suggest(client, source, "噪声").status_code == 404
    client.force_login(world.deputy_user)  # the lead deputy sees the case but may not merge it
    r = suggest(client, source, "噪声")
    assert r.status_code == 403 and "并案" in r.json()["error"]
    client.force_login(world.other_congress_clerk)
    assert suggest(client, source, "噪声").status_code == 404


def test_a_submitted_case_page_no_longer_lists_every_case_and_merging_by_number_works(
        client, world, merge_world):
    source, target, _, others = merge_world
    client.force_login(world.clerk)
    html = client.get(reverse("cases:detail", args=[source.pk])).content.decode()
    assert 'name="target"' in html and reverse("merge_targets", args=[source.pk]) in html
    assert not titles(html) & {c.title for c in others}  # no option per registered case
    assert target.title not in html
    # without script: the clerk types the number
    r = client.post(reverse("cases:fire", args=[source.pk, "merge"]), {"target": "不存在的案号"})
    assert r.status_code == 400 and "所选案件不存在或不能作为并案对象" in r.content.decode()
    client.post(reverse("cases:fire", args=[source.pk, "merge"]), {"target": target.number, "reason": "内容相同"})
    source.refresh_from_db()
    assert source.state == "merged" and source.merged_into_id == target.pk
