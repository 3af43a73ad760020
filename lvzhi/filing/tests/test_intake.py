"""Bad input at intake gets a clear Chinese message and changes nothing: a future publication
date, an unknown 文号 format, a 代字 not the body's, a missing file, a "PDF" that is not one, a
Word file that is not one, and a duplicate filing (also under the database constraint)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from lvzhi.cases.engine import open_case
from lvzhi.cases.models import Case, Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.filing.models import FilingAttachment, FilingDetail
from lvzhi.filing.testing import PDF, _files, docx, file_document, filing_data, pdf
from lvzhi.filing.tests import kind_fixtures

pytestmark = pytest.mark.django_db
fw = kind_fixtures.fw
TODAY = dt.date.today()


def refused(fw, filer=None, **fields) -> str:
    before = (Case.objects.count(), FilingDetail.objects.count(), FilingAttachment.objects.count(),
              Event.objects.count())
    data, files = _files(filing_data(fw, published_on=fields.pop("published_on", TODAY - dt.timedelta(days=3)),
                                     **fields))
    with pytest.raises(InvalidInput) as e:
        open_case("filing", "open", filer or fw.govfiler, data, files, congress_id=fw.world.congress.pk)
    assert (Case.objects.count(), FilingDetail.objects.count(), FilingAttachment.objects.count(),
            Event.objects.count()) == before
    return " ".join(m for ms in e.value.errors.values() for m in ms) + e.value.message


def test_future_publication_date(fw):
    msg = refused(fw, published_on=TODAY + dt.timedelta(days=3), doc_number=f"北政发〔{TODAY.year}〕90号")
    assert "晚于今天" in msg


@pytest.mark.parametrize("number", ["北政发2025-12", "12号", "北政发〔25〕12号", "Beizhengfa[2025]12"])
def test_unknown_number_format(fw, number):
    assert "格式无法识别" in refused(fw, doc_number=number)


def test_prefix_not_the_bodys(fw):
    msg = refused(fw, doc_number=f"北中法发〔{TODAY.year}〕3号")
    assert "不是本制定机关使用的代字" in msg and "北政发" in msg


def test_year_must_match_publication(fw):
    assert "不一致" in refused(fw, doc_number=f"北政发〔{TODAY.year - 1}〕3号")


def test_missing_file(fw):
    data = filing_data(fw, published_on=TODAY - dt.timedelta(days=3))
    del data["text_file"]
    data, files = _files(data)
    with pytest.raises(InvalidInput) as e:
        open_case("filing", "open", fw.govfiler, data, files, congress_id=fw.world.congress.pk)
    assert "请上传规范性文件文本" in str(e.value.errors)
    assert not Case.objects.filter(kind="filing").exists()


def test_pdf_that_is_not_a_pdf(fw):
    msg = refused(fw, text_file=pdf("文本.pdf", b"MZ\x90\x00 this is an exe"))
    assert "不是有效的PDF文件" in msg


def test_docx_that_is_not_a_docx(fw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert "不是有效的Word(docx)文件" in refused(fw, explanation_file=SimpleUploadedFile("说明.docx", PDF))


def test_unsupported_extension(fw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert "格式不支持" in refused(fw, text_file=SimpleUploadedFile("文本.exe", PDF))


def test_docx_doc_and_ofd_accepted(fw):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    ofd = SimpleUploadedFile("文本.ofd", buf.getvalue())
    doc = SimpleUploadedFile("依据.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    case = file_document(fw, text_file=ofd, explanation_file=docx("说明.docx"), basis_file=doc)
    assert sorted(case.filing_attachments.values_list("name", flat=True)) == ["依据.doc", "文本.ofd", "说明.docx"]
    fake_ofd = SimpleUploadedFile("文本.ofd", docx().read())  # a zip, but a Word one
    assert "不是有效的OFD文件" in refused(fw, text_file=fake_ofd)


def test_duplicate_filing(fw):
    case = file_document(fw)
    number = case.filing_detail.doc_number
    assert "已经报送备案" in refused(fw, doc_number=number)


def test_duplicate_refused_by_the_constraint(fw):
    """Two filings racing past the form's check: the database refuses the second."""
    case = file_document(fw)
    d = case.filing_detail
    with pytest.raises(IntegrityError), transaction.atomic():
        FilingDetail.objects.create(case=case, body=d.body, doc_kind=d.doc_kind, doc_number=d.doc_number,
                                    doc_year=d.doc_year, doc_seq=d.doc_seq, published_on=d.published_on,
                                    filing_due_on=d.filing_due_on, basis="x")


def test_doc_kind_not_the_bodys(fw):
    data, files = _files(filing_data(fw, published_on=TODAY - dt.timedelta(days=3), doc_kind="judicial_normative"))
    with pytest.raises(InvalidInput) as e:
        open_case("filing", "open", fw.govfiler, data, files, congress_id=fw.world.congress.pk)
    assert "doc_kind" in e.value.errors


def test_only_filers_may_file(fw):
    data, files = _files(filing_data(fw, published_on=TODAY - dt.timedelta(days=3)))
    for user in (fw.law_clerk, fw.world.leader, fw.world.handlers[0], fw.world.deputy_user):
        with pytest.raises(NotAllowed):
            open_case("filing", "open", user, data, files, congress_id=fw.world.congress.pk)


def test_late_filing_is_accepted_and_marked(fw):
    case = file_document(fw, published_on=TODAY - dt.timedelta(days=60))
    assert case.filing_detail.late_days >= 29
    assert Event.objects.filter(case=case, payload__late_days=case.filing_detail.late_days).exists()


def test_form_page_shows_the_reasons_and_saves_nothing(fw, client):
    client.force_login(fw.govfiler)
    data = filing_data(fw, published_on=TODAY + dt.timedelta(days=2), doc_number="乱写的文号",
                       text_file=pdf("文本.pdf", b"not a pdf"))
    resp = client.post(reverse("filing:new"), data)
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "晚于今天" in page and "格式无法识别" in page and "不是有效的PDF文件" in page
    assert not Case.objects.filter(kind="filing").exists()


def test_form_page_files_a_document(fw, client):
    client.force_login(fw.govfiler)
    data = filing_data(fw, published_on=TODAY - dt.timedelta(days=50))
    resp = client.post(reverse("filing:new"), data)
    assert resp.status_code == 302
    case = Case.objects.get(kind="filing")
    assert case.filing_detail.late_days > 0
    mine = client.get(reverse("filing:mine")).content.decode()
    assert case.title in mine and "逾期" in mine


def test_the_filer_sees_its_own_duty_not_the_reviewers_clocks(world, client):
    """A suspended filing asks the maker to re-file: its page shows that clock, not the committee's opinion clock."""
    from lvzhi.filing import states
    from lvzhi.filing.testing import make_filing

    case = make_filing(world, states.SUSPENDED)
    client.force_login(world.filing.govfiler)
    mine = client.get(reverse("filing:mine")).content.decode()
    asked = mine.split("我单位报送的文件")[0]
    assert case.title in asked and "纠正后报送期限" in asked
    assert "专委审查意见" not in asked
