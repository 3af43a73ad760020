"""Files in and out: the secretariat's Excel import, the ledger export, the assignment notice.

Thin: parse the request, call importing / exports / documents, render or send the file.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from config.db_router import on_replica
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import InvalidInput, NotAllowed, TransitionError
from lvzhi.core.models import Session
from lvzhi.core.params import id_param
from lvzhi.documents.uploads import read_upload
from lvzhi.suggestions import documents, exports, importing
from lvzhi.suggestions.models import ImportJob, ImportJobState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PENDING_KEY = "lvzhi_pending_import"  # the previewed file, waiting for 确认导入
PENDING_DIR = "imports/pending"


class SessionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return f"{obj}（{obj.opens_on:%Y年%m月%d日}开幕）"


class ImportForm(forms.Form):
    session = SessionField(label="会议", queryset=Session.objects.none(),
                           empty_label=None,
                           error_messages={"required": "请选择建议所属的会议",
                                           "invalid_choice": "所选会议不存在"})
    file = forms.FileField(label="秘书处建议汇总表（.xlsx）", required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = importing.importable_sessions(user)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"  # personal data: never cached by a proxy
    return response


def _refuse(request: HttpRequest, err: TransitionError) -> HttpResponse:
    return render(request, "suggestions/files/error.html", {"message": err.message},
                  status=err.status)


def _not_allowed(request: HttpRequest, message: str) -> HttpResponse:
    return _refuse(request, NotAllowed(message))


# ------------------------------------------------------------------------------- import

@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    if not importing.may_import(request.user):
        return _not_allowed(request, "只有代表工委工作人员可以下载导入模板")
    return _download(importing.template_workbook(), "秘书处建议汇总表_导入模板.xlsx", XLSX)


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_KEY, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])


def _sweep_abandoned() -> None:
    """Previews never confirmed (the browser closed) are removed after a day."""
    if not default_storage.exists(PENDING_DIR):
        return
    cutoff = timezone.now() - dt.timedelta(days=1)
    for name in default_storage.listdir(PENDING_DIR)[1]:
        path = f"{PENDING_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def _keep_pending(request: HttpRequest, data: bytes, filename: str, session: Session,
                  rows: int) -> str:
    """Keep the checked file server-side so 确认导入 imports exactly what was previewed."""
    _forget_pending(request)
    _sweep_abandoned()
    token = uuid.uuid4().hex
    path = default_storage.save(f"{PENDING_DIR}/{token}.xlsx", ContentFile(data))
    request.session[PENDING_KEY] = {"token": token, "path": path, "name": filename,
                                    "session_id": session.pk, "rows": rows}
    return token


def _job_url(job: ImportJob) -> str:
    return f"{reverse('import_cases')}?job={job.pk}"


def _render_import(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("jobs", importing.jobs_of(request.user)[:5])
    return render(request, "suggestions/files/import.html", context, status=status)


def _after_run(request: HttpRequest, context: dict, job: ImportJob,
               report: importing.ImportReport | None) -> HttpResponse:
    """A job run in the request: its report as before, or why it stopped (never a bare 500)."""
    if job.state == ImportJobState.DONE and report is not None:
        context["report"] = report
        return _render_import(request, context)
    if report is not None and report.has_errors:
        context["report"] = report
        return _render_import(request, context, status=400)
    if job.active:  # another worker has it: show its progress
        return redirect(_job_url(job))
    context["job"] = job
    return _render_import(request, context, status=503)


@login_required
def import_cases(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not importing.may_import(user):
        return _not_allowed(request, "只有代表工委工作人员可以导入秘书处建议汇总表")
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    context: dict = {"form": form}
    if request.method != "POST":
        job_id = id_param(request.GET.get("job"))
        if job_id:
            job = get_object_or_404(importing.jobs_of(user), pk=job_id)
            if request.headers.get("HX-Request"):  # the progress fragment, polled every 2 s
                return render(request, "suggestions/files/_import_job.html", {"job": job})
            context["job"] = job
        return _render_import(request, context)
    try:
        action = request.POST.get("action")
        if action == "resume":
            job = get_object_or_404(importing.jobs_of(user), pk=request.POST.get("job") or 0)
            report = importing.resume_job(user, job)
            job.refresh_from_db()
            if report is None and job.state != ImportJobState.FAILED:
                return redirect(_job_url(job))
            return _after_run(request, context, job, report)

        if action == "confirm":
            pending = request.session.get(PENDING_KEY)
            if (not pending or pending["token"] != request.POST.get("token")
                    or not default_storage.exists(pending["path"])):
                context["error"] = "预览已过期或已导入，请重新上传文件。"
                return _render_import(request, context, status=400)
            session = get_object_or_404(importing.importable_sessions(user),
                                        pk=pending["session_id"])
            with default_storage.open(pending["path"], "rb") as fh:
                data = fh.read()
            job = importing.start_job(user, data, session, filename=pending["name"],
                                      rows=pending.get("rows"))
            _forget_pending(request)  # the job holds the file now
            report = importing.launch_job(job)
            job.refresh_from_db()
            if report is None and job.state != ImportJobState.FAILED:  # in the worker
                return redirect(_job_url(job))
            return _after_run(request, context, job, report)

        if not form.is_valid():
            context["error"] = next(iter(form.errors.values()))[0]
            return _render_import(request, context, status=400)
        upload = form.cleaned_data["file"]
        if upload is None:
            context["error"] = "请选择要导入的 Excel 文件（.xlsx）。"
            return _render_import(request, context, status=400)
        data = read_upload(upload, {"xlsx"}, error=InvalidInput)  # by size and content first
        session = form.cleaned_data["session"]
        report = importing.import_suggestions(user, data, session, commit=False,
                                              filename=upload.name)
        context["report"] = report
        if not report.has_errors and report.new_count:
            context["token"] = _keep_pending(request, data, upload.name, session, len(report.rows))
        return _render_import(request, context, status=400 if report.has_errors else 200)
    except TransitionError as err:
        if err.status == 403:
            return _refuse(request, err)
        context["error"] = err.message
        return _render_import(request, context, status=err.status)


# -------------------------------------------------------------------------------- ledger

@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """A small page to pick the ledger's filters; the download is ledger.xlsx."""
    if not exports.may_export(request.user):
        return _not_allowed(request, "您无权导出办理台账")
    form = exports.LedgerFilter(request.GET or None, user=request.user)
    return render(request, "suggestions/files/ledger.html", {"form": form})


@login_required
@on_replica  # an export: reads only (config/db_router.py)
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        data = exports.build_ledger(request.user, request.GET)
    except TransitionError as err:
        return _refuse(request, err)
    return _download(data, exports.ledger_filename(), XLSX)


# -------------------------------------------------------------------------------- notice

@login_required
def case_notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    case: Case = get_object_or_404(
        visible_cases(request.user).select_related("congress", "session__term", "lead_deputy",
                                                   "submitter"), pk=pk)
    try:
        data = documents.assignment_notice(request.user, case)
    except TransitionError as err:
        return _refuse(request, err)
    return _download(data, documents.notice_filename(case), DOCX)
