"""The lists that used to be unbounded, the 并案 box and the search, old against new in one run.

    DATABASE_URL=postgres://…/lvzhi_scale_1m .venv/bin/python benchmarks/bench_lists.py [--rounds 15]

Per list: `old` is the code before issue 16 (copied here: every row built and decorated; the
merge form's <select> rendered with every option; the search as LIKE on the title, paginated
and counted), `new` is the code now (selectors.bounded_page; the merge_targets endpoint;
search_condition with a bounded count), asked in turn round by round so both see the same load.
Then every new page through Django's test client (force_login), p50/p95 and queries. Prints
milliseconds; asserts nothing. Users: the first clerk of the 代表工委, the handler of the unit
with most live assignments, the deputy leading most cases, the public.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(times: list[float], q: float) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--skip-old", action="store_true", help="only the new code (the old takes seconds per round)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LVZHI_DEBUG", "1")
    import django

    django.setup()
    from django import forms
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from lvzhi.cases import selectors
    from lvzhi.cases.deadlines import Lights
    from lvzhi.cases.handling.states import HANDLING, REPLIED
    from lvzhi.cases.models import Assignment, AssignmentState, Case
    from lvzhi.cases.permissions import visible_cases
    from lvzhi.core.models import Role, User
    from lvzhi.portal.selectors import published
    from lvzhi.search.query import search_condition
    from lvzhi.suggestions.forms import MergeForm
    from lvzhi.suggestions.selectors import deputy_cases

    clerk = User.objects.filter(role=Role.CLERK, organization__function="suggestion_office",
                                is_active=True).order_by("pk").first()
    city = clerk.congress_id
    top_unit = (Assignment.objects.exclude(state=AssignmentState.WITHDRAWN).values("unit_id")
                .annotate(n=Count("id")).order_by("-n").first()["unit_id"])
    handler = User.objects.filter(role=Role.UNIT_HANDLER, organization_id=top_unit, is_active=True).first()
    deputy_id = (Case.objects.filter(congress_id=city).exclude(lead_deputy=None).values("lead_deputy_id")
                 .annotate(n=Count("id")).order_by("-n").first()["lead_deputy_id"])
    deputy = User.objects.get(deputy__pk=deputy_id)
    source = Case.objects.filter(congress_id=city, kind="suggestion", state="submitted").order_by("-id").first()
    print(f"# {connection.settings_dict['NAME']}: {Case.objects.count():,} cases; clerk {clerk.username}, "
          f"handler {handler.username} (unit {top_unit}), deputy {deputy.username}, submitted case {source.pk}")

    def lights() -> Lights:
        return Lights(timezone.localdate())

    # ------------------------------------------------------------ old code, as it was
    def old_inbox() -> None:
        mine = Assignment.objects.filter(unit_id=handler.organization_id)
        base = selectors.with_list_relations(visible_cases(handler))
        lt = lights()
        selectors.decorate(list(base.filter(assignments__in=mine.filter(
            role__in=["lead", "split"], state=AssignmentState.HANDLING)).distinct()), lights=lt)
        selectors.decorate(list(base.filter(state=HANDLING, assignments__in=mine.filter(
            role="co", state=AssignmentState.HANDLING)).distinct()), lights=lt)
        selectors.decorate(list(base.filter(state=REPLIED).distinct()[:50]), lights=lt)

    def old_mine() -> None:
        led, cosigned, _ = deputy_cases(deputy)
        lt = lights()
        selectors.decorate(list(selectors.with_list_relations(led)), lights=lt)
        selectors.decorate(list(selectors.with_list_relations(cosigned)), lights=lt)

    def old_key() -> None:
        qs = selectors.with_list_relations(visible_cases(clerk).filter(
            kind__in=("suggestion", "motion"), is_key=True))
        selectors.decorate(list(qs), lights=lights())

    def old_intake() -> None:
        mine = visible_cases(clerk).filter(kind__in=("suggestion", "motion"))
        lt = lights()
        selectors.decorate(list(selectors.with_list_relations(mine.filter(state="submitted")
                                                              .order_by("submitted_at"))), lights=lt)
        reg = selectors.with_list_relations(mine.filter(state="registered").order_by("registered_at"))
        selectors.decorate(list(reg[:100]), lights=lt)
        reg.count()

    def old_public() -> None:
        qs = published("", city)
        page = Paginator(qs, 20).get_page(1)
        list(page.object_list)
        assert page.paginator.num_pages >= 1

    def old_merge() -> None:  # the <select>: every registered/handling/replied case an option
        field = MergeForm(case=source, actor=clerk).fields["target"]
        forms.Select(choices=field.choices).render("target", None)

    def old_search(q: str) -> Callable[[], None]:
        def run() -> None:
            cond = Q()
            for p in q.split():
                cond &= Q(title__icontains=p)
            qs = visible_cases(clerk).filter(cond).order_by("-id")
            page = Paginator(qs, 30).get_page(1)
            list(page.object_list)
            assert page.paginator.count >= 0
        return run

    # ------------------------------------------------------------ new code
    def new_inbox() -> None:
        selectors.unit_inbox(handler)

    def new_mine() -> None:
        led, cosigned, _ = deputy_cases(deputy)
        lt = lights()
        selectors.bounded_page(led, {}, param="led", lights=lt)
        selectors.bounded_page(cosigned, {}, param="cosigned", lights=lt)

    def new_key() -> None:
        selectors.bounded_page(visible_cases(clerk).filter(kind__in=("suggestion", "motion"), is_key=True)
                               .order_by("-id"), {}, lights=lights())

    def new_intake() -> None:
        mine = visible_cases(clerk).filter(kind__in=("suggestion", "motion"))
        lt = lights()
        selectors.bounded_page(mine.filter(state="submitted").order_by("submitted_at", "id"), {}, lights=lt)
        selectors.bounded_page(mine.filter(state="registered").order_by("registered_at", "id"), {}, lights=lt)

    def new_public() -> None:
        selectors.bounded_page(published("", city), {}, decorated=False)

    c = Client()
    c.force_login(clerk)

    def new_merge() -> None:
        c.get(reverse("merge_targets", args=[source.pk]), {"q": "物业 管理"})

    def new_search(q: str) -> Callable[[], None]:
        def run() -> None:
            qs = visible_cases(clerk).filter(search_condition(q)).order_by("-id")
            list(qs[:30])
            qs.order_by()[:selectors.BOUNDED_COUNT_CAP + 1].count()
        return run

    pairs = [("承办 收件箱", old_inbox, new_inbox), ("代表 我的议案建议", old_mine, new_mine),
             ("重点建议", old_key, new_key), ("待审查/待交办", old_intake, new_intake),
             ("公开列表", old_public, new_public), ("并案对象", old_merge, new_merge),
             ("检索 物业", old_search("物业"), new_search("物业")),
             ("检索 物业 管理", old_search("物业 管理"), new_search("物业 管理")),
             ("检索 加装电梯 补贴", old_search("加装电梯 补贴"), new_search("加装电梯 补贴"))]
    print(f"\n## old vs new, interleaved, {args.rounds} rounds (ms)\n")
    print("| list | old p50 | old p95 | new p50 | new p95 | old/new (p50) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, old, new in pairs:
        old_t, new_t = [], []
        new()  # warm
        for _ in range(args.rounds):
            if not args.skip_old:
                old_t.append(timed(old))
            new_t.append(timed(new))
        if old_t:
            print(f"| {label} | {statistics.median(old_t):.1f} | {pct(old_t, .95):.1f} | "
                  f"{statistics.median(new_t):.1f} | {pct(new_t, .95):.1f} | "
                  f"{statistics.median(old_t) / statistics.median(new_t):.0f}× |", flush=True)
        else:
            print(f"| {label} | – | – | {statistics.median(new_t):.1f} | {pct(new_t, .95):.1f} | – |", flush=True)

    pages = [("承办 收件箱", handler, "/unit/inbox/"), ("承办 收件箱 第2页", handler, "/unit/inbox/?reply=2"),
             ("代表 我的议案建议", deputy, "/my/"), ("工委 重点建议", clerk, "/office/key/"),
             ("工委 重点建议 第50页", clerk, "/office/key/?page=50"), ("工委 待审查", clerk, "/office/intake/"),
             ("公众 公开列表", None, "/public/"), ("公众 公开列表 第100页", None, "/public/?page=100"),
             ("公众 检索 物业", None, "/public/?q=物业"), ("工委 检索 物业", clerk, "/cases/?q=物业"),
             ("工委 检索 物业 管理", clerk, "/cases/?q=物业+管理"),
             ("工委 已提交案件详情", clerk, f"/cases/{source.pk}/")]
    print(f"\n## pages (Django test client), {args.rounds} rounds\n")
    print("| page | HTTP | p50 ms | p95 ms | queries | KB |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, user, path in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        r = client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(path)
        times = [timed(lambda: client.get(path)) for _ in range(args.rounds)]  # noqa: B023
        print(f"| {label} | {r.status_code} | {statistics.median(times):.1f} | {pct(times, .95):.1f} | "
              f"{len(ctx.captured_queries)} | {len(r.content) / 1024:.0f} |", flush=True)


if __name__ == "__main__":
    main()
