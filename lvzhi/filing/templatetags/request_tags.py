"""The review request panel's questions of the user (the panel gets only case, detail, kind)."""

from __future__ import annotations

from django import template

from lvzhi.filing.request_permissions import may_see_contact
from lvzhi.filing.request_states import REGISTERED

register = template.Library()


@register.filter
def request_contact(detail, user) -> str:
    """The contact in full for the 法工委, masked for everyone else."""
    return detail.contact if may_see_contact(user) else detail.contact_masked


@register.filter
def may_start_request(case, user) -> bool:
    return case.state == REGISTERED and may_see_contact(user) and bool(case.review_request_detail.filing_id)
