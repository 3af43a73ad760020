"""The filing kind's nav entries and the downloads on a filing."""

from __future__ import annotations

from django.urls import reverse

from lvzhi.cases.kinds import NavEntry
from lvzhi.core.models import Role
from lvzhi.filing import permissions

NAV = (
    NavEntry(Role.CLERK, "filing:review_queue", "备案审查", permissions.is_filing_office),
    NavEntry(Role.LEADER, "filing:review_queue", "备案审查"),
    NavEntry(Role.COMMITTEE_STAFF, "filing:review_queue", "备案审查"),
    NavEntry(Role.UNIT_HANDLER, "filing:mine", "报送备案", permissions.is_filer),
    NavEntry(Role.UNIT_HEAD, "filing:mine", "报送备案", permissions.is_filer),
)


def links(user, case) -> list[tuple[str, str, str]]:
    detail = getattr(case, "filing_detail", None)
    out: list[tuple[str, str, str]] = []
    if detail is None:
        return out
    if case.registered_at:
        out.append(("备案回执", reverse("filing:receipt", args=[case.pk]), "bi-receipt"))
    if detail.opinion_text:
        out.append(("书面审查意见", reverse("filing:opinion_doc", args=[case.pk]), "bi-file-earmark-word"))
    return out
