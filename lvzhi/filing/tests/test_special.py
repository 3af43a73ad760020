"""专项审查: documents selected by subject, kind and year; a batch of conclusions recorded all or
nothing; reported to the 主任会议 only when every document has a conclusion; then closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.filing import report_figures, special, states
from lvzhi.filing.choices import Criterion, DocKind
from lvzhi.filing.models import ItemConclusion, SpecialItem, SpecialReview, SpecialState

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    from lvzhi.filing.testing import add_filing_world

    return add_filing_world(world)
JUNE = timezone.make_aware(dt.datetime(2025, 6, 10, 10))


@pytest.fixture
def docs(world, fw):
    a = make(world, "民营经济、营商环境")
    b = make(world, "民营经济")
    c = make(world, "民族宗教")
    unregistered = make(world, "民营经济", state=states.FILED)
    return a, b, c, unregistered


def make(world, subjects: str, state: str = states.REGISTERED):
    from lvzhi.filing.testing import make_filing

    return make_filing(world, state=state, now=JUNE, subjects=subjects)


def test_select_by_subject_then_batch_and_report(world, fw, docs):
    a, b, _c, _unregistered = docs
    review = special.create(world.congress, fw.law_clerk, title="涉及民营经济的规范性文件专项审查",
                            trigger="policy", subject="民营经济", year=2025)
    items = {i.filing.case_id: i for i in review.items.select_related("filing")}
    assert set(items) == {a.pk, b.pk}  # not the other subject, not the one still at form review

    batch = {items[a.pk].pk: {"conclusion": "problem", "criterion": Criterion.UPPER_LAW,
                              "reason": "对民营企业设置歧视性准入条件。", "handling": "amend"},
             items[b.pk].pk: {"conclusion": "problem", "criterion": Criterion.UPPER_LAW, "reason": "",
                              "handling": "amend"}}
    with pytest.raises(InvalidInput, match="请写明理由"):
        special.record(review, fw.law_clerk, batch)
    assert not SpecialItem.objects.exclude(conclusion=ItemConclusion.PENDING).exists()  # all or nothing
    batch[items[b.pk].pk] = {"conclusion": "no_problem"}
    assert special.record(review, fw.law_clerk, batch) == 2

    with pytest.raises(InvalidInput, match="不能晚于今天"):
        special.report(review, fw.law_clerk, reported_on=timezone.localdate() + dt.timedelta(days=1), text="情况")
    special.report(review, fw.law_clerk, reported_on=dt.date(2025, 11, 3), text="审查2件，发现问题1件，已督促修改。")
    with pytest.raises(WrongState):
        special.record(review, fw.law_clerk, batch)
    special.close(review, fw.law_clerk)
    review.refresh_from_db()
    assert review.state == SpecialState.CLOSED
    period = ([world.congress.pk], dt.date(timezone.localdate().year, 1, 1), dt.date(timezone.localdate().year, 12, 31))
    assert report_figures.special_reviews(*period).count() == 1
    assert report_figures.special_documents(*period).count() == 2
    assert report_figures.special_problems(*period).count() == 1


def test_report_refused_while_a_document_has_no_conclusion(world, fw, docs):
    review = special.create(world.congress, fw.law_clerk, title="铸牢中华民族共同体意识专项审查",
                            trigger="policy", criterion=Criterion.ETHNIC_UNITY, doc_kind=DocKind.ADMIN_NORMATIVE)
    assert review.items.count() == 3
    with pytest.raises(InvalidInput, match="还有3件文件未作出审查结论"):
        special.report(review, fw.law_clerk, reported_on=dt.date(2025, 11, 3), text="情况")
    with pytest.raises(WrongState):
        special.close(review, fw.law_clerk)


def test_bad_selection_is_refused_in_chinese(world, fw, docs):
    with pytest.raises(InvalidInput, match="没有找到已登记的备案文件"):
        special.create(world.congress, fw.law_clerk, title="无", trigger="policy", subject="航空航天")
    with pytest.raises(InvalidInput, match="至少按"):
        special.create(world.congress, fw.law_clerk, title="无", trigger="policy")
    assert not SpecialReview.objects.exists()


def test_batch_on_the_page(client, world, fw, docs):
    a, _b, c, _ = docs
    client.force_login(fw.law_clerk)
    resp = client.post(reverse("filing:specials"), {"title": "民营经济专项审查", "trigger": "policy",
                                                    "subject": "民营经济"}, follow=True)
    page = resp.content.decode()
    assert "已启动专项审查" in page and a.title in page and c.title not in page
    review = SpecialReview.objects.get()
    data = {"action": "record"}
    for item in review.items.all():
        data[f"conclusion_{item.pk}"] = "no_problem"
    resp = client.post(review.get_absolute_url(), data, follow=True)
    assert "审查结论已保存" in resp.content.decode()
    assert review.items.filter(conclusion="no_problem").count() == 2
    client.force_login(fw.govfiler)
    assert client.get(review.get_absolute_url()).status_code == 403
