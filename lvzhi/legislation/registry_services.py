"""Every write of the regulation registry (法规库), and the reads its pages share.

A version is written only by `lvzhi.legislation.versions.record_version`; this module adds the
regulation itself, its implementing rules (配套规定, 立法法 第六十六条), its evaluations (立法后评估,
第六十七条) and the clean-up campaigns (法规清理, 第一百一十六条). Each step checks its input first
and changes nothing on a refusal (InvalidInput with the Chinese message); each is appended to the
event chain: subject "regulation" for what belongs to one regulation, "cleanup" for a campaign.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.events import append_subject_event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Congress, Organization, User
from lvzhi.core.workdays import add_months
from lvzhi.legislation.choices import Action, Field, RegulationStatus
from lvzhi.legislation.models import Bill, Regulation, RegulationVersion
from lvzhi.legislation.registry_models import (
    IMPLEMENTING_RULE_DUE,
    Cleanup,
    CleanupFinding,
    CleanupScope,
    CleanupState,
    Conclusion,
    Evaluation,
    ImplementingRule,
    Outcome,
    RuleState,
)
from lvzhi.legislation.versions import regulation_event

CLEANUP_SUBJECT = "cleanup"
AMENDING = (Action.AMEND, Action.AMEND_DECISION, Action.REVISE)


def _d(day: dt.date) -> str:
    return f"{day:%Y年%-m月%-d日}"


# ------------------------------------------------------------------ reads

def regulations(congress_id: int) -> QuerySet[Regulation]:
    return Regulation.objects.filter(congress_id=congress_id)


def search(congress_id: int, *, status: str = "", field: str = "", q: str = "") -> QuerySet[Regulation]:
    qs = regulations(congress_id)
    if status in RegulationStatus.values:
        qs = qs.filter(status=status)
    if field in Field.values:
        qs = qs.filter(field=field)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def status_counts(congress_id: int) -> dict[str, int]:
    rows = dict(regulations(congress_id).values_list("status").annotate(n=Count("pk")))
    return {code: rows.get(code, 0) for code in RegulationStatus.values}


def effective_version(regulation: Regulation) -> RegulationVersion | None:
    """The version whose date of effect an implementing rule's year runs from: the latest with one."""
    return (regulation.versions.exclude(action=Action.REPEAL).filter(effective_on__isnull=False)
            .order_by("-adopted_on", "-pk").first())


def rules_with_state(qs: QuerySet[ImplementingRule], today: dt.date | None = None) -> list[ImplementingRule]:
    today = today or timezone.localdate()
    rows = list(qs.select_related("regulation", "responsible_unit"))
    for r in rows:
        r.current_state = r.state(today)
        r.current_label = RuleState(r.current_state).label
    return rows


def rule_counts(rows: list[ImplementingRule]) -> dict[str, int]:
    c = Counter(r.current_state for r in rows)
    return {label: c.get(code, 0) for code, label in RuleState.choices}


@dataclass
class Scope:
    """One regulation in a campaign's scope and the finding on it (None: not yet studied)."""

    regulation: Regulation
    finding: CleanupFinding | None


def cleanup_rows(cleanup: Cleanup) -> list[Scope]:
    findings = {f.regulation_id: f for f in cleanup.findings.select_related(
        "follow_up_bill", "follow_up_version", "regulation")}
    regs = list(cleanup.regulations.order_by("title"))
    extra = [f.regulation for rid, f in findings.items() if rid not in {r.pk for r in regs}]
    return [Scope(r, findings.get(r.pk)) for r in [*regs, *extra]]


def finding_counts(cleanup: Cleanup) -> dict[str, int]:
    rows = dict(cleanup.findings.values_list("outcome").annotate(n=Count("pk")))
    out = {label: rows.get(code, 0) for code, label in Outcome.choices}
    out["待研究"] = cleanup.regulations.exclude(pk__in=cleanup.findings.values("regulation_id")).count()
    out["已落实"] = cleanup.findings.filter(Q(outcome=Outcome.KEEP) | Q(follow_up_version__isnull=False)
                                         | Q(done_on__isnull=False)).count()
    return out


# ------------------------------------------------------------------ regulations

@transaction.atomic
def create_regulation(actor: User | None, congress: Congress, *, title: str, field: str = Field.URBAN,
                      lead_committee: Organization | None = None, implementing_body: str = "",
                      joint_note: str = "", now: dt.datetime | None = None) -> Regulation:
    """A regulation in the registry; its status follows the versions recorded on it."""
    title = (title or "").strip().strip("《》")
    if not title:
        raise InvalidInput("请填写法规名称")
    if field not in Field.values:
        raise InvalidInput("请选择立法事项")
    if Regulation.objects.filter(congress=congress, title=title).exists():
        raise InvalidInput(f"法规库中已有《{title}》，请在该法规下登记新的版本")
    if lead_committee is not None and lead_committee.congress_id != congress.pk:
        raise InvalidInput("所选专门委员会不属于本级人大")
    try:
        with transaction.atomic():
            reg = Regulation.objects.create(congress=congress, title=title, field=field,
                                            lead_committee=lead_committee, implementing_body=implementing_body,
                                            joint_note=joint_note, created_at=now or timezone.now())
    except IntegrityError:  # the same title entered at the same moment
        raise InvalidInput(f"法规库中已有《{title}》，请在该法规下登记新的版本") from None
    regulation_event(reg, actor, "registered", "登记法规", now=now)
    return reg


# ------------------------------------------------------------------ implementing rules

def rule_due(regulation: Regulation, version: RegulationVersion, months: int | None) -> dt.date:
    """立法法 第六十六条: one year from the date of effect (the rule set's clock), or the period the
    regulation itself set."""
    rules, cal = deadlines.rules_for(regulation.congress_id), deadlines.calendar_for(regulation.congress_id)
    if months:
        return deadlines.roll_to_workday(add_months(version.effective_on, months), cal)
    return deadlines.compute_due(IMPLEMENTING_RULE_DUE, version.effective_on, rules, cal)


@transaction.atomic
def add_implementing_rule(actor: User | None, regulation: Regulation, *, title: str, article: str = "",
                          responsible_body: str = "", responsible_unit: Organization | None = None,
                          months: int | None = None, done_on: dt.date | None = None,
                          document_title: str = "", document_number: str = "",
                          now: dt.datetime | None = None) -> ImplementingRule:
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写配套规定事项")
    if not (responsible_body or "").strip() and responsible_unit is None:
        raise InvalidInput("请填写或选择制定配套规定的机关")
    if responsible_unit is not None and responsible_unit.congress_id != regulation.congress_id:
        raise InvalidInput("所选单位不属于本级人大的联系单位")
    if regulation.status == RegulationStatus.REPEALED:
        raise InvalidInput(f"《{regulation.title}》已废止，不再登记配套规定")
    version = effective_version(regulation)
    if version is None:
        raise InvalidInput(f"《{regulation.title}》尚未登记施行日期，无法计算配套规定的期限；请先登记施行日期")
    if months is not None and not 1 <= months <= 60:
        raise InvalidInput("法规规定的期限应在1至60个月之间")
    if done_on and done_on < version.adopted_on:
        raise InvalidInput(f"出台日期不能早于法规通过日期（{_d(version.adopted_on)}）")
    rule = ImplementingRule.objects.create(
        regulation=regulation, version=version, title=title, article=article.strip(),
        responsible_body=responsible_body.strip(), responsible_unit=responsible_unit, months=months,
        due_on=rule_due(regulation, version, months), done_on=done_on, document_title=document_title.strip(),
        document_number=document_number.strip(), created_at=now or timezone.now())
    regulation_event(regulation, actor, "implementing_rule", f"登记配套规定：{title}",
                     payload={"rule": rule.pk, "due_on": rule.due_on.isoformat()}, now=now, before=regulation.status)
    return rule


@transaction.atomic
def complete_implementing_rule(actor: User | None, rule: ImplementingRule, *, done_on: dt.date,
                               document_title: str, document_number: str = "",
                               now: dt.datetime | None = None) -> ImplementingRule:
    rule = (ImplementingRule.objects.select_for_update(of=("self",)).select_related("regulation", "version")
            .get(pk=rule.pk))
    if rule.done_on:
        raise InvalidInput(f"“{rule.title}”已于{_d(rule.done_on)}出台")
    if done_on is None:
        raise InvalidInput("请填写出台日期")
    if rule.version and done_on < rule.version.adopted_on:
        raise InvalidInput(f"出台日期不能早于法规通过日期（{_d(rule.version.adopted_on)}）")
    if done_on > timezone.localdate():
        raise InvalidInput("出台日期不能晚于今天")
    if not (document_title or "").strip():
        raise InvalidInput("请填写配套规定的文件名称")
    rule.done_on, rule.document_title, rule.document_number = done_on, document_title.strip(), document_number.strip()
    rule.save(update_fields=["done_on", "document_title", "document_number"])
    regulation_event(rule.regulation, actor, "implementing_rule_done", f"配套规定出台：{rule.document_title}",
                     payload={"rule": rule.pk, "done_on": done_on.isoformat()}, now=now,
                     before=rule.regulation.status)
    return rule


# ------------------------------------------------------------------ evaluations

@transaction.atomic
def add_evaluation(actor: User | None, regulation: Regulation, *, year: int, body: str, method: str = "",
                   findings: str = "", conclusion: str = Conclusion.CONTINUE, done_on: dt.date | None = None,
                   report: Any = None, now: dt.datetime | None = None) -> Evaluation:
    """立法后评估 (立法法 第六十七条): the evaluation's report is made to the standing committee."""
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    first = regulation.versions.order_by("adopted_on").first()
    if first is None:
        raise InvalidInput(f"《{regulation.title}》还没有通过的版本，不能开展立法后评估")
    if not year or year < first.adopted_on.year or year > timezone.localdate().year + 1:
        raise InvalidInput(f"评估年度应在{first.adopted_on.year}年至{timezone.localdate().year + 1}年之间")
    if not (body or "").strip():
        raise InvalidInput("请填写评估主体")
    if conclusion not in Conclusion.values:
        raise InvalidInput("请选择评估结论")
    if done_on and done_on < first.adopted_on:
        raise InvalidInput("评估报告完成日期不能早于法规通过日期")
    ev = Evaluation.objects.create(regulation=regulation, year=year, body=body.strip(), method=method.strip(),
                                   findings=findings.strip(), conclusion=conclusion, done_on=done_on,
                                   created_at=now or timezone.now())
    if report:
        ev.report.save(getattr(report, "name", "评估报告.docx"), report, save=True)
    regulation_event(regulation, actor, "evaluation", f"登记{year}年立法后评估：{ev.get_conclusion_display()}",
                     payload={"evaluation": ev.pk}, now=now, before=regulation.status)
    return ev


# ------------------------------------------------------------------ clean-ups

def _cleanup_event(cleanup: Cleanup, actor: User | None, name: str, label: str, payload: dict,
                   now: dt.datetime | None = None) -> None:
    append_subject_event(CLEANUP_SUBJECT, cleanup.pk, cleanup.congress_id, actor, name, label,
                         payload={"title": cleanup.title, **payload}, at=now or timezone.now(),
                         to_state=cleanup.state)


@transaction.atomic
def create_cleanup(actor: User | None, congress: Congress, *, title: str, year: int, scope: str,
                   subject: str = "", basis: str = "", regulations: list[Regulation] | None = None,
                   now: dt.datetime | None = None) -> Cleanup:
    """A 全面清理 covers every regulation in force unless some are chosen; a 专项清理 names its subject
    and the regulations it covers (北京条例 第六十八条: 全面或者专项清理)."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写清理名称")
    if scope not in CleanupScope.values:
        raise InvalidInput("请选择全面清理或专项清理")
    if not year or not 2000 <= year <= timezone.localdate().year + 1:
        raise InvalidInput("清理年度不正确")
    chosen = list(regulations or [])
    if any(r.congress_id != congress.pk for r in chosen):
        raise InvalidInput("所选法规不属于本级人大")
    if scope == CleanupScope.SPECIAL:
        if not (subject or "").strip():
            raise InvalidInput("专项清理请填写清理事项，如 涉及民营经济发展")
        if not chosen:
            raise InvalidInput("专项清理请选择要清理的法规")
    if not chosen:
        chosen = list(Regulation.objects.filter(congress=congress, status=RegulationStatus.IN_FORCE))
        if not chosen:
            raise InvalidInput("法规库中没有现行有效的法规，无法开展全面清理")
    not_in_force = Regulation.objects.filter(pk__in=[r.pk for r in chosen]).exclude(status=RegulationStatus.IN_FORCE)
    if not_in_force.exists():
        raise InvalidInput(f"只能清理现行有效的法规，《{not_in_force.first().title}》不是现行有效的")
    cleanup = Cleanup.objects.create(congress=congress, title=title, year=year, scope=scope,
                                     subject=(subject or "").strip(), basis=(basis or "").strip(), created_by=actor,
                                     created_at=now or timezone.now())
    cleanup.regulations.set(chosen)
    _cleanup_event(cleanup, actor, "opened", f"开展{cleanup.get_scope_display()}：{len(chosen)}件法规",
                   {"regulations": len(chosen)}, now)
    return cleanup


@transaction.atomic
def add_finding(actor: User | None, cleanup: Cleanup, regulation: Regulation, *, outcome: str, reason: str = "",
                now: dt.datetime | None = None) -> CleanupFinding:
    cleanup = Cleanup.objects.select_for_update().get(pk=cleanup.pk)
    if cleanup.state == CleanupState.DECIDED:
        raise InvalidInput("清理已作出决定，不能再添加清理意见")
    if outcome not in Outcome.values:
        raise InvalidInput("请选择清理意见：保留、修改或废止")
    if regulation.congress_id != cleanup.congress_id or not cleanup.regulations.filter(pk=regulation.pk).exists():
        raise InvalidInput(f"《{regulation.title}》不在本次清理范围内")
    if outcome != Outcome.KEEP and not (reason or "").strip():
        raise InvalidInput("建议修改或废止的，请写明理由")
    if cleanup.findings.filter(regulation=regulation).exists():
        raise InvalidInput(f"《{regulation.title}》已有清理意见")
    finding = CleanupFinding.objects.create(cleanup=cleanup, regulation=regulation, outcome=outcome,
                                            reason=(reason or "").strip(), created_at=now or timezone.now())
    _cleanup_event(cleanup, actor, "finding", f"《{regulation.title}》：{finding.get_outcome_display()}",
                   {"finding": finding.pk, "regulation": regulation.pk, "outcome": outcome}, now)
    return finding


@transaction.atomic
def record_follow_up(actor: User | None, finding: CleanupFinding, *, bill: Bill | None = None,
                     version: RegulationVersion | None = None, done_on: dt.date | None = None,
                     now: dt.datetime | None = None) -> CleanupFinding:
    """The bill or version that carried a 修改 or 废止 out."""
    finding = (CleanupFinding.objects.select_for_update(of=("self",)).select_related("cleanup", "regulation")
               .get(pk=finding.pk))
    if finding.outcome == Outcome.KEEP:
        raise InvalidInput("保留的法规不需要登记落实情况")
    if bill is None and version is None and done_on is None:
        raise InvalidInput("请选择落实的法规案或法规版本，或填写落实日期")
    if bill is not None and bill.regulation_id != finding.regulation_id:
        raise InvalidInput(f"所选法规案不是《{finding.regulation.title}》的")
    if version is not None:
        if version.regulation_id != finding.regulation_id:
            raise InvalidInput(f"所选版本不是《{finding.regulation.title}》的")
        wanted = (Action.REPEAL,) if finding.outcome == Outcome.REPEAL else AMENDING
        if version.action not in wanted:
            raise InvalidInput(f"清理意见为{finding.get_outcome_display()}，所选版本是{version.get_action_display()}")
        done_on = done_on or version.adopted_on
    finding.follow_up_bill = bill or finding.follow_up_bill
    finding.follow_up_version = version or finding.follow_up_version
    finding.done_on = done_on or finding.done_on
    finding.save(update_fields=["follow_up_bill", "follow_up_version", "done_on"])
    _cleanup_event(finding.cleanup, actor, "follow_up", f"《{finding.regulation.title}》清理意见落实",
                   {"finding": finding.pk}, now)
    return finding


@transaction.atomic
def decide_cleanup(actor: User | None, cleanup: Cleanup, *, decided_on: dt.date,
                   now: dt.datetime | None = None) -> Cleanup:
    """The 常委会 decides on the campaign's findings (a 打包修改 or 废止 decision follows as bills)."""
    cleanup = Cleanup.objects.select_for_update().get(pk=cleanup.pk)
    if cleanup.state == CleanupState.DECIDED:
        raise InvalidInput("清理已作出决定")
    if decided_on is None:
        raise InvalidInput("请填写常委会决定日期")
    missing = cleanup.regulations.exclude(pk__in=cleanup.findings.values("regulation_id")).count()
    if missing:
        raise InvalidInput(f"还有{missing}件法规没有清理意见，请全部研究后再作出决定")
    cleanup.state, cleanup.decided_on = CleanupState.DECIDED, decided_on
    cleanup.save(update_fields=["state", "decided_on"])
    _cleanup_event(cleanup, actor, "decided", "常委会作出清理决定", {"decided_on": decided_on.isoformat()}, now)
    return cleanup
