"""Issue 9's property: whatever the ballots and the configured rule, invalid ballots (none or
several grades) are not counted and the result follows the rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvzhi.votes import services
from lvzhi.votes.models import Grade, PassRule
from lvzhi.votes.tests.conftest import new_vote

pytestmark = pytest.mark.django_db

GRADES = [Grade.SATISFIED, Grade.BASIC, Grade.UNSATISFIED]
paper = st.one_of(st.just([]), st.lists(st.sampled_from(GRADES), min_size=1, max_size=3, unique=True))


def expected(rule: str, electorate: int, papers: list[list[str]]) -> bool:
    """The rule in its own words, in fractions, from the papers themselves."""
    valid = [p[0] for p in papers if len(p) == 1]
    satisfied = Fraction(valid.count(Grade.SATISFIED))
    half_members = Fraction(electorate, 2)
    if rule == PassRule.SATISFIED_OVER_HALF_MEMBERS:
        return satisfied > half_members
    if rule == PassRule.SATISFIED_PLUS_BASIC_OVER_HALF_MEMBERS:
        return satisfied + valid.count(Grade.BASIC) > half_members
    return bool(valid) and satisfied > Fraction(len(valid), 2)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(papers=st.lists(paper, max_size=13), rule=st.sampled_from(PassRule.values))
def test_result_follows_the_rule_and_invalid_ballots_are_not_counted(world, members, papers, rule):
    services.set_rules(world.congress, levels=3, pass_rule=rule, re_report_months=6)
    vote = services.open_vote(new_vote(world), world.office_clerk)
    for member, p in zip(members, papers, strict=False):
        assert services.cast(vote, member, p).valid is (len(p) == 1)
    vote = services.close_vote(vote, world.office_clerk)
    singles = [p[0] for p in papers if len(p) == 1]
    assert {g: vote.count(g) for g in GRADES} == {g: singles.count(g) for g in GRADES}
    assert vote.invalid_count == len(papers) - len(singles) and vote.cast_count == len(papers)
    assert vote.passed is expected(rule, len(members), papers)
    assert (vote.re_report_due_on is None) is vote.passed
