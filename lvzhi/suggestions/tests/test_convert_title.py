"""A motion converted to a suggestion (议案转建议): the new suggestion is titled as a suggestion,
the motion keeps the title its deputies gave it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.suggestions.services import create_draft
from lvzhi.suggestions.workflow import converted_title
from lvzhi.testing import SUGGESTION_BODY

pytestmark = pytest.mark.django_db

MOTION = {"kind": "motion", "body": SUGGESTION_BODY, "category": "城乡建设",
          "cause": "老旧小区加装电梯推进缓慢，群众反映强烈。",
          "basis": "根据住房和城乡建设部有关老旧小区改造的指导意见及本市实施方案。",
          "plan": "制定本市既有住宅加装电梯条例，明确审批、补贴和协商程序。"}


def _converted(world, title: str) -> tuple[Case, Case]:
    signers = world.deputies[1:10]  # with the lead, the ten deputies a motion needs
    motion = create_draft(world.deputy_user, {**MOTION, "title": title,
                                              "cosigners": [d.pk for d in signers]},
                          session=world.session)
    fire(motion, "submit", world.deputy_user)
    for d in signers:
        fire(motion, "confirm_cosign", d.user)
    fire(motion, "convert", world.clerk, {"reason": "内容属于工作建议，不属于本级人大职权范围内的议案"})
    motion.refresh_from_db()
    return motion, motion.converted_to


def test_the_new_suggestion_reads_de_jianyi_and_the_motion_keeps_its_title(world, client):
    motion, suggestion = _converted(world, "关于制定既有住宅加装电梯条例的议案")
    assert suggestion.kind == "suggestion"
    assert suggestion.title == "关于制定既有住宅加装电梯条例的建议"
    assert motion.title == "关于制定既有住宅加装电梯条例的议案"
    client.force_login(world.clerk)
    html = client.get(reverse("cases:detail", args=[suggestion.pk])).content.decode()
    assert "关于制定既有住宅加装电梯条例的建议" in html


def test_a_title_not_ending_in_de_yian_is_kept(world):
    _, suggestion = _converted(world, "加快制定既有住宅加装电梯条例")
    assert suggestion.title == "加快制定既有住宅加装电梯条例"


@pytest.mark.parametrize("title, expected", [
    ("关于设立议案办理专项资金的议案", "关于设立议案办理专项资金的建议"),  # only the ending changes
    ("关于议案的办理", "关于议案的办理"),
    ("的议案", "的建议"),
])
def test_only_the_ending_de_yian_is_replaced(title, expected):
    assert converted_title(title) == expected
