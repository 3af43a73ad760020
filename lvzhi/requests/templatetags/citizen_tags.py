"""The citizen's request panel's questions of the user (the panel gets only case, detail, kind)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from lvzhi.requests import citizen_services as svc
from lvzhi.requests.citizen_permissions import may_see_contact
from lvzhi.requests.citizen_states import DEPUTY_ACTS, RECEIVED

register = template.Library()
SHOWN_FOR = dt.timedelta(minutes=30)


@register.filter
def citizen_contact(detail, user) -> str:
    """Masked, unless this user read it in full (the 查看完整电话 event) within half an hour."""
    case = detail.case
    if may_see_contact(user, case) and case.events.filter(
            name="show_contact", actor=user, at__gte=timezone.now() - SHOWN_FOR).exists():
        return detail.contact
    return detail.contact_masked


@register.simple_tag
def citizen_alike(case, user):
    return svc.alike(user, case) if case.state in DEPUTY_ACTS else []


@register.simple_tag
def citizen_routing(case, user):
    """The routing model's units for a request not yet forwarded (lvzhi.intelligence via assist)."""
    if case.state not in (RECEIVED, *DEPUTY_ACTS) or not may_see_contact(user, case):
        return []
    from lvzhi.assist.services import suggest_units

    try:
        return suggest_units(case)
    except Exception:  # a missing or broken model never blocks the page
        return []


@register.filter
def citizen_photos(case):
    return list(case.request_photos.all())
