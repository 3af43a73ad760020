"""What the shared handling transitions have in common: the parameters a kind sets, choices
scoped to the caller, and notifications by relation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.models import Assignment
from lvzhi.cases.permissions import is_office_staff, relation_users
from lvzhi.cases.workflow import Context, TransitionForm
from lvzhi.core.models import Organization, OrganizationKind, User


@dataclass(frozen=True)
class HandlingSpec:
    """How a kind uses the shared handling table.

    evaluator: the relation that judges the accepted answers ("" = nobody: acceptance goes on
    to the close-out, or closes). evaluation_clock: the window the evaluator has ("" = none).
    closer: the relation that approves the close-out after the answers ("" = no such step).
    revisit: a 回头看 after closing that can reopen the case.
    unit_kinds: which organisations may be assigned (handling units, or committees and offices).
    """

    evaluator: str = ""
    evaluation_clock: str = ""
    closer: str = ""
    revisit: bool = False
    reply_clock: str = DeadlineKind.REPLY
    rehandle_clock: str = DeadlineKind.REHANDLE
    co_opinion_clock: str = DeadlineKind.CO_OPINION
    reassign_window: str = DeadlineKind.REASSIGN_WINDOW
    unit_kinds: tuple[str, ...] = (OrganizationKind.UNIT,)
    handler_relations: tuple[str, ...] = ("unit_handler",)
    head_relations: tuple[str, ...] = ("unit_head",)
    evaluated_label: str = "已答复，请评价"
    # A kind whose answer is due on a date of its own (a key task's 完成时限) gives it here; the
    # reply clock is then a "fixed" clock started with that date.
    fixed_due: Callable[..., dt.date | None] | None = None


def spec_of(case) -> HandlingSpec:
    from lvzhi.cases.kinds import get_kind

    return get_kind(case.kind).handling or HandlingSpec()


def assignable_orgs(case, spec: HandlingSpec):
    return Organization.objects.filter(congress_id=case.congress_id, kind__in=spec.unit_kinds,
                                       is_active=True)


def own_assignments(form: TransitionForm, **filters):
    """The case's assignments the caller may act on: a unit user only their organisation's."""
    qs = Assignment.objects.filter(case=form.case, **filters).select_related("unit")
    actor = form.actor
    if actor is not None and not is_office_staff(actor, form.case):
        qs = qs.filter(unit_id=actor.organization_id)
    return qs


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class AssignmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Assignment) -> str:
        return f"{obj.unit.name}（{obj.get_role_display()}）"


def notify_units(ctx: Context, unit_ids: list[int], text: str) -> None:
    for uid in User.objects.filter(organization_id__in=unit_ids, is_active=True).values_list(
            "pk", flat=True):
        ctx.notify.append((uid, text))


def notify_relation(ctx: Context, relation: str, text: str) -> None:
    for uid in relation_users(ctx.case, relation):
        ctx.notify.append((uid, text))


def notify_office(ctx: Context, text: str) -> None:
    notify_relation(ctx, "office", text)


def notify_raiser(ctx: Context, text: str) -> None:
    from lvzhi.cases.kinds import get_kind

    notify_relation(ctx, get_kind(ctx.case.kind).relations.raiser, text)
