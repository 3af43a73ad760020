# ruff: noqa: E501 — the demo's data and script read best one filing, one step a line.
"""The demo year of filings (2025): about 25 normative documents filed by the city government,
the supervision commission, the court, the procuratorate and two district congresses, in every
state and outcome — a few filed late, one returned, material asked for and added, reviews ended
with no problem, corrected after 沟通 or a 书面审查意见, one 停止执行 notice, one 限期修改 and one
撤销 by the 常委会, a few still in review today. All through the engine with past `now`s."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.cases.engine import fire, open_case
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.filing.choices import BodyKind, Criterion, DocKind
from lvzhi.filing.models import FilingBody

Y = 2025
GOV, SUP, COURT, PROC, EAST, WEST = "gov", "sup", "court", "proc", "east", "west"
# key: (organisation, kind, prefixes, filer username, head username)
BODIES = {
    GOV: ("北辰市人民政府", BodyKind.GOVERNMENT, "北政发 北政办发 北政规", "govfiler", "govhead"),
    SUP: ("市监察委员会", BodyKind.SUPERVISION, "北监发", "", ""),
    COURT: ("市中级人民法院", BodyKind.COURT, "北中法发", "", ""),
    PROC: ("市人民检察院", BodyKind.PROCURATORATE, "北检发", "", ""),
    EAST: ("北辰市城东区人大常委会", BodyKind.DISTRICT_CONGRESS, "城东人常发", "east_filer", ""),
    WEST: ("北辰市城西区人大常委会", BodyKind.DISTRICT_CONGRESS, "城西人常发", "west_filer", ""),
}
R, A, J = DocKind.GOV_RULE, DocKind.ADMIN_NORMATIVE, DocKind.JUDICIAL_NORMATIVE
# (body, kind, 文号, title, published (month, day), days to filing, committee, scenario)
FILINGS: list[tuple[str, str, str, str, tuple[int, int], int, str, str]] = [
    (GOV, R, "北政规〔2025〕1号", "北辰市城市供热管理办法", (1, 15), 12, "城乡建设环境与资源保护委员会", "clean"),
    (GOV, R, "北政规〔2025〕2号", "北辰市住宅专项维修资金管理办法", (3, 3), 20, "城乡建设环境与资源保护委员会",
     "talk"),
    (GOV, R, "北政规〔2025〕3号", "北辰市政府投资项目管理办法", (5, 20), 41, "财政经济委员会", "clean"),
    (GOV, R, "北政规〔2025〕4号", "北辰市机动车停车场管理办法", (9, 10), 16, "城乡建设环境与资源保护委员会", "clean"),
    (GOV, A, "北政发〔2025〕3号", "北辰市优化营商环境若干措施", (1, 20), 9, "财政经济委员会", "clean"),
    (GOV, A, "北政发〔2025〕7号", "北辰市促进民营经济高质量发展的若干措施", (2, 18), 25, "财政经济委员会", "opinion"),
    (GOV, A, "北政发〔2025〕12号", "北辰市城镇老旧小区改造实施方案", (3, 25), 14, "城乡建设环境与资源保护委员会",
     "clean"),
    (GOV, A, "北政办发〔2025〕5号", "北辰市网络预约出租汽车经营服务管理实施细则", (4, 8), 18, "财政经济委员会",
     "ordered"),
    (GOV, A, "北政办发〔2025〕9号", "北辰市机关内部公文处理规范", (4, 22), 6, "", "returned"),
    (GOV, A, "北政发〔2025〕16号", "北辰市义务教育阶段招生入学工作实施办法", (5, 9), 52, "教育科学文化卫生委员会",
     "supplement"),
    (GOV, A, "北政办发〔2025〕14号", "北辰市城市管理综合执法罚款裁量基准", (6, 3), 11, "法制委员会", "revoked"),
    (GOV, A, "北政发〔2025〕21号", "北辰市生活垃圾分类工作实施方案", (6, 26), 19, "城乡建设环境与资源保护委员会",
     "clean"),
    (GOV, A, "北政办发〔2025〕18号", "北辰市公共资源交易管理暂行办法", (7, 14), 22, "财政经济委员会",
     "stop"),
    (GOV, A, "北政发〔2025〕25号", "北辰市养老服务补贴管理办法", (8, 5), 13, "社会建设委员会", "talk"),
    (GOV, A, "北政办发〔2025〕23号", "北辰市农村集体经营性建设用地入市管理办法", (8, 28), 27, "农业农村委员会",
     "clean"),
    (GOV, A, "北政发〔2025〕29号", "北辰市公共租赁住房管理办法", (9, 19), 8, "城乡建设环境与资源保护委员会",
     "supplement"),
    (GOV, A, "北政办发〔2025〕27号", "北辰市促进就业创业若干政策措施", (10, 21), 15, "社会建设委员会", "clean"),
    (GOV, A, "北政发〔2025〕33号", "北辰市全民健身实施计划（2025—2030年）", (11, 4), 12, "教育科学文化卫生委员会", "clean"),
    (GOV, A, "北政办发〔2025〕31号", "北辰市城市道路占用挖掘管理规定", (11, 25), 47, "城乡建设环境与资源保护委员会",
     "clean"),
    (GOV, A, "北政发〔2025〕36号", "北辰市促进会展业发展若干措施", (12, 16), 28, "财政经济委员会", "clean"),
    (SUP, DocKind.SUPERVISION_NORMATIVE, "北监发〔2025〕2号", "北辰市监察机关特约监察员工作办法", (4, 15), 17,
     "监察和司法委员会", "clean"),
    (COURT, J, "北中法发〔2025〕4号", "北辰市中级人民法院关于审理物业服务合同纠纷案件的指导意见", (3, 12), 21,
     "监察和司法委员会", "clean"),
    (COURT, J, "北中法发〔2025〕11号", "北辰市中级人民法院关于规范执行案件财产处置工作的规定", (8, 12), 26,
     "监察和司法委员会", "talk"),
    (PROC, J, "北检发〔2025〕6号", "北辰市人民检察院关于加强公益诉讼检察工作的实施意见", (6, 10), 18,
     "监察和司法委员会", "clean"),
    (EAST, DocKind.DISTRICT_RESOLUTION, "城东人常发〔2025〕3号", "城东区人大常委会关于加强街道人大工作的决定", (5, 28), 10,
     "法制委员会", "clean"),
    (WEST, DocKind.DISTRICT_RESOLUTION, "城西人常发〔2025〕5号", "城西区人大常委会关于批准城西区2025年区级预算调整方案的决议",
     (9, 25), 36, "财政经济委员会", "clean"),
]
# This year's documents still in hand, so that today's pages have work on them: (body, kind, 代字, seq, title,
# published this many days before the demo's last day, days to filing, committee, scenario). The 文号's year is
# the publication's (current_numbers).
CURRENT: list[tuple[str, str, str, int, str, int, int, str, str]] = [
    (GOV, A, "北政办发", 22, "北辰市政府采购中小企业预留份额管理办法", 110, 20, "财政经济委员会", "stop_open"),
    (GOV, R, "北政规", 2, "北辰市养犬管理规定实施办法", 80, 14, "社会建设委员会", "review"),
    (GOV, A, "北政发", 41, "北辰市历史建筑保护利用管理办法", 45, 10, "教育科学文化卫生委员会", "review"),
    (GOV, A, "北政办发", 35, "北辰市冬季清雪除冰工作规定", 24, 12, "城乡建设环境与资源保护委员会", "registered"),
    (GOV, A, "北政发", 44, "北辰市数据要素市场培育若干措施", 12, 8, "财政经济委员会", "filed"),
]


def current_numbers(builder: Any) -> dict[str, str]:
    """Title -> 文号 of this year's documents (the request demo finds its targets by them)."""
    out = {}
    for _key, _kind, prefix, seq, title, ago, *_rest in CURRENT:
        published = builder.latest - dt.timedelta(days=ago)
        out[title] = f"{prefix}〔{published.year}〕{seq}号"
    return out


def _entries(b: Any) -> list[tuple[str, str, str, str, dt.date, int, str, str]]:
    """Every demo filing as (body, kind, 文号, title, published, days to filing, committee, scenario)."""
    rows = [(key, kind, number, title, dt.date(Y, m, d), delay, committee, scenario)
            for key, kind, number, title, (m, d), delay, committee, scenario in FILINGS]
    numbers = current_numbers(b)
    rows += [(key, kind, numbers[title], title, b.latest - dt.timedelta(days=ago), delay, committee, scenario)
             for key, kind, _prefix, _seq, title, ago, delay, committee, scenario in CURRENT]
    return rows


PDF = b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FINDINGS = {
    "talk": (Criterion.UPPER_LAW, "第十二条", "《中华人民共和国行政许可法》第十六条",
             "该条增设了上位法未规定的许可条件，与行政许可法的规定不一致。", False),
    "opinion": (Criterion.BEYOND_POWER, "第五条第二款", "《优化营商环境条例》第十四条",
                "要求外地企业在本市设立分支机构方可参与招投标，限制市场公平竞争，减损市场主体权利。", False),
    "ordered": (Criterion.UPPER_LAW, "第九条", "《中华人民共和国行政处罚法》第十四条",
                "规定对未取得许可的驾驶员处以扣押车辆，增设了上位法未规定的行政强制措施。", False),
    "revoked": (Criterion.UPPER_LAW, "第三条至第十条", "《中华人民共和国行政处罚法》第十六条",
                "以规范性文件形式设定罚款并提高罚款数额，超越法定权限。", False),
    "stop": (Criterion.BEYOND_POWER, "第六条", "《中华人民共和国中小企业促进法》第四十条",
             "规定预留份额仅限本市注册企业，明显违反公平竞争审查要求，应当立即停止执行。", True),
}


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _bodies(b: Any) -> dict[str, tuple[FilingBody, User, User | None]]:
    out = {}
    for key, (org_name, kind, prefixes, filer_name, head_name) in BODIES.items():
        org = b.orgs.get(org_name) or Organization.objects.create(
            congress=b.city, kind=OrganizationKind.UNIT, name=org_name)
        b.orgs[org_name] = org
        body = FilingBody.objects.create(congress=b.city, organization=org, kind=kind,
                                         name=org_name if key != COURT else "北辰市中级人民法院", prefixes=prefixes)
        filer = head = None
        if filer_name:
            filer = b._user(filer_name, Role.UNIT_HANDLER, b._name()[0], org)
            filer.save()
        if head_name:
            head = b._user(head_name, Role.UNIT_HEAD, b._name()[0], org)
            head.save()
        filer = filer or User.objects.filter(organization=org, role=Role.UNIT_HANDLER).first()
        head = head or User.objects.filter(organization=org, role=Role.UNIT_HEAD).first()
        out[key] = (body, filer, head)
    return out


def build(builder: Any) -> None:
    b = builder
    bodies = _bodies(b)
    clerk, leader = b.users["lawclerk"], b.users["leader"]
    committees = {o.name: o for o in Organization.objects.filter(congress=b.city, kind=OrganizationKind.COMMITTEE)}
    steps: list[tuple[dt.datetime, int, Any]] = []
    counts = {"filings": 0}

    for i, (key, kind, number, title, published, delay, committee, scenario) in enumerate(_entries(b)):
        body, filer, _head = bodies[key]
        day = published + dt.timedelta(days=delay)
        if day > b.latest:
            continue
        t = b.at(None, day)
        holder: dict[str, Any] = {}

        def go(name: str, actor: User, data: dict | None = None, files: dict | None = None, holder=holder) -> None:
            if "case" in holder:
                holder["case"] = fire(holder["case"], name, actor, data or {}, files, now=holder["t"]).case

        def file_it(body=body, filer=filer, kind=kind, number=number, title=title, published=published,
                    holder=holder, committee=committee) -> None:
            data = {"doc_kind": kind, "title": title, "doc_number": number, "published_on": published.isoformat(),
                    "basis": "《中华人民共和国立法法》；" + ("《北辰市优化营商环境条例》" if "营商" in title else
                                                     "相关法律、法规的规定"),
                    "subjects": "民营经济、营商环境" if ("民营" in title or "中小企业" in title or "营商" in title) else "",
                    "summary": f"《{title}》共若干条，对适用范围、职责分工、主要制度和法律责任作了规定。",
                    "late_reason": "因印发后清样校核延误" if (published + dt.timedelta(days=30)) < holder["t"].date()
                    else ""}
            files = {"text_file": _file(f"{number}.pdf"), "explanation_file": _file("起草说明.pdf")}
            holder["case"] = open_case("filing", "open", filer, data, files, congress_id=body.congress_id,
                                       now=holder["t"]).case

        def go_co(name: str, data: dict, holder=holder) -> None:
            """The committee's own step on its co-review assignment (签收, 会办意见), by its staff."""
            a = holder["case"].assignments.filter(role="co").first() if "case" in holder else None
            staff = b.staff.get(a.unit_id) if a else None
            if staff is not None:
                holder["case"] = fire(holder["case"], name, staff, {"assignment": a.pk, **data}, now=holder["t"]).case

        script = _script(scenario, committee, committees, clerk, leader, filer, go, file_it, go_co)
        when = t
        for n, (gap, fn) in enumerate(script):
            day = b.wd_after(when.date(), gap) if gap else when.date()
            if day > b.latest:
                break
            when = b.at(when, day)
            steps.append((when, i * 100 + n, (holder, when, fn)))
        counts["filings"] += 1

    for _when, _k, (holder, when, fn) in sorted(steps, key=lambda s: (s[0], s[1])):
        holder["t"] = when
        fn()
    b.stats["filings"] = counts["filings"]
    b._log(f"  备案审查：{counts['filings']} 件规范性文件")


def _script(scenario: str, committee: str, committees: dict, clerk: User, leader: User, filer: User, go, file_it,
            go_co):
    """The steps of one filing as (working days after the previous step, action)."""
    co = [committees[committee].pk] if committee in committees else []
    today_plus = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    steps = [(0, file_it)]
    if scenario == "filed":
        return steps
    if scenario == "returned":
        return steps + [(4, lambda: go("return_out_of_scope", clerk, {
            "reason": "该文件为机关内部工作制度，不涉及公民、法人和其他组织的权利义务，不属于备案审查范围。"}))]
    if scenario == "supplement":
        steps += [(3, lambda: go("ask_supplement", clerk, {"request": "请补充起草说明中的合法性审查意见及公平竞争审查材料"})),
                  (6, lambda: go("supplement", filer, {"note": "已补充合法性审查意见"}, {"file": _file("补充材料.pdf")}))]
    steps += [(3, lambda: go("register", clerk, {"note": "材料齐全，予以登记"}))]
    if scenario == "registered":
        return steps
    steps += [(3, lambda: go("distribute", clerk, {"committees": co, "note": "请提出书面审查意见"}))]
    if co:
        steps += [(2, lambda: go_co("acknowledge", {}))]
    if scenario == "review":
        return steps
    if co:
        opinion = ("经审查，未发现与上位法相抵触的情形。" if scenario in ("clean", "supplement") else
                   "经审查，该文件部分条款与上位法规定不一致，建议与制定机关沟通纠正。")
        steps += [(12, lambda: go_co("give_co_opinion", {"opinion": opinion}))]
    if scenario in ("clean", "supplement"):
        return steps + [(25, lambda: go("terminate", clerk, {"outcome": "no_problem", "text": "经审查，未发现问题，审查终止。",
                                                              "public": "on"}))]
    criterion, provision, law, reason, obvious = FINDINGS["stop" if scenario == "stop_open" else scenario]
    finding = {"criterion": criterion, "provision": provision, "upper_law": law, "reason": reason}
    if obvious:
        finding["obvious"] = "on"
    steps += [(18, lambda: go("record_finding", clerk, finding))]
    if scenario in ("stop", "stop_open"):
        stopped = steps + [(1, lambda: go("order_stop", clerk, {"text": "该文件第六条明显违反上位法，请立即停止执行并报告。"})),
                        (2, lambda: go("communicate", clerk, {"text": "请对第六条进行修改，删除限定本地注册企业的规定。"})),
                        (5, lambda: go("agree_plan", filer, {"plan": "拟删除第六条相关内容，修改后重新印发。",
                                                             "plan_due_on": today_plus}))]
        if scenario == "stop_open":
            return stopped
        return stopped + [(12, lambda: go("refile", filer, {"note": "已删除第六条限定本地注册企业的规定并重新印发。"},
                                          {"file": _file("修改后文本.pdf")})),
                          (6, lambda: go("terminate", clerk, {"outcome": "corrected",
                                                              "text": "制定机关已停止执行并删除相关规定，审查终止。",
                                                              "public": "on"}))]
    if scenario == "talk":
        return steps + [(3, lambda: go("communicate", clerk, {"text": f"{provision}与上位法规定不一致，请研究修改。"})),
                        (6, lambda: go("agree_plan", filer, {"plan": f"同意修改，拟删除{provision}中的相关规定。",
                                                             "plan_due_on": today_plus})),
                        (15, lambda: go("refile", filer, {"note": f"已修改{provision}并重新印发。"},
                                        {"file": _file("修改后文本.pdf")})),
                        (8, lambda: go("terminate", clerk, {"outcome": "corrected", "text": "制定机关已按审查意见修改，审查终止。",
                                                            "public": "on"}))]
    steps += [(3, lambda: go("send_opinion", clerk, {"text": f"经审查，{provision}{reason}建议予以修改或者废止。"}))]
    if scenario == "opinion":
        return steps + [(15, lambda: go("answer", filer, {"decision": "accept", "text": "同意审查意见，拟修改相关条款。",
                                                          "plan_due_on": today_plus})),
                        (14, lambda: go("refile", filer, {"note": "已删除相关规定并重新印发。"},
                                        {"file": _file("修改后文本.pdf")})),
                        (6, lambda: go("terminate", clerk, {"outcome": "corrected", "text": "已按书面审查意见纠正，审查终止。",
                                                            "public": "on"}))]
    steps += [(16, lambda: go("answer", filer, {"decision": "refuse", "text": "该规定系根据本市实际作出，拟暂不修改。"})),
              (5, lambda: go("propose_to_council", clerk, {
                  "option": "revoke" if scenario == "revoked" else "correct_by_deadline",
                  "reason": "制定机关不同意修改，依照条例第三十一条提请主任会议。"}))]
    if scenario == "revoked":
        return steps + [(8, lambda: go("decide", leader, {"decision": "revoke",
                                                          "text": "常委会会议决定撤销该规范性文件，予以公布。"}))]
    return steps + [(8, lambda: go("decide", leader, {"decision": "correct", "text": "常委会会议决定该文件限期两个月内修改。"})),
                    (20, lambda: go("report_correction", filer, {"text": "已删除第九条扣押车辆的规定并重新公布。"},
                                    {"file": _file("纠正情况报告.pdf")}))]
