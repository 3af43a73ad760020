"""Recording a version of a regulation: the one place a regulation's status follows its versions.

The registry (an existing regulation entered or imported) and a bill's publication both call
`record_version`; neither writes RegulationVersion or Regulation.status itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import User
from lvzhi.legislation import articles
from lvzhi.legislation.choices import Action, RegulationStatus
from lvzhi.legislation.models import Regulation, RegulationVersion

SUBJECT = "regulation"


def regulation_event(regulation: Regulation, actor: User | None, name: str, label: str, *,
                     payload: dict[str, Any] | None = None, now: dt.datetime | None = None,
                     before: str = "") -> None:
    """One event on the regulation's chain (its timeline reads these too)."""
    append_subject_event(SUBJECT, regulation.pk, regulation.congress_id, actor, name, label,
                         payload={"title": regulation.title, **(payload or {})}, at=now or timezone.now(),
                         from_state=before, to_state=regulation.status)


@transaction.atomic
def record_version(regulation: Regulation, action: str, adopted_on: dt.date, *, text: str = "",
                   decision: str = "", actor: User | None = None, now: dt.datetime | None = None,
                   **dates: Any) -> RegulationVersion:
    """Add one 制定 / 修改 / 修正 / 修订 / 废止 to a regulation. `dates` may carry the version's other
    fields (approved_on, approval_decision, gazette_issue, gazette_on, website_on, newspaper,
    newspaper_on, effective_on, bill). A version with a text must parse into articles."""
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    if action not in Action.values:
        raise InvalidInput("立法行为不正确")
    has_versions = regulation.versions.exists()
    if action == Action.ENACT and has_versions:
        raise InvalidInput(f"《{regulation.title}》已有制定版本，再次登记请选择修改、修正或修订")
    if action != Action.ENACT and not has_versions:
        raise InvalidInput(f"《{regulation.title}》还没有制定版本，请先登记制定")
    if regulation.status == RegulationStatus.REPEALED:
        raise InvalidInput(f"《{regulation.title}》已废止，不能再登记版本")
    last = regulation.versions.order_by("-adopted_on", "-pk").first()
    if last is not None and adopted_on < last.adopted_on:
        raise InvalidInput(f"通过日期不能早于上一版本（{last.adopted_on:%Y年%-m月%-d日}）")
    text = (text or "").strip()
    if action != Action.REPEAL:
        if not text:
            raise InvalidInput("请填写法规全文")
        if not articles.parse(text).articles:
            raise InvalidInput("全文中没有找到“第一条”这样的条文，请检查格式")
    fields = {k: v for k, v in dates.items() if v not in (None, "")}
    unknown = set(fields) - {f.name for f in RegulationVersion._meta.fields}
    if unknown:
        raise TypeError(f"RegulationVersion has no field {sorted(unknown)}")
    version = RegulationVersion.objects.create(regulation=regulation, action=action, adopted_on=adopted_on,
                                               text=text, decision=decision, **fields)
    before = regulation.status
    regulation.status = RegulationStatus.REPEALED if action == Action.REPEAL else RegulationStatus.IN_FORCE
    regulation.save(update_fields=["status"])
    regulation_event(regulation, actor, f"version_{action}", f"登记{version.get_action_display()}版本",
                     payload={"version": version.pk, "adopted_on": adopted_on.isoformat()}, now=now, before=before)
    return version
