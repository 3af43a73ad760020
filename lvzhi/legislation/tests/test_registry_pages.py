"""The registry's pages with the Django client: the 法工委 writes, the leader reads, a unit is refused;
the public sees regulations in force without logging in."""

import datetime as dt
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lvzhi.legislation import registry_services as svc
from lvzhi.legislation.choices import Action
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.registry_models import CleanupScope, Outcome
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.tests.registry_helpers import PROPERTY_AMENDED, regulation
from lvzhi.legislation.versions import record_version
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w.law = add_law_bodies(w)
    w.reg = regulation(w)
    record_version(w.reg, Action.AMEND_DECISION, dt.date(2022, 6, 30), text=PROPERTY_AMENDED,
                   decision="关于修改《北辰市物业管理条例》的决定")
    return w


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_list_and_page_as_the_law_clerk(world):
    c = _client(world.law.law_clerk)
    r = c.get("/legislation/regulations/?status=in_force&q=物业")
    text = r.content.decode()
    assert r.status_code == 200 and "北辰市物业管理条例" in text and "现行有效1件" in text and "登记法规" in text
    svc.add_implementing_rule(None, world.reg, title="物业服务收费管理办法", responsible_body="市发展和改革委员会")
    svc.add_implementing_rule(None, world.reg, title="专项维修资金管理办法", responsible_body="市住房和城乡建设局")
    listed = c.get("/legislation/regulations/").content.decode()
    assert "配套规定逾期2件" in listed and "2个版本" in listed
    r = c.get(f"/legislation/regulations/{world.reg.pk}/")
    text = r.content.decode()
    assert r.status_code == 200
    assert 'id="art-6"' in text and "第二章 业主和业主大会" in text and "收费标准" in text
    assert "2件配套规定逾期未出台" in text and "全生命周期" in text and "2019年第6号" in text


def test_a_new_version_through_the_form_and_a_refusal(world):
    c = _client(world.law.law_clerk)
    url = f"/legislation/regulations/{world.reg.pk}/versions/new/"
    r = c.post(url, {"action": "amend", "adopted_on": "2020-01-01", "text": PROPERTY_AMENDED})
    assert r.status_code == 400 and "通过日期不能早于上一版本（2022年6月30日）" in r.content.decode()
    assert world.reg.versions.count() == 2
    r = c.post(url, {"action": "repeal", "adopted_on": "2025-04-24",
                     "decision": "关于废止《北辰市物业管理条例》的决定"})
    assert r.status_code == 302
    assert Regulation.objects.get(pk=world.reg.pk).status == "repealed"


def test_diff_page_marks_the_changed_words(world):
    c = _client(world.leader)
    r = c.get(f"/legislation/regulations/{world.reg.pk}/diff/")
    text = r.content.decode()
    assert r.status_code == 200
    assert "修改<strong>1</strong>条" in text and '<ins class="bg-success-subtle">在物业管理区域显著位置</ins>' in text


def test_import_page_reports_each_file(world):
    d = docx.Document()
    for line in ["北辰市城市绿化条例", "（2020年10月29日北辰市第十五届人民代表大会常务委员会第二十四次会议通过"
                 "　2020年12月3日内蒙古自治区第十三届人民代表大会常务委员会第二十三次会议批准）",
                 "第一条　为了促进城市绿化事业的发展，改善生态环境，制定本条例。",
                 "第二条　本条例自2021年3月1日起施行。"]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    files = [SimpleUploadedFile("绿化.docx", buf.getvalue()),
             SimpleUploadedFile("空的.txt", "北辰市某条例\n正文".encode())]
    r = _client(world.law.law_clerk).post("/legislation/regulations/import/", {"files": files})
    text = r.content.decode()
    assert r.status_code == 200 and "导入1件，未导入1件" in text and "没有找到“第一条”" in text
    assert Regulation.objects.filter(title="北辰市城市绿化条例").exists()


def test_cleanup_page_lists_findings_with_counts(world):
    c = _client(world.law.law_clerk)
    r = c.post("/legislation/cleanups/new/", {"title": "2024年地方性法规全面清理", "year": "2024",
                                              "scope": CleanupScope.COMPREHENSIVE})
    assert r.status_code == 302
    cleanup = world.congress.cleanups.get()
    r = c.post(f"/legislation/cleanups/{cleanup.pk}/findings/", {"regulation": world.reg.pk, "outcome": Outcome.AMEND,
                                                                 "reason": ""})
    assert "请写明理由" in c.get(r.url).content.decode()
    c.post(f"/legislation/cleanups/{cleanup.pk}/findings/", {"regulation": world.reg.pk, "outcome": Outcome.AMEND,
                                                             "reason": "与民法典不一致"})
    text = c.get(f"/legislation/cleanups/{cleanup.pk}/").content.decode()
    assert "与民法典不一致" in text and "修改 <strong>1</strong>" in text and "待研究 <strong>0</strong>" in text


def test_a_unit_handler_and_a_leader_writing_are_refused(world):
    handler = _client(world.handlers[0])
    for url in ("/legislation/regulations/", f"/legislation/regulations/{world.reg.pk}/",
                f"/legislation/regulations/{world.reg.pk}/diff/", "/legislation/regulations/import/",
                "/legislation/cleanups/", "/legislation/rules/"):
        assert handler.get(url).status_code == 403, url
    leader = _client(world.leader)
    assert leader.get("/legislation/regulations/").status_code == 200
    assert leader.get("/legislation/regulations/import/").status_code == 403
    assert leader.post(f"/legislation/regulations/{world.reg.pk}/versions/new/", {}).status_code == 403


def test_public_pages_show_the_text_in_force_without_login(world):
    other = svc.create_regulation(None, world.congress, title="北辰市燃气管理条例")
    c = Client()
    r = c.get("/legislation/public/regulations/")
    text = r.content.decode()
    assert r.status_code == 200 and "北辰市物业管理条例" in text and "北辰市燃气管理条例" not in text
    r = c.get(f"/legislation/public/regulations/{world.reg.pk}/")
    assert r.status_code == 200 and 'id="art-8"' in r.content.decode() and "2022年6月30日修正" in r.content.decode()
    assert c.get(f"/legislation/public/regulations/{other.pk}/").status_code == 404


def test_dates_page_records_the_implementing_bodys_report_and_refuses_a_bad_date(world):
    c = _client(world.law.law_clerk)
    v = world.reg.versions.get(action=Action.ENACT)
    url = f"/legislation/regulations/{world.reg.pk}/versions/{v.pk}/dates/"
    assert c.get(url).status_code == 200
    r = c.post(url, {"effective_on": "2019-01-01"})
    assert r.status_code == 400 and "不能早于常委会通过日期" in r.content.decode()
    r = c.post(url, {"implementation_reported_on": "2021-01-20", "newspaper": "北辰日报",
                     "newspaper_on": "2019-12-05"})
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.implementation_reported_on == dt.date(2021, 1, 20) and v.newspaper_on == dt.date(2019, 12, 5)
    assert "实施部门报告实施情况" in c.get(f"/legislation/regulations/{world.reg.pk}/").content.decode()


def test_evaluation_with_a_word_report(world):
    d = docx.Document()
    d.add_paragraph("《北辰市物业管理条例》立法后评估报告")
    buf = io.BytesIO()
    d.save(buf)
    c = _client(world.law.law_clerk)
    url = f"/legislation/regulations/{world.reg.pk}/evaluations/new/"
    r = c.post(url, {"year": "2023", "body": "市人大常委会法制工作委员会", "conclusion": "continue",
                     "report": SimpleUploadedFile("评估报告.pdf", buf.getvalue())})
    assert r.status_code == 400 and "文件内容与扩展名不符" in r.content.decode()
    assert not world.reg.evaluations.exists()
    r = c.post(url, {"year": "2023", "body": "市人大常委会法制工作委员会", "conclusion": "continue",
                     "report": SimpleUploadedFile("评估报告.docx", buf.getvalue())})
    assert r.status_code == 302
    ev = world.reg.evaluations.get()
    assert ev.report.name.endswith(".docx")
    assert "继续施行" in c.get(f"/legislation/regulations/{world.reg.pk}/").content.decode()
    ev.report.delete()
