"""签收: a unit confirms it has received its assignment. Nothing waits on it — the unit may
contact, reply or ask for reassignment before signing for it — but the case page shows
已签收/未签收 and the to-do lists count what is still 待签收 (received_at IS NULL)."""

from __future__ import annotations

from lvzhi.cases.handling.common import AssignmentField, own_assignments
from lvzhi.cases.handling.states import HANDLING
from lvzhi.cases.models import Assignment, AssignmentState
from lvzhi.cases.workflow import Context, TransitionForm, transition


class AcknowledgeForm(TransitionForm):
    assignment = AssignmentField(label="签收的交办", queryset=Assignment.objects.none(),
                                 error_messages={"required": "请选择要签收的交办",
                                                 "invalid_choice": "该交办已签收或不属于本单位"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, state=AssignmentState.HANDLING, received_at__isnull=True)


def acknowledge_effect(ctx: Context) -> None:
    a: Assignment = ctx.data["assignment"]
    a.received_at, a.received_by = ctx.now, ctx.actor
    a.save(update_fields=["received_at", "received_by"])
    ctx.payload.update(unit=a.unit.name, role=a.get_role_display())


def transitions(spec) -> list:
    return [transition("acknowledge", "签收", [HANDLING], None, list(spec.handler_relations),
                       form=AcknowledgeForm, effect=acknowledge_effect, style="outline-primary")]
