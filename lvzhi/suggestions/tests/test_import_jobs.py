"""Long secretariat imports: a job written in batches, with progress, that a stop never spoils.

A batch is one transaction; a failed batch leaves the earlier ones imported and the job
"未完成" with a Chinese reason; 继续导入 continues it, skipping by 原始编号, never duplicating.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from openpyxl import Workbook

from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Case, Event
from lvzhi.core.models import Notification
from lvzhi.suggestions import importing
from lvzhi.suggestions.importing import HEADERS, import_suggestions, run_import_job, start_job
from lvzhi.suggestions.models import IMPORT_STALLED_AFTER, ImportJob, ImportJobState
from lvzhi.suggestions.tasks import import_job_task
from lvzhi.testing import SUGGESTION_BODY, build_world

pytestmark = pytest.mark.django_db


def sheet(world, n: int, start: int = 1) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for i in range(start, start + n):
        ws.append([f"J-{i:04d}", f"关于第{i}项民生实事的建议", world.deputies[i % 6].name,
                   world.deputies[6 + i % 5].name, "城乡建设", SUGGESTION_BODY, "否"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def refs() -> list[str]:
    return sorted(Case.objects.filter(source_ref__startswith="J-").values_list("source_ref", flat=True))


def test_a_job_imports_in_batches_and_records_its_progress(world, monkeypatch):
    job = start_job(world.clerk, sheet(world, 120), world.session, filename="汇总.xlsx")
    assert (job.state, job.total, job.done) == (ImportJobState.QUEUED, 120, 0)
    seen: list[int] = []
    real = importing._write_batch

    def spy(*args, **kwargs):
        seen.append(ImportJob.objects.get(pk=job.pk).done)  # progress as a poll sees it
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_write_batch", spy)
    job, report = run_import_job(job.pk, batch_size=50)

    assert seen == [0, 50, 100]
    assert job.state == ImportJobState.DONE and job.error == ""
    assert (job.total, job.done, job.imported, job.skipped) == (120, 120, 120, 0)
    assert report.committed and report.new_count == 120
    assert bytes(ImportJob.objects.get(pk=job.pk).data) == b""  # the file is not kept once done
    assert refs() == [f"J-{i:04d}" for i in range(1, 121)]
    assert Event.objects.filter(name="open_imported").count() == 120
    assert verify_chain(world.congress.pk) == (True, None)


def test_a_failed_batch_keeps_the_earlier_ones_and_continue_finishes_without_duplicates(
        world, monkeypatch, django_capture_on_commit_callbacks):
    job = start_job(world.clerk, sheet(world, 120), world.session, filename="汇总.xlsx")
    real = importing.open_case
    calls: list[int] = []

    def breaks_at_row_60(*args, **kwargs):
        calls.append(1)
        if len(calls) == 60:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "open_case", breaks_at_row_60)
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = run_import_job(job.pk, batch_size=50)

    assert job.state == ImportJobState.FAILED and job.resumable
    assert "导入中断（系统错误：RuntimeError）" in job.error and "50行已导入并保留" in job.error
    assert "继续导入" in job.error
    assert refs() == [f"J-{i:04d}" for i in range(1, 51)]  # batch 1 kept, batch 2 rolled back
    assert job.done == 50
    notified = Notification.objects.filter(text__contains="大会秘书处已将您领衔的建议").count()
    assert notified == 50  # only the committed batch's notifications went out

    monkeypatch.setattr(importing, "open_case", real)
    resumed = importing.resume_job(world.clerk, job)  # 120 rows: run in the request
    job.refresh_from_db()
    assert resumed.committed and job.state == ImportJobState.DONE
    assert refs() == [f"J-{i:04d}" for i in range(1, 121)]
    assert (job.done, job.imported, job.skipped) == (120, 120, 0)
    assert Event.objects.filter(name="open_imported").count() == 120
    assert verify_chain(world.congress.pk) == (True, None)


def test_rows_imported_meanwhile_are_skipped_not_duplicated(world):
    data = sheet(world, 30)
    import_suggestions(world.clerk, sheet(world, 10, start=11), world.session, commit=True)
    job = start_job(world.clerk, data, world.session, filename="汇总.xlsx")
    job, report = run_import_job(job.pk, batch_size=8)
    assert job.state == ImportJobState.DONE
    assert (job.total, job.done, job.imported, job.skipped) == (30, 30, 20, 10)
    assert refs() == [f"J-{i:04d}" for i in range(1, 31)]
    assert "已导入过而跳过10件" in report.summary


def test_a_job_whose_rows_became_wrong_fails_with_the_rows_reasons(world):
    job = start_job(world.clerk, sheet(world, 5), world.session, filename="汇总.xlsx")
    world.deputies[1].status = "terminated"
    world.deputies[1].save(update_fields=["status"])
    job, report = run_import_job(job.pk)
    assert job.state == ImportJobState.FAILED and "本次未导入任何建议" in job.error
    assert report.has_errors and not refs()


def test_a_running_job_is_not_run_twice_but_a_stalled_one_is_continued(world):
    job = start_job(world.clerk, sheet(world, 3), world.session, filename="汇总.xlsx")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJobState.RUNNING, updated_at=timezone.now())
    again, report = run_import_job(job.pk)
    assert report is None and again.state == ImportJobState.RUNNING and not refs()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - IMPORT_STALLED_AFTER * 2)
    job.refresh_from_db()
    assert job.stalled and job.resumable
    done, report = run_import_job(job.pk)
    assert done.state == ImportJobState.DONE and len(refs()) == 3


# ---------------------------------------------------------------------------- the page

def _preview(client, world, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "秘书处汇总.xlsx"
    page = client.post(reverse("import_cases"), {"action": "preview", "session": world.session.pk,
                                                 "file": upload})
    assert page.status_code == 200, page.content.decode()[:500]
    return page.context["token"]


def test_a_large_file_goes_to_the_worker_and_the_page_polls_its_progress(
        world, client, django_capture_on_commit_callbacks):
    client.force_login(world.clerk)
    token = _preview(client, world, sheet(world, importing.INLINE_ROWS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("import_cases"), {"action": "confirm", "token": token})
    job = ImportJob.objects.get()
    assert done.status_code == 302 and done["Location"] == f"{reverse('import_cases')}?job={job.pk}"
    assert job.state == ImportJobState.QUEUED and job.total == importing.INLINE_ROWS + 1
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "lvzhi.suggestions.tasks.import_job_task"
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert not refs()  # nothing written in the request

    page = client.get(done["Location"])
    assert page.status_code == 200 and "排队等待后台任务处理" in page.content.decode()
    fragment = client.get(done["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "<progress" in fragment
    assert "<script" not in fragment and "style=" not in fragment  # the CSP allows neither

    assert import_job_task.call(job.pk)["state"] == ImportJobState.DONE  # what db_worker runs
    fragment = client.get(done["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "导入完成" in fragment and "hx-trigger" not in fragment
    assert f"已导入{importing.INLINE_ROWS + 1}件" in fragment
    assert len(refs()) == importing.INLINE_ROWS + 1


def test_an_unexpected_error_is_shown_with_continue_never_a_bare_500(world, client, monkeypatch):
    client.force_login(world.clerk)
    token = _preview(client, world, sheet(world, 4))

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(importing, "write_rows", broken)
    page = client.post(reverse("import_cases"), {"action": "confirm", "token": token})
    text = page.content.decode()
    assert page.status_code == 503
    assert "导入未完成" in text and "导入中断（系统错误：RuntimeError）" in text
    assert 'name="action" value="resume"' in text and "继续导入" in text
    job = ImportJob.objects.get()
    assert job.state == ImportJobState.FAILED

    monkeypatch.undo()
    resumed = client.post(reverse("import_cases"), {"action": "resume", "job": job.pk})
    assert resumed.status_code == 200 and "导入完成" in resumed.content.decode()
    assert len(refs()) == 4
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE
    refused = client.post(reverse("import_cases"), {"action": "resume", "job": job.pk})
    assert refused.status_code == 409 and "无需继续" in refused.content.decode()


def test_jobs_are_seen_only_by_the_clerks_of_their_congress(world, client):
    job = start_job(world.clerk, sheet(world, 2), world.session, filename="汇总.xlsx")
    elsewhere = build_world(name="南港市人民代表大会")
    client.force_login(elsewhere.clerk)  # may import, but for another congress
    assert client.get(reverse("import_cases")).status_code == 200
    assert client.get(f"{reverse('import_cases')}?job={job.pk}").status_code == 404
    assert client.post(reverse("import_cases"), {"action": "resume", "job": job.pk}).status_code == 404
    client.force_login(world.deputy_user)
    assert client.get(f"{reverse('import_cases')}?job={job.pk}").status_code == 403
