"""Saving a warning rule's settings: the 预算工委 enables or disables a rule and sets its
thresholds; the values go into RuleSet.params["budget_warnings"][code], with an event in the
congress's audit chain (subject "budget_rules", the rule set) saying who changed what from what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.budget import permissions
from lvzhi.budget.rules import BY_CODE, PARAM, RESERVE, parse_value, settings_for
from lvzhi.budget.rules_facts import short
from lvzhi.cases.events import append_subject_event
from lvzhi.cases.models import RuleSet
from lvzhi.core.models import Congress, User

SUBJECT = "budget_rules"


class RuleRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _jsonable(value: Any) -> Any:
    """As stored: a number as text without trailing zeros, so "10.00" typed over 10 is no change."""
    return short(value) if isinstance(value, Decimal) else value


def save_rule(user: User, congress: Congress, code: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Set one rule's "enabled" and parameters from `raw` (form text or values); all or nothing.
    A parameter missing from `raw` keeps its current value; a bool missing is False (an unticked box)."""
    if not permissions.may_set_rules(user) or user.congress_id != congress.pk:
        raise RuleRefused("只有预算工委可以设置预警规则")
    r = BY_CODE.get(code)
    if r is None:
        raise RuleRefused("没有这条预警规则")
    current = settings_for(congress)[code]
    new: dict[str, Any] = {"enabled": _ticked(raw.get("enabled", False))}
    errors = []
    for p in r.params:
        if p.kind == "bool":
            new[p.name] = _ticked(raw.get(p.name, False))
            continue
        if p.name not in raw:
            new[p.name] = current[p.name]
            continue
        try:
            new[p.name] = parse_value(p, raw[p.name])
        except ValueError as exc:
            errors.append(str(exc))
    if not errors and code == RESERVE and new["low"] > new["high"]:
        errors.append("预备费比例的下限不能大于上限")
    if errors:
        raise RuleRefused(f"“{r.label}”未保存：" + "；".join(errors))
    stored = {k: _jsonable(v) for k, v in new.items()}
    before = {k: _jsonable(v) for k, v in current.items()}
    with transaction.atomic():
        rs, _ = RuleSet.objects.select_for_update().get_or_create(congress=congress)
        params = dict(rs.params or {})
        mine = dict(params.get(PARAM) or {})
        mine[code] = stored
        params[PARAM] = mine
        rs.params = params
        rs.save(update_fields=["params"])
        if stored != before:
            changed = {k: {"原": before.get(k), "新": v} for k, v in stored.items() if before.get(k) != v}
            append_subject_event(SUBJECT, rs.pk, congress.pk, user, "budget_rule_set", f"修改预警规则：{r.label}",
                                 payload={"rule": code, "changed": changed}, at=timezone.now())
    return settings_for(congress)[code]


def _ticked(raw: Any) -> bool:
    """A checkbox: present and on, or a True given by code."""
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in ("1", "true", "on", "yes")
