"""The pages at scale: p50/p95 and queries per page on a big data set, with naive baselines.

    .venv/bin/python benchmarks/bench_scale.py --rounds 20 \
        --database-url postgres://lvzhi:lvzhi@127.0.0.1:5433/lvzhi_scale_1m

In-process, like bench_pages.py: Django's test Client with force_login (no password hashing,
no network), each page GET `--rounds` times after one warm-up; p50/p95 of the wall time, the
queries of the last GET (CaptureQueriesContext), its status. The data set comes from
`manage.py build_scale_data` (README of the figures: docs/performance.md). Beside each figure
its target: lists and search p95 < 50 ms, the monitor and the dashboard < 500 ms. Two naive
baselines run in the same process, on the same data: `title__icontains="物业"` paginated and
counted (against the search page), and the ORM aggregates the dashboard used before issue 16
(copied below, against the dashboard page), each with the ratio naive/new (target ≥ 20×).
Asserts nothing; `main(argv)` returns the rows it printed (the smoke test reads them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
LIST_MS, HEAVY_MS, RATIO = 50, 500, 20


@dataclass
class Row:
    label: str
    path: str
    status: int
    queries: int
    p50: float
    p95: float
    target: str = ""
    note: str = ""


def _setup(database_url: str | None) -> None:
    """Django for this process, unless the caller (a test) has it already."""
    from django.conf import settings

    if settings.configured:
        return
    sys.path.insert(0, str(HERE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["LVZHI_DEBUG"] = "1"
    os.environ["LVZHI_DB_CONN_MAX_AGE"] = "0"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client's template signals; ALLOWED_HOSTS testserver


def _pct(times: list[float], q: float) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] * 1000


# ------------------------------------------------------------------ the naive baselines


def naive_search(congress_id: int, q: str = "物业") -> int:
    """What a LIKE search costs: the first page and the count."""
    from django.core.paginator import Paginator

    from lvzhi.cases.models import Case

    qs = Case.objects.filter(congress_id=congress_id, title__icontains=q).order_by("-id")
    page = Paginator(qs, 30).get_page(1)
    return len(list(page.object_list)) + page.paginator.count


def naive_figures(congress_id: int, kind: str = "suggestion", session_id: int | None = None,
                  today: dt.date | None = None) -> dict:
    """lvzhi.reports.selectors.figures() as it was before issue 16: ORM aggregates over every
    case, reply, evaluation, contact and deadline (copied here, since the page replaces it)."""
    from django.db.models import Count, Exists, OuterRef, Q, Subquery
    from django.utils import timezone

    from lvzhi.cases.clocks import duty_codes
    from lvzhi.cases.handling.states import CLOSED, HANDLING, REPLIED
    from lvzhi.cases.kinds import get_kind
    from lvzhi.cases.models import Case, Contact, Deadline, Evaluation, Reply, ReplyState, Verdict
    from lvzhi.core.models import Organization

    today = today or timezone.localdate()
    k = get_kind(kind)
    cases = Case.objects.filter(congress_id=congress_id, kind=kind).exclude(state=k.states[0].code)
    if session_id:
        cases = cases.filter(session_id=session_id)
    overdue_dl = Deadline.objects.filter(met_at__isnull=True, cancelled=False, due_on__lt=today,
                                         kind__in=duty_codes())
    satisfied = [Verdict.SATISFIED, Verdict.BASICALLY]
    assigned = cases.filter(state__in=[HANDLING, REPLIED, CLOSED])
    replied = cases.filter(state__in=[REPLIED, CLOSED])
    unsolved = Reply.objects.filter(case=OuterRef("pk"), state=ReplyState.ACCEPTED,
                                    round=OuterRef("round"), reply_class__in=["C", "D"])
    any_reply = Reply.objects.filter(case=OuterRef("pk"), state=ReplyState.ACCEPTED,
                                     round=OuterRef("round"))
    given = Evaluation.objects.filter(case=OuterRef("pk"), expired=False)
    first = given.filter(round=1)
    latest = cases.annotate(last_verdict=Subquery(given.order_by("-round").values("verdict")[:1]))
    sets = {
        "total": cases, "assigned": assigned, "replied": replied,
        "solved": replied.filter(Exists(any_reply)).exclude(Exists(unsolved)),
        "evaluated": cases.filter(Exists(first)),
        "satisfied": cases.filter(Exists(first.filter(verdict__in=satisfied))),
        "final_evaluated": latest.filter(last_verdict__isnull=False),
        "final_satisfied": latest.filter(last_verdict__in=satisfied),
        "contacted": assigned.filter(Exists(Contact.objects.filter(case=OuterRef("pk")))),
        "overdue": cases.filter(Exists(overdue_dl.filter(case=OuterRef("pk")))),
        "key": cases.filter(is_key=True),
    }
    out: dict = {"by_state": list(cases.values_list("state").annotate(n=Count("id")).order_by("-n")),
                 "by_category": list(cases.exclude(category="").values_list("category")
                                     .annotate(n=Count("id")).order_by("-n"))}
    late = list(overdue_dl.filter(case__in=cases, assignment__isnull=False)
                .values("assignment__unit_id", "assignment__unit__name")
                .annotate(n=Count("case", distinct=True)).order_by("-n", "assignment__unit__name")[:15])
    out["handling"] = dict(Organization.objects.filter(pk__in=[r["assignment__unit_id"] for r in late])
                           .annotate(h=Count("assignments", filter=~Q(assignments__state="withdrawn")
                                             & Q(assignments__case__in=cases), distinct=True))
                           .values_list("pk", "h"))
    out["by_class"] = list(Reply.objects.filter(case__in=sets["replied"], state=ReplyState.ACCEPTED)
                           .values_list("reply_class").annotate(n=Count("id")).order_by("reply_class"))
    out.update({key: qs.count() for key, qs in sets.items()})
    return out


# ------------------------------------------------------------------ the pages


class Bench:
    def __init__(self, rounds: int) -> None:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from lvzhi.cases.models import Assignment, Case, Deadline
        from lvzhi.core.models import Congress, Session, User
        from lvzhi.demo import data as D

        logging.getLogger("django.request").setLevel(logging.ERROR)
        self.rounds = rounds
        self.connection, self.capture = connection, CaptureQueriesContext
        self.client = Client()
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["clerk", "handler", "deputy", "leader"]).select_related("organization")}
        self.city = Congress.objects.get(name=D.CITY_NAME)
        self.sessions = list(Session.objects.filter(term__congress=self.city).order_by("-opens_on"))
        self.session = self.sessions[0] if self.sessions else None
        self.year = self.session.opens_on.year if self.session else dt.date.today().year
        self.unit = self.users["handler"].organization_id
        self.fresh = (Case.objects.filter(congress=self.city, kind="suggestion", state="submitted")
                      .order_by("-id").values_list("pk", flat=True).first()
                      or Case.objects.filter(congress=self.city).order_by("-id").values_list("pk", flat=True).first())
        self.cases = Case.objects.filter(congress=self.city).count()
        self.open_clocks = Deadline.objects.filter(met_at__isnull=True, cancelled=False).count()
        self.assignments = Assignment.objects.count()

    def pages(self) -> list[tuple[str, str | None, str, str]]:
        """(label, username or None for the public, path, target)."""
        s = f"session={self.session.pk}" if self.session else ""
        y = self.year
        lst, heavy = f"p95<{LIST_MS}ms", f"p95<{HEAVY_MS}ms"
        return [
            ("工委 全部案件 第1页", "clerk", "/cases/", lst),
            ("工委 全部案件 第2000页", "clerk", "/cases/?page=2000", lst),
            ("筛选 状态=办理中", "clerk", "/cases/?state=handling", lst),
            ("筛选 承办单位", "clerk", f"/cases/?unit={self.unit}", lst),
            ("筛选 类别=城乡建设", "clerk", "/cases/?category=城乡建设", lst),
            ("筛选 会议", "clerk", f"/cases/?{s}", lst),
            ("筛选 提交日期范围", "clerk", f"/cases/?submitted_from={y - 3}-03-01&submitted_to={y - 3}-06-30", lst),
            ("筛选 超期", "clerk", "/cases/?overdue=1", lst),
            ("排序 提交时间", "clerk", "/cases/?sort=-submitted", lst),
            ("排序 截止日期", "clerk", "/cases/?sort=due", lst),
            ("检索 物业", "clerk", "/cases/?q=物业", lst),
            ("接口 案件列表", "clerk", "/api/v1/cases/", lst),
            ("接口 案件列表 按会议", "clerk", f"/api/v1/cases/?{s}", lst),
            ("承办 收件箱", "handler", "/unit/inbox/", lst),
            ("代表 我的议案建议", "deputy", "/my/", lst),
            ("公众 公开列表", None, "/public/", lst),
            ("工委 期限监控", "clerk", "/office/deadlines/", heavy),
            ("主任 统计 按会议", "leader", f"/reports/dashboard/?{s}", heavy),
            ("主任 统计 按年度", "leader", f"/reports/dashboard/?year={y}", heavy),
            ("工委 新提交案件详情", "clerk", f"/cases/{self.fresh}/", lst),
        ]

    def time(self, fn: Callable[[], object]) -> tuple[list[float], int, object]:
        fn()  # warm-up: templates compiled, caches filled
        times, queries, out = [], 0, None
        for _ in range(self.rounds):
            with self.capture(self.connection) as q:
                t = time.perf_counter()
                out = fn()
                times.append(time.perf_counter() - t)
            queries = len(q.captured_queries)
        return times, queries, out

    def page(self, label: str, username: str | None, path: str, target: str) -> Row:
        if username:
            self.client.force_login(self.users[username])
        else:
            self.client.logout()
        times, queries, resp = self.time(lambda: self.client.get(path))
        return Row(label, path, resp.status_code, queries, _pct(times, .5), _pct(times, .95), target)

    def naive(self, label: str, fn: Callable[[], object], path: str) -> Row:
        times, queries, _ = self.time(fn)
        return Row(label, path, 200, queries, _pct(times, .5), _pct(times, .95), "基线")


def _verdict(row: Row) -> str:
    if row.status != 200:
        return f"HTTP {row.status}"
    if row.target.startswith("p95<"):
        return "达标" if row.p95 < float(row.target[4:-2]) else "未达标"
    return ""


def main(argv: list[str] | None = None) -> list[Row]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=None, help="postgres://…（默认：当前设置的数据库）")
    ap.add_argument("--rounds", type=int, default=20, help="每页请求次数（另加一次预热）")
    ap.add_argument("--only", default="", help="只测标签含这些文字之一的页面（逗号分隔）")
    args = ap.parse_args(argv)
    _setup(args.database_url)
    from django.db import connection

    bench = Bench(max(1, args.rounds))
    print(f"# {connection.vendor} {connection.settings_dict.get('NAME')}: 案件 {bench.cases}，"
          f"交办 {bench.assignments}，未完成期限 {bench.open_clocks}；每页 {bench.rounds} 次；"
          f"{dt.datetime.now():%Y-%m-%d %H:%M}，{os.cpu_count()} 核")
    only = [o for o in args.only.split(",") if o]
    rows: list[Row] = []
    for label, user, path, target in bench.pages():
        if only and not any(o in label for o in only):
            continue
        rows.append(bench.page(label, user, path, target))
        _print(rows[-1])
    if not only or "基线" in only:
        city, session = bench.city.pk, bench.session.pk if bench.session else None
        pairs = [("基线 标题LIKE“物业”分页计数", lambda: naive_search(city), "检索 物业"),
                 ("基线 旧统计ORM聚合 按会议", lambda: naive_figures(city, session_id=session),
                  "主任 统计 按会议")]
        for label, fn, against in pairs:
            row = bench.naive(label, fn, "")
            new = next((r for r in rows if r.label == against), None)
            if new and new.p50:
                ratio = row.p50 / new.p50
                row.note = f"{ratio:.1f}× {against}（目标≥{RATIO}×：{'达标' if ratio >= RATIO else '未达标'}）"
            rows.append(row)
            _print(rows[-1])
    return rows


def _print(r: Row) -> None:
    print(f"{r.label}\t{r.path}\tHTTP {r.status}\t查询 {r.queries}\tp50 {r.p50:.1f} ms\t"
          f"p95 {r.p95:.1f} ms\t{r.target} {_verdict(r)} {r.note}".rstrip(), flush=True)


if __name__ == "__main__":
    main()
