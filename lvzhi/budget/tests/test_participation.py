"""Deputies' questions on the draft budget: a deputy asks, bad input is refused in Chinese with
nothing saved, the 预算工委 sends them to the 财经委, which sees and answers them; a deputy sees
only his or her own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lvzhi.budget import participation
from lvzhi.budget.models import BudgetQuestion
from lvzhi.budget.testing import budget_world
from lvzhi.budget.tests.test_selectors import EDU, Fixed, Y, build_fixed
from lvzhi.cases.models import Event

pytestmark = pytest.mark.django_db
DRAFT_YEAR = Y + 1


@pytest.fixture
def fixed(db) -> Fixed:
    return build_fixed(budget_world())


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _ask(c: Client, **data) -> str:
    r = c.post(f"{reverse('budget:draft')}?year={DRAFT_YEAR}", {"year": DRAFT_YEAR, **data}, follow=True)
    assert r.status_code == 200
    return r.content.decode()


def test_the_draft_page_shows_the_largest_changes_with_exports(fixed):
    c = _client(fixed.bw.world.deputy_user)
    page = c.get(reverse("budget:draft")).content.decode()  # the newest draft year by default
    assert "2027年预算草案主要变化" in page
    assert "2027年预算草案增加最多的部门" in page and "300.00" in page and "20.0" in page
    assert "市民政局" in page and "-550.00" in page and "-55.0" in page
    assert "212 城乡社区支出" in page and page.count("导出Excel") == 4
    assert c.get(f"{reverse('budget:export', args=['unit_down'])}?year={DRAFT_YEAR}").status_code == 200


def test_a_deputy_asks_and_sees_only_his_own(fixed):
    bw = fixed.bw
    first, second = bw.world.deputies[0], bw.world.deputies[1]
    page = _ask(_client(first.user), text="学前教育增加的300万元用于哪些幼儿园？", unit_code=EDU,
                function_code="2050201")
    assert "您的意见已提交" in page and "学前教育增加的300万元" in page
    q = BudgetQuestion.objects.get()
    assert (q.deputy, q.year, q.unit.code, q.function_code, q.sent_at) == (first, DRAFT_YEAR, EDU, "2050201", None)
    event = Event.objects.get(subject_type="budget_question", subject_id=q.pk)
    assert event.label == "提出预算意见"
    other = _client(second.user).get(f"{reverse('budget:draft')}?year={DRAFT_YEAR}").content.decode()
    assert "学前教育增加的300万元" not in other and "您还没有提出意见" in other
    assert _client(second.user).get(reverse("budget:questions")).status_code == 403


@pytest.mark.parametrize("data, message", [
    ({"text": "   "}, "请填写问题或意见的内容"),
    ({"text": "请说明", "function_code": "29999"}, "功能分类科目“29999”不在政府收支分类科目中"),
    ({"text": "请说明", "unit_code": "000000"}, "没有编码为“000000”的预算部门"),
    ({"text": "长" * 2001}, "问题或意见不能超过2000字"),
])
def test_bad_input_gets_a_chinese_message_and_nothing_is_saved(fixed, data, message):
    page = _ask(_client(fixed.bw.world.deputy_user), **data)
    assert message in page
    assert BudgetQuestion.objects.count() == 0 and not Event.objects.filter(subject_type="budget_question").exists()


def test_only_deputies_ask(fixed):
    with pytest.raises(participation.QuestionRefused, match="只有代表"):
        participation.ask(fixed.bw.officer, year=DRAFT_YEAR, text="x")
    r = _client(fixed.bw.officer).post(reverse("budget:draft"), {"year": DRAFT_YEAR, "text": "x"})
    assert r.status_code == 403 and BudgetQuestion.objects.count() == 0


def test_the_office_sends_them_and_the_finance_committee_answers(fixed):
    bw = fixed.bw
    for d, text in zip(bw.world.deputies[:3], ("民生支出能否再增加", "债务还本安排", "三公经费为何增长"), strict=True):
        participation.ask(d.user, year=DRAFT_YEAR, text=text)
    fc = _client(bw.committee_staff)
    assert "暂无代表意见" in fc.get(f"{reverse('budget:questions')}?year={DRAFT_YEAR}").content.decode()
    office = _client(bw.officer)
    page = office.get(f"{reverse('budget:questions')}?year={DRAFT_YEAR}").content.decode()
    assert "待送交3条" in page and "债务还本安排" in page
    # the finance committee cannot send; the office can, once
    assert fc.post(reverse("budget:questions"), {"year": DRAFT_YEAR}).status_code == 403
    page = office.post(reverse("budget:questions"), {"year": DRAFT_YEAR}, follow=True).content.decode()
    assert "已将3条代表意见送交财政经济委员会" in page
    assert set(BudgetQuestion.objects.values_list("sent_to", flat=True)) == {bw.finance_committee.pk}
    assert BudgetQuestion.objects.filter(sent_at__isnull=True).count() == 0
    page = office.post(reverse("budget:questions"), {"year": DRAFT_YEAR}, follow=True).content.decode()
    assert "2027年没有待送交的代表意见" in page
    page = fc.get(f"{reverse('budget:questions')}?year={DRAFT_YEAR}").content.decode()
    assert "民生支出能否再增加" in page and "三公经费为何增长" in page and "保存答复" in page
    q = BudgetQuestion.objects.get(text="三公经费为何增长")
    page = fc.post(reverse("budget:question_answer", args=[q.pk]), {"answer": "  "}, follow=True).content.decode()
    assert "请填写答复内容" in page
    q.refresh_from_db()
    assert q.answer == ""
    fc.post(reverse("budget:question_answer", args=[q.pk]), {"answer": "主要是公务用车更新，已压减接待费。"})
    q.refresh_from_db()
    assert q.answer == "主要是公务用车更新，已压减接待费。"
    mine = _client(q.deputy.user).get(f"{reverse('budget:draft')}?year={DRAFT_YEAR}").content.decode()
    assert "财经委答复" in mine and "已压减接待费" in mine
    assert office.post(reverse("budget:question_answer", args=[q.pk]), {"answer": "x"}).status_code == 403
    labels = list(Event.objects.filter(subject_type="budget_question", subject_id=q.pk).order_by("seq")
                  .values_list("label", flat=True))
    assert labels == ["提出预算意见", "送交财经委", "财经委答复"]


def test_a_unit_handler_sees_neither_the_draft_nor_the_questions(fixed):
    c = _client(fixed.bw.handlers[EDU])
    assert c.get(reverse("budget:draft")).status_code == 403
    assert c.get(reverse("budget:questions")).status_code == 403
