"""The 北辰市 demo year of 12345 hard orders under deputies' supervision (CaseKind.demo): a few
hundred orders written from the real citizens' messages, imported month by month from the
12345 export as the 代表工委 does, assigned to the deputies of the district each names, followed
with the units, and most of them closed with the citizen's rating; the newest still open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lvzhi.cases.engine import fire, open_case
from lvzhi.requests.citizen_demo import _text
from lvzhi.requests.hotline_models import HotlineImport
from lvzhi.requests.hotline_permissions import KIND
from lvzhi.requests.hotline_services import area_of

FULL = 300
FOLLOW = [("urge", "电话督促承办单位，单位表示已安排人员现场处置。"), ("visit", "走访来电群众，了解诉求办理进展。"),
          ("meet_unit", "约见承办单位负责同志，要求明确整改时限。"), ("note", "查看现场，问题仍未彻底解决，继续跟踪。")]
CLOSURE = "承办单位已处理完毕，代表回访群众确认。"


def build(b: Any) -> None:
    rng, latest = b.rng, b.latest
    office = b.clerk
    districts = [d.name.removesuffix("代表团") for d in b.delegations.values()]
    by_area = {a: [d for d in b.active if d.delegation.name.startswith(a)] for a in districts}
    n = b._count(FULL)
    pool = [m for m in b.messages if len(m.body) >= 30][:n]
    span = max(2, (latest - dt.date(latest.year, 1, 1)).days)
    imports: dict[str, HotlineImport] = {}
    for i, msg in enumerate(pool):
        accepted = latest - dt.timedelta(days=rng.randint(1, span))
        at = dt.datetime.combine(accepted, dt.time(9), tzinfo=b.now.tzinfo) + dt.timedelta(days=1)
        area = area_of(msg.body, districts) or rng.choice(districts)
        content = _text(msg.body, 500) if area in msg.body else f"{area}群众来电反映：{_text(msg.body, 500)}"
        lead, _alt = b._route(msg)
        month = f"{accepted:%Y%m}"
        if month not in imports:  # one upload of the export a month
            imports[month] = HotlineImport.objects.create(congress=b.city, by=office, at=at,
                                                          filename=f"12345难点工单{month}.xlsx")
        record = imports[month]
        case = open_case(KIND, "open", None, {
            "order_no": f"{accepted:%Y%m%d}{i:05d}", "content": content,
            "unit_name": lead.name, "accepted_on": accepted.isoformat(),
            "due_on": (accepted + dt.timedelta(days=15)).isoformat(), "source_status": "办理中",
            "import_id": record.pk}, congress_id=b.city.pk, now=at).case
        record.created += 1
        record.save(update_fields=["created"])
        deputies = by_area.get(area) or b.active
        if (latest - accepted).days < 2:
            continue
        deputy = b.deputy if i < 3 else rng.choice(deputies)
        fire(case, "assign_deputy", office, {"deputy": deputy.pk, "note": f"按区域分派（{area}）"},
             now=at + dt.timedelta(hours=3))
        for k in range(rng.randint(1, 3)):
            on = accepted + dt.timedelta(days=3 + 4 * k)
            if on >= latest:
                break
            way, note = FOLLOW[(i + k) % len(FOLLOW)]
            fire(case, "follow", deputy.user, {"way": way, "on": on.isoformat(), "note": note},
                 now=dt.datetime.combine(on, dt.time(16), tzinfo=b.now.tzinfo))
        done_on = accepted + dt.timedelta(days=16)
        if done_on >= latest or rng.random() < 0.1 or i < 2:
            continue
        r = rng.random()
        rating = "satisfied" if r < 0.7 else "basic" if r < 0.88 else "unsatisfied" if r < 0.95 else "none"
        closed_at = dt.datetime.combine(done_on, dt.time(17), tzinfo=b.now.tzinfo)
        fire(case, "close", deputy.user, {"closure": f"{lead.name}{CLOSURE}", "rating": rating}, now=closed_at)
        d = case.hotline_detail  # the next month's export says so too
        fire(case, "refresh", None, {
            "order_no": d.order_no, "content": case.body, "unit_name": d.unit_name, "source_status": "已办结",
            "accepted_on": d.accepted_on.isoformat(), "due_on": d.due_on.isoformat(), "import_id": record.pk},
            now=closed_at + dt.timedelta(hours=2))
