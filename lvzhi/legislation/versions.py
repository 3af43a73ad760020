"""Recording a version of a regulation: the one place a regulation's status follows its versions.

The registry (an existing regulation entered or imported) and a bill's publication both call
`record_version`; neither writes RegulationVersion or Regulation.status itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.clocks import get_clock
from lvzhi.cases.events import append_subject_event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import User
from lvzhi.core.workdays import add_months
from lvzhi.legislation import articles
from lvzhi.legislation.choices import Action, RegulationStatus
from lvzhi.legislation.models import Regulation, RegulationVersion
from lvzhi.legislation.registry_models import IMPLEMENTATION_REPORT, IMPLEMENTATION_YEAR

SUBJECT = "regulation"
# The version's dates besides its adoption: each may be recorded later, as it happens.
DATE_FIELDS = ("approved_on", "gazette_on", "website_on", "newspaper_on", "effective_on")
TEXT_FIELDS = ("approval_decision", "gazette_issue", "newspaper")
DATE_LABELS = {"approved_on": "批准日期", "gazette_on": "公报刊登日期", "website_on": "网站公布日期",
               "newspaper_on": "报纸刊登日期", "effective_on": "施行日期"}
# A new text in force, whose implementation the implementing body reports on after a year.
NEW_TEXT = (Action.ENACT, Action.REVISE)


def _d(day: dt.date) -> str:
    return f"{day:%Y年%-m月%-d日}"


def check_dates(adopted_on: dt.date, fields: dict[str, Any]) -> None:
    """No step of a version before its adoption; publication not before approval (立法法
    第八十一条: a 设区的市's regulation is published once the provincial committee approved it)."""
    for name in DATE_FIELDS:
        day = fields.get(name)
        if day and day < adopted_on:
            raise InvalidInput(f"{DATE_LABELS[name]}（{_d(day)}）不能早于常委会通过日期（{_d(adopted_on)}）")
    approved = fields.get("approved_on")
    if approved:
        for name in ("gazette_on", "website_on", "newspaper_on"):
            day = fields.get(name)
            if day and day < approved:
                raise InvalidInput(f"{DATE_LABELS[name]}（{_d(day)}）不能早于批准日期（{_d(approved)}）")


def implementation_report_due(regulation: Regulation, action: str, effective_on: dt.date | None) -> dt.date | None:
    """山东条例 第七十五条: within 30 days after the regulation has been in force one year, through
    the rule set's two clocks (满一年, then the report's days)."""
    if action not in NEW_TEXT or effective_on is None:
        return None
    rules, cal = deadlines.rules_for(regulation.congress_id), deadlines.calendar_for(regulation.congress_id)
    # a year in force is a date, not a deadline: not rolled to a working day (only the report's end is)
    year_on = add_months(effective_on, get_clock(IMPLEMENTATION_YEAR).length(rules))
    return deadlines.compute_due(IMPLEMENTATION_REPORT, year_on, rules, cal)


def regulation_event(regulation: Regulation, actor: User | None, name: str, label: str, *,
                     payload: dict[str, Any] | None = None, now: dt.datetime | None = None,
                     before: str = "") -> None:
    """One event on the regulation's chain (its timeline reads these too)."""
    append_subject_event(SUBJECT, regulation.pk, regulation.congress_id, actor, name, label,
                         payload={"title": regulation.title, **(payload or {})}, at=now or timezone.now(),
                         from_state=before, to_state=regulation.status)


@transaction.atomic
def record_version(regulation: Regulation, action: str, adopted_on: dt.date, *, text: str = "",
                   decision: str = "", actor: User | None = None, now: dt.datetime | None = None,
                   text_unknown: bool = False, **dates: Any) -> RegulationVersion:
    """Add one 制定 / 修改 / 修正 / 修订 / 废止 to a regulation. `dates` may carry the version's other
    fields (approved_on, approval_decision, gazette_issue, gazette_on, website_on, newspaper,
    newspaper_on, effective_on, bill). A version with a text must parse into articles;
    `text_unknown` lets an import record an earlier version whose text it does not have."""
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    if action not in Action.values:
        raise InvalidInput("立法行为不正确")
    has_versions = regulation.versions.exists()
    if action == Action.ENACT and has_versions:
        raise InvalidInput(f"《{regulation.title}》已有制定版本，再次登记请选择修改、修正或修订")
    if action != Action.ENACT and not has_versions:
        raise InvalidInput(f"《{regulation.title}》还没有制定版本，请先登记制定")
    if regulation.status == RegulationStatus.REPEALED:
        raise InvalidInput(f"《{regulation.title}》已废止，不能再登记版本")
    last = regulation.versions.order_by("-adopted_on", "-pk").first()
    if last is not None and adopted_on < last.adopted_on:
        raise InvalidInput(f"通过日期不能早于上一版本（{last.adopted_on:%Y年%-m月%-d日}）")
    text = (text or "").strip()
    if action != Action.REPEAL and not (text_unknown and not text):
        if not text:
            raise InvalidInput("请填写法规全文")
        if not articles.parse(text).articles:
            raise InvalidInput("全文中没有找到“第一条”这样的条文，请检查格式")
    fields = {k: v for k, v in dates.items() if v not in (None, "")}
    unknown = set(fields) - {f.name for f in RegulationVersion._meta.fields}
    if unknown:
        raise TypeError(f"RegulationVersion has no field {sorted(unknown)}")
    check_dates(adopted_on, fields)
    fields.setdefault("implementation_report_due_on",
                      implementation_report_due(regulation, action, fields.get("effective_on")))
    version = RegulationVersion.objects.create(regulation=regulation, action=action, adopted_on=adopted_on,
                                               text=text, decision=decision, **fields)
    before = regulation.status
    regulation.status = RegulationStatus.REPEALED if action == Action.REPEAL else RegulationStatus.IN_FORCE
    regulation.save(update_fields=["status"])
    regulation_event(regulation, actor, f"version_{action}", f"登记{version.get_action_display()}版本",
                     payload={"version": version.pk, "adopted_on": adopted_on.isoformat()}, now=now, before=before)
    return version


@transaction.atomic
def record_dates(version: RegulationVersion, *, actor: User | None = None, now: dt.datetime | None = None,
                 **values: Any) -> RegulationVersion:
    """Approval, publication and effect as they happen after the vote: a date once recorded may be
    corrected, never cleared by leaving a field empty."""
    version = RegulationVersion.objects.select_for_update(of=("self",)).select_related("regulation").get(pk=version.pk)
    unknown = set(values) - set(DATE_FIELDS) - set(TEXT_FIELDS) - {"implementation_reported_on"}
    if unknown:
        raise TypeError(f"record_dates does not set {sorted(unknown)}")
    given = {k: v for k, v in values.items() if v not in (None, "")}
    if not given:
        raise InvalidInput("请至少填写一项批准、公布或施行信息")
    merged = {name: getattr(version, name) for name in DATE_FIELDS} | given
    check_dates(version.adopted_on, merged)
    reported = given.get("implementation_reported_on")
    if reported and (version.effective_on is None or reported < (merged.get("effective_on") or version.effective_on)):
        raise InvalidInput("实施情况报告日期不能早于法规施行日期")
    for name, value in given.items():
        setattr(version, name, value)
    if "effective_on" in given:
        version.implementation_report_due_on = implementation_report_due(version.regulation, version.action,
                                                                         version.effective_on)
    version.save()
    regulation_event(version.regulation, actor, "version_dates",
                     f"登记{version.get_action_display()}版本的批准、公布或施行",
                     payload={"version": version.pk, **{k: str(v) for k, v in given.items()}}, now=now,
                     before=version.regulation.status)
    return version
