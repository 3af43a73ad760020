"""The deputy's writing form, shared by draft creation (services.create_draft) and the edit
transition, and the intake transitions' payload forms."""

from __future__ import annotations

from django import forms

from lvzhi.cases.models import Case
from lvzhi.cases.workflow import TransitionForm
from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.deputies.models import Deputy, DeputyStatus
from lvzhi.suggestions.categories import CATEGORY_CHOICES
from lvzhi.suggestions.states import SuggestionState


class DeputyMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.delegation.name}）"


class CosignerPicker(forms.CheckboxSelectMultiple):
    """Checkboxes grouped by delegation, with a filter box and chips (suggestions/cosigners.js):
    every click adds or removes one deputy, no Ctrl key on a desktop. The live motion warning
    takes its number from the congress's RuleSet, the same one submit_guard applies."""

    template_name = "suggestions/widgets/cosigner_picker.html"

    def optgroups(self, name, value, attrs=None):
        groups: dict[str, list] = {}
        for index, (option_value, option_label) in enumerate(self.choices):
            instance = getattr(option_value, "instance", None)
            group = instance.delegation.name if instance is not None and instance.delegation_id else "其他代表"
            selected = str(option_value) in value
            option = self.create_option(name, option_value, option_label, selected, index, attrs=attrs)
            option["short_name"] = instance.name if instance is not None else option_label
            groups.setdefault(group, []).append(option)
        return [(group, options, i) for i, (group, options) in enumerate(groups.items())]

    def get_context(self, name, value, attrs):
        from lvzhi.cases.deadlines import rules_for

        context = super().get_context(name, value, attrs)
        queryset = getattr(self.choices, "queryset", None)
        first = queryset.first() if queryset is not None else None
        context["widget"]["motion_min_signers"] = (rules_for(first.congress_id).motion_min_cosigners
                                                   if first is not None else 10)
        return context


class DraftForm(TransitionForm):
    KINDS = [("suggestion", "建议、批评和意见"), ("motion", "议案")]
    kind = forms.ChoiceField(label="类型", choices=KINDS, initial="suggestion")
    title = forms.CharField(label="标题", max_length=200, min_length=5,
                            error_messages={"min_length": "标题至少5字，当前%(show_value)d字：请概括所提问题"})
    body = forms.CharField(label="内容", min_length=50, max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"min_length": "内容至少50字，当前%(show_value)d字：请写明问题、原因和"
                                                         "具体建议，做到一事一议",
                                           "max_length": "内容最多20000字，当前%(show_value)d字：较多的材料可作为"
                                                         "附件另行报送"})
    category = forms.ChoiceField(label="类别", choices=CATEGORY_CHOICES, required=False)
    cosigners = DeputyMultipleField(label="邀请附议代表", queryset=Deputy.objects.none(),
                                    required=False, widget=CosignerPicker)
    confidential = forms.BooleanField(label="要求保密（不公开）", required=False)
    cause = forms.CharField(label="案由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis = forms.CharField(label="案据", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    plan = forms.CharField(label="方案", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, congress_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        congress_id = congress_id or (self.case.congress_id if self.case is not None else None)
        me = getattr(self.actor, "deputy", None) if self.actor else None
        qs = Deputy.objects.filter(congress_id=congress_id, status=DeputyStatus.ACTIVE
                                   ).select_related("delegation")
        if me is not None:
            qs = qs.exclude(pk=me.pk)
        self.fields["cosigners"].queryset = qs
        if self.case is not None:  # opening or editing a case of a given kind: the kind is fixed
            self.fields["kind"].required = False

    def clean(self):
        data = super().clean()
        kind = (self.case.kind if self.case is not None else data.get("kind")) or "suggestion"
        data["kind"] = kind
        if kind == "motion":
            for name, label in (("cause", "案由"), ("basis", "案据"), ("plan", "方案")):
                if len((data.get(name) or "").strip()) < 10:
                    self.add_error(name, f"议案应当有{label}（代表法第十五条），请至少写10个字")
        return data


class ReasonForm(TransitionForm):
    reason = forms.CharField(label="理由", min_length=4, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"min_length": "理由至少4字，当前%(show_value)d字：请写明理由"})


class RegisterForm(TransitionForm):
    category = forms.ChoiceField(label="类别", choices=CATEGORY_CHOICES,
                                 error_messages={"required": "立案时请确定建议类别"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].initial = self.case.category


class CaseNumberInput(forms.TextInput):
    """A text box for a case number with a suggestion list (suggestions/merge_target.js asks
    `data-suggest-url` for cases matching the words typed): a select of every case of a decade
    would carry tens of thousands of options."""

    template_name = "suggestions/widgets/case_number_input.html"


class CaseField(forms.ModelChoiceField):
    """A case of the queryset by its number (what a clerk types or picks), or by its id (the
    API, the 并入此案 button)."""

    widget = CaseNumberInput

    def label_from_instance(self, obj: Case) -> str:
        return f"{obj.number} {obj.title}"

    def to_python(self, value):
        text = str(value).strip() if value not in self.empty_values else ""
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):  # a number is never all digits (…第0012号)
            found = self.queryset.filter(number=text.split(" ", 1)[0]).first()
            if found is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return found
        return super().to_python(text)


MERGE_TARGET_STATES = [SuggestionState.REGISTERED, SuggestionState.HANDLING, SuggestionState.REPLIED]


class MergeForm(TransitionForm):
    target = CaseField(label="并入的案件", queryset=Case.objects.none(),
                       help_text="输入案号，或输入标题中的词语后从提示中选择",
                       error_messages={"invalid_choice": "所选案件不存在或不能作为并案对象"})
    reason = forms.CharField(label="并案说明", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Case.objects.filter(
            congress_id=self.case.congress_id, kind=self.case.kind,
            state__in=MERGE_TARGET_STATES,
        ).exclude(pk=self.case.pk).exclude(number="")
        if self.case.pk:
            from django.urls import reverse

            self.fields["target"].widget.attrs["data-suggest-url"] = reverse("merge_targets", args=[self.case.pk])


class ReferForm(TransitionForm):
    committee = forms.ModelChoiceField(label="交付审议的专门委员会", queryset=Organization.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Organization.objects.filter(
            congress_id=self.case.congress_id, kind=OrganizationKind.COMMITTEE)


class CommitteeReportForm(TransitionForm):
    result = forms.CharField(label="审议结果报告", min_length=20, widget=forms.Textarea(attrs={"rows": 5}),
                             error_messages={"min_length": "审议结果报告至少20字，当前%(show_value)d字"})
