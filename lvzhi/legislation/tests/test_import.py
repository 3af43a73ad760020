"""Importing existing regulations from a Word file built here with python-docx, and from text:
the title, the adoption notes read into versions, the articles; refusals per file."""

import datetime as dt
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.legislation import importing
from lvzhi.legislation.choices import Action, Field, RegulationStatus
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db

NOTES = ("（2019年8月29日北辰市第十五届人民代表大会常务委员会第十九次会议通过　2019年11月28日内蒙古自治区"
         "第十三届人民代表大会常务委员会第十六次会议批准　根据2022年6月30日北辰市第十六届人民代表大会常务委员会"
         "第五次会议《关于修改〈北辰市物业管理条例〉的决定》修正　2022年9月28日内蒙古自治区第十三届人民代表大会"
         "常务委员会第三十六次会议批准）")
LINES = ["北辰市物业管理条例", NOTES, "目　　录", "第一章　总　　则", "第二章　物业服务", "第三章　附　　则",
         "第一章　总　　则",
         "第一条　为了规范物业管理活动，维护业主和物业服务人的合法权益，"
         "根据有关法律、行政法规，结合本市实际，制定本条例。",
         "第二条　本市行政区域内的物业管理及其监督管理活动，适用本条例。",
         "第二章　物业服务",
         "第三条　物业服务人应当按照物业服务合同的约定提供服务。",
         "物业服务人应当公示服务内容、服务标准和收费项目。",
         "第三章　附　　则",
         "第四条　本条例自2020年1月1日起施行。"]


def _docx(lines: list[str]) -> bytes:
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture
def world():
    w = build_world()
    w.law = add_law_bodies(w)
    return w


def test_a_word_file_becomes_a_regulation_with_its_versions(world):
    f = SimpleUploadedFile("北辰市物业管理条例.docx", _docx(LINES))
    [result] = importing.import_files(world.law.law_clerk, world.congress, [f])
    assert result.ok, result.message
    reg = Regulation.objects.get(title="北辰市物业管理条例")
    assert reg.status == RegulationStatus.IN_FORCE and reg.field == Field.GOVERNANCE
    enact, amend = reg.versions.order_by("adopted_on")
    assert (enact.action, enact.adopted_on, enact.approved_on) == (Action.ENACT, dt.date(2019, 8, 29),
                                                                   dt.date(2019, 11, 28))
    assert enact.text == "" and "内蒙古自治区第十三届" in enact.approval_decision
    assert amend.action == Action.AMEND_DECISION and amend.adopted_on == dt.date(2022, 6, 30)
    assert amend.decision == "关于修改〈北辰市物业管理条例〉的决定" and amend.approved_on == dt.date(2022, 9, 28)
    parsed = amend.parsed()
    assert len(parsed.articles) == 4 and parsed.get("3").chapter == "第二章 物业服务"
    assert len(parsed.get("3").paragraphs) == 2
    assert "2022年6月30日修正" in result.message


def test_text_files_each_on_their_own_with_reasons(world):
    ok = "\n".join(["北辰市养犬管理条例", "（2021年4月29日北辰市第十五届人民代表大会常务委员会第三十次会议通过"
                    "　2021年7月29日内蒙古自治区第十三届人民代表大会常务委员会第二十七次会议批准）",
                    "第一条　为了规范养犬行为，保障公民健康和人身安全，制定本条例。",
                    "第二条　本条例自2021年10月1日起施行。"]).encode("gb18030")
    no_articles = "北辰市供热条例\n（2020年6月30日北辰市人民代表大会常务委员会通过）\n本条例正文另行印发。".encode()
    files = [SimpleUploadedFile("养犬.txt", ok), SimpleUploadedFile("供热.md", no_articles),
             SimpleUploadedFile("养犬副本.txt", ok), SimpleUploadedFile("坏的.docx", b"PK\x03\x04broken"),
             SimpleUploadedFile("图片.txt", b"\x89PNG\r\n\x1a\n0000")]
    results = importing.import_files(world.law.law_clerk, world.congress, files)
    assert [r.ok for r in results] == [True, False, False, False, False]
    assert "没有找到“第一条”" in results[1].message
    assert "本次上传中《北辰市养犬管理条例》出现了两次" in results[2].message
    assert "损坏" in results[3].message or "无法" in results[3].message
    assert "不是文本" in results[4].message
    reg = Regulation.objects.get()
    assert reg.current.effective_on == dt.date(2021, 10, 1) and reg.current.approved_on == dt.date(2021, 7, 29)
    again = importing.import_files(None, world.congress, [SimpleUploadedFile("养犬.txt", ok)])
    assert not again[0].ok and "法规库中已有《北辰市养犬管理条例》" in again[0].message
    assert Regulation.objects.count() == 1


def test_notes_with_a_revision(world):
    steps = importing.read_notes(["北辰市城市绿化条例", "（2012年10月25日北辰市第十三届人民代表大会常务委员会第三十四次"
                                  "会议通过　2012年11月30日内蒙古自治区第十一届人民代表大会常务委员会第三十三次会议批准"
                                  "　2023年8月30日北辰市第十六届人民代表大会常务委员会第十次会议修订　2023年11月30日"
                                  "内蒙古自治区第十四届人民代表大会常务委员会第七次会议批准）"])
    assert [(s.action, s.adopted_on.year, s.approved_on.month) for s in steps] == [
        (Action.ENACT, 2012, 11), (Action.REVISE, 2023, 11)]
