"""The demo's 发文目录, special reviews and the 2025 annual report, built on the filings the filing
demo made (read from the database): every body sends its 2025 catalogue in January 2026 (one late),
the government's holds one 文号 never filed (the demo's 漏报); two special reviews (民营经济, and
铸牢中华民族共同体意识 as the criterion); the report heard in March 2026, published and sent up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lvzhi.core.models import UNIT_ROLES, Role, User
from lvzhi.filing import catalogue, report, special
from lvzhi.filing.choices import BodyKind, Criterion, DocKind
from lvzhi.filing.models import EntryAction, FilingBody, FilingDetail, ItemConclusion, SpecialReview
from lvzhi.filing.permissions import is_filing_office

YEAR = 2025


def _at(builder: Any, day: dt.date) -> dt.datetime:
    """10:00 on `day`, never after the demo's yesterday. The builder's rng is left alone: the sections
    built after the kinds draw from it, and a draw here would change their year."""
    return timezone.make_aware(dt.datetime.combine(min(day, builder.latest), dt.time(10)))
MISSING_TITLE = "北辰市公共数据开放管理暂行办法"


def _clerk(congress) -> User | None:
    for u in User.objects.filter(congress=congress, role=Role.CLERK).select_related("organization"):
        if is_filing_office(u):
            return u
    return None


def _catalogues(builder: Any, congress, clerk: User) -> None:
    for i, body in enumerate(FilingBody.objects.filter(congress=congress).order_by("kind", "name")):
        filer = User.objects.filter(organization_id=body.organization_id, role__in=UNIT_ROLES).order_by("pk").first()
        filings = list(FilingDetail.objects.filter(body=body, doc_year=YEAR).select_related("case")
                       .exclude(case__state="returned"))
        if filer is None or not filings:
            continue
        rows = [{"doc_number": f.doc_number, "title": f.case.title, "action": EntryAction.MADE,
                 "published_on": f.published_on} for f in filings]
        if body.kind == BodyKind.GOVERNMENT:
            seq = max(f.doc_seq for f in filings) + 3
            prefix = body.prefix_list[0]
            rows.append({"doc_number": f"{prefix}〔{YEAR}〕{seq}号", "title": MISSING_TITLE,
                         "action": EntryAction.MADE, "published_on": dt.date(YEAR, 9, 18)})
            rows.append({"doc_number": f"{prefix}〔{YEAR}〕{seq + 1}号",
                         "title": "北辰市人民政府关于废止部分规范性文件的决定", "action": EntryAction.REPEALED,
                         "published_on": dt.date(YEAR, 11, 28)})
        # the district congress sends its catalogue a few days after the end of January
        day = dt.date(YEAR + 1, 2, 6) if body.kind == BodyKind.DISTRICT_CONGRESS else dt.date(YEAR + 1, 1, 12 + i)
        catalogue.submit(body, YEAR, rows, filer, now=_at(builder, day))


def _special(builder: Any, congress, clerk: User, *, title: str, created: dt.date, reported: dt.date | None,
             close: bool, problem_criterion: str, problem_reason: str, **select) -> SpecialReview | None:
    if not special.candidates(congress.pk, **{k: v for k, v in select.items() if k != "criterion"}).exists():
        return None
    review = special.create(congress, clerk, title=title, trigger="policy", now=_at(builder, created), **select)
    items = list(review.items.select_related("filing"))
    batch = {i.pk: {"conclusion": ItemConclusion.NO_PROBLEM} for i in items}
    batch[items[-1].pk] = {"conclusion": ItemConclusion.PROBLEM, "criterion": problem_criterion,
                           "reason": problem_reason, "handling": "amend"}
    special.record(review, clerk, batch, now=_at(builder, created + dt.timedelta(days=40)))
    if reported:
        special.report(review, clerk, reported_on=reported,
                       text=f"{special.summary_line(review)}，已与制定机关沟通，制定机关同意修改。")
        if close:
            special.close(review, clerk, now=_at(builder, reported + dt.timedelta(days=7)))
    return review


def build(builder: Any) -> None:
    congress = builder.city
    clerk = _clerk(congress)
    if clerk is None or not FilingDetail.objects.filter(case__congress=congress).exists():
        return
    _catalogues(builder, congress, clerk)
    _special(builder, congress, clerk, title="涉及民营经济发展的规范性文件专项审查", subject="民营经济",
             created=dt.date(YEAR, 6, 16), reported=dt.date(YEAR, 9, 22), close=True,
             problem_criterion=Criterion.BEYOND_POWER,
             problem_reason="对外地民营企业参与政府采购设置本地业绩要求，妨碍公平竞争，减损市场主体权利。")
    _special(builder, congress, clerk, title="铸牢中华民族共同体意识专项审查", criterion=Criterion.ETHNIC_UNITY,
             doc_kind=DocKind.ADMIN_NORMATIVE, year=YEAR, created=dt.date(YEAR, 10, 13),
             reported=dt.date(YEAR, 12, 15), close=False, problem_criterion=Criterion.ETHNIC_UNITY,
             problem_reason="个别条款表述不符合铸牢中华民族共同体意识要求，建议修改相关表述。")
    r = report.create(congress, YEAR, clerk, now=_at(builder, dt.date(YEAR + 1, 2, 24)))
    heard = dt.date(YEAR + 1, 3, 26)
    if builder.today <= dt.date(YEAR + 1, 4, 30):  # a demo dated before the report's life: a draft only
        return
    report.record_hearing(r, heard, clerk)
    report.publish(r, clerk, now=_at(builder, dt.date(YEAR + 1, 3, 31)))
    report.send_up(r, dt.date(YEAR + 1, 4, 14), clerk)
