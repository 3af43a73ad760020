"""The registry's forms: they parse and check the shape of the input; the services check the rules."""

from __future__ import annotations

from django import forms

from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.core.validation import ClerkMessages
from lvzhi.legislation.choices import Action, Field
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.registry_models import CleanupScope, Conclusion, Outcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class RegulationForm(ClerkMessages, forms.Form):
    title = forms.CharField(label="法规名称", max_length=200)
    field = forms.ChoiceField(label="立法事项", choices=Field.choices, initial=Field.URBAN)
    lead_committee = forms.ModelChoiceField(label="归口专门委员会", queryset=Organization.objects.none(),
                                            required=False)
    implementing_body = forms.CharField(label="实施主管部门", max_length=100, required=False)
    joint_note = forms.CharField(label="协同立法", max_length=200, required=False,
                                 help_text="如 与包头市、鄂尔多斯市协同立法")

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_committee"].queryset = Organization.objects.filter(
            congress_id=congress_id, kind=OrganizationKind.COMMITTEE).order_by("sort_order", "name")


class VersionForm(ClerkMessages, forms.Form):
    action = forms.ChoiceField(label="立法行为", choices=Action.choices)
    adopted_on = _date("常委会通过日期", required=True)
    decision = forms.CharField(label="通过或修改决定", max_length=300, required=False)
    text = forms.CharField(label="全文", required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="一段一行，章节标题单独成行，条文以“第X条”开头；废止可以不填")
    approved_on = _date("省级人大常委会批准日期")
    approval_decision = forms.CharField(label="批准决定", max_length=300, required=False)
    gazette_issue = forms.CharField(label="常委会公报期号", max_length=60, required=False)
    gazette_on = _date("公报刊登日期")
    website_on = _date("网站公布日期")
    newspaper = forms.CharField(label="刊登报纸", max_length=60, required=False, initial="北辰日报")
    newspaper_on = _date("报纸刊登日期")
    effective_on = _date("施行日期")


class DatesForm(ClerkMessages, forms.Form):
    approved_on = _date("省级人大常委会批准日期")
    approval_decision = forms.CharField(label="批准决定", max_length=300, required=False)
    gazette_issue = forms.CharField(label="常委会公报期号", max_length=60, required=False)
    gazette_on = _date("公报刊登日期")
    website_on = _date("网站公布日期")
    newspaper = forms.CharField(label="刊登报纸", max_length=60, required=False)
    newspaper_on = _date("报纸刊登日期")
    effective_on = _date("施行日期")
    implementation_reported_on = _date("实施部门报告实施情况日期")


class RuleForm(ClerkMessages, forms.Form):
    title = forms.CharField(label="配套规定事项", max_length=200)
    article = forms.CharField(label="法规条款", max_length=40, required=False)
    responsible_unit = forms.ModelChoiceField(label="制定单位", queryset=Organization.objects.none(), required=False)
    responsible_body = forms.CharField(label="或填写制定机关", max_length=100, required=False)
    months = forms.IntegerField(label="法规规定的期限（月）", required=False, min_value=1, max_value=60,
                                help_text="法规对期限另有规定时填写；不填按立法法第六十六条，施行之日起一年")

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Organization.objects.filter(
            congress_id=congress_id, kind=OrganizationKind.UNIT).order_by("sort_order", "name")


class RuleDoneForm(ClerkMessages, forms.Form):
    done_on = _date("出台日期", required=True)
    document_title = forms.CharField(label="文件名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=60, required=False)


class EvaluationForm(ClerkMessages, forms.Form):
    year = forms.IntegerField(label="评估年度", min_value=2000, max_value=2100)
    body = forms.CharField(label="评估主体", max_length=100)
    method = forms.CharField(label="评估方式", max_length=200, required=False)
    findings = forms.CharField(label="评估发现", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    conclusion = forms.ChoiceField(label="评估结论", choices=Conclusion.choices)
    done_on = _date("评估报告完成日期")
    report = forms.FileField(label="评估报告（.docx或.pdf）", required=False)


class CleanupForm(ClerkMessages, forms.Form):
    title = forms.CharField(label="清理名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    scope = forms.ChoiceField(label="清理方式", choices=CleanupScope.choices)
    subject = forms.CharField(label="清理事项", max_length=200, required=False,
                              help_text="专项清理填写，如 涉及民营经济发展")
    basis = forms.CharField(label="清理依据", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    regulations = forms.ModelMultipleChoiceField(label="清理范围", queryset=Regulation.objects.none(), required=False,
                                                 widget=forms.SelectMultiple(attrs={"size": 8}),
                                                 help_text="全面清理不选即为全部现行有效法规")

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regulations"].queryset = Regulation.objects.filter(congress_id=congress_id,
                                                                        status="in_force").order_by("title")


class FindingForm(ClerkMessages, forms.Form):
    regulation = forms.ModelChoiceField(label="法规", queryset=Regulation.objects.none())
    outcome = forms.ChoiceField(label="清理意见", choices=Outcome.choices)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cleanup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regulation"].queryset = cleanup.regulations.exclude(
            pk__in=cleanup.findings.values("regulation_id")).order_by("title")


class DecideForm(ClerkMessages, forms.Form):
    decided_on = _date("常委会决定日期", required=True)
