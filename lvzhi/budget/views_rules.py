"""The warning rules' settings page: every rule with its basis and parameters; the 预算工委
enables, disables and sets thresholds (through rules_settings.save_rule), others read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from lvzhi.budget import permissions, rules
from lvzhi.budget.forms_rules import RuleForm
from lvzhi.budget.rules_facts import short
from lvzhi.budget.rules_settings import SUBJECT, RuleRefused, save_rule
from lvzhi.cases.events import subject_events
from lvzhi.cases.models import RuleSet
from lvzhi.core.models import Congress
from lvzhi.core.validation import summary


def _shown(p: rules.Param, value: Any) -> str:
    """A parameter's value as a reader sees it: "10个百分点", "按月", "是"."""
    if p.kind == "bool":
        return "是" if value else "否"
    if p.kind == "choice":
        return dict(p.choices).get(value, str(value))
    text = short(value) if isinstance(value, Decimal) else str(value)
    return f"{text}{p.unit}"


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.may_read_rules(user):
        raise PermissionDenied("您无权查看预警规则设置")
    congress = Congress.objects.get(pk=user.congress_id)
    editable = permissions.may_set_rules(user)
    bound: RuleForm | None = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("只有预算工委可以设置预警规则")
        r = rules.BY_CODE.get(request.POST.get("rule", ""))
        if r is None:
            messages.error(request, "没有这条预警规则，请刷新页面后重试")
        else:
            bound = RuleForm(r, request.POST)
            if bound.is_valid():
                try:
                    save_rule(user, congress, r.code, bound.cleaned_data)
                except RuleRefused as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, f"已保存“{r.label}”的设置，下次运行预警规则时按新设置执行。")
                    return redirect(f"{reverse('budget:rules')}#rule-{r.code}")
            else:
                messages.error(request, summary(bound.errors, f"“{r.label}”未保存"))
    settings = rules.settings_for(congress)
    items = []
    for r in rules.RULES:
        values = settings[r.code]
        form = None
        if editable:
            form = bound if bound is not None and bound.rule.code == r.code else RuleForm(r, initial=values)
        items.append({"rule": r, "enabled": values["enabled"], "form": form,
                      "params": [(p, _shown(p, values[p.name])) for p in r.params]})
    rs = RuleSet.objects.filter(congress=congress).only("pk").first()
    history = [_change(e) for e in subject_events(SUBJECT, rs.pk).order_by("-seq")[:20]] if rs else []
    return render(request, "budget/rules/list.html", {"items": items, "editable": editable, "history": history})


def _change(event) -> dict[str, Any]:
    """One audited change as a sentence: "低于序时进度超过：10 → 12；启用：是 → 否"."""
    r = rules.BY_CODE.get(event.payload.get("rule", ""))
    labels = {p.name: p.label for p in r.params} if r else {}
    labels["enabled"] = "启用"
    parts = []
    for name, change in (event.payload.get("changed") or {}).items():
        old, new = (("是" if v else "否") if isinstance(v, bool) else v for v in (change.get("原"), change.get("新")))
        parts.append(f"{labels.get(name, name)}：{old} → {new}")
    return {"at": event.at, "who": event.actor_label, "label": event.label, "text": "；".join(parts)}
