"""Registers 信访代办 and 诉前调解 at start-up: the nav, the report figures (each returning its
records) and the 履职档案 sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet


def petitions(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet:
    from lvzhi.requests.petition_models import Petition

    return Petition.objects.filter(congress_id__in=congress_ids, taken_on__gte=start, taken_on__lte=end)


def petitions_resolved(congress_ids, start, end) -> QuerySet:
    return petitions(congress_ids, start, end).exclude(outcome="open")


def mediations(congress_ids, start, end) -> QuerySet:
    from lvzhi.requests.petition_models import Mediation

    return Mediation.objects.filter(congress_id__in=congress_ids, mediated_on__gte=start, mediated_on__lte=end)


def mediations_succeeded(congress_ids, start, end) -> QuerySet:
    return mediations(congress_ids, start, end).filter(result="succeeded")


def petition_entries(deputy_ids: Iterable[int], start: dt.date, end: dt.date):
    from lvzhi.deputies.record import Entry
    from lvzhi.requests.petition_models import Petition

    for p in Petition.objects.filter(deputy_id__in=list(deputy_ids), taken_on__gte=start, taken_on__lte=end):
        yield Entry(p.deputy_id, p.taken_on, "petitions", f"信访代办（{p.get_outcome_display()}）：{p.matter[:40]}",
                    p.get_absolute_url())


def mediation_entries(deputy_ids: Iterable[int], start: dt.date, end: dt.date):
    from lvzhi.deputies.record import Entry
    from lvzhi.requests.petition_models import Mediation

    for m in Mediation.objects.filter(deputy_id__in=list(deputy_ids), mediated_on__gte=start, mediated_on__lte=end):
        yield Entry(m.deputy_id, m.mediated_on, "mediations", f"参与诉前调解（{m.get_result_display()}）：{m.dispute}",
                    m.get_absolute_url())


def register() -> None:
    from lvzhi.cases.kinds import Figure, NavEntry
    from lvzhi.core.models import Role
    from lvzhi.core.sections import Section, register_section
    from lvzhi.deputies.activity_permissions import is_deputy_office
    from lvzhi.deputies.record import DutySource, register_source
    from lvzhi.reports.registry import register_figures
    from lvzhi.requests import petition_demo

    register_figures("petitions_mediation", "信访代办和诉前调解", (
        Figure("petitions_taken", "代表信访代办", petitions),
        Figure("petitions_resolved", "信访代办已办结", petitions_resolved),
        Figure("mediations_joined", "代表参与诉前调解", mediations),
        Figure("mediations_succeeded", "诉前调解成功", mediations_succeeded),
    ))
    register_source(DutySource("petitions", "信访代办", petition_entries, order=32, public=False))
    register_source(DutySource("mediations", "参与诉前调解", mediation_entries, order=33))
    register_section(Section(
        code="petitions_mediation", label="信访代办和诉前调解",
        nav=(NavEntry(Role.CLERK, "requests:petitions", "代办调解", is_deputy_office),
             NavEntry(Role.LEADER, "requests:petitions", "代办调解"),
             NavEntry(Role.DEPUTY, "requests:petitions", "代办调解")),
        demo=petition_demo.build))
