"""Reads for the 民生实事 pages and the API: each project's progress and warning, the result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from lvzhi.core.models import User
from lvzhi.projects import rules, services
from lvzhi.projects.models import LivelihoodProject, ProjectBallot, ProjectRound, Stage
from lvzhi.votes import ballots
from lvzhi.votes.models import BoxState


@dataclass
class ProjectRow:
    project: LivelihoodProject
    progress: int
    lagging: bool
    overdue: int
    satisfaction: int | None  # 满意+基本满意, per cent


def project_row(p: LivelihoodProject, today=None) -> ProjectRow:
    today = today or timezone.localdate()
    ms = list(p.milestones.all())
    pct = rules.progress([(m.weight, m.done_on is not None) for m in ms])
    overdue = sum(1 for m in ms if m.done_on is None and m.planned_on < today)
    c = p.candidate
    grading = getattr(p, "grading", None)  # the reverse one-to-one raises AttributeError when absent
    return ProjectRow(p, pct, rules.lagging(pct, c.start_on, c.end_on, today, overdue), overdue,
                      services.satisfaction_share(grading) if grading else None)


def project_rows(rnd: ProjectRound) -> list[ProjectRow]:
    projects = (rnd.projects.select_related("candidate__department", "grading").prefetch_related("milestones")
                .order_by("rank"))
    return [project_row(p) for p in projects]


def result_rows(box: ProjectBallot) -> list[dict]:
    """The count as published: each candidate's votes, chosen or not, in ranked order."""
    if box.state != BoxState.CLOSED or not box.result:
        return []
    chosen, tied = set(box.result["chosen"]), set(box.result["tied"])
    labels = dict((c, label) for c, label in box.choices)
    return [{"code": c, "title": labels.get(c, c), "votes": v, "chosen": c in chosen, "tied": c in tied}
            for c, v in box.result["ranked"]]


def round_context(rnd: ProjectRound, user: User) -> dict:
    boxes = list(rnd.ballots.order_by("id"))
    box = boxes[-1] if boxes else None
    rows = project_rows(rnd)
    return {
        "rnd": rnd, "stages": [(s.value, s.label) for s in Stage], "box": box, "boxes": boxes,
        "results": [(b, result_rows(b)) for b in boxes],
        "candidates": list(rnd.candidates.select_related("department")),
        "ideas": list(rnd.ideas.all()[:100]) if rnd.stage in (Stage.COLLECTING, Stage.SCREENING) else [],
        "rows": rows, "funds": sum((r.project.candidate.budget_wan for r in rows), Decimal(0)),
        "spent": sum((r.project.funds_spent_wan for r in rows), Decimal(0)),
        "voted_count": ballots.voted_count(box.pk) if box and box.state == BoxState.OPEN and not box.paper else 0,
        "has_voted": ballots.has_voted(box.pk, user) if box and not box.paper else False,
        "grading_open": rnd.projects.filter(grading__state=BoxState.OPEN).exists(),
        "grading_any": rnd.projects.filter(grading__isnull=False).exists(),
    }


def public_block(rnd: ProjectRound) -> dict:
    boxes = list(rnd.ballots.order_by("id"))
    return {"rnd": rnd, "rows": project_rows(rnd), "results": [(b, result_rows(b)) for b in boxes],
            "candidates": list(rnd.candidates.select_related("department")) if rnd.stage == Stage.REVIEW else []}
