"""What the public may read: published cases and accepted replies, personal data removed."""

from __future__ import annotations

import re

from django.db.models import Prefetch, QuerySet

from lvzhi.cases.models import Assignment, AssignmentState, Case, Reply, ReplyState
from lvzhi.cases.permissions import public_cases

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


def published(q: str = "") -> QuerySet[Case]:
    qs = public_cases().select_related("lead_deputy", "session__term").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                 .exclude(state=AssignmentState.WITHDRAWN)))
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-id")


def published_replies(case: Case) -> list[Reply]:
    replies = list(case.replies.filter(state=ReplyState.ACCEPTED).select_related("assignment__unit"))
    for r in replies:
        r.public_text = redact(r.text)
    return replies
