"""The public disclosure pages name their congress and speak only Chinese (issue 8)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.testing import build_world, draft, to_state

pytestmark = pytest.mark.django_db


class _Visible(HTMLParser):
    """The text a visitor reads: no tags, scripts, styles or attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.fixture
def published(world):
    case = to_state(world, draft(world), "closed")
    fire(case, "publish", world.clerk)
    return case


def test_list_names_the_congress_in_title_and_header(client, world, published):
    html = client.get(reverse("portal:index")).content.decode()
    assert _title(html) == "北辰市人大常委会 · 代表建议办理公开"
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert "北辰市人大常委会" in header and "代表建议办理公开" in header
    assert published.title in html
    assert "北辰市人民代表大会常务委员会" in html  # the footer names it in full


def test_detail_names_the_congress_of_its_case(client, world, published):
    html = client.get(reverse("portal:detail", args=[published.pk])).content.decode()
    assert _title(html) == f"{published.title} · 北辰市人大常委会 · 代表建议办理公开"
    assert "北辰市人大常委会" in html.split("</header>", 1)[0]


def test_each_congress_has_its_own_page(client, world, published):
    other = build_world(name="南岭市人民代表大会")
    theirs = to_state(other, draft(other, title="关于整治南岭市背街小巷环境卫生的建议"), "closed")
    fire(theirs, "publish", other.clerk)
    mine = client.get(reverse("portal:index"), {"congress": world.congress.pk}).content.decode()
    assert published.title in mine and theirs.title not in mine
    page = client.get(reverse("portal:index"), {"congress": other.congress.pk}).content.decode()
    assert _title(page) == "南岭市人大常委会 · 代表建议办理公开"
    assert theirs.title in page and published.title not in page
    assert "查看：" in page  # a visitor can switch between the congresses that publish


@pytest.mark.parametrize("page", ["index", "detail", "empty"])
def test_public_pages_are_english_free(client, world, published, page):
    if page == "detail":
        html = client.get(reverse("portal:detail", args=[published.pk])).content.decode()
    elif page == "empty":
        html = client.get(reverse("portal:index"), {"q": "没有这样的标题"}).content.decode()
    else:
        html = client.get(reverse("portal:index")).content.decode()
    # The case's own words are the deputy's; everything else on the page must be Chinese.
    text = visible_text(html)
    for own in (published.title, published.body, published.number):
        text = text.replace(own, "")
    words = re.findall(r"[A-Za-z]{2,}", text)
    assert not words, words
