"""The registry's figures for the annual report: each returns a QuerySet of the records it
counts (versions, regulations, implementing rules, evaluations, clean-ups, findings), each with a
str() and a get_absolute_url(), so every number traces to its records.

A period is [start, end]: a version counts by its adoption date, a rule by its due or done date,
an evaluation by the date its report was finished, a clean-up and its findings by its year.
"In force at the end" counts a regulation with a version adopted by `end` and no repeal by then.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lvzhi.cases.kinds import Figure
from lvzhi.legislation.choices import Action
from lvzhi.legislation.models import Regulation, RegulationVersion
from lvzhi.legislation.registry_models import Cleanup, CleanupFinding, Evaluation, ImplementingRule, Outcome

AMENDING = (Action.AMEND, Action.AMEND_DECISION, Action.REVISE)


def _versions(*actions: str):
    def fn(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[RegulationVersion]:
        return (RegulationVersion.objects.filter(regulation__congress_id__in=congress_ids, action__in=actions,
                                                 adopted_on__gte=start, adopted_on__lte=end)
                .select_related("regulation").order_by("adopted_on", "pk"))
    return fn


enacted = _versions(Action.ENACT)
amended = _versions(*AMENDING)
repealed = _versions(Action.REPEAL)


def in_force_at_end(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Regulation]:
    gone = RegulationVersion.objects.filter(action=Action.REPEAL, adopted_on__lte=end).values("regulation_id")
    return (Regulation.objects.filter(congress_id__in=congress_ids, versions__adopted_on__lte=end)
            .exclude(pk__in=gone).distinct().order_by("title"))


def rules_due(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[ImplementingRule]:
    return ImplementingRule.objects.filter(regulation__congress_id__in=congress_ids, due_on__gte=start,
                                           due_on__lte=end).select_related("regulation")


def rules_done(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[ImplementingRule]:
    return ImplementingRule.objects.filter(regulation__congress_id__in=congress_ids, done_on__gte=start,
                                           done_on__lte=end).select_related("regulation")


def evaluations_done(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(regulation__congress_id__in=congress_ids, done_on__gte=start,
                                     done_on__lte=end).select_related("regulation")


def cleanups(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[Cleanup]:
    return Cleanup.objects.filter(congress_id__in=congress_ids, year__gte=start.year, year__lte=end.year)


def _findings(outcome: str):
    def fn(congress_ids: list[int], start: dt.date, end: dt.date) -> QuerySet[CleanupFinding]:
        return CleanupFinding.objects.filter(cleanup__congress_id__in=congress_ids, cleanup__year__gte=start.year,
                                             cleanup__year__lte=end.year, outcome=outcome).select_related(
            "cleanup", "regulation")
    return fn


FIGURES = (
    Figure("regulations_enacted", "制定地方性法规", enacted, unit="件"),
    Figure("regulations_amended", "修改地方性法规（修改、修正、修订）", amended, unit="件次"),
    Figure("regulations_repealed", "废止地方性法规", repealed, unit="件"),
    Figure("regulations_in_force", "年末现行有效地方性法规", in_force_at_end, unit="件"),
    Figure("implementing_rules_due", "应出台配套规定", rules_due, unit="件"),
    Figure("implementing_rules_done", "出台配套规定", rules_done, unit="件"),
    Figure("evaluations_done", "完成立法后评估", evaluations_done, unit="项"),
    Figure("cleanups", "开展法规清理", cleanups, unit="次"),
    Figure("cleanup_keep", "法规清理：保留", _findings(Outcome.KEEP), unit="件"),
    Figure("cleanup_amend", "法规清理：建议修改", _findings(Outcome.AMEND), unit="件"),
    Figure("cleanup_repeal", "法规清理：建议废止", _findings(Outcome.REPEAL), unit="件"),
)
