"""销号 and 回头看: the closer approves the close-out or sends it back; after closing, the office
revisits and may reopen. Both only where the kind's HandlingSpec asks for them."""

from __future__ import annotations

from django import forms

from lvzhi.cases import deadlines
from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.handling.evaluation import reopen
from lvzhi.cases.handling.replies import close
from lvzhi.cases.handling.states import CLOSED, REPLIED
from lvzhi.cases.workflow import Context, TransitionForm, transition


class CloseOutForm(TransitionForm):
    approve = forms.TypedChoiceField(label="审定结果", choices=[("1", "同意销号"), ("0", "退回继续办理")],
                                     coerce=lambda v: v == "1",
                                     error_messages={"required": "请选择审定结果：同意销号或退回继续办理"})
    note = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and len(data.get("note") or "") < 5:
            raise forms.ValidationError("退回继续办理时请写明理由（至少5个字）")
        return data


def close_out_effect(ctx: Context) -> str:
    ctx.payload.update(approved=ctx.data["approve"], note=ctx.data.get("note", ""))
    if ctx.data["approve"]:
        return close(ctx)
    return reopen(ctx, f"销号未获同意（{ctx.data.get('note', '')}）")


class RevisitForm(TransitionForm):
    finding = forms.CharField(label="回头看情况", min_length=10, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"min_length": "回头看情况至少写10个字"})
    reopen = forms.TypedChoiceField(label="结论", choices=[("0", "整改到位，保持销号"),
                                                         ("1", "问题反弹，重新交办")],
                                    coerce=lambda v: v == "1",
                                    error_messages={"required": "请选择回头看结论"})


def revisit_effect(ctx: Context) -> str | None:
    deadlines.meet_clocks(ctx.case, [DeadlineKind.REVISIT], ctx.now)
    ctx.payload.update(finding=ctx.data["finding"][:300], reopened=ctx.data["reopen"])
    if not ctx.data["reopen"]:
        return None
    ctx.case.closed_at = None
    return reopen(ctx, "回头看发现问题反弹")


def transitions(spec) -> list:
    rows = []
    if spec.closer and not spec.evaluator:
        rows.append(transition("close_out", "审定销号", [REPLIED], None, [spec.closer],
                               form=CloseOutForm, effect=close_out_effect, style="success"))
    if spec.revisit:
        rows.append(transition("revisit", "回头看", [CLOSED], None, ["office"], form=RevisitForm,
                               effect=revisit_effect, style="outline-primary"))
    return rows
