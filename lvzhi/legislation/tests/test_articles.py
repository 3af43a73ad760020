"""The article parser on real statute text (tests/data: 立法法 2023 and two cities' 制定地方性法规条例)."""

from pathlib import Path

import pytest

from lvzhi.legislation import articles

DATA = Path(__file__).parent / "data"


def _parse(name: str) -> articles.Parsed:
    return articles.parse((DATA / name).read_text(encoding="utf-8"))


def test_lifafa_has_its_120_articles_in_six_chapters_and_its_sections():
    p = _parse("lifafa_2023.md")
    assert p.title == "中华人民共和国立法法"
    assert len(p.articles) == 120 and p.problems == []
    assert p.chapters[0] == "第一章 总则" and p.chapters[-1] == "第六章 附则"
    art40 = p.get("40")
    assert art40.section == "第三节 全国人民代表大会常务委员会立法程序"
    assert "一般不少于三十日" in art40.text
    assert p.get("2").paragraphs[1].startswith("国务院部门规章和地方政府规章")
    assert "2000年3月15日" in " ".join(p.preamble)  # the adoption notes stay out of article 1


def test_beijing_regulation_spaced_chapter_names_are_joined():
    p = _parse("beijing_lawmaking_2023.md")
    assert len(p.articles) == 76 and p.problems == []
    assert p.chapters[0] == "第一章 总则"  # "总 则" in the text
    assert p.get("39").chapter == "第五章 市人民代表大会常务委员会制定地方性法规的程序"


def test_render_then_parse_gives_the_same_articles():
    for name in ("lifafa_2023.md", "beijing_lawmaking_2023.md", "shanghai_lawmaking.md"):
        p = _parse(name)
        assert articles.parse(articles.render(p)).articles == p.articles


def test_inserted_article_and_gap_are_read_and_told():
    text = "某市条例\n第一条　目的。\n第二条　范围。\n第二条之一　新增一条。\n第四条　少了第三条。"
    p = articles.parse(text)
    assert [a.label for a in p.articles] == ["第一条", "第二条", "第二条之一", "第四条"]
    assert p.get("2-1").text == "新增一条。"
    assert p.problems == ["第四条前缺少第三条"]


def test_a_line_that_cites_an_article_is_not_a_new_article():
    p = articles.parse("第一条　总则。\n第十条规定的情形，依照本条例处理。")
    assert len(p.articles) == 1 and "第十条规定的情形" in p.articles[0].text


@pytest.mark.parametrize("n, cn", [(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (100, "一百"),
                                   (105, "一百零五"), (110, "一百一十"), (123, "一百二十三")])
def test_numbers_both_ways(n, cn):
    assert articles.int_to_cn(n) == cn and articles.cn_to_int(cn) == n
