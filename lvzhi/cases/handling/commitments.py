"""承诺事项: promises made in an accepted reply, followed until the unit reports them kept."""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.handling.common import notify_raiser
from lvzhi.cases.handling.states import CLOSED, HANDLING, REPLIED
from lvzhi.cases.models import Commitment, CommitmentState
from lvzhi.cases.workflow import Context, TransitionForm, transition


class KeepCommitmentForm(TransitionForm):
    commitment = forms.ModelChoiceField(label="承诺事项", queryset=Commitment.objects.none())
    note = forms.CharField(label="落实情况", min_length=5, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Commitment.objects.filter(case=self.case, state=CommitmentState.OPEN)
        if self.actor is not None and self.actor.organization_id:
            qs = qs.filter(unit_id=self.actor.organization_id)
        self.fields["commitment"].queryset = qs


def keep_commitment_effect(ctx: Context) -> None:
    c: Commitment = ctx.data["commitment"]
    c.state, c.kept_at, c.kept_note = CommitmentState.KEPT, ctx.now, ctx.data["note"]
    c.save(update_fields=["state", "kept_at", "kept_note"])
    clock = deadlines.open_clocks(ctx.case, [DeadlineKind.COMMITMENT]).filter(
        fixed_due_on=c.due_on, assignment__unit_id=c.unit_id).first()
    if clock:
        clock.met_at = ctx.now
        clock.save(update_fields=["met_at"])
    ctx.payload.update(commitment=c.text, note=c.kept_note)
    notify_raiser(ctx, f"承诺事项已落实：{c.text}")


def transitions(spec) -> list:
    return [transition("keep_commitment", "报告承诺落实", [HANDLING, REPLIED, CLOSED], None,
                       [*spec.handler_relations, *spec.head_relations], form=KeepCommitmentForm,
                       effect=keep_commitment_effect, style="outline-success")]
