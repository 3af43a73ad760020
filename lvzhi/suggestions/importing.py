"""Importing the session secretariat's summary of suggestions (大会秘书处建议汇总表).

During a plenary session the secretariat collects suggestions on paper and sends the
clerk one Excel sheet. `import_suggestions` checks every row first and reports row by row;
only a file without a single error is written. A row whose 原始编号 is already on a case of the
congress is skipped, so the same file can be imported twice without change (Case.source_ref is
unique per congress+kind).

Rows are written in batches of BATCH_SIZE, each batch one transaction through the engine's
opening transition (`open_case(..., "open_imported")`), retried whole on a lock race
(`engine.in_transaction`), so a long import never holds the chain head for more than a batch and
other users keep working beside it. A confirmed file becomes an `ImportJob`: up to INLINE_ROWS rows it runs
in the request, a larger one in the task worker (`manage.py db_worker`) while the page shows its
progress. A job that stopped (a failed batch, a lost worker) keeps the batches already written
and is continued by running it again: the rows already imported are skipped by 原始编号.

Imported rows become cases already submitted (state SUBMITTED, co-signers confirmed): the
secretariat has collected the signatures, and the clerk registers them in the intake queue.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lvzhi.cases.engine import ATTEMPTS, Busy, in_transaction, open_case
from lvzhi.cases.models import Case
from lvzhi.cases.workflow import InvalidInput, NotAllowed, TransitionError, WrongState
from lvzhi.core.models import Notification, Session, User
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.documents import excel
from lvzhi.suggestions import permissions
from lvzhi.suggestions.categories import CATEGORIES
from lvzhi.suggestions.models import ImportJob, ImportJobState

log = logging.getLogger(__name__)

KIND = "suggestion"
HEADERS = ["原始编号", "标题", "领衔代表", "附议代表", "类别", "内容", "是否保密"]
REQUIRED_HEADERS = ["原始编号", "标题", "领衔代表", "内容"]
TITLE_MIN, TITLE_MAX = 5, 200  # as DraftForm: a deputy's own form and the import agree
BODY_MIN = 50
SOURCE_REF_MAX = 60
MAX_ROWS = excel.MAX_ROWS
EXAMPLE_PREFIX = "示例"
HEADER_SCAN_ROWS = excel.HEADER_SCAN_ROWS  # a title line above the header is skipped
NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")
NAME_WITH_DELEGATION = re.compile(r"^(?P<name>[^（(]+)[（(](?P<delegation>[^）)]+)[）)]$")
BATCH_SIZE = 200  # rows per transaction
INLINE_ROWS = 200  # a confirmed file this small is imported in the request itself
YES = {"是", "Y", "YES", "TRUE", "1", "保密"}
NO = {"", "否", "N", "NO", "FALSE", "0", "不保密"}

# Every cell is read as text; the checks below give the secretariat's own messages.
COLUMNS = [excel.Column(h, required=h in REQUIRED_HEADERS) for h in HEADERS]


class RowStatus:
    NEW = "将导入"
    IMPORTED = "已导入"
    SKIPPED = "已导入过，跳过"
    ERROR = "错误"


@dataclass
class RowResult:
    row: int  # the Excel row number the clerk sees
    source_ref: str
    title: str
    lead: str
    status: str = RowStatus.NEW
    reasons: list[str] = field(default_factory=list)
    case: Case | None = None
    # resolved values, used only when the row is written
    lead_deputy: Deputy | None = None
    cosigners: list[Deputy] = field(default_factory=list)
    category: str = ""
    body: str = ""
    confidential: bool = False

    def error(self, reason: str) -> None:
        self.status = RowStatus.ERROR
        self.reasons.append(reason)


@dataclass
class ImportReport:
    session: Session
    filename: str
    rows: list[RowResult]
    committed: bool = False

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == RowStatus.ERROR]

    @property
    def has_errors(self) -> bool:
        return bool(self.error_rows)

    @property
    def new_count(self) -> int:
        return sum(r.status in (RowStatus.NEW, RowStatus.IMPORTED) for r in self.rows)

    @property
    def skipped_count(self) -> int:
        return sum(r.status == RowStatus.SKIPPED for r in self.rows)

    @property
    def summary(self) -> str:
        if self.has_errors:
            rows = "、".join(str(r.row) for r in self.error_rows[:20])
            more = "等" if len(self.error_rows) > 20 else ""
            return (f"共{len(self.rows)}行，其中{len(self.error_rows)}行有错误（第{rows}行{more}），"
                    "本次未导入任何建议。请修改这些行后重新上传。")
        verb = "已导入" if self.committed else "将导入"
        return (f"共{len(self.rows)}行：{verb}{self.new_count}件，"
                f"已导入过而跳过{self.skipped_count}件。")


def may_import(user: User) -> bool:
    return user.is_active and permissions.may_import(user)


def importable_sessions(user: User):
    return Session.objects.filter(term__congress_id=user.congress_id).select_related("term")


# ------------------------------------------------------------------------------ reading

def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(Excel row number, {header: text}) for every non-blank data row; InvalidInput if the
    file cannot be read or its header is not the template's (documents.excel's messages)."""
    try:
        result = excel.read_sheet(data, COLUMNS, item="建议", max_rows=MAX_ROWS,
                                  header_scan_rows=HEADER_SCAN_ROWS)
    except excel.SheetError as err:
        raise InvalidInput(err.message) from None
    return [(row.number, row.values) for row in result.rows]


# ---------------------------------------------------------------------------- deputies

class DeputyIndex:
    """Resolves the names the secretariat typed to the congress's deputies."""

    def __init__(self, congress_id: int) -> None:
        self.by_name: dict[str, list[Deputy]] = {}
        for d in (Deputy.objects.filter(congress_id=congress_id)
                  .select_related("delegation", "user").order_by("id")):
            self.by_name.setdefault(d.name, []).append(d)

    def resolve(self, raw: str, role: str) -> tuple[Deputy | None, str]:
        """(deputy, "") or (None, a Chinese reason)."""
        text = raw.strip()
        m = NAME_WITH_DELEGATION.match(text)
        name, delegation = (m["name"].strip(), m["delegation"].strip()) if m else (text, "")
        candidates = self.by_name.get(name, [])
        if delegation:
            short = delegation.removesuffix("代表团")
            candidates = [d for d in candidates
                          if d.delegation.name.removesuffix("代表团") == short]
            if not candidates:
                return None, f"{role}“{text}”：{delegation}中没有名为“{name}”的代表，请核对姓名和代表团"
        if not candidates:
            return None, f"{role}“{name}”不是本级人大代表，请核对姓名（须与代表名册一致）"
        active = [d for d in candidates if d.status == DeputyStatus.ACTIVE]
        if not active:
            return None, (f"{role}“{name}”当前状态为“{candidates[0].get_status_display()}”，"
                          "不能提出或附议建议")
        if len(active) > 1:
            groups = "、".join(d.delegation.name for d in active)
            return None, (f"{role}“{name}”有{len(active)}位同名代表（{groups}），请写明代表团，"
                          f"如“{name}（{active[0].delegation.name}）”")
        return active[0], ""


# -------------------------------------------------------------------------- validation

def _check_row(number: int, record: dict[str, str], deputies: DeputyIndex,
               seen_refs: dict[str, int]) -> RowResult:
    ref, title, lead = record.get("原始编号", ""), record.get("标题", ""), record.get("领衔代表", "")
    result = RowResult(row=number, source_ref=ref, title=title, lead=lead)
    if ref.startswith(EXAMPLE_PREFIX):
        result.error("这是导入模板中的示例行，请删除本行后再导入")
    elif not ref:
        result.error("缺少原始编号（秘书处编号，用于防止重复导入）")
    elif len(ref) > SOURCE_REF_MAX:
        result.error(f"原始编号过长（最多{SOURCE_REF_MAX}个字符）")
    elif ref in seen_refs:
        result.error(f"原始编号“{ref}”与第{seen_refs[ref]}行重复，同一文件中编号不能重复")
    if ref and ref not in seen_refs:
        seen_refs[ref] = number

    if not title:
        result.error("缺少标题")
    elif len(title) < TITLE_MIN:
        result.error(f"标题过短（至少{TITLE_MIN}个字），请概括所提问题")
    elif len(title) > TITLE_MAX:
        result.error(f"标题过长（{len(title)}字，最多{TITLE_MAX}字）")

    body = record.get("内容", "")
    result.body = body
    if not body:
        result.error("缺少建议内容")
    elif len(body) < BODY_MIN:
        result.error(f"内容过短（{len(body)}字，至少{BODY_MIN}字）：应写明问题、原因和具体建议")

    if not lead:
        result.error("缺少领衔代表")
    else:
        result.lead_deputy, reason = deputies.resolve(lead, "领衔代表")
        if reason:
            result.error(reason)
    names = [n for n in NAME_SEPARATORS.split(record.get("附议代表", "")) if n]
    seen: set[int] = set()
    for name in names:
        deputy, reason = deputies.resolve(name, "附议代表")
        if reason:
            result.error(reason)
        elif result.lead_deputy is not None and deputy.pk == result.lead_deputy.pk:
            result.error(f"“{name}”是领衔代表，不能同时列为附议代表")
        elif deputy.pk in seen:
            result.error(f"附议代表“{name}”重复列出")
        else:
            seen.add(deputy.pk)
            result.cosigners.append(deputy)

    category = record.get("类别", "")
    if category and category not in CATEGORIES:
        result.error(f"类别“{category}”不在类别表中，应为：{'、'.join(CATEGORIES)}（可留空，立案时确定）")
    result.category = category

    secret = record.get("是否保密", "").upper()
    if secret in YES:
        result.confidential = True
    elif secret not in NO:
        result.error(f"是否保密应填“是”或“否”，不能填“{record.get('是否保密')}”")
    return result


# ----------------------------------------------------------------------------- service

def check_file(actor: User, data: bytes, session: Session, *, filename: str = "") -> ImportReport:
    """Read and check every row (nothing is written). Raises NotAllowed for anyone but a clerk of
    the session's congress, InvalidInput for a file that cannot be read at all."""
    if not may_import(actor) or session.term.congress_id != actor.congress_id:
        raise NotAllowed("只有本级人大代表工作委员会的工作人员可以导入秘书处建议汇总表")
    congress_id = actor.congress_id
    records = read_rows(data)

    deputies = DeputyIndex(congress_id)
    refs = [r.get("原始编号", "") for _, r in records]
    existing = dict(Case.objects.filter(congress_id=congress_id, kind=KIND,
                                        source_ref__in=[r for r in refs if r])
                    .values_list("source_ref", "pk"))
    seen_refs: dict[str, int] = {}
    rows: list[RowResult] = []
    for number, record in records:
        ref = record.get("原始编号", "")
        if ref and ref in existing and ref not in seen_refs:
            seen_refs[ref] = number
            rows.append(_skipped(number, ref, record.get("标题", ""), record.get("领衔代表", ""),
                                 existing[ref]))
            continue
        rows.append(_check_row(number, record, deputies, seen_refs))
    return ImportReport(session=session, filename=filename or "建议汇总表.xlsx", rows=rows)


def _skipped(number: int, ref: str, title: str, lead: str, case_id: int) -> RowResult:
    row = RowResult(row=number, source_ref=ref, title=title, lead=lead, status=RowStatus.SKIPPED)
    row.reasons.append("该原始编号已导入，本行跳过")
    row.case = Case(pk=case_id)
    return row


def import_suggestions(actor: User, file: IO[bytes] | bytes, session: Session, *,
                       commit: bool, filename: str = "") -> ImportReport:
    """Check (commit=False) or import (commit=True) the secretariat's sheet for `session`.

    Raises NotAllowed for anyone but a clerk of the session's congress, InvalidInput for a
    file that cannot be read at all; row errors are reported, and then nothing is written.
    Written in batches (see the module); Busy if a batch kept losing lock races, the batches
    before it stay imported.
    """
    data = file if isinstance(file, bytes) else file.read()
    filename = filename or getattr(file, "name", "") or "建议汇总表.xlsx"
    report = check_file(actor, data, session, filename=filename)
    if commit and not report.has_errors:
        write_rows(actor, session, report, file_digest(data))
    return report


def file_digest(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def write_rows(actor: User, session: Session, report: ImportReport, digest: str, *,
               batch_size: int = BATCH_SIZE,
               progress: Callable[[int, int], None] | None = None) -> None:
    """Write the report's new rows, batch by batch; after each committed batch
    progress(rows handled, rows imported) is called."""
    new = [r for r in report.rows if r.status == RowStatus.NEW]
    for i in range(0, len(new), batch_size):
        batch = new[i:i + batch_size]
        imported = _write_batch(actor, session, report, batch, digest)
        if progress:
            progress(len(batch), imported)
    report.committed = True


def _write_batch(actor: User, session: Session, report: ImportReport, batch: list[RowResult],
                 digest: str) -> int:
    """One transaction (retried on a lock race by in_transaction). Rows whose 原始编号 was
    imported meanwhile (a restarted job, a concurrent import) are skipped; the rows' statuses
    change only once the batch is committed. Returns how many cases it created."""
    def block() -> tuple[list[tuple[RowResult, Case]], dict[str, int]]:
        now = timezone.now()
        present = dict(Case.objects.filter(congress_id=actor.congress_id, kind=KIND,
                                           source_ref__in=[r.source_ref for r in batch])
                       .values_list("source_ref", "pk"))
        created: list[tuple[RowResult, Case]] = []
        notify: list[Notification] = []
        for row in batch:
            if row.source_ref in present:
                continue
            lead = row.lead_deputy
            # Through the kind's opening transition, like a deputy's own draft; the
            # secretariat collected the signatures on paper, so co-signers are confirmed.
            try:
                case = open_case(KIND, "open_imported", actor, {
                    "title": row.title, "body": row.body, "category": row.category,
                    "confidential": row.confidential, "cosigners": [d.pk for d in row.cosigners],
                    "file": report.filename, "file_sm3": digest, "line": row.row,
                }, congress_id=actor.congress_id, now=now, session=session,
                    source_ref=row.source_ref, submitter_id=lead.user_id, lead_deputy=lead,
                    submitted_at=now).case
            except TransitionError as err:
                raise type(err)(f"第{row.row}行：{err.message}", err.errors) from err
            created.append((row, case))
            if lead.user_id:
                notify.append(Notification(
                    user_id=lead.user_id, case=case,
                    text=f"大会秘书处已将您领衔的建议“{row.title}”录入平台，待代表工委审查立案"[:300]))
        transaction.on_commit(lambda: Notification.objects.bulk_create(notify))
        return created, present

    try:
        created, present = in_transaction(block)
    except IntegrityError:
        # Another clerk imported one of these 原始编号 between our check and our insert: once
        # more, and the re-check under the new snapshot skips it.
        try:
            created, present = in_transaction(block)
        except IntegrityError:
            raise InvalidInput(f"第{batch[0].row}–{batch[-1].row}行：导入时发现部分原始编号刚刚已被"
                               "导入（可能有人同时导入了同一文件），本批未导入，请稍后重试。") from None
    for row, case in created:
        row.case, row.status = case, RowStatus.IMPORTED
    for row in batch:
        if row.source_ref in present:
            row.status, row.case = RowStatus.SKIPPED, Case(pk=present[row.source_ref])
            row.reasons.append("该原始编号已导入，本行跳过")
    return len(created)


# ------------------------------------------------------------------------------- jobs

def jobs_of(user: User):
    """The import jobs of the user's congress, newest first, without the files themselves."""
    return (ImportJob.objects.filter(congress_id=user.congress_id).defer("data")
            .select_related("session__term", "created_by"))


def start_job(actor: User, data: bytes, session: Session, *, filename: str,
              rows: int | None = None) -> ImportJob:
    """The confirmed file becomes a queued job (or the job already importing the same file)."""
    if not may_import(actor) or session.term.congress_id != actor.congress_id:
        raise NotAllowed("只有本级人大代表工作委员会的工作人员可以导入秘书处建议汇总表")
    digest = file_digest(data)
    running = jobs_of(actor).filter(session=session, file_sm3=digest,
                                    state__in=[ImportJobState.QUEUED, ImportJobState.RUNNING]).first()
    if running is not None:
        return running
    total = rows if rows is not None else len(read_rows(data))
    return ImportJob.objects.create(congress_id=actor.congress_id, session=session,
                                    filename=filename[:200] or "建议汇总表.xlsx", data=data,
                                    file_sm3=digest, total=total, created_by=actor)


def launch_job(job: ImportJob) -> ImportReport | None:
    """Run a small job now (its report is returned), queue a larger one for the worker."""
    if job.total <= INLINE_ROWS:
        return run_import_job(job.pk)[1]

    def enqueue() -> None:
        from lvzhi.suggestions.tasks import import_job_task

        try:
            import_job_task.enqueue(job.pk)
        except Exception:  # the clerk sees why and the 继续导入 button, never a 500
            log.exception("import job %s could not be queued", job.pk)
            _set_failed(job.pk, "未能将导入任务加入后台队列，请稍后点击“继续导入”。")

    transaction.on_commit(enqueue)
    return None


def resume_job(actor: User, job: ImportJob) -> ImportReport | None:
    """继续导入: a failed or stalled job is queued again and launched."""
    if not may_import(actor) or job.congress_id != actor.congress_id:
        raise NotAllowed("只有本级人大代表工作委员会的工作人员可以导入秘书处建议汇总表")
    if not job.resumable:
        raise WrongState("该导入任务正在进行或已经完成，无需继续")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJobState.QUEUED, error="",
                                               updated_at=timezone.now())
    job.refresh_from_db(fields=["state", "error", "updated_at"])
    return launch_job(job)


def _claim(job_id: int) -> tuple[ImportJob | None, bool]:
    """Mark the job running, alone in a short transaction of its own (the job row is never
    locked together with case or chain locks). (None, _) if there is nothing to run: done,
    failed (it waits for 继续导入) or being run by a live worker. The flag: its first run."""
    def block() -> tuple[ImportJob | None, bool]:
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not (job.state == ImportJobState.QUEUED or job.stalled):
            return None, False
        first = job.started_at is None
        now = timezone.now()
        job.state, job.error, job.updated_at = ImportJobState.RUNNING, "", now
        job.started_at = job.started_at or now
        job.save(update_fields=["state", "error", "updated_at", "started_at"])
        return job, first
    return in_transaction(block)


def _update_job(job_id: int, **values) -> None:
    in_transaction(lambda: ImportJob.objects.filter(pk=job_id).update(updated_at=timezone.now(),
                                                                      **values))


def _set_failed(job_id: int, reason: str) -> None:
    try:
        _update_job(job_id, state=ImportJobState.FAILED, error=reason[:2000])
    except Exception:  # the job then shows as stalled, and 继续导入 is offered all the same
        log.exception("import job %s: could not record the failure %r", job_id, reason)


def run_import_job(job_id: int, *, batch_size: int = BATCH_SIZE) -> tuple[ImportJob | None, ImportReport | None]:
    """Check the job's file again (deputies may have changed since the preview) and write its
    new rows batch by batch, recording the progress. Whatever goes wrong is recorded on the job
    in Chinese (never raised): the batches already written stay, 继续导入 continues."""
    job, first = _claim(job_id)
    if job is None:
        return ImportJob.objects.defer("data").filter(pk=job_id).first(), None
    report: ImportReport | None = None
    handled, writing = 0, False
    try:
        actor = job.created_by
        if actor is None:
            raise NotAllowed("导入人的账号已不存在，请重新上传文件导入")
        report = check_file(actor, bytes(job.data), job.session, filename=job.filename)
        if report.has_errors:
            _set_failed(job.pk, report.summary)
        else:
            present = report.skipped_count
            skipped = present if first else job.skipped
            _update_job(job.pk, total=len(report.rows), skipped=skipped, done=present,
                        imported=max(0, present - skipped))

            def progress(rows: int, imported: int) -> None:
                nonlocal handled
                handled += rows
                _update_job(job.pk, done=F("done") + rows, imported=F("imported") + imported)

            writing = True
            write_rows(actor, job.session, report, job.file_sm3, batch_size=batch_size,
                       progress=progress)
            # Done: the file (deputies' names, confidential suggestions) is not kept any longer.
            _update_job(job.pk, state=ImportJobState.DONE, done=len(report.rows),
                        finished_at=timezone.now(), data=b"")
    except Busy:
        _set_failed(job.pk, f"导入时系统繁忙（数据库锁冲突，重试{ATTEMPTS}次仍未成功），本批未导入；"
                            f"{_kept(handled)}请稍后点击“继续导入”。")
    except TransitionError as err:
        tail = f"。本批未导入；{_kept(handled)}可修改后重新上传，或点击“继续导入”。" if writing else ""
        _set_failed(job.pk, f"{err.message.rstrip('。')}{tail}" if tail else err.message)
    except Exception as exc:
        log.exception("import job %s failed", job.pk)
        where = f"本批未导入；{_kept(handled)}" if writing else ""
        _set_failed(job.pk, f"导入中断（系统错误：{type(exc).__name__}）。{where}"
                            "请点击“继续导入”，如仍失败请联系系统管理员。")
    return ImportJob.objects.defer("data").get(pk=job.pk), report


def _kept(handled: int) -> str:
    return f"此前各批的{handled}行已导入并保留，" if handled else ""


# ---------------------------------------------------------------------------- template

def template_workbook() -> bytes:
    """The blank sheet the clerk hands to the secretariat: header, one example, dropdowns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "建议汇总表"
    hints = {"附议代表": "附议代表（多人用、分隔）", "是否保密": "是否保密（是/否）",
             "领衔代表": "领衔代表（重名请注明代表团）"}
    ws.append([hints.get(h, h) for h in HEADERS])
    ws.append([f"{EXAMPLE_PREFIX}-001", "关于加快老旧小区加装电梯的建议", "张伟（城东区代表团）", "李娜、王芳",
               "城乡建设",
               "我市老旧小区加装电梯工作推进缓慢，部分小区因低楼层住户意见不一、资金筹措困难、"
               "审批流程繁琐而长期停滞。建议简化审批流程，明确财政补贴标准，建立社区协商机制。"
               "（本行为示例，导入前请删除）", "否"])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, width in enumerate([12, 36, 22, 26, 14, 70, 12], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    categories = DataValidation(type="list", formula1=f"=类别表!$A$1:$A${len(CATEGORIES)}",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="类别", error="请从下拉列表中选择类别")
    secret = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(categories)
    ws.add_data_validation(secret)
    categories.add("E2:E5001")
    secret.add("G2:G5001")
    ref = wb.create_sheet("类别表")
    for c in CATEGORIES:
        ref.append([c])
    notes = wb.create_sheet("填写说明")
    for line in [
        "1. 每行一件建议；原始编号为大会秘书处编号，同一会议内不能重复，重复导入时按编号跳过。",
        "2. 标题5至200字；内容至少50字，写明问题、原因和具体建议。",
        "3. 领衔代表、附议代表须与代表名册姓名一致；有同名代表时写成“张伟（城东区代表团）”。",
        "4. 附议代表多人用顿号“、”或逗号分隔。",
        "5. 类别从下拉列表选择，可留空由代表工委立案时确定；是否保密填“是”或“否”。",
        "6. 任何一行有错误时整个文件都不会导入，请按导入预览提示修改后重新上传。",
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
