"""Deputies' questions and opinions on the draft budget (代表参与预算审查), before the 人代会.

A deputy asks (optionally naming a department and a 功能分类 code); the 预算工委 sends the
collected questions to the 财经委 (sent_at, sent_to); the 财经委 sees what was sent to it and may
record an answer. Every refusal raises QuestionRefused with the Chinese message the user sees,
before anything is written; every write appends an event to the audit chain (subject
"budget_question").

Visibility, decided here: a deputy sees only his or her own questions (an opinion before the
session is the deputy's own voice to the committee, not a public forum); the 预算工委 and the
主任会议 see all of them; the 财经委 sees those sent to it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lvzhi.budget import codes, permissions
from lvzhi.budget.models import BudgetQuestion, BudgetUnit
from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import Organization, OrganizationKind, User
from lvzhi.deputies.models import Deputy

SUBJECT = "budget_question"  # lvzhi.core.audit shows it as 代表预算意见
MAX_TEXT = 2000


class QuestionRefused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _event(q: BudgetQuestion, actor: User, name: str, label: str, **payload) -> None:
    append_subject_event(SUBJECT, q.pk, q.congress_id, actor, name, label, payload=payload, at=timezone.now())


def finance_committee(congress_id: int) -> Organization | None:
    """The 财政经济委员会: the committee whose field is permissions.FINANCE_FIELD."""
    return (Organization.objects.filter(congress_id=congress_id, kind=OrganizationKind.COMMITTEE,
                                        field=permissions.FINANCE_FIELD).order_by("pk").first())


def ask(user: User, *, year: int, text: str, unit_code: str = "", function_code: str = "") -> BudgetQuestion:
    """A deputy's question or opinion on `year`'s draft budget."""
    if not permissions.may_ask(user):
        raise QuestionRefused("只有代表可以对预算草案提出问题或意见", 403)
    deputy = Deputy.objects.filter(user=user, congress_id=user.congress_id).first()
    if deputy is None:
        raise QuestionRefused("您的账号未关联代表信息，无法提出意见", 403)
    text = (text or "").strip()
    unit_code, function_code = (unit_code or "").strip(), (function_code or "").strip()
    if not text:
        raise QuestionRefused("请填写问题或意见的内容")
    if len(text) > MAX_TEXT:
        raise QuestionRefused(f"问题或意见不能超过{MAX_TEXT}字（现有{len(text)}字）")
    unit = None
    if unit_code:
        unit = BudgetUnit.objects.filter(congress_id=user.congress_id, code=unit_code).first()
        if unit is None:
            raise QuestionRefused(f"没有编码为“{unit_code}”的预算部门")
    if function_code and not codes.is_valid(codes.FUNCTION, function_code):
        raise QuestionRefused(f"功能分类科目“{function_code}”不在政府收支分类科目中，"
                              "请填写类、款或项的编码（如205、20502）")
    with transaction.atomic():
        q = BudgetQuestion.objects.create(congress_id=user.congress_id, year=year, deputy=deputy, unit=unit,
                                          function_code=function_code, text=text)
        _event(q, user, "asked", "提出预算意见", year=year, unit=unit.name if unit else "",
               function_code=function_code)
    return q


def visible_to(user: User, year: int | None = None) -> QuerySet[BudgetQuestion]:
    qs = BudgetQuestion.objects.filter(congress_id=user.congress_id).select_related("deputy", "unit", "sent_to")
    if year:
        qs = qs.filter(year=year)
    if permissions.may_read_questions(user) and not permissions.is_finance_committee(user):
        return qs
    if permissions.is_finance_committee(user):
        return qs.filter(sent_to_id=user.organization_id)
    if permissions.may_ask(user):
        return qs.filter(deputy__user=user)
    return qs.none()


def send(user: User, year: int) -> int:
    """Send every question of `year` not yet sent to the 财经委; returns how many."""
    if not permissions.may_send_questions(user):
        raise QuestionRefused("只有预算工委可以把代表意见送交财经委", 403)
    committee = finance_committee(user.congress_id)
    if committee is None:
        raise QuestionRefused("本级人大尚未设置财政经济委员会，无法送交")
    with transaction.atomic():
        pending = list(BudgetQuestion.objects.select_for_update()
                       .filter(congress_id=user.congress_id, year=year, sent_at__isnull=True))
        if not pending:
            raise QuestionRefused(f"{year}年没有待送交的代表意见", 409)
        now = timezone.now()
        BudgetQuestion.objects.filter(pk__in=[q.pk for q in pending]).update(sent_at=now, sent_to=committee)
        for q in pending:
            _event(q, user, "sent", "送交财经委", to=committee.name)
    return len(pending)


def answer(user: User, question: BudgetQuestion, text: str) -> BudgetQuestion:
    if not permissions.may_answer_questions(user):
        raise QuestionRefused("只有财经委可以答复代表意见", 403)
    text = (text or "").strip()
    with transaction.atomic():
        q = BudgetQuestion.objects.select_for_update().get(pk=question.pk)
        if q.congress_id != user.congress_id or q.sent_to_id != user.organization_id:
            raise QuestionRefused("这条意见没有送交本委员会", 403)
        if not text:
            raise QuestionRefused("请填写答复内容")
        if len(text) > MAX_TEXT:
            raise QuestionRefused(f"答复不能超过{MAX_TEXT}字（现有{len(text)}字）")
        first = not q.answer
        q.answer = text
        q.save(update_fields=["answer"])
        _event(q, user, "answered", "财经委答复" if first else "修改答复", answer=text[:200])
    return q
