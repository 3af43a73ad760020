"""The demo's legislative year, in the order the records depend on each other: the registry's
regulations first (bills amend them), then the plan and its bills, then public comment on the two
bills in reading and the contact points."""

from __future__ import annotations

from typing import Any

from lvzhi.legislation import comment_demo, plan_demo, registry_demo


def build(builder: Any) -> None:
    registry_demo.build_demo(builder)
    plan_demo.build_demo(builder)
    comment_demo.build_demo(builder)


def summary(congress: Any) -> str:
    """The seed's line: what the legislative year holds."""
    from lvzhi.legislation.choices import BillState, RegulationStatus
    from lvzhi.legislation.models import (
        Bill,
        Comment,
        CommentPeriod,
        ContactPoint,
        LegislativeSuggestion,
        PlanItem,
        Regulation,
    )

    regs = Regulation.objects.filter(congress=congress)
    comments = Comment.objects.filter(period__congress=congress)
    return (f"法规 {regs.count()} 部（现行有效 {regs.filter(status=RegulationStatus.IN_FORCE).count()}），"
            f"立法计划项目 {PlanItem.objects.filter(plan__congress=congress).count()} 项，"
            f"法规案 {Bill.objects.filter(congress=congress).count()} 件"
            f"（审议中 {Bill.objects.filter(congress=congress, state=BillState.IN_READING).count()}），"
            f"征求意见 {CommentPeriod.objects.filter(congress=congress).count()} 次、意见 {comments.count()} 条"
            f"（已研究 {comments.exclude(outcome='').count()}），"
            f"基层立法联系点 {ContactPoint.objects.filter(congress=congress).count()} 个，"
            f"立法建议 {LegislativeSuggestion.objects.filter(congress=congress).count()} 条")
