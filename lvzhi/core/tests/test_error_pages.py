"""Error pages in the platform's layout and in Chinese, with a way back; JSON under /api/."""

from __future__ import annotations

import pytest
from django.test import Client

from lvzhi.testing import draft, to_state
from lvzhi.testing_text import english_words, visible_text

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return visible_text(response.content.decode())


def _styled(response, *words: str) -> str:
    text = _text(response)
    assert "履职平台" in text and "回到首页" in text, text  # the layout, and a way home
    for word in words:
        assert word in text, text
    assert english_words(text) == [], text
    return text


def test_404_is_a_styled_chinese_page_with_the_reason(client, world):
    client.force_login(world.clerk)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    _styled(response, "页面不存在", "404")
    # The platform's own refusal is said; Django's English one never is.
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    text = _styled(response, "案件不存在或您无权查看")
    assert "Not Found" not in text


def test_404_offers_the_page_the_user_came_from(client, world):
    client.force_login(world.clerk)
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/cases/")
    assert "返回上一页" in _text(response)
    assert 'href="http://testserver/cases/"' in response.content.decode()
    # Never a link to another site.
    response = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    assert "返回上一页" not in _text(response)


def test_403_says_who_may_not_and_what_to_do(client, world):
    case = to_state(world, draft(world), "submitted")
    client.force_login(world.clerk)
    response = client.post(f"/cases/{case.pk}/do/withdraw/")  # only its deputy withdraws it
    assert response.status_code == 403
    _styled(response, "无权执行此操作", "办事机构工作人员", "系统管理员")


def test_admin_refusal_is_the_styled_403(client, world):
    client.force_login(world.sysadmin)
    response = client.get("/admin/cases/event/")
    assert response.status_code == 403
    _styled(response, "无权执行此操作")


def test_400_is_styled(client, world):
    client.force_login(world.clerk)
    response = client.get("/cases/?q=a%00b")
    assert response.status_code == 400
    _styled(response, "请求有误", "请求参数中含有无效字符")


def test_expired_form_page_says_so_without_developer_words(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.deputy_user)
    case = draft(world)
    response = client.post(f"/cases/{case.pk}/do/submit/", {})
    assert response.status_code == 403
    text = _styled(response, "页面已过期", "刷新后重新提交", "已在本浏览器中暂存")
    for developer_words in ("CSRF", "DEBUG", "cookie", "Forbidden"):
        assert developer_words not in text
    case.refresh_from_db()
    assert case.state == "draft"  # nothing changed


def test_reloading_a_fire_address_goes_back_to_the_case(client, world):
    case = draft(world)
    client.force_login(world.deputy_user)
    response = client.get(f"/cases/{case.pk}/do/submit/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.state == "draft"


def test_every_other_405_is_a_styled_page(client, world):
    client.force_login(world.clerk)
    response = client.get("/logout/")  # logging out takes a POST
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    _styled(response, "此地址不能直接打开")
    assert client.get("/").status_code in (200, 302)  # and the user is still logged in


@pytest.mark.urls("lvzhi.core.tests.error_urls")
def test_500_is_standalone_and_styled(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.clerk)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "lvzhi.css" in html and "系统出错" in html and "回到首页" in html
    assert english_words(visible_text(html)) == []
    assert "{{" not in html and "王文书" not in html  # rendered without the request


def test_api_errors_stay_json(client, world):
    client.force_login(world.clerk)
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "页面不存在" not in response.content.decode("utf-8")


def test_the_handlers_are_the_platforms():
    import config.urls as urls

    assert urls.handler404 == "lvzhi.core.errors.page_not_found"
    assert urls.handler500 == "lvzhi.core.errors.server_error"
    from django.conf import settings

    assert settings.CSRF_FAILURE_VIEW == "lvzhi.core.errors.csrf_failure"
