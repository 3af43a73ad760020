"""Clerks and deputies read scores in words, never as raw numbers (issue 8)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lvzhi.assist.templatetags.assist_words import percent, relevance_level, routing_level, similar_level
from lvzhi.assist.tests.conftest import deputies, make_case, real_messages, setup_units

pytestmark = pytest.mark.django_db
RAW_SCORE = re.compile(r"(?<![\d.])[01]\.\d{2}(?![\d])")


def test_levels_in_words() -> None:
    assert [routing_level(x) for x in (1.0, 0.61, 0.45, 0.1)] == ["高", "高", "中", "低"]
    assert [similar_level(x) for x in (0.9, 0.5, 0.36)] == ["高度相近", "较为相近", "部分相近"]
    assert [relevance_level(x) for x in (0.8, 0.3, 0.1)] == ["高", "中", "低"]
    assert percent(0.823) == "82%" and routing_level(None) == ""


def test_similar_panels_say_how_close_in_words(world, client):
    who = deputies(world)
    setup_units(world)
    original = real_messages(1)["城乡建设"][0]
    registered = make_case(world, next(who), original, "registered")
    client.force_login(world.deputies[5].user)
    panel = client.get(reverse("assist_similar"), {"title": original.title, "body": original.body}).content.decode()
    assert registered.title in panel and "高度相近" in panel
    assert not RAW_SCORE.search(panel), RAW_SCORE.search(panel)
    repost = make_case(world, next(who), original, "submitted")
    client.force_login(world.clerk)
    merge = client.get(reverse("assist_case_similar", args=[repost.pk])).content.decode()
    assert "相近程度" in merge and "高度相近" in merge and not RAW_SCORE.search(merge)
