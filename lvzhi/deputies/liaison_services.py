"""双联系's writes: the 代表工委 links a member to deputies (a pasted 名单); the member logs a
contact. Each write is an event on the audit chain (subject `member_link`)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_permissions import is_deputy_office
from lvzhi.deputies.activity_services import NotPermitted
from lvzhi.deputies.liaison_models import MemberContact, MemberLink
from lvzhi.deputies.models import Deputy

MEMBER_ROLES = (Role.LEADER, Role.COMMITTEE_STAFF)


def link(actor: User, member: User, deputies: list[Deputy]) -> int:
    if not is_deputy_office(actor):
        raise NotPermitted("双联系由代表工委安排")
    if member.congress_id != actor.congress_id or member.role not in MEMBER_ROLES:
        raise forms.ValidationError("请选择本级常委会组成人员")
    with transaction.atomic():
        made = [MemberLink.objects.get_or_create(congress_id=actor.congress_id, member=member, deputy=d)
                for d in deputies]
        new = [lk for lk, created in made if created]
        for lk in new:
            append_subject_event("member_link", lk.pk, lk.congress_id, actor, "link", "建立联系代表",
                                 payload={"member": member.display_name, "deputy": lk.deputy.name}, at=timezone.now())
    return len(new)


def log_contact(actor: User, lk: MemberLink, on: dt.date, way: str, note: str) -> MemberContact:
    if lk.member_id != actor.pk:
        raise NotPermitted("只能记录本人联系代表的情况")
    if on > timezone.localdate():
        raise forms.ValidationError("日期不能晚于今天")
    with transaction.atomic():
        c = MemberContact.objects.create(link=lk, on=on, way=way, note=note.strip())
        append_subject_event("member_link", lk.pk, lk.congress_id, actor, "contact", "联系代表",
                             payload={"deputy": lk.deputy.name, "way": c.get_way_display()}, at=timezone.now())
    return c
