from lvzhi.intelligence.text import content_words, join_title_body, normalize, phrases, segment


def test_user_dictionary_keeps_unit_and_programme_names_whole() -> None:
    words = segment("市住房和城乡建设局答复A3区棚户区改造和住房公积金管理中心的问题")
    assert "市住房和城乡建设局" in words
    assert "棚户区改造" in words
    assert "住房公积金管理中心" in words
    assert "a3区" in words


def test_normalize_folds_full_width_and_spaces() -> None:
    assert normalize("Ａ３区  小区\n物业") == "a3区 小区 物业"
    assert normalize(None) == ""


def test_join_title_body_handles_empty_and_repeated_titles() -> None:
    assert join_title_body("", "正文") == "正文"
    assert join_title_body(None, "正文") == "正文"
    assert join_title_body("标题", "标题正文") == "标题正文"
    assert join_title_body("标题", "正文") == "标题\n正文"


def test_content_words_and_phrases_drop_function_words() -> None:
    words = content_words("请问我们小区的电梯什么时候维修？")
    assert "电梯" in words and "的" not in words and "请问" not in words
    assert "永发养猪场污染扰民" in phrases("反映K3县茅竹镇板桥村永发养猪场污染扰民问题")
