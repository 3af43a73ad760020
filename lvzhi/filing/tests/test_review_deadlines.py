"""The deadline arithmetic on fixed dates across the 2025 国庆 调休 (Sunday 28 September and
Saturday 11 October were working days; 1–8 October a holiday)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Deadline
from lvzhi.cases.workflow import InvalidInput
from lvzhi.filing import clocks
from lvzhi.filing.intake import late_days
from lvzhi.filing.testing import file_document
from lvzhi.filing.tests import kind_fixtures

pytestmark = pytest.mark.django_db
fw = kind_fixtures.fw


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))


def rules_cal(fw):
    return deadlines.rules_for(fw.world.congress.pk, fresh=True), deadlines.calendar_for(fw.world.congress.pk)


def test_filing_due_rolls_past_the_holiday(fw):
    rules, cal = rules_cal(fw)
    # 5 September + 30 days = 5 October, a holiday: due on 9 October, the first working day.
    assert late_days(dt.date(2025, 9, 5), dt.date(2025, 10, 9), rules, cal) == (dt.date(2025, 10, 9), 0)
    assert late_days(dt.date(2025, 9, 5), dt.date(2025, 10, 10), rules, cal) == (dt.date(2025, 10, 9), 1)


def test_registration_before_national_day_and_the_five_working_days(fw):
    case = file_document(fw, now=at(2025, 9, 22), published_on=dt.date(2025, 9, 10))
    assert case.filing_detail.late_days == 0
    form = Deadline.objects.get(case=case, kind=clocks.FORM_REVIEW)
    assert form.due_on == dt.date(2025, 10, 9)  # 22 Sep + 10 days = 2 Oct (holiday) → 9 Oct
    fire(case, "register", fw.law_clerk, now=at(2025, 9, 26))
    distribute = Deadline.objects.get(case=case, kind=clocks.DISTRIBUTE)
    # Fri 26 Sep: Sun 28 (调休), Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    assert distribute.due_on == dt.date(2025, 10, 10)
    fire(case, "distribute", fw.law_clerk, {"committees": [fw.committees[0].pk]}, now=at(2025, 10, 9))
    review = Deadline.objects.get(case=case, kind=clocks.REVIEW)
    assert (review.start_on, review.due_on) == (dt.date(2025, 9, 26), dt.date(2025, 12, 26))
    opinion = Deadline.objects.get(case=case, kind=clocks.COMMITTEE_OPINION)
    assert opinion.due_on == dt.date(2025, 11, 10)  # 9 Oct + 30 = 8 Nov, a Saturday → Monday


def test_five_working_days_from_the_last_day_before_the_holiday(fw):
    _rules, cal = rules_cal(fw)
    # Tue 30 Sep: Thu 9, Fri 10, Sat 11 (调休), Mon 13, Tue 14 October.
    assert cal.add_workdays(dt.date(2025, 9, 30), 5) == dt.date(2025, 10, 14)


def test_extension_at_most_three_months(fw):
    case = file_document(fw, now=at(2025, 9, 22), published_on=dt.date(2025, 9, 10))
    fire(case, "register", fw.law_clerk, now=at(2025, 9, 26))
    fire(case, "distribute", fw.law_clerk, {"committees": [fw.committees[0].pk]}, now=at(2025, 9, 29))
    fire(case, "extend_review", fw.law_clerk, {"months": 2, "reason": "需征求省人大意见"}, now=at(2025, 12, 1))
    review = Deadline.objects.get(case=case, kind=clocks.REVIEW)
    assert review.due_on == dt.date(2026, 2, 26)
    with pytest.raises(InvalidInput) as e:
        fire(case, "extend_review", fw.law_clerk, {"months": 2, "reason": "仍需进一步研究论证"}, now=at(2026, 2, 1))
    assert "不得超过3个月" in e.value.message and "最多还可延长1个月" in e.value.message
    review.refresh_from_db()
    assert review.due_on == dt.date(2026, 2, 26)
    fire(case, "extend_review", fw.law_clerk, {"months": 1, "reason": "仍需进一步研究论证"}, now=at(2026, 2, 1))
    review.refresh_from_db()
    assert review.due_on == dt.date(2026, 3, 26)
