"""The article-by-article diff on real statute text (立法法 2023), changed as an amendment would:
two articles reworded, one inserted (every later article renumbered), one deleted."""

from dataclasses import replace
from pathlib import Path

from lvzhi.legislation import articles, diff

DATA = Path(__file__).parent / "data"


def _amended() -> tuple[str, str]:
    old_text = (DATA / "lifafa_2023.md").read_text(encoding="utf-8")
    parsed = articles.parse(old_text)
    out: list[articles.Article] = []
    for a in parsed.articles:
        if a.number == 116:  # deleted
            continue
        text = a.text
        if a.number == 40:
            text = text.replace("一般不少于三十日", "一般不少于四十五日")
        if a.number == 67:
            text = text + "评估报告应当向社会公布。"
        out.append(replace(a, text=text))
        if a.number == 5:
            out.append(replace(a, number=6, text="立法应当坚持系统观念，增强立法的系统性、整体性、协同性、时效性。"))
    renumbered = [replace(a, number=n) for n, a in enumerate(out, start=1)]
    new = articles.Parsed(preamble=parsed.preamble, articles=renumbered)
    return old_text, articles.render(new)


def test_an_amendment_is_reported_article_by_article():
    old_text, new_text = _amended()
    changes = diff.compare(old_text, new_text)
    c = diff.counts(changes)
    assert c[diff.MODIFIED] == 2 and c[diff.ADDED] == 1 and c[diff.DELETED] == 1
    assert c[diff.UNCHANGED] == 120 - 3
    added = next(ch for ch in changes if ch.kind == diff.ADDED)
    assert added.new.label == "第六条" and "系统观念" in added.new.text
    # 第六条 of the old text is unchanged, now 第七条: matched by content, not by number
    moved = next(ch for ch in changes if ch.old is not None and ch.old.number == 6)
    assert moved.kind == diff.UNCHANGED and moved.renumbered and moved.label == "第六条 → 第七条"
    forty = next(ch for ch in changes if ch.old is not None and ch.old.number == 40)
    assert forty.kind == diff.MODIFIED and forty.new.label == "第四十一条"
    assert diff.Mark("-", "三十") in forty.marks and diff.Mark("+", "四十五") in forty.marks
    deleted = next(ch for ch in changes if ch.kind == diff.DELETED)
    assert deleted.old.label == "第一百一十六条" and "清理" in deleted.old.text
    # the deletion stands where it stood: after old 第一百一十五条 (now 第一百一十六条)
    pos = changes.index(deleted)
    assert changes[pos - 1].old.number == 115
    assert [ch.new.number for ch in changes if ch.new] == list(range(1, 121))


def test_marks_rebuild_both_texts():
    old, new = "县级以上人民政府应当加强物业管理。", "市、旗县区人民政府应当加强和规范物业管理。"
    m = diff.marks(old, new)
    assert "".join(x.text for x in m if x.op != "+") == old
    assert "".join(x.text for x in m if x.op != "-") == new


def test_identical_texts_are_all_unchanged_and_a_rewrite_is_added_and_deleted():
    text = (DATA / "beijing_lawmaking_2023.md").read_text(encoding="utf-8")
    changes = diff.compare(text, text)
    assert {ch.kind for ch in changes} == {diff.UNCHANGED} and len(changes) == 76
    other = "某市养犬管理条例\n第一条　为了规范养犬行为，制定本条例。\n第二条　本市行政区域内的养犬管理适用本条例。"
    c = diff.counts(diff.compare(text, other))
    assert c[diff.ADDED] == 2 and c[diff.DELETED] == 76 and c[diff.MODIFIED] == 0
