"""What the public may read: published cases and accepted replies, personal data removed."""

from __future__ import annotations

import re

from django.db.models import Count, Prefetch, QuerySet

from lvzhi.cases.models import Assignment, AssignmentState, Case, Reply, ReplyState
from lvzhi.cases.permissions import public_cases
from lvzhi.core.models import Congress

# Mobile and landline numbers, 18-digit ID numbers, e-mail addresses.
PATTERNS = [
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[身份证号已隐去]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[电话已隐去]"),
    (re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"), "[电话已隐去]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "[邮箱已隐去]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def public_congresses() -> list[Congress]:
    """Congresses that have published something, the one with most published cases first."""
    counts = dict(public_cases().values_list("congress_id").annotate(n=Count("id")))
    return sorted(Congress.objects.filter(pk__in=counts), key=lambda c: (-counts[c.pk], c.pk))


def portal_name(congress: Congress | None) -> str:
    """"北辰市人大常委会": whose disclosure page this is."""
    return f"{congress.short_name}常委会" if congress is not None else "人大常委会"


def published(q: str = "", congress_id: int | None = None) -> QuerySet[Case]:
    qs = public_cases().select_related("lead_deputy", "session__term").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                 .exclude(state=AssignmentState.WITHDRAWN)))
    if congress_id is not None:
        qs = qs.filter(congress_id=congress_id)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-id")


def published_replies(case: Case) -> list[Reply]:
    replies = list(case.replies.filter(state=ReplyState.ACCEPTED).select_related("assignment__unit"))
    for r in replies:
        r.public_text = redact(r.text)
    return replies
