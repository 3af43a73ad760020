"""Cases made from real citizens' messages (messages_dev.csv), driven through the engine."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from lvzhi import realdata
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.suggestions.services import create_draft
from lvzhi.testing import World

# Category of the real message → the world's unit that handles it.
CATEGORY_UNITS = {"城乡建设": "市住房和城乡建设局", "交通运输": "市交通运输局", "教育文体": "市教育局",
                  "卫生计生": "市卫生健康委员会", "环境保护": "市生态环境局"}


@dataclass(frozen=True)
class RealMessage:
    id: str
    title: str
    body: str
    label: str


def real_messages(per_label: int, skip: int = 0) -> dict[str, list[RealMessage]]:
    """The first ``per_label`` usable rows of each label (after ``skip``), in file order."""
    out: dict[str, list[RealMessage]] = {k: [] for k in CATEGORY_UNITS}
    seen: dict[str, int] = dict.fromkeys(CATEGORY_UNITS, 0)
    with realdata.open_csv("messages_dev", settings.DATA_DIR) as f:
        for row in csv.DictReader(f):
            label = row["label"]
            title, body = row["title"].strip(), row["body"].strip()
            if label not in out or len(out[label]) >= per_label or len(title) < 5 or len(body) < 60:
                continue
            seen[label] += 1
            if seen[label] <= skip:
                continue
            out[label].append(RealMessage(row["id"], title[:80], body[:1500], label))
    return out


def setup_units(world: World) -> dict[str, Organization]:
    """One unit per category: the world's units get their fields, the others are added."""
    units = {u.name: u for u in world.units}
    for category, name in CATEGORY_UNITS.items():
        unit = units.get(name) or Organization.objects.create(
            congress=world.congress, kind=OrganizationKind.UNIT, name=name, field=category)
        unit.field = category
        unit.save(update_fields=["field"])
        units[name] = unit
    # The world's 自然资源 unit keeps field 城乡建设 but never led anything: the history decides.
    return {c: units[n] for c, n in CATEGORY_UNITS.items()}


def deputies(world: World) -> Iterator:
    i = 0
    while True:
        yield world.deputies[i % len(world.deputies)].user
        i += 1


def make_case(world: World, deputy_user, msg: RealMessage, state: str = "registered",
              unit: Organization | None = None, confidential: bool = False) -> Case:
    case = create_draft(deputy_user, {"kind": "suggestion", "title": msg.title, "body": msg.body,
                                      "category": msg.label, "cosigners": [],
                                      "confidential": confidential}, session=world.session)
    if state == "draft":
        return case
    fire(case, "submit", deputy_user)
    if state == "submitted":
        return case
    fire(case, "register", world.clerk, {"category": msg.label})
    if state == "handling":
        fire(case, "assign", world.clerk, {"mode": "lead", "lead": unit.pk})
    case.refresh_from_db()
    return case


def build_history(world: World, per_label: int) -> dict[str, Organization]:
    """``per_label`` assigned cases per category, each led by its category's unit."""
    units = setup_units(world)
    who = deputies(world)
    for label, msgs in real_messages(per_label).items():
        for m in msgs:
            make_case(world, next(who), m, "handling", units[label])
    return units
