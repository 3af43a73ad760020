"""The key task's transition forms (shared by its pages, the generic case page and the API),
and the forms of its own pages. Every message is the office's Chinese."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.utils import timezone

from lvzhi.cases.handling.common import AssignmentField, UnitChoiceField, own_assignments
from lvzhi.cases.models import Assignment, AssignmentState
from lvzhi.cases.workflow import TransitionForm
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.core.validation import ClerkForm
from lvzhi.documents.uploads import UploadError, check_upload, max_upload_bytes
from lvzhi.keytasks.models import Category, Dispatch, Milestone
from lvzhi.keytasks.permissions import ANSWERING

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MIN = 10
TEXT_MIN = 10
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MILESTONE_LINE = re.compile(r"^(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(?P<text>.*)$")


def leaders_of(congress_id: int):
    return User.objects.filter(congress_id=congress_id, role=Role.LEADER, is_active=True).order_by("id")


def offices_of(congress_id: int):
    """Who can lead a key task: the committees and the working bodies."""
    return Organization.objects.filter(congress_id=congress_id, is_active=True, kind__in=[
        OrganizationKind.COMMITTEE, OrganizationKind.WORKING_BODY]).order_by("kind", "sort_order", "name")


class LeaderField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


def parse_day(raw: str) -> dt.date:
    text = unicodedata.normalize("NFKC", raw).strip()
    parts = [p for p in re.split(r"[-/.年月日\s]+", text) if p]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(raw)
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))


def parse_milestones(text: str) -> list[dict[str, object]]:
    """One milestone a line: "2026-06-30 完成草案起草"; the date first, then the step."""
    rows = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = MILESTONE_LINE.match(unicodedata.normalize("NFKC", line))
        if not m:
            raise forms.ValidationError(
                f"工作节点第{n}行格式应为“YYYY-MM-DD 节点内容”，如：2026-06-30 完成草案起草")
        try:
            due = parse_day(m["date"])
        except ValueError:
            raise forms.ValidationError(f"工作节点第{n}行的日期“{m['date']}”不是有效的日期") from None
        title = m["text"].strip(" ：:，,")
        if not title:
            raise forms.ValidationError(f"工作节点第{n}行缺少节点内容")
        rows.append({"due_on": due, "title": title[:200]})
    return rows


def milestones_text(case) -> str:
    return "\n".join(f"{m.due_on:%Y-%m-%d} {m.title}" for m in case.milestones.all())


class KeyTaskForm(TransitionForm):
    """起草 / 修改 / 导入: what one line of the year's list holds."""

    title = forms.CharField(label="任务名称", min_length=TITLE_MIN, max_length=TITLE_MAX, error_messages={
        "required": "请填写任务名称"})  # the lengths: lvzhi.core.validation, with the count
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages={
        "required": "请填写年度", "invalid": "年度应为四位数字，如2026",
        "min_value": "年度应为四位数字，如2026", "max_value": "年度应为四位数字，如2026"})
    category = forms.ChoiceField(label="类别", choices=Category.choices, error_messages={
        "required": "请选择类别", "invalid_choice": "类别应为立法工作、监督工作、代表工作、自身建设或其他重点工作"})
    body = forms.CharField(label="工作内容和目标", min_length=BODY_MIN, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请填写工作内容和目标"})
    responsible_leader = LeaderField(label="责任领导", queryset=User.objects.none(), error_messages={
        "required": "请选择责任领导（主任会议成员）", "invalid_choice": "责任领导应为本级主任会议成员"})
    planned_lead = UnitChoiceField(label="牵头部门", queryset=Organization.objects.none(), required=False,
                                   error_messages={"invalid_choice": "牵头部门应为本级专门委员会或工作机构"})
    planned_co = forms.ModelMultipleChoiceField(label="配合部门", queryset=Organization.objects.none(),
                                                required=False, error_messages={
                                                    "invalid_choice": "配合部门应为本级专门委员会或工作机构"})
    due_on = forms.DateField(label="完成时限", widget=DATE_WIDGET, error_messages={
        "required": "请填写完成时限", "invalid": "完成时限应为日期，如2026-11-30"})
    milestones = forms.CharField(
        label="工作节点", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个：计划完成日期 节点内容，如“2026-06-30 完成草案起草”")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        congress_id = self.case.congress_id
        self.fields["responsible_leader"].queryset = leaders_of(congress_id)
        self.fields["planned_lead"].queryset = offices_of(congress_id)
        self.fields["planned_co"].queryset = offices_of(congress_id)
        self.fields["planned_co"].label_from_instance = lambda o: o.name
        detail = getattr(self.case, "key_task_detail", None) if self.case.pk else None
        if not self.is_bound and detail is not None:  # 修改: the form opens with what is there
            self.initial.update(
                title=self.case.title, body=self.case.body, year=detail.year, category=detail.category,
                responsible_leader=detail.responsible_leader_id, planned_lead=detail.planned_lead_id,
                planned_co=[o.pk for o in detail.planned_co.all()], due_on=detail.due_on,
                milestones=milestones_text(self.case))
        elif not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data.get("milestones", ""))

    def clean(self):
        data = super().clean()
        year, due = data.get("year"), data.get("due_on")
        if year and due:
            if due < dt.date(year, 1, 1):
                self.add_error("due_on", f"完成时限不能早于{year}年1月1日")
            elif due > dt.date(year + 1, 12, 31):
                self.add_error("due_on", f"完成时限不能晚于{year + 1}年12月31日")
        for m in data.get("milestones") or []:
            if due and m["due_on"] > due:
                self.add_error("milestones", f"工作节点“{m['title']}”的日期{m['due_on']:%Y-%m-%d}"
                                             f"晚于完成时限{due:%Y-%m-%d}")
                break
        lead, co = data.get("planned_lead"), list(data.get("planned_co") or [])
        if lead is not None and lead in co:
            self.add_error("planned_co", f"{lead.name} 不能同时是牵头部门和配合部门")
        return data


class ImportedKeyTaskForm(KeyTaskForm):
    """A row of the office's Excel list: the same fields, and where the row came from."""

    file = forms.CharField(required=False)
    line = forms.IntegerField(required=False)


class ReasonForm(TransitionForm):
    reason = forms.CharField(label="理由", min_length=5, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请写明理由"})


class NoteForm(TransitionForm):
    note = forms.CharField(label="意见", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DispatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dispatch) -> str:
        return f"{obj.title}（{obj.due_on:%m月%d日}前报送）"


class DispatchForm(TransitionForm):
    """调度 one task: to a dispatch the office has started and this task is not yet part of."""

    dispatch = DispatchChoiceField(label="调度", queryset=Dispatch.objects.none(), error_messages={
        "required": "请选择调度", "invalid_choice": "所选调度不存在，或已调度过该任务"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Dispatch.objects.filter(congress_id=self.case.congress_id)
        if self.case.pk:
            qs = qs.exclude(cases=self.case)
        if not self.is_bound:  # the button offers only dispatches still open today
            qs = qs.filter(due_on__gte=timezone.localdate())
        self.fields["dispatch"].queryset = qs


class MilestoneField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Milestone) -> str:
        return f"{obj.due_on:%Y-%m-%d} {obj.title}"


def open_milestones(case):
    return Milestone.objects.filter(case=case, done_at__isnull=True) if case.pk else Milestone.objects.none()


class ReportProgressForm(TransitionForm):
    assignment = AssignmentField(label="牵头任务", queryset=Assignment.objects.none(), error_messages={
        "required": "请选择牵头任务", "invalid_choice": "只能报送本部门牵头的任务"})
    text = forms.CharField(label="进展情况", min_length=TEXT_MIN, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请填写进展情况",
                                           "min_length": f"进展情况至少{TEXT_MIN}字，当前%(show_value)d字："
                                                         "请写明做了什么、下一步安排"})
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100, error_messages={
        "required": "请填写完成进度", "invalid": "完成进度应为0到100之间的整数",
        "min_value": "完成进度应为0到100之间的整数", "max_value": "完成进度应为0到100之间的整数"})
    milestone = MilestoneField(label="本次完成的工作节点", queryset=Milestone.objects.none(), required=False,
                               error_messages={"invalid_choice": "所选工作节点不存在或已完成"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = own_assignments(
            self, role__in=ANSWERING, state=AssignmentState.HANDLING)
        self.fields["milestone"].queryset = open_milestones(self.case)
        self.fields["milestone"].empty_label = "（无）"


class MarkMilestoneForm(TransitionForm):
    milestone = MilestoneField(label="工作节点", queryset=Milestone.objects.none(), error_messages={
        "required": "请选择已完成的工作节点", "invalid_choice": "所选工作节点不存在或已完成"})
    note = forms.CharField(label="完成情况", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = open_milestones(self.case)


class ProposeCloseOutForm(TransitionForm):
    evidence = forms.CharField(
        label="完成情况和佐证材料", min_length=TEXT_MIN, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明完成情况及佐证（会议纪要、批准文件、报告文号等）",
        error_messages={"required": "提请销号须写明完成情况和佐证材料"})


# ------------------------------------------------------------------ pages

class DispatchStartForm(ClerkForm):
    due_on = forms.DateField(label="报送截止", widget=DATE_WIDGET, error_messages={
        "required": "请填写报送截止日期", "invalid": "报送截止应为日期，如2026-12-05"})
    note = forms.CharField(label="调度要求", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError("报送截止不能早于今天")
        return due


class ImportForm(ClerkForm):
    file = forms.FileField(label="重点任务清单（.xlsx）",
                           error_messages={"required": "请选择要导入的 Excel 文件（.xlsx）"})
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages={
        "required": "请填写年度", "invalid": "年度应为四位数字，如2026",
        "min_value": "年度应为四位数字，如2026", "max_value": "年度应为四位数字，如2026"})

    def clean_file(self):
        """Refused by size before it is read, and by content (a real .xlsx, not a renamed file)."""
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, {"xlsx"}, max_upload_bytes())
        except UploadError as err:
            raise forms.ValidationError(err.message) from None
        return upload
