"""Test helpers for filing review: the 法工委, a committee or two and the 制定机关 beside a
`lvzhi.testing.build_world` world, and `make_filing` that drives a filing through the engine."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.filing import states
from lvzhi.filing.choices import BodyKind, Criterion, DocKind
from lvzhi.filing.models import FilingBody
from lvzhi.filing.permissions import OFFICE
from lvzhi.testing import World, make_user

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name: str = "文本.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name: str = "说明.docx") -> SimpleUploadedFile:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buf.getvalue())


@dataclass
class FilingWorld:
    world: World
    affairs: Organization  # 法制工作委员会
    committees: list[Organization]  # 法制委员会, 监察和司法委员会
    law_clerk: User
    committee_staff: list[User]
    gov: FilingBody
    court: FilingBody
    district: FilingBody
    govfiler: User
    govhead: User
    courtfiler: User
    districtfiler: User


def add_filing_world(world: World) -> FilingWorld:
    c = world.congress
    affairs = Organization.objects.filter(congress=c, function=OFFICE).first() or Organization.objects.create(
        congress=c, kind=OrganizationKind.WORKING_BODY, name="法制工作委员会", short_name="法工委", function=OFFICE)
    committees = [Organization.objects.create(congress=c, kind=OrganizationKind.COMMITTEE, name=n)
                  for n in ("法制委员会", "监察和司法委员会")]
    clerk = make_user(f"fclerk{c.pk}", Role.CLERK, c, affairs, "韩备审")
    staff = [make_user(f"fstaff{c.pk}_{i}", Role.COMMITTEE_STAFF, c, o, f"专委{i}") for i, o in enumerate(committees)]

    def body(org_name: str, kind: str, prefixes: str, who: str) -> tuple[FilingBody, User]:
        org = Organization.objects.create(congress=c, kind=OrganizationKind.UNIT, name=org_name)
        b = FilingBody.objects.create(congress=c, organization=org, kind=kind, name=org_name, prefixes=prefixes)
        return b, make_user(f"{who}{c.pk}", Role.UNIT_HANDLER, c, org, f"{org_name}经办人")

    gov, govfiler = body("北辰市人民政府", BodyKind.GOVERNMENT, "北政发 北政办发 北政规", "govfiler")
    govhead = make_user(f"govhead{c.pk}", Role.UNIT_HEAD, c, gov.organization, "政府办负责人")
    court, courtfiler = body("北辰市中级人民法院", BodyKind.COURT, "北中法发", "courtfiler")
    district, districtfiler = body("北辰市城关区人大常委会", BodyKind.DISTRICT_CONGRESS, "城人常发", "districtfiler")
    fw = FilingWorld(world, affairs, committees, clerk, staff, gov, court, district, govfiler, govhead,
                     courtfiler, districtfiler)
    world.users.update(fclerk=clerk, govfiler=govfiler, govhead=govhead, courtfiler=courtfiler,
                       districtfiler=districtfiler, fstaff=staff[0])
    world.filing = fw  # type: ignore[attr-defined]
    return fw


_SEQ = [0]


def filing_data(fw: FilingWorld, *, published_on: dt.date, doc_kind: str = DocKind.ADMIN_NORMATIVE,
                **fields: Any) -> dict[str, Any]:
    _SEQ[0] += 1
    data = {"doc_kind": doc_kind, "title": f"北辰市优化营商环境若干措施（第{_SEQ[0]}号）",
            "doc_number": f"北政发〔{published_on.year}〕{_SEQ[0]}号", "published_on": published_on.isoformat(),
            "basis": "《优化营商环境条例》《北辰市优化营商环境条例》", "subjects": "营商环境、民营经济",
            "summary": "本措施围绕市场准入、政务服务、要素保障等方面提出二十条措施。",
            "text_file": pdf(), "explanation_file": docx()}
    data.update(fields)
    return data


def _files(data: dict) -> tuple[dict, dict]:
    files = {k: v for k, v in data.items() if hasattr(v, "read")}
    return {k: v for k, v in data.items() if k not in files}, files


def file_document(fw: FilingWorld, filer: User | None = None, *, now: dt.datetime | None = None,
                  late: bool = False, **fields: Any) -> Case:
    now = now or timezone.now()
    today = timezone.localdate(now)
    published = fields.pop("published_on", None) or (today - dt.timedelta(days=45 if late else 5))
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    data, files = _files(filing_data(fw, published_on=published, **fields))
    return open_case("filing", "open", filer or fw.govfiler, data, files, congress_id=fw.world.congress.pk,
                     now=now).case


def make_filing(world: World, state: str = states.FILED, late: bool = False,
                doc_kind: str = DocKind.ADMIN_NORMATIVE, now: dt.datetime | None = None, **fields: Any) -> Case:
    """A filing driven through the engine to `state`: filed, supplementing, registered, handling,
    communicating, suspended, opinion_sent, proposed, correction_ordered, terminated, revoked, returned."""
    fw: FilingWorld = getattr(world, "filing", None) or add_filing_world(world)
    filer = {DocKind.JUDICIAL_NORMATIVE: fw.courtfiler, DocKind.DISTRICT_RESOLUTION: fw.districtfiler}.get(
        doc_kind, fw.govfiler)
    prefix = {DocKind.JUDICIAL_NORMATIVE: "北中法发", DocKind.DISTRICT_RESOLUTION: "城人常发"}.get(doc_kind)
    if prefix and "doc_number" not in fields:
        published = fields.get("published_on") or timezone.localdate(now) - dt.timedelta(days=45 if late else 5)
        fields["published_on"] = published
        fields["doc_number"] = f"{prefix}〔{published.year}〕{_SEQ[0] + 1}号"
    case = file_document(fw, filer, now=now, late=late, doc_kind=doc_kind, **fields)
    clerk, leader = fw.law_clerk, world.leader

    def go(name: str, actor: User, data: dict | None = None, files: dict | None = None) -> None:
        nonlocal case
        case = fire(case, name, actor, data or {}, files=files, now=now).case

    if state == states.FILED:
        return case
    if state == states.SUPPLEMENTING:
        go("ask_supplement", clerk, {"request": "请补充制定依据中所引用的上位法条款"})
        return case
    if state == states.RETURNED:
        go("return_out_of_scope", clerk, {"reason": "属于内部工作制度，不属于备案范围"})
        return case
    go("register", clerk)
    if state == states.REGISTERED:
        return case
    go("distribute", clerk, {"committees": [fw.committees[0].pk]})
    if state == states.HANDLING:
        return case
    if state == states.TERMINATED:
        go("terminate", clerk, {"outcome": "no_problem", "text": "经审查，未发现问题"})
        return case
    go("record_finding", clerk, {"criterion": Criterion.UPPER_LAW, "provision": "第八条",
                                 "upper_law": "《中华人民共和国行政处罚法》第十六条",
                                 "reason": "规章以外的规范性文件不得设定罚款，本条设定罚款超越权限。"})
    if state in (states.COMMUNICATING, states.SUSPENDED):
        go("communicate", clerk, {"text": "第八条设定罚款与行政处罚法不一致，请研究修改。"})
        if state == states.SUSPENDED:
            go("agree_plan", filer, {"plan": "拟删除第八条并于近期重新印发。",
                                     "plan_due_on": (timezone.localdate(now) + dt.timedelta(days=20)).isoformat()})
        return case
    go("send_opinion", clerk, {"text": "经审查，第八条设定罚款违反行政处罚法第十六条，建议予以修改。"})
    if state == states.OPINION_SENT:
        return case
    go("propose_to_council", clerk, {"option": "correct_by_deadline", "reason": "制定机关未在期限内修改，提请决定。"})
    if state == states.PROPOSED:
        return case
    go("decide", leader, {"decision": "revoke" if state == states.REVOKED else "correct",
                          "text": "常委会决定：该文件第八条违反上位法，依法处理。"})
    return case
