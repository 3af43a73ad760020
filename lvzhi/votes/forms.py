"""The office's page forms (ClerkForm: the clerk's Chinese messages)."""

from __future__ import annotations

from django import forms

from lvzhi.core.validation import ClerkForm
from lvzhi.supervision.models import Opinion, Topic
from lvzhi.votes.models import BoxState, PassRule, SatisfactionVote, VoteRules


class VoteForm(ClerkForm):
    title = forms.CharField(label="测评事项", max_length=200,
                            help_text="如：对市人民政府关于住宅小区物业管理工作情况报告的满意度测评")
    topic = forms.ModelChoiceField(label="监督议题", queryset=Topic.objects.none(), required=False)
    opinion = forms.ModelChoiceField(label="审议意见（测评研究处理情况报告时选择）",
                                     queryset=Opinion.objects.none(), required=False)
    re_report_of = forms.ModelChoiceField(label="重新报告（对未通过的测评）", queryset=SatisfactionVote.objects.none(),
                                          required=False)

    def __init__(self, *args, congress_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(congress_id=congress_id)
        self.fields["opinion"].queryset = Opinion.objects.filter(topic__congress_id=congress_id).select_related("topic")
        self.fields["re_report_of"].queryset = SatisfactionVote.objects.filter(
            congress_id=congress_id, state=BoxState.CLOSED, passed=False)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if len(title) < 6:
            raise forms.ValidationError("测评事项请写完整，如“对市人民政府关于……工作情况报告的满意度测评”")
        return title

    def clean(self) -> dict:
        data = super().clean()
        topic, opinion = data.get("topic"), data.get("opinion")
        if topic and opinion and opinion.topic_id != topic.pk:
            raise forms.ValidationError("所选审议意见不属于所选监督议题，请重新选择")
        return data


class RulesForm(ClerkForm):
    levels = forms.TypedChoiceField(label="测评等次", coerce=int, choices=VoteRules._meta.get_field("levels").choices)
    pass_rule = forms.ChoiceField(label="通过规则", choices=PassRule.choices)
    re_report_months = forms.IntegerField(label="未通过的重新报告期限（月）", min_value=1, max_value=24)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("levels") == 2 and data.get("pass_rule") == PassRule.SATISFIED_PLUS_BASIC_OVER_HALF_MEMBERS:
            raise forms.ValidationError("两档测评没有“基本满意”，请选择三档测评或其他通过规则")
        return data
