"""Writes of a topic's supervision work, and what the work page reads from them.

Every write checks activity_permissions.may_record first and changes nothing on refusal;
the forms (activity_forms) have cleaned the input. The 专项工作报告 deadlines come from
lvzhi.supervision.timeline, the appraisal grades from RuleSet.params["appraisal_grades"].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.cases.models import RuleSet
from lvzhi.core.models import User
from lvzhi.supervision import timeline
from lvzhi.supervision.activity_permissions import may_record, refusal
from lvzhi.supervision.models import (
    ActivityReport,
    Appraisee,
    Criterion,
    FollowUp,
    InquiryOfficial,
    InspectionMember,
    InspectionPlan,
    Question,
    Score,
    ScoreSheet,
    SiteCheck,
    Topic,
    Visit,
    WorkReportStep,
)


class NotPermitted(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _guard(user: User, topic: Topic) -> None:
    if not may_record(user, topic):
        raise NotPermitted(refusal(user, topic))


def _not_future(day: dt.date, label: str) -> None:
    if day > timezone.localdate():
        raise forms.ValidationError(f"{label}{day:%Y-%m-%d}晚于今天；请在完成后再记录")


# --- 专项工作报告 -------------------------------------------------------------------------

@dataclass
class StepRow:
    code: str
    label: str
    article: str
    due_on: dt.date | None
    done: WorkReportStep | None
    light: str
    light_label: str


def step_rows(topic: Topic, today: dt.date | None = None) -> list[StepRow]:
    today = today or timezone.localdate()
    done = {s.step: s for s in topic.report_steps.select_related("done_by")}
    rows = []
    for rule in timeline.steps(topic.congress_id):
        due = timeline.due_on(topic.meeting_on, rule)
        record = done.get(rule.code)
        light, label = timeline.light(due, record.done_on if record else None, today)
        rows.append(StepRow(rule.code, rule.label, rule.article, due, record, light, label))
    return rows


def record_step(user: User, topic: Topic, data: dict) -> WorkReportStep:
    _guard(user, topic)
    _not_future(data["done_on"], "完成日期")
    step, _ = WorkReportStep.objects.update_or_create(
        topic=topic, step=data["step"],
        defaults={"done_on": data["done_on"], "note": data.get("note", "").strip(), "done_by": user,
                  "recorded_at": timezone.now()})
    return step


# --- 执法检查 ---------------------------------------------------------------------------

def record_plan(user: User, topic: Topic, data: dict) -> InspectionPlan:
    _guard(user, topic)
    plan, _ = InspectionPlan.objects.update_or_create(topic=topic, defaults={
        "law": data["law"], "scope": data["scope"], "starts_on": data["starts_on"],
        "ends_on": data["ends_on"], "updated_by": user, "updated_at": timezone.now()})
    return plan


def add_member(user: User, topic: Topic, data: dict) -> InspectionMember:
    _guard(user, topic)
    try:
        with transaction.atomic():
            return InspectionMember.objects.create(topic=topic, user=data["user"], duty=data["duty"])
    except IntegrityError:
        raise forms.ValidationError("此人已在检查组中") from None


def log_check(user: User, topic: Topic, data: dict) -> SiteCheck:
    _guard(user, topic)
    _not_future(data["held_on"], "检查日期")
    return SiteCheck.objects.create(topic=topic, kind=data["kind"], held_on=data["held_on"],
                                    place=data["place"], participants=data.get("participants", ""),
                                    notes=data["notes"], attachment=data.get("attachment") or "",
                                    recorded_by=user)


def record_report(user: User, topic: Topic, data: dict) -> ActivityReport:
    """The 执法检查报告 (第三十六条) or the 调研/视察报告; recording it again replaces it."""
    _guard(user, topic)
    _not_future(data["done_on"], "报告日期")
    fields = ("evaluation", "problems", "suggestions", "amendments", "findings", "text")
    report, _ = ActivityReport.objects.update_or_create(topic=topic, defaults={
        **{f: data.get(f, "") for f in fields}, "done_on": data["done_on"], "done_by": user})
    return report


# --- 专题询问 ---------------------------------------------------------------------------

def add_official(user: User, topic: Topic, data: dict) -> InquiryOfficial:
    _guard(user, topic)
    return InquiryOfficial.objects.create(topic=topic, name=data["name"], post=data["post"],
                                          present=data.get("present", False))


def add_question(user: User, topic: Topic, data: dict) -> Question:
    _guard(user, topic)
    return Question.objects.create(topic=topic, asker=data["asker"], text=data["text"],
                                   addressed_to=data["addressed_to"], answer=data.get("answer", ""),
                                   recorded_by=user)


def record_answer(user: User, topic: Topic, data: dict) -> Question:
    _guard(user, topic)
    question: Question = data["question"]
    question.answer = data["answer"]
    question.save(update_fields=["answer"])
    return question


def add_follow_up(user: User, topic: Topic, data: dict) -> FollowUp:
    _guard(user, topic)
    return FollowUp.objects.create(topic=topic, item=data["item"], body=data["body"], due_on=data["due_on"])


def report_follow_up(user: User, topic: Topic, data: dict) -> FollowUp:
    _guard(user, topic)
    _not_future(data["reported_on"], "报告日期")
    item: FollowUp = data["follow_up"]
    item.reported_on, item.report = data["reported_on"], data["report"]
    item.save(update_fields=["reported_on", "report"])
    return item


# --- 工作评议 / 两官履职评议 --------------------------------------------------------------

GRADES_PARAM = "appraisal_grades"
DEFAULT_GRADES = {"优秀": 90, "称职": 75, "基本称职": 60}  # at least this weighted score; below: 不称职
FAIL_GRADE = "不称职"


def grade_thresholds(congress_id: int) -> list[tuple[str, Decimal]]:
    rules = RuleSet.objects.filter(congress_id=congress_id).only("params").first()
    given = (rules.params or {}).get(GRADES_PARAM) if rules else None
    table = dict(DEFAULT_GRADES)
    if isinstance(given, dict):
        for name in DEFAULT_GRADES:
            if isinstance(given.get(name), int | float) and not isinstance(given.get(name), bool):
                table[name] = given[name]
    return sorted(((n, Decimal(str(v))) for n, v in table.items()), key=lambda p: -p[1])


def grade_of(score: Decimal, thresholds: list[tuple[str, Decimal]]) -> str:
    for name, floor in thresholds:
        if score >= floor:
            return name
    return FAIL_GRADE


def add_appraisee(user: User, topic: Topic, data: dict) -> Appraisee:
    _guard(user, topic)
    return Appraisee.objects.create(topic=topic, kind=data["kind"], name=data["name"], post=data.get("post", ""))


def add_criterion(user: User, topic: Topic, data: dict) -> Criterion:
    _guard(user, topic)
    if topic.criteria.filter(name=data["name"]).exists():
        raise forms.ValidationError(f"评议指标“{data['name']}”已存在")
    if ScoreSheet.objects.filter(appraisee__topic=topic).exists():
        raise forms.ValidationError("已有打分表，不能再增加评议指标")  # the sheets would lack it
    return Criterion.objects.create(topic=topic, name=data["name"], weight=data["weight"])


def record_sheet(user: User, topic: Topic, appraisee: Appraisee, member: User,
                 scores: dict[int, int]) -> ScoreSheet:
    """One member's sheet for one appraisee, one score per criterion (all of them, 0–100)."""
    _guard(user, topic)
    wanted = set(topic.criteria.values_list("pk", flat=True))
    if set(scores) != wanted:
        raise forms.ValidationError("打分表须对每一项评议指标打分")
    bad = [v for v in scores.values() if not 0 <= v <= 100]
    if bad:
        raise forms.ValidationError(f"分数应在0到100分之间，{bad[0]}分无效")
    try:
        with transaction.atomic():
            sheet = ScoreSheet.objects.create(appraisee=appraisee, member=member, recorded_by=user)
            Score.objects.bulk_create(Score(sheet=sheet, criterion_id=c, value=v) for c, v in scores.items())
    except IntegrityError:
        who = member.display_name or member.username
        raise forms.ValidationError(f"{who}已提交对“{appraisee.name}”的打分表，每位评议人只能提交一份") from None
    return sheet


@dataclass
class Result:
    appraisee: Appraisee
    sheets: int
    by_criterion: list[tuple[Criterion, Decimal | None]]
    score: Decimal | None
    grade: str


def appraisal_results(topic: Topic) -> list[Result]:
    """Each appraisee's weighted average over the sheets: the mean score per criterion, weighted
    by the criteria's weights (normalised to their total), rounded to 0.01."""
    criteria = list(topic.criteria.all())
    total_weight = sum(c.weight for c in criteria)
    thresholds = grade_thresholds(topic.congress_id)
    out = []
    for a in topic.appraisees.prefetch_related("sheets__scores"):
        sheets = list(a.sheets.all())
        means = []
        for c in criteria:
            values = [s.value for sh in sheets for s in sh.scores.all() if s.criterion_id == c.pk]
            means.append((c, Decimal(sum(values)) / len(values) if values else None))
        if sheets and total_weight and all(m is not None for _, m in means):
            score = sum(m * c.weight for c, m in means) / total_weight
            score = score.quantize(Decimal("0.01"), ROUND_HALF_UP)
            grade = grade_of(score, thresholds)
        else:
            score, grade = None, "尚未打分"
        out.append(Result(a, len(sheets), [(c, m.quantize(Decimal("0.1")) if m is not None else None)
                                           for c, m in means], score, grade))
    return out


# --- 专题调研 / 视察 ----------------------------------------------------------------------

def add_visit(user: User, topic: Topic, data: dict) -> Visit:
    _guard(user, topic)
    _not_future(data["visited_on"], "调研日期")
    return Visit.objects.create(topic=topic, visited_on=data["visited_on"], place=data["place"],
                                participants=data["participants"], notes=data["notes"], recorded_by=user)


def record(user: User, topic: Topic, what: str, form) -> object:
    """The one entry the page's POST uses: the cleaned form to the service for `what`."""
    data = form.cleaned_data
    if what == "sheet":
        return record_sheet(user, topic, data["appraisee"], data["member"], form.scores())
    return WRITERS[what](user, topic, data)


WRITERS = {
    "step": record_step, "plan": record_plan, "member": add_member, "check": log_check,
    "inspection_report": record_report, "research_report": record_report,
    "official": add_official, "question": add_question, "answer": record_answer, "follow_up": add_follow_up,
    "follow_up_report": report_follow_up, "appraisee": add_appraisee, "criterion": add_criterion,
    "visit": add_visit,
}
