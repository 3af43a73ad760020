"""The annual figures page: every kind's registered figures, each traceable to its cases."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from lvzhi.cases.kinds import all_kinds
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def page_of(user, url):
    c = Client()
    c.force_login(user)
    return c.get(url)


def test_every_registered_figure_is_listed_and_traces_to_its_cases(world):
    closed = to_state(world, draft(world, title="关于加快老旧小区加装电梯的建议"), "closed")
    handling = to_state(world, draft(world, 3, title="关于增设城东公交线路的建议"), "handling")
    draft(world, 5, title="关于尚在起草的建议")  # a draft is nobody's figure yet
    year = timezone.localdate().year
    html = page_of(world.leader, f"/reports/annual/?year={year}").content.decode()
    for kind in all_kinds():
        for f in kind.figures:
            assert f'data-figure="{f.code}"' in html, f.code
    counts = dict(re.findall(r'data-figure="(\w+)">(\d+)<', html))
    assert counts["suggestions_received"] == "2"
    assert counts["suggestions_assigned"] == "2"
    trace = page_of(world.leader, f"/reports/annual/suggestion/suggestions_received/?year={year}").content.decode()
    assert closed.title in trace and handling.title in trace and "尚在起草" not in trace
    assert page_of(world.leader, "/reports/annual/suggestion/nonsense/").status_code == 404
    assert page_of(world.deputy_user, "/reports/annual/").status_code == 403
