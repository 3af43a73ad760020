"""One timeline of a regulation's whole life, in date order, from every area that touches it.

Each area registers a provider: `register_timeline(provider)`, where provider(regulation) yields
`TimelineEntry(date, label, detail, url, kind)`. The registry's own providers (versions and their
approval, publication and effect; implementing rules; evaluations; clean-up findings) are
registered below the same way; the bill area (bills.bill_timeline) adds readings, drafts and
votes, the comment area (comment_services.comment_timeline) its comment periods, both registered
in apps.py. A provider that fails is logged and left out: one area's bug must not take the
regulation's page down.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    label: str  # "常委会通过", "自治区人大常委会批准", "一审"
    detail: str = ""
    url: str = ""
    # what it is, for the page's marker: version, approval, publication, effect, rule, evaluation,
    # cleanup, bill, reading, comment, vote, due (a date still ahead or missed)
    kind: str = "version"
    overdue: bool = False


Provider = Callable[..., Iterable[TimelineEntry]]
_PROVIDERS: dict[str, Provider] = {}


def register_timeline(provider: Provider, name: str = "") -> Provider:
    """Add a provider (registering the same name again replaces it: a module reloaded in tests)."""
    _PROVIDERS[name or f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def entries(regulation) -> list[TimelineEntry]:
    """Every provider's entries for `regulation`, oldest first (same day: in provider order)."""
    out: list[tuple[dt.date, int, int, TimelineEntry]] = []
    for p_index, provider in enumerate(providers()):
        try:
            for k, entry in enumerate(provider(regulation)):
                if entry.date is not None:
                    out.append((entry.date, p_index, k, entry))
        except Exception:
            logger.exception("timeline provider %s failed for regulation %s", provider, regulation.pk)
    out.sort(key=lambda row: row[:3])
    return [row[3] for row in out]


# ------------------------------------------------------------------ the registry's own

def _d(day: dt.date) -> str:
    return f"{day:%Y年%-m月%-d日}"


def version_entries(regulation) -> Iterable[TimelineEntry]:
    today = timezone.localdate()
    for v in regulation.versions.order_by("adopted_on", "pk"):
        url = v.get_absolute_url()
        act = v.get_action_display()
        yield TimelineEntry(v.adopted_on, f"常委会{'通过' if act == '制定' else '决定' + act}", v.decision, url,
                            "version")
        if v.approved_on:
            yield TimelineEntry(v.approved_on, "省级人大常委会批准", v.approval_decision, url, "approval")
        if v.gazette_on:
            yield TimelineEntry(v.gazette_on, "常委会公报刊登", v.gazette_issue, url, "publication")
        if v.website_on:
            yield TimelineEntry(v.website_on, "人大网站公布", "", url, "publication")
        if v.newspaper_on:
            yield TimelineEntry(v.newspaper_on, f"{v.newspaper or '报纸'}刊登", "", url, "publication")
        if v.effective_on:
            yield TimelineEntry(v.effective_on, "施行" if v.action != "repeal" else "废止生效", "", url, "effect")
        if v.implementation_reported_on:
            yield TimelineEntry(v.implementation_reported_on, "实施部门报告实施情况",
                                f"施行满一年后的书面报告（期限{_d(v.implementation_report_due_on)}）"
                                if v.implementation_report_due_on else "", url, "report")
        elif v.implementation_report_due_on and regulation.status == "in_force":
            yield TimelineEntry(v.implementation_report_due_on, "实施情况报告期限",
                                "实施部门应在施行满一年后三十日内书面报告（尚未报告）", url, "due",
                                overdue=v.implementation_report_due_on < today)


def rule_entries(regulation) -> Iterable[TimelineEntry]:
    today = timezone.localdate()
    for r in regulation.implementing_rules.select_related("responsible_unit"):
        url = r.get_absolute_url()
        if r.done_on:
            number = f"（{r.document_number}）" if r.document_number else ""
            yield TimelineEntry(r.done_on, "配套规定出台", f"{r.document_title}{number}", url, "rule")
        elif r.due_on:
            yield TimelineEntry(r.due_on, "配套规定应出台", f"{r.title}（{r.body}）", url, "due",
                                overdue=r.due_on < today)


def evaluation_entries(regulation) -> Iterable[TimelineEntry]:
    for e in regulation.evaluations.all():
        day = e.done_on or dt.date(e.year, 12, 31)
        yield TimelineEntry(day, "立法后评估", f"{e.body}：{e.get_conclusion_display()}", e.get_absolute_url(),
                            "evaluation")


def cleanup_entries(regulation) -> Iterable[TimelineEntry]:
    for f in regulation.cleanup_findings.select_related("cleanup"):
        day = f.cleanup.decided_on or f.created_at.date()
        yield TimelineEntry(day, f"法规清理：{f.get_outcome_display()}", f.cleanup.title, f.get_absolute_url(),
                            "cleanup")


for _p in (version_entries, rule_entries, evaluation_entries, cleanup_entries):
    register_timeline(_p)
