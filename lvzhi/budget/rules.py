"""The warning rules: pure functions over the current facts, each citing its basis, each
configurable per congress (RuleSet.params["budget_warnings"]).

This module holds what every part reads: the Finding a rule returns, the rules' declarations
(code, Chinese label, basis, parameters with their defaults) and `settings_for`, which merges a
congress's saved values over the defaults. The checks themselves live by family in
rules_spending.py (execution against the budget) and rules_dates.py (time limits, debt, audit);
saving a rule's settings is rules_settings.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from lvzhi.budget.rules_facts import Facts
from lvzhi.cases.models import RuleSet
from lvzhi.core.models import Congress

PARAM = "budget_warnings"  # RuleSet.params key: {rule code: {"enabled": bool, parameter: value}}


@dataclass(frozen=True)
class Finding:
    """One thing a rule found. (rule, key) is stable across runs: the run keeps one open warning per pair."""

    rule: str  # the rule's code
    key: str  # what it is about, e.g. "unit:105001", "project:105001/P26001", "transfer:财预〔2026〕12号"
    title: str  # Chinese one-liner, the warning's case title
    unit_code: str | None  # BudgetUnit.code, None for the whole city
    year: int
    month: int  # 0 when not monthly
    measured: Decimal | None
    threshold: Decimal | None
    basis: str  # the law or local rule, with its article
    evidence: dict = field(default_factory=dict)  # JSON-able figures behind it, shown on the warning page


@dataclass(frozen=True)
class Param:
    """One configurable value of a rule. kind: "decimal" (a number ≥ minimum, ≤ maximum),
    "int", "choice" (one of `choices`) or "bool"."""

    name: str
    label: str
    kind: str
    default: Any
    unit: str = ""  # shown after the input: 个百分点, %, 天, 个月, 万元
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    basis: str  # short: the law and article, as a Finding and a warning carry it
    quote: str  # what the basis says, for the settings page
    description: str  # what the rule measures
    params: tuple[Param, ...]


PROGRESS, DECEMBER, OVERSPEND, ADJUSTMENT, SANGONG, RESERVE = (
    "progress", "december", "overspend", "adjustment", "sangong", "reserve")
TRANSFER, DISCLOSURE, DEBT, AUDIT = "transfer", "disclosure", "debt", "audit"
MONTHLY, QUARTERLY = "monthly", "quarterly"

RULES: tuple[Rule, ...] = (
    Rule(PROGRESS, "支出进度低于序时进度",
         "《中华人民共和国预算法》第五十七条；预算执行均衡性监督（地方规则）",
         "各级政府财政部门必须……及时、足额地拨付预算支出资金；各级政府、各部门、各单位的支出必须按照预算执行。"
         "低于序时进度多少个百分点预警为本级做法，可配置。",
         "累计支出占全年预算（含调整、调剂）的比例，低于序时进度（月份÷12）超过设定的百分点时预警；"
         "按部门和按项目分别计算。",
         (Param("gap", "低于序时进度超过", "decimal", Decimal(10), "个百分点", maximum=Decimal(100)),
          Param("cadence", "监测频次", "choice", MONTHLY,
                choices=((MONTHLY, "按月"), (QUARTERLY, "按季度（只在3、6、9、12月末）"))),
          Param("projects", "同时按项目监测", "bool", True))),
    Rule(DECEMBER, "年底突击花钱",
         "预算执行均衡性监督（广东省人大预算联网监督实践，地方规则）",
         "广东省人大预算联网监督系统的预警实例：“1至11月预算支出占总额不到50%，而12月份单月支出额占比超过50%”。"
         "比例可配置。",
         "12月份支出占本部门全年支出的比例超过设定值时预警。",
         (Param("share", "12月支出占全年超过", "decimal", Decimal(50), "%", maximum=Decimal(100)),)),
    Rule(OVERSPEND, "超预算支出或无预算支出",
         "《中华人民共和国预算法》第十三条",
         "经人民代表大会批准的预算，非经法定程序，不得调整。各级政府、各部门、各单位的支出必须以经批准的预算为依据，"
         "未列入预算的不得支出。",
         "部门某一功能科目或某一项目的累计支出超过预算数（含调整、调剂），或在没有预算的科目、项目上支出时预警。",
         (Param("tolerance", "允许超出", "decimal", Decimal(0), "%", maximum=Decimal(100),
                help="0表示超过预算即预警"),)),
    Rule(ADJUSTMENT, "预算调剂超过限额",
         "《中华人民共和国预算法》第七十二条",
         "各部门、各单位的预算支出应当按照预算科目执行。严格控制不同预算科目、预算级次或者项目间的预算资金的调剂。"
         "限额为本级做法，可配置。",
         "部门全年调剂（调入、调出中较大者）超过本部门预算的设定比例或设定金额时预警。",
         (Param("cap_percent", "超过部门预算的", "decimal", Decimal(10), "%", maximum=Decimal(100)),
          Param("cap_amount", "或超过金额", "decimal", Decimal(0), "万元", help="0表示不按金额预警"),
          Param("include_adjust", "预算调整也计入", "bool", True))),
    Rule(SANGONG, "三公经费超预算或同比增长",
         "《中华人民共和国预算法》第十二条；“三公”经费只减不增（地方规则）",
         "各级预算应当遵循统筹兼顾、勤俭节约、量力而行、讲求绩效和收支平衡的原则。"
         "“三公”经费超预算预警见广东省人大预算联网监督实践；增长幅度可配置。",
         "部门因公出国（境）费用、公务接待费、公务用车购置及运行维护费累计支出超过预算，"
         "或比上年同期支出增长超过设定比例时预警。",
         (Param("growth", "比上年同期增长超过", "decimal", Decimal(0), "%", maximum=Decimal(1000)),)),
    Rule(RESERVE, "预备费比例不符合规定",
         "《中华人民共和国预算法》第四十条",
         "各级一般公共预算应当按照本级一般公共预算支出额的百分之一至百分之三设置预备费。",
         "一般公共预算中预备费（功能分类227类）占一般公共预算支出的比例低于下限或高于上限时预警。",
         (Param("low", "下限", "decimal", Decimal(1), "%", maximum=Decimal(100)),
          Param("high", "上限", "decimal", Decimal(3), "%", maximum=Decimal(100)))),
    Rule(TRANSFER, "转移支付下达不及时",
         "《中华人民共和国预算法》第五十二条",
         "接到一般性转移支付和专项转移支付后，应当在三十日内正式下达；县级以上地方各级预算安排对下级政府的"
         "一般性转移支付和专项转移支付，应当分别在三十日和六十日内正式下达。",
         "自收到之日起，一般性、专项转移支付超过各自的天数仍未下达（或下达晚于时限）时预警。",
         (Param("general_days", "一般性转移支付下达时限", "int", 30, "天", maximum=Decimal(365)),
          Param("special_days", "专项转移支付下达时限", "int", 60, "天", maximum=Decimal(365)))),
    Rule(DISCLOSURE, "预决算公开不及时",
         "《中华人民共和国预算法》第十四条",
         "经批准的预算、预算调整、决算……应当在批准后二十日内由本级政府财政部门向社会公开；经本级政府财政部门批复的"
         "部门预算、决算及报表，应当在批复后二十日内由各部门向社会公开。",
         "预算或决算批准（批复）后超过设定天数仍未公开（或公开晚于时限）时预警。",
         (Param("days", "公开时限", "int", 20, "天", maximum=Decimal(365)),)),
    Rule(DEBT, "政府债务率超过警戒线",
         "政府债务风险预警（财政部做法，地方规则）；《中华人民共和国预算法》第三十五条",
         "债务率（债务余额÷综合财力）超过100%或120%列为风险预警（财政部债务风险预警做法），警戒线可配置；"
         "地方政府依照国务院下达的限额举借债务（预算法第三十五条）。",
         "地区债务率超过设定值，或债务余额超过债务限额时预警。",
         (Param("ratio", "债务率超过", "decimal", Decimal(100), "%", maximum=Decimal(1000)),)),
    Rule(AUDIT, "审计查出问题逾期未整改",
         "《中华人民共和国各级人民代表大会常务委员会监督法》第二十七条",
         "常务委员会在听取和审议审计工作报告后的六个月内，听取和审议本级人民政府关于审计查出问题整改情况的报告。",
         "审计工作报告提出的问题，自报告之日起超过设定月数仍未整改完成时预警。",
         (Param("months", "整改时限", "int", 6, "个月", minimum=Decimal(1), maximum=Decimal(36)),)),
)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def rule(code: str) -> Rule:
    return BY_CODE[code]


def parse_value(p: Param, raw: Any) -> Any:
    """A parameter's value from what was saved or typed; ValueError (a Chinese message) when unusable."""
    if p.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).strip().lower() in ("1", "true", "on", "yes"):
            return True
        if str(raw).strip().lower() in ("", "0", "false", "off", "no"):
            return False
        raise ValueError(f"{p.label}须为“是”或“否”")
    if p.kind == "choice":
        if raw in dict(p.choices):
            return raw
        raise ValueError(f"{p.label}须从{'、'.join(label for _c, label in p.choices)}中选择")
    text = str(raw).strip()
    if isinstance(raw, bool) or not text:
        raise ValueError(f"请填写{p.label}")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{p.label}请填写{'整数' if p.kind == 'int' else '数字'}") from None
    if not value.is_finite():
        raise ValueError(f"{p.label}请填写数字")
    if p.kind == "int" and value != value.to_integral_value():
        raise ValueError(f"{p.label}请填写整数")
    if p.minimum is not None and value < p.minimum:
        raise ValueError(f"{p.label}不能小于{p.minimum}")
    if p.maximum is not None and value > p.maximum:
        raise ValueError(f"{p.label}不能大于{p.maximum}")
    if p.kind == "int":
        return int(value)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{p.label}最多两位小数")
    return value


def saved_params(congress: Congress | int) -> dict[str, Any]:
    congress_id = congress if isinstance(congress, int) else congress.pk
    rs = RuleSet.objects.filter(congress_id=congress_id).only("params").first()
    given = (rs.params or {}).get(PARAM) if rs else None
    return given if isinstance(given, dict) else {}


def settings_for(congress: Congress | int) -> dict[str, dict[str, Any]]:
    """Every rule's {"enabled": bool, parameter: value}: the saved values where usable, else the
    defaults (a value someone broke by hand never breaks the run)."""
    given = saved_params(congress)
    out: dict[str, dict[str, Any]] = {}
    for r in RULES:
        mine = given.get(r.code)
        mine = mine if isinstance(mine, dict) else {}
        values: dict[str, Any] = {"enabled": mine.get("enabled", True) is not False}
        for p in r.params:
            try:
                values[p.name] = parse_value(p, mine[p.name]) if p.name in mine else p.default
            except ValueError:
                values[p.name] = p.default
        if r.code == RESERVE and values["low"] > values["high"]:
            values["low"], values["high"] = rule(RESERVE).params[0].default, rule(RESERVE).params[1].default
        out[r.code] = values
    return out


def evaluate(congress: Congress, year: int, *, today: dt.date | None = None) -> list[Finding]:
    """Every enabled rule over the current facts of one budget year."""
    # The families import Finding from here, so they are imported when first run.
    from lvzhi.budget import rules_dates, rules_spending

    facts = Facts(congress, year, today or timezone.localdate())
    settings = settings_for(congress)
    checks = {PROGRESS: rules_spending.progress, DECEMBER: rules_spending.december,
              OVERSPEND: rules_spending.overspend, ADJUSTMENT: rules_spending.adjustment,
              SANGONG: rules_spending.sangong, RESERVE: rules_spending.reserve,
              TRANSFER: rules_dates.transfers, DISCLOSURE: rules_dates.disclosure,
              DEBT: rules_dates.debt, AUDIT: rules_dates.audit}
    findings: list[Finding] = []
    for r in RULES:
        values = settings[r.code]
        if values["enabled"]:
            findings.extend(replace(f, title=f.title[:200], key=fitting_key(f.key))
                            for f in checks[r.code](facts, values))
    return findings


KEY_MAX = 150  # WarningDetail.key and open_key ("year|rule|key") hold 200


def fitting_key(key: str) -> str:
    """A cause's key as stored: a long one (a transfer named by its title, no 文号) becomes its
    prefix and a digest, still the same for the same cause, so one long name cannot stop the run."""
    if len(key) <= KEY_MAX:
        return key
    from lvzhi.core.crypto import sm3_hex

    prefix = key.split(":", 1)[0]
    return f"{prefix}:#{sm3_hex(key)[:40]}"
