from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lvzhi.projects import services
from lvzhi.projects.models import ProjectRound, Stage
from lvzhi.testing import World

YEAR = 2026
START, END = dt.date(YEAR, 3, 1), dt.date(YEAR, 11, 30)


def new_round(world: World, places: int = 10, **rules) -> ProjectRound:
    return services.create_round(world.office_clerk, world.congress, year=YEAR, places=places, **rules)


def add_candidates(world: World, rnd: ProjectRound, n: int) -> None:
    for i in range(n):
        services.add_candidate(world.handlers[0], rnd, title=f"候选项目{i + 1}", budget_wan=Decimal(100 + 10 * i),
                               department=world.units[i % len(world.units)], location="城东区",
                               start_on=START, end_on=END, expected="惠及居民")


def in_review(world: World, n: int = 12, places: int = 10, **rules) -> ProjectRound:
    rnd = new_round(world, places, **rules)
    services.advance(world.office_clerk, rnd, Stage.SCREENING)
    add_candidates(world, rnd, n)
    return services.advance(world.office_clerk, rnd, Stage.REVIEW)
