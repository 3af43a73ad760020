from __future__ import annotations

import pytest

from lvzhi.supervision.models import Topic, TopicForm
from lvzhi.testing import World, make_user
from lvzhi.votes import services
from lvzhi.votes.models import MemberTitle, SatisfactionVote, StandingMember


def add_members(world: World, extra: int = 0) -> list[StandingMember]:
    """The leader and every deputy's account as members, plus `extra` new member accounts."""
    users = [world.leader] + [d.user for d in world.deputies]
    users += [make_user(f"member{world.congress.pk}_{i}", "deputy", world.congress, name=f"委员{i}")
              for i in range(extra)]
    return [StandingMember.objects.create(congress=world.congress, user=u, sort_order=i,
                                          title=MemberTitle.CHAIR if i == 0 else MemberTitle.MEMBER)
            for i, u in enumerate(users)]


def new_vote(world: World, title: str = "对市人民政府关于住宅小区物业管理工作情况报告的满意度测评") -> SatisfactionVote:
    topic = Topic.objects.create(congress=world.congress, year=2026, title="听取和审议住宅小区物业管理工作情况的报告",
                                 form=TopicForm.WORK_REPORT, lead_committee=world.committee)
    return services.create_vote(world.office_clerk, title=title, topic=topic)


@pytest.fixture
def members(world) -> list[StandingMember]:
    return add_members(world)  # 13: the leader and 12 deputies


@pytest.fixture
def vote(world, members) -> SatisfactionVote:
    return new_vote(world)


@pytest.fixture
def open_vote(world, vote) -> SatisfactionVote:
    return services.open_vote(vote, world.office_clerk)
