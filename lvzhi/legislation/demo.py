"""The demo's legislative year, in the order the records depend on each other: the registry's
regulations first (bills amend them), then the plan and its bills, then public comment on the two
bills in reading and the contact points."""

from __future__ import annotations

from typing import Any

from lvzhi.legislation import comment_demo, plan_demo, registry_demo


def build(builder: Any) -> None:
    registry_demo.build_demo(builder)
    plan_demo.build_demo(builder)
    comment_demo.build_demo(builder)
