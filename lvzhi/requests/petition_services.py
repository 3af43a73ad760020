"""信访代办 and 诉前调解: who may record and close them (the deputy his or her own, the 代表工委 any
of its congress; the 主任会议 reads), and the writes, each an event on the audit chain."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.core.decorators import in_congress
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import deputy_of, is_deputy_office
from lvzhi.deputies.activity_services import NotPermitted
from lvzhi.deputies.models import Deputy
from lvzhi.requests.petition_models import Mediation, MediationResult, Petition, PetitionOutcome


def readable(user: User, model: type[Model]) -> QuerySet:
    if not in_congress(user):
        return model.objects.none()
    qs = model.objects.filter(congress_id=user.congress_id).select_related("deputy__delegation")
    if user.role == Role.LEADER or is_deputy_office(user):
        return qs
    deputy = deputy_of(user)
    return qs.filter(deputy=deputy) if deputy else model.objects.none()


def may_write(user: User, deputy: Deputy) -> bool:
    if not in_congress(user) or deputy.congress_id != user.congress_id:
        return False
    return is_deputy_office(user) or (user.role == Role.DEPUTY and deputy.user_id == user.pk)


def _event(obj, subject: str, user: User, name: str, label: str, **payload) -> None:
    append_subject_event(subject, obj.pk, obj.congress_id, user, name, label, payload=payload, at=timezone.now())


def record_petition(user: User, deputy: Deputy, data: dict) -> Petition:
    if not may_write(user, deputy):
        raise NotPermitted("只能登记本人代办的信访事项；代表工委可为代表登记")
    with transaction.atomic():
        p = Petition(congress_id=deputy.congress_id, deputy=deputy, petitioner=data["petitioner"].strip(),
                     matter=data["matter"].strip(), agency=data["agency"].strip(), taken_on=data["taken_on"],
                     recorded_by=user)
        p.contact = data.get("contact", "")
        p.save()
        _event(p, "petition", user, "record", "登记信访代办", deputy=deputy.name, agency=p.agency)
    return p


def close_petition(user: User, p: Petition, outcome: str, text: str, closed_on) -> Petition:
    if not may_write(user, p.deputy):
        raise NotPermitted("您无权更新该信访代办事项")
    if outcome == PetitionOutcome.OPEN:
        raise NotPermitted("请选择代办结果")
    with transaction.atomic():
        p.outcome, p.outcome_text, p.closed_on = outcome, text.strip(), closed_on
        p.save(update_fields=["outcome", "outcome_text", "closed_on"])
        _event(p, "petition", user, "close", "信访代办办结", outcome=p.get_outcome_display())
    return p


def record_mediation(user: User, deputy: Deputy, data: dict) -> Mediation:
    if not may_write(user, deputy):
        raise NotPermitted("只能登记本人参与的调解；代表工委可为代表登记")
    with transaction.atomic():
        m = Mediation.objects.create(congress_id=deputy.congress_id, deputy=deputy, court=data["court"].strip(),
                                     case_no=data.get("case_no", "").strip(), dispute=data["dispute"].strip(),
                                     summary=data["summary"].strip(), mediated_on=data["mediated_on"],
                                     result=data.get("result") or MediationResult.PENDING,
                                     result_text=data.get("result_text", "").strip(), recorded_by=user)
        _event(m, "mediation", user, "record", "登记诉前调解", deputy=deputy.name, result=m.get_result_display())
    return m


def settle_mediation(user: User, m: Mediation, result: str, text: str) -> Mediation:
    if not may_write(user, m.deputy):
        raise NotPermitted("您无权更新该调解记录")
    if result == MediationResult.PENDING:
        raise NotPermitted("请选择调解结果")
    with transaction.atomic():
        m.result, m.result_text = result, text.strip()
        m.save(update_fields=["result", "result_text"])
        _event(m, "mediation", user, "settle", "调解结果", result=m.get_result_display())
    return m

