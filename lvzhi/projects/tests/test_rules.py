"""The counting rules a congress clerk checks the result against (RULES.md §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.projects import rules
from lvzhi.projects.models import Threshold, TieRule

ORDER = [str(i) for i in range(1, 13)]


def test_ranked_by_votes_and_the_first_n_chosen():
    counts = {c: 40 - i for i, c in enumerate(ORDER)}  # 40, 39, … 29
    out = rules.decide(counts, ORDER, 10, 40, TieRule.REVOTE)
    assert out.chosen == ORDER[:10] and not out.tied


def test_all_deputies_threshold_is_strictly_more_than_half():
    counts = {"1": 21, "2": 20, "3": 30}
    out = rules.decide(counts, ["1", "2", "3"], 2, 40, TieRule.REVOTE)
    assert out.chosen == ["3", "1"]  # 20 of 40 is not 过半数
    out = rules.decide(counts, ["1", "2", "3"], 3, 40, TieRule.REVOTE)
    assert out.chosen == ["3", "1"]  # a place may stay empty rather than go below the threshold


def test_present_and_no_threshold():
    assert rules.threshold_base(Threshold.ALL_DEPUTIES, 50, 41) == 50
    assert rules.threshold_base(Threshold.PRESENT_DEPUTIES, 50, 41) == 41
    assert rules.threshold_base(Threshold.NONE, 50, 41) is None
    out = rules.decide({"1": 3, "2": 0, "3": 1}, ["1", "2", "3"], 3, None, TieRule.REVOTE)
    assert out.chosen == ["1", "3"]  # no threshold still asks for one vote


def test_a_tie_at_the_cut_off_goes_to_a_revote_among_the_tied():
    counts = dict.fromkeys(ORDER[:8], 35) | {"9": 30, "10": 30, "11": 30, "12": 10}
    out = rules.decide(counts, ORDER, 10, 40, TieRule.REVOTE)
    assert out.chosen == ORDER[:8]
    assert out.tied == ["9", "10", "11"] and out.revote_places == 2


def test_a_tie_that_fills_the_places_exactly_is_no_tie():
    counts = dict.fromkeys(ORDER[:8], 35) | {"9": 30, "10": 30, "11": 29, "12": 10}
    out = rules.decide(counts, ORDER, 10, 40, TieRule.REVOTE)
    assert out.chosen == ORDER[:10] and not out.tied


def test_smaller_budget_first_breaks_the_tie_and_an_equal_budget_still_revotes():
    counts = {"1": 30, "2": 25, "3": 25, "4": 25}
    budgets = {"1": Decimal(500), "2": Decimal(300), "3": Decimal(200), "4": Decimal(300)}
    out = rules.decide(counts, ["1", "2", "3", "4"], 2, 40, TieRule.SMALLER_BUDGET, budgets)
    assert out.chosen == ["1", "3"] and not out.tied
    out = rules.decide(counts, ["1", "2", "3", "4"], 3, 40, TieRule.SMALLER_BUDGET, budgets)
    # 2 and 4 share a budget of 300 for the one place left: they vote again
    assert out.chosen == ["1", "3"] and out.tied == ["2", "4"] and out.revote_places == 1


def test_progress_is_weighted_and_lagging_is_flagged():
    assert rules.progress([(3, True), (1, False)]) == 75
    assert rules.progress([]) == 0
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    mid = dt.date(2026, 7, 2)
    assert rules.time_share(start, end, mid) == 50  # 182 of 364 days
    assert rules.lagging(30, start, end, mid, 0) is True  # 30 + 15 < 50
    assert rules.lagging(40, start, end, mid, 0) is False
    assert rules.lagging(90, start, end, mid, 1) is True  # a milestone overdue
    assert rules.lagging(100, start, end, dt.date(2027, 3, 1), 0) is False


def test_unknown_rules_are_refused():
    with pytest.raises(ValueError):
        rules.threshold_base("two_thirds", 10, 10)
    with pytest.raises(ValueError):
        rules.decide({"1": 9, "2": 9}, ["1", "2"], 1, None, "coin")
