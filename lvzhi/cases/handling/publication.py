"""公开: the office publishes an answered case (or takes it down); confidential ones never.
Only the one that applies is offered: 公开 while the case is not public, 取消公开 once it is."""

from __future__ import annotations

from lvzhi.cases.handling.states import CLOSED, REPLIED
from lvzhi.cases.workflow import Context, EmptyForm, InvalidInput, WrongState, transition


class PublishForm(EmptyForm):
    @property
    def applies(self) -> bool:  # read by policy.has_choices: offered only when it can apply
        return not self.case.is_public


class UnpublishForm(EmptyForm):
    @property
    def applies(self) -> bool:
        return self.case.is_public


def publish_guard(ctx: Context) -> None:
    if getattr(ctx.case.detail, "confidential", False):
        raise InvalidInput(f"要求保密的{ctx.case.kind_label}不能公开")
    if ctx.case.is_public:
        raise WrongState("该案件已公开")


def publish_effect(ctx: Context) -> None:
    ctx.case.is_public = True


def unpublish_guard(ctx: Context) -> None:
    if not ctx.case.is_public:
        raise WrongState("该案件尚未公开")


def unpublish_effect(ctx: Context) -> None:
    ctx.case.is_public = False


def transitions(spec, sources=(REPLIED, CLOSED)) -> list:
    return [
        transition("publish", "公开", sources, None, ["office"], form=PublishForm,
                   guard=publish_guard, effect=publish_effect, style="outline-success"),
        transition("unpublish", "取消公开", sources, None, ["office"], form=UnpublishForm,
                   guard=unpublish_guard, effect=unpublish_effect, style="outline-secondary"),
    ]
