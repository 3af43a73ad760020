# ruff: noqa: E501 — the demo's requests read best one a line.
"""The demo's review requests (审查建议) of 2025 on the demo filings, in every outcome: started and
answered (published), started and still in review, declined on 第二十五条's grounds and told, not
registered (not a normative document), asked to complete, and one just received. All through the
engine (the portal's service for submission, start_review for 启动审查) with past `now`s, each
step after the filing's own last event so the timelines read in order."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from typing import Any

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.filing import demo_filings
from lvzhi.filing import request_services as svc

# (the demo filing's 文号 — or, for this year's documents, its title (demo_filings.CURRENT) — or None for a
#  document not filed; received (month, day) of 2025, or so many days before the demo's last day; proposer kind,
#  name, contact, provisions, criteria, reasons, scenario)
REQUESTS = [
    ("北辰市政府采购中小企业预留份额管理办法", 60, "organisation", "北辰市中小企业服务促进会", "010-63337788", "第六条", ["beyond_power", "upper_law"],
     "第六条规定预留份额仅限在本市注册的中小企业参与，排斥外地中小企业，违反中小企业促进法和公平竞争审查的要求，请予审查。", "answered"),
    ("北辰市养犬管理规定实施办法", 40, "organisation", "北辰市犬类保护协会", "010-62345678", "第十五条、第十八条", ["beyond_power", "proportionality"],
     "实施办法规定重点管理区内每户限养一只犬并对违反者没收犬只，超出养犬管理规定的授权，措施与管理目的不相称。", "reviewing"),
    ("北政发〔2025〕12号", (4, 21), "citizen", "孙海燕", "13522223333", "第六条", ["other"],
     "方案对老旧小区加装电梯的费用分摊比例规定不合理，低层住户负担过重。", "declined_unclear"),
    ("北政办发〔2025〕14号", (8, 4), "citizen", "周文博", "zhouwb@example.com", "第三条至第十条", ["upper_law"],
     "罚款裁量基准以规范性文件设定罚款并提高数额，与行政处罚法不一致。", "declined_amended"),
    (None, (5, 12), "citizen", "钱晓东", "13733334444", "第二条", ["beyond_power"],
     "北辰市城关区某街道办事处关于小区停车管理的通知，要求业主缴纳停车管理费，增加了居民负担。", "not_registered"),
    ("北政发〔2025〕3号", (11, 17), "citizen", "吴志刚", "13644445555", "", [],
     "文件有问题，影响我们的权益，请审查。", "completing"),
    ("北辰市历史建筑保护利用管理办法", 3, "state_body", "北辰市城西区司法局", "010-68881234", "第九条", ["inconsistent"],
     "该文件第九条与本市同一层级文件对同一事项的规定不一致，基层执法中难以适用，建议审查。", "received"),
]


def _last_event_day(case: Case) -> dt.date:
    e = case.events.order_by("-at").first()
    return (e.at if e else case.created_at).date()


def build(builder: Any) -> None:
    b = builder
    clerk = b.users["lawclerk"]
    current = demo_filings.current_numbers(b)
    rows = []
    for number, when, *rest in REQUESTS:
        received = dt.date(2025, *when) if isinstance(when, tuple) else b.latest - dt.timedelta(days=when)
        rows.append((current.get(number, number), received, *rest))
    filings = {c.filing_detail.doc_number: c for c in Case.objects.filter(
        congress=b.city, kind="filing", filing_detail__doc_number__in=[r[0] for r in rows if r[0]]
    ).select_related("filing_detail")}
    counted: list[Case] = []

    def script(number, received, kind, name, contact, provisions, criteria, reasons, scenario) -> Iterator[dt.datetime]:
        """One request's steps: yields each step's time, then takes it (so all requests run in time order)."""
        filing = filings.get(number) if number else None
        if number and (filing is None or filing.registered_at is None):
            return
        if filing is not None and filing.registered_at and received <= filing.registered_at.date():
            received = b.wd_after(filing.registered_at.date(), 3)
        if received > b.latest:
            return
        t = b.at(None, received)
        data = {"filing": filing.pk if filing else "", "document_title": "" if filing else "城关区某街道办事处关于小区停车管理的通知",
                "proposer_kind": kind, "proposer_name": name, "contact": contact, "provisions": provisions,
                "criteria": criteria, "reasons": reasons}
        yield t
        case = svc.submit_public(b.city, data, ip=f"demo-{len(counted)}", session={}, answer="", now=t, check=False)
        counted.append(case)

        def step(prev: dt.datetime, gap: int, after: dt.date | None = None) -> dt.datetime | None:
            day = b.wd_after(max(prev.date(), after or prev.date()), gap)
            return None if day > b.latest else b.at(prev, day)

        if scenario == "received":
            return
        if scenario == "not_registered":
            t = step(t, 3)
            if not t:
                return
            yield t
            fire(case, "not_register", clerk, {"reason": "所涉通知系街道办事处作出的具体管理事项，不属于规范性文件，也不在本级人大常委会备案审查范围内；可以向城关区人大常委会反映。"}, now=t)
            return
        if scenario == "completing":
            t = step(t, 2)
            if not t:
                return
            yield t
            fire(case, "ask_completion", clerk, {"request": "请写明建议审查的具体条款，以及认为该条款违反哪一法律法规的哪一规定、理由是什么。"}, now=t)
            return
        t = step(t, 3)
        if not t:
            return
        yield t
        fire(case, "register", clerk, {"note": "内容完整，予以登记"}, now=t)
        if scenario.startswith("declined"):
            ground, why = (("unclear", "经研究，建议所提费用分摊属于政策选择问题，未指明与法律法规相抵触之处，建议审查的理由不明确。")
                           if scenario == "declined_unclear" else
                           ("amended", "建议审查的文件已经常委会决定撤销，不再启动审查程序。"))
            t = step(t, 5, _last_event_day(filing))
            if not t:
                return
            yield t
            fire(case, "decline", clerk, {"ground": ground, "reason": why}, now=t)
            t = step(t, 3)
            if not t:
                return
            yield t
            fire(case, "tell_declined", clerk, {"how": "phone", "note": "已电话告知并说明理由"}, now=t)
            return
        t = step(t, 5, _last_event_day(filing))
        if not t:
            return
        yield t
        svc.start_review(case, clerk, {"note": "与备案审查一并研究"}, now=t)
        if scenario == "answered":
            t = step(t, 5)
            if not t:
                return
            yield t
            fire(case, "feed_back", clerk, {"text": "经审查，该办法第六条将预留份额限定于本市注册企业，违反中小企业促进法第四十条的规定。市人民政府已通知停止执行该条，并同意修改、提出书面处理计划，审查中止；修改后的文件将重新报送备案。", "publish": True}, now=t)

    queue = []
    for i, row in enumerate(sorted(rows, key=lambda r: r[1])):
        steps = script(*row)
        first = next(steps, None)
        if first is not None:
            heapq.heappush(queue, (first, i, steps))
    while queue:
        _t, i, steps = heapq.heappop(queue)
        upcoming = next(steps, None)
        if upcoming is not None:
            heapq.heappush(queue, (upcoming, i, steps))
    count = len(counted)
    b.stats["review_requests"] = count
    b._log(f"  审查建议：{count} 件")
