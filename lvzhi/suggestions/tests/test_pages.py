"""The pages each role uses, driven through Django's test client on real data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.cases.models import Event
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)  # the password path and its lockout are tested in lvzhi/core/tests
    return client


def test_deputy_writes_and_submits_with_cosigners(client, world):
    login(client, world.deputy_user)
    resp = client.post(reverse("case_new"), {
        "kind": "suggestion", "title": "关于增设社区养老服务站点的建议", "category": "卫生计生",
        "body": "我市老龄化程度加深，部分老旧社区缺少日间照料中心，老人就餐、助浴等需求得不到满足。"
                "建议民政部门按照十五分钟服务圈统筹布点，利用闲置公房改建社区养老服务站。",
        "cosigners": [world.deputies[1].pk, world.deputies[2].pk], "then": "submit"})
    assert resp.status_code == 302
    case = world.deputies[0].led_cases.get()
    assert case.state == SuggestionState.SUBMITTED
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert "已提交待审查" in page.content.decode()
    # The invited co-signer sees the invitation on their home page and confirms it.
    client.logout()
    login(client, world.deputies[1].user)
    assert "待我确认的附议邀请" in client.get(reverse("my_cases")).content.decode()
    client.post(reverse("cases:fire", args=[case.pk, "confirm_cosign"]))
    assert case.cosigns.get(deputy=world.deputies[1]).state == "confirmed"


def test_bad_draft_shows_chinese_errors_and_saves_nothing(client, world):
    login(client, world.deputy_user)
    before = Event.objects.count()
    resp = client.post(reverse("case_new"), {"kind": "motion", "title": "短", "body": "太短"})
    assert resp.status_code == 400
    text = resp.content.decode()
    assert "标题至少5字，当前" in text and "内容至少50字，当前" in text
    assert Event.objects.count() == before
    assert not world.deputies[0].led_cases.exists()


def test_invalid_transition_input_rerenders_with_message(client, world):
    case = to_state(world, draft(world), "submitted")
    login(client, world.clerk)
    resp = client.post(reverse("cases:fire", args=[case.pk, "return_for_revision"]), {"reason": ""})
    assert resp.status_code == 400
    assert "请填写理由" in resp.content.decode()
    case.refresh_from_db()
    assert case.state == SuggestionState.SUBMITTED


def test_forbidden_transition_is_403_and_out_of_scope_is_404(client, world):
    case = to_state(world, draft(world), "submitted")
    login(client, world.deputies[5].user)  # not invited, not lead
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    client.logout()
    login(client, world.deputy_user)
    resp = client.post(reverse("cases:fire", args=[case.pk, "register"]), {"category": "城乡建设"})
    assert resp.status_code == 403
    case.refresh_from_db()
    assert case.state == SuggestionState.SUBMITTED


TITLE = "关于加快老旧小区加装电梯的建议"


@pytest.mark.parametrize(("role", "page", "state", "expected"), [
    ("clerk", "intake", "submitted", TITLE),
    ("clerk", "cases:batch_assign", "registered", TITLE),
    ("clerk", "cases:list", "replied", TITLE),
    ("clerk", "cases:monitor", "handling", "市住房和城乡建设局"),
    ("leader", "dashboard", "replied", "办复率"),
    ("handler", "cases:inbox", "handling", TITLE),
    ("head", "cases:inbox", "handling", TITLE),
    ("deputy", "my_cases", "replied", TITLE),
])
def test_role_pages_show_their_cases(client, world, role, page, state, expected):
    to_state(world, draft(world), state)
    user = {"clerk": world.clerk, "leader": world.leader, "handler": world.handlers[0],
            "head": world.heads[0], "deputy": world.deputy_user}[role]
    login(client, user)
    resp = client.get(reverse(page))
    assert resp.status_code == 200
    assert expected in resp.content.decode()


def test_deputy_cannot_open_office_pages(client, world):
    login(client, world.deputy_user)
    for page in ("intake", "cases:batch_assign", "cases:monitor", "dashboard", "cases:inbox"):
        assert client.get(reverse(page)).status_code == 403


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["cases:list", "intake", "cases:inbox", "my_cases"])
def test_list_pages_run_constant_queries(client, world, page):
    user = world.handlers[0] if page == "cases:inbox" else (
        world.deputy_user if page == "my_cases" else world.clerk)
    login(client, user)
    state = "handling" if page in ("cases:list", "cases:inbox", "my_cases") else "submitted"
    to_state(world, draft(world), state)
    few = _count_queries(client, reverse(page))
    for _ in range(6):
        to_state(world, draft(world), state)
    many = _count_queries(client, reverse(page))
    assert many == few, f"{page}: {few} queries for 1 row, {many} for 7"


def test_public_portal_shows_published_without_personal_data(client, world):
    case = to_state(world, draft(world, body="小区电梯故障频发，联系人电话13912345678，身份证号110101199001011234，"
                                          "建议住建部门督促物业公司落实维保责任，建立电梯安全监管平台，定期公布检查结果。"),
                    "closed")
    assert client.get(reverse("portal:detail", args=[case.pk])).status_code == 404
    from lvzhi.cases.engine import fire
    fire(case, "publish", world.clerk)
    text = client.get(reverse("portal:detail", args=[case.pk])).content.decode()
    assert case.title in text
    assert "13912345678" not in text and "110101199001011234" not in text
    assert "[电话已隐去]" in text


def test_reply_attachment_only_for_readers(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lvzhi.cases.engine import fire
    case = to_state(world, draft(world), "handling")
    lead = case.assignments.get(role="lead")
    pdf = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    fire(case, "draft_reply", world.handlers[0], {
        "assignment": lead.pk, "reply_class": "A",
        "text": "我局已完成老旧小区加装电梯审批流程简化工作，审批时限压缩至二十个工作日以内。"}, {"attachment": pdf})
    reply = case.replies.get()
    url = reverse("cases:reply_attachment", args=[case.pk, reply.pk])
    assert login(client, world.handlers[0]).get(url).status_code == 200
    client.logout()
    # The deputy may not read a draft reply, nor its attachment.
    assert login(client, world.deputy_user).get(url).status_code == 404


def test_deputy_timeline_hides_back_office_steps(client, world):
    case = to_state(world, draft(world), "replied")
    login(client, world.deputy_user)
    text = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "交办" in text and "审核通过" in text
    assert "拟写答复" not in text and "签发答复" not in text
    client.logout()
    login(client, world.clerk)
    text = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "拟写答复" in text and "签发答复" in text
