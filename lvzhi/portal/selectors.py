"""What the public may read: published cases and accepted replies, personal data removed."""

from __future__ import annotations

import re

from django.db.models import Prefetch, Q, QuerySet

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


# Published cases are counted per congress up to here to choose the default page: enough to
# tell a congress that publishes from one that barely does, without counting a decade's cases.
COUNT_CAP = 10000


def public_congresses() -> list[Congress]:
    """Congresses that have published something, the one with most published cases first
    (counted up to COUNT_CAP each; a tie goes to the older congress)."""
    counts = {}
    for c in Congress.objects.order_by("pk"):  # a handful of congresses: one bounded count each
        n = public_cases().filter(congress_id=c.pk).order_by()[:COUNT_CAP].count()
        if n:
            counts[c] = n
    return sorted(counts, key=lambda c: (-counts[c], c.pk))


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
        qs = qs.filter(public_search_condition(q, congress_id))
    return qs.order_by("-id")


def public_search_condition(q: str, congress_id: int | None = None) -> Q:
    """The portal's search: the case's indexed words (title, body, units, accepted replies —
    all on the public page), except what the page does not show. A phone or ID number or an
    e-mail in the query is dropped, so nobody learns which case holds a number they know; a
    deputy's name matches the lead deputy only (co-signers are not on the public page)."""
    from lvzhi.deputies.models import Deputy
    from lvzhi.search.query import search_condition

    for pattern, _ in PATTERNS:
        q = pattern.sub(" ", q)
    parts = q.split()
    deputies = Deputy.objects.filter(name__in=parts)
    if congress_id is not None:
        deputies = deputies.filter(congress_id=congress_id)
    names = set(deputies.values_list("name", flat=True)) if parts else set()
    cond = Q()
    for name in names:
        cond &= Q(lead_deputy__name=name)
    words = " ".join(p for p in parts if p not in names)
    return cond & search_condition(words) if words else cond


def published_replies(case: Case) -> list[Reply]:
    replies = list(case.replies.filter(state=ReplyState.ACCEPTED).select_related("assignment__unit"))
    for r in replies:
        r.public_text = redact(r.text)
    return replies
