from __future__ import annotations

from datetime import date

from lvzhi.intelligence.reply_check import check_reply

from ._support import rows

GOOD_REPLY_ID = None


def _case(i: int) -> dict[str, str]:
    return rows("replies")[i]


def test_blank_reply_is_flagged() -> None:
    c = _case(0)
    res = check_reply(c["title"], c["body"], "")
    assert "boilerplate" in res.codes
    assert res.relevance == 0.0


def test_form_letter_is_flagged_boilerplate() -> None:
    c = _case(1)
    res = check_reply(c["title"], c["body"], "网友您好！您的留言已收悉。感谢您对我们工作的关心、监督与支持。")
    assert "boilerplate" in res.codes
    assert all(f.message for f in res.flags)


def test_reply_to_another_case_is_flagged_low_relevance() -> None:
    # The real reply of case 1 (潇楚南路 road works) sent to case 2 (幼儿园教师待遇).
    a, b = _case(1), _case(2)
    res = check_reply(b["title"], b["body"], a["reply"])
    assert "low_relevance" in res.codes
    msg = next(f.message for f in res.flags if f.code == "low_relevance")
    assert "关联度低" in msg and "答非所问" in msg


def test_real_concrete_reply_passes_relevance_and_commitment() -> None:
    c = _case(1)  # road works: names the office, the measure and "8月底将完工通车"
    res = check_reply(c["title"], c["body"], c["reply"], assigned_on=c["time"], replied_on=c["reply_time"])
    assert "low_relevance" not in res.codes
    assert "no_concrete_commitment" not in res.codes
    assert res.relevance > 0.3


def test_vague_reply_lacks_commitment() -> None:
    c = _case(1)
    res = check_reply(c["title"], c["body"], "关于您反映的潇楚南路洋湖段道路问题，我们会认真研究，感谢您的关注。")
    assert "no_concrete_commitment" in res.codes


def test_late_reply_and_overdue_case() -> None:
    c = _case(1)
    res = check_reply(c["title"], c["body"], c["reply"], assigned_on="2019-04-01", replied_on="2019-05-20")
    assert "late" in res.codes
    res = check_reply(c["title"], c["body"], "", assigned_on="2019-04-01", due_on="2019-04-20", today=date(2019, 5, 1))
    assert any(f.code == "late" and "未答复" in f.message for f in res.flags)
    res = check_reply(c["title"], c["body"], c["reply"], assigned_on="2019-04-01", replied_on="2019-04-10")
    assert "late" not in res.codes


def test_quoting_the_title_does_not_make_a_reply_relevant():
    title = "关于在水一方大厦烂尾多年问题的建议"
    body = ("位于书院路主干道的在水一方大厦一楼至四楼人为拆除水电设施后烂尾多年，护栏锈迹斑斑，"
            "随时可能倒塌，危及行人和车辆安全，请有关部门牵头处理。")
    off_topic = ("您提出的《关于在水一方大厦烂尾多年问题的建议》收悉。去年县城建投在八本街实施人行道、"
                 "地下管线改造时拆除了该路段路灯电缆，我局将致函县城建投尽快修复路灯，确保行人安全。")
    on_topic = ("您提出的《关于在水一方大厦烂尾多年问题的建议》收悉。我局已约谈在水一方大厦业主单位，"
                "责令其在30日内拆除一楼至四楼锈蚀护栏并恢复水电设施，由城市管理执法大队跟踪督办。")
    from lvzhi.intelligence.reply_check import relevance

    assert relevance(title, body, off_topic, use_embeddings=False) < relevance(title, body, on_topic,
                                                                               use_embeddings=False)
    assert relevance(title, body, off_topic, use_embeddings=False) < 0.3
