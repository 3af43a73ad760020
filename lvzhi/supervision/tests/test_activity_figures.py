"""The demo fills every form, and the figures count the topics behind them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.supervision import activity_demo, activity_figures
from lvzhi.supervision import activity_services as services
from lvzhi.supervision.models import Topic

pytestmark = pytest.mark.django_db


def test_the_demo_fills_each_form_and_the_figures_trace_to_its_topics(world):
    filled = activity_demo.build(world.congress)
    assert set(filled) == {"work_report", "law_inspection", "inquiry", "appraisal", "research", "visit"}
    ids, today = [world.congress.pk], timezone.localdate()
    start, end = today - dt.timedelta(days=200), today + dt.timedelta(days=200)  # any day of the year
    titles = {f.code: sorted(t.title for t in f.cases(ids, start, end)) for f in activity_figures.FIGURES}
    # only the report whose meeting is past was heard; the one 12 days ahead is not
    assert titles["supervision_reports_heard"] == ["全市住宅小区物业管理工作情况"]
    assert titles["supervision_inspections"] == ["《中华人民共和国大气污染防治法》实施情况"]
    assert titles["supervision_inquiries"] == ["城市内涝治理工作"]
    assert len(titles["supervision_appraisals"]) == 1
    assert len(titles["supervision_research"]) == 2
    # the late draft shows red on the upcoming report
    upcoming = Topic.objects.get(title="老旧小区改造工作情况")
    draft = next(r for r in services.step_rows(upcoming) if r.code == "draft")
    assert draft.light == "red"
    (judges,) = [t for t in Topic.objects.filter(form="appraisal")]
    grades = [r.grade for r in services.appraisal_results(judges)]
    assert grades[0] == "优秀" and grades[-1] in ("基本称职", "不称职")
