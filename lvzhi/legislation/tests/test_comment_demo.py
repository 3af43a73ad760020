"""The demo's public comment: 30 contact points, the two drafts' periods, a few hundred comments in
every channel, duplicates grouped, about a third decided, the summary published; fast."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from lvzhi.legislation import plan_demo
from lvzhi.legislation.comment_demo import POINT_CLERK, build_demo
from lvzhi.legislation.comment_models import Channel, Comment, CommentPeriod, PeriodState
from lvzhi.legislation.comment_permissions import own_contact_points
from lvzhi.legislation.models import ContactPoint
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


def test_the_demo_reads_like_a_year_and_is_fast():
    world = build_world()
    law = add_law_bodies(world)
    builder = SimpleNamespace(city=world.congress, rng=random.Random(7), today=timezone.localdate(),
                              now=timezone.now(), orgs={o.name: o for o in world.congress.organizations.all()},
                              users={"lawclerk": law.law_clerk, "lawstaff": law.law_staff, "leader": world.leader})
    plan_demo.build_demo(builder)  # the two bills in reading the comment periods open on
    build_demo(builder)
    assert ContactPoint.objects.filter(congress=world.congress).count() == 30
    kinds = set(ContactPoint.objects.values_list("kind", flat=True))
    assert {"街道", "社区", "企业", "学校", "律师事务所", "行政村"} <= kinds
    periods = list(CommentPeriod.objects.order_by("pk"))
    assert len(periods) == 3 and [p.state for p in periods].count(PeriodState.OPEN) == 2
    published = next(p for p in periods if p.state == PeriodState.PUBLISHED)
    assert "共收到意见" in published.summary and published.days >= 30
    comments = Comment.objects.all()
    assert 250 <= comments.count() <= 500
    assert set(comments.values_list("channel", flat=True)) == set(Channel.values)
    decided = comments.exclude(outcome="").count()
    assert 0.25 < decided / comments.count() < 0.5
    assert comments.filter(duplicate_of__isnull=False).exists()
    assert comments.filter(adopted_in__isnull=False).exists()
    point_user = own_contact_points(world.congress.users.get(username=POINT_CLERK)).get()
    assert point_user.name == "东风街道基层立法联系点"
