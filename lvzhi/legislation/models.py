"""Local regulations over their whole life (地方性法规全生命周期).

- `Regulation`: one regulation of the congress, in force, repealed or still being made.
- `RegulationVersion`: each 制定 / 修改 / 修正 / 修订 / 废止, with its date, decision and full text,
  its approval by the provincial committee (立法法 第八十一条, within four months), its publication
  (第八十八至八十九条: 公报, website, newspaper) and its date of effect.
- `Bill`: a 法规案 through its readings; `Reading`: one 常委会 reading (第三十二–三十三条);
  `Draft`: one version of the bill's text (一审稿, 二审稿, 表决稿), which public comment opens on.
- `ContactPoint`: a 基层立法联系点 (立法法 第九十条), which collects opinions on drafts and
  legislative suggestions at its own meetings.

The text of a version or a draft is kept whole, one paragraph a line; `lvzhi.legislation.articles`
parses it into chapters, sections and articles when a page or a diff needs them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Congress, Organization
from lvzhi.legislation import articles
from lvzhi.legislation.choices import Action, BillState, Field, ReadingOrdinal, RegulationStatus

__all__ = ["Action", "Bill", "BillState", "ContactPoint", "Draft", "Field", "Reading", "ReadingOrdinal",
           "Regulation", "RegulationStatus", "RegulationVersion"]


class Regulation(models.Model):
    congress = models.ForeignKey(Congress, models.CASCADE, related_name="regulations")
    title = models.CharField("法规名称", max_length=200)
    field = models.CharField("立法事项", max_length=12, choices=Field.choices, default=Field.URBAN)
    status = models.CharField("状态", max_length=12, choices=RegulationStatus.choices,
                              default=RegulationStatus.DRAFTING, db_index=True)
    lead_committee = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name="归口专门委员会")
    implementing_body = models.CharField("实施主管部门", max_length=100, blank=True)
    joint_note = models.CharField("协同立法", max_length=200, blank=True,
                                  help_text="区域协同立法的伙伴城市，如 与包头市、鄂尔多斯市协同立法")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "地方性法规"
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["congress", "title"], name="regulation_title")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legislation:regulation", args=[self.pk])

    @property
    def current(self) -> RegulationVersion | None:
        """The version in force: the last one adopted that is not a repeal."""
        return self.versions.exclude(action=Action.REPEAL).order_by("-adopted_on", "-pk").first()


class RegulationVersion(models.Model):
    regulation = models.ForeignKey(Regulation, models.CASCADE, related_name="versions")
    action = models.CharField("立法行为", max_length=16, choices=Action.choices)
    adopted_on = models.DateField("常委会通过日期")
    decision = models.CharField("通过或修改决定", max_length=300, blank=True,
                                help_text="如 北辰市人民代表大会常务委员会关于修改《……》的决定")
    text = models.TextField("全文", blank=True, help_text="一段一行；废止的版本可以不填")
    approved_on = models.DateField("省级人大常委会批准日期", null=True, blank=True)
    approval_decision = models.CharField("批准决定", max_length=300, blank=True)
    gazette_issue = models.CharField("常委会公报期号", max_length=60, blank=True)
    gazette_on = models.DateField("公报刊登日期", null=True, blank=True)
    website_on = models.DateField("网站公布日期", null=True, blank=True)
    newspaper = models.CharField("刊登报纸", max_length=60, blank=True)
    newspaper_on = models.DateField("报纸刊登日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    bill = models.ForeignKey("legislation.Bill", models.SET_NULL, null=True, blank=True, related_name="versions",
                             verbose_name="法规案")
    # 山东条例 第七十五条: the implementing body reports within 30 days after a year in force
    implementation_report_due_on = models.DateField("实施情况报告期限", null=True, blank=True)
    implementation_reported_on = models.DateField("实施情况报告日期", null=True, blank=True)
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法规版本"
        ordering = ["regulation", "adopted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.regulation.title}（{self.adopted_on:%Y年%-m月%-d日}{self.get_action_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("legislation:regulation", args=[self.regulation_id]) + f"#version-{self.pk}"

    def parsed(self) -> articles.Parsed:
        return articles.parse(self.text)


class Bill(models.Model):
    """A 法规案: to enact, amend, revise or repeal one regulation."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="bills")
    regulation = models.ForeignKey(Regulation, models.PROTECT, related_name="bills", verbose_name="法规")
    action = models.CharField("立法行为", max_length=16, choices=Action.choices, default=Action.ENACT)
    title = models.CharField("法规案名称", max_length=200, help_text="如 《北辰市物业管理条例（草案）》")
    state = models.CharField("状态", max_length=12, choices=BillState.choices, default=BillState.DRAFTING,
                             db_index=True)
    proposer = models.CharField("提案人", max_length=100, help_text="市人民政府、主任会议或专门委员会")
    drafting_body = models.CharField("起草单位", max_length=100, blank=True)
    lead_committee = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name="审议专门委员会")
    drafting_team = models.TextField("起草专班", blank=True,
                                     help_text="重要法规的“双组长制”或起草专班成员，一行一人：姓名、职务")
    # 双组长制: the standing committee's and the government's leaders of the drafting team.
    team_leader_congress = models.CharField("起草组组长（人大）", max_length=60, blank=True,
                                            help_text="如 张伟（市人大常委会副主任）")
    team_leader_government = models.CharField("起草组组长（政府）", max_length=60, blank=True,
                                              help_text="如 王强（副市长）")
    proposed_on = models.DateField("提请审议日期", null=True, blank=True,
                                   help_text="北京 立法条例第二十二条：一般在会议举行的二十日前提请")
    proposal_due_on = models.DateField("提请审议期限", null=True, blank=True)
    reading_reason = models.TextField("减少审次的理由", blank=True,
                                      help_text="立法法第三十三条：经两次或一次审议即交付表决的，写明理由")
    members_total = models.PositiveSmallIntegerField("常委会组成人员总数", null=True, blank=True)
    voted_on = models.DateField("表决日期", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("反对", null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField("弃权", null=True, blank=True)
    submitted_on = models.DateField("报请批准日期", null=True, blank=True)
    approval_due_on = models.DateField("批准期限", null=True, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    approval_decision = models.CharField("批准决定", max_length=300, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField("立案时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法规案"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legislation:bill", args=[self.pk])

    @property
    def latest_draft(self) -> Draft | None:
        return self.drafts.order_by("-pk").first()


class Reading(models.Model):
    """One 常委会 reading of a bill (立法法 第三十二条: three, or two or one as 第三十三条 allows)."""

    bill = models.ForeignKey(Bill, models.CASCADE, related_name="readings")
    ordinal = models.PositiveSmallIntegerField("审次", choices=ReadingOrdinal.choices)
    meeting = models.CharField("常委会会议", max_length=100, help_text="如 市十六届人大常委会第二十三次会议")
    meeting_on = models.DateField("会议日期")
    materials_due_on = models.DateField("印发组成人员期限", null=True, blank=True,
                                        help_text="立法法第三十一条：会议举行的七日前")
    materials_sent_on = models.DateField("印发组成人员日期", null=True, blank=True)
    law_committee_report = models.TextField("法制委员会审议结果报告", blank=True)
    deliberation_summary = models.TextField("审议意见摘要", blank=True)
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "审议"
        ordering = ["bill", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["bill", "ordinal"], name="reading_ordinal")]

    def __str__(self) -> str:
        return f"{self.bill.title}{self.get_ordinal_display()}"


class Draft(models.Model):
    """One version of a bill's text: the 草案 of a reading, the 修改稿 after it, the 表决稿."""

    bill = models.ForeignKey(Bill, models.CASCADE, related_name="drafts")
    reading = models.ForeignKey(Reading, models.SET_NULL, null=True, blank=True, related_name="drafts",
                                verbose_name="审议")
    label = models.CharField("稿本", max_length=40, help_text="如 草案（一审稿）、草案（二审稿）、表决稿")
    text = models.TextField("草案全文", help_text="一段一行，第X条开头")
    explanation = models.TextField("起草或修改说明", blank=True)
    previous = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="上一稿")
    created_at = models.DateTimeField("形成时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法规草案稿"
        ordering = ["bill", "pk"]

    def __str__(self) -> str:
        return f"{self.bill.title}{self.label}"

    def parsed(self) -> articles.Parsed:
        return articles.parse(self.text)


class ContactPoint(models.Model):
    """A 基层立法联系点: a street, a community, a company, a school or a bar association the
    standing committee has named to hear the grassroots on drafts (立法法 第九十条)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="contact_points")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, blank=True, help_text="如 街道、社区、企业、学校、律师事务所")
    district = models.CharField("所在地区", max_length=40, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联络员", max_length=40, blank=True)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="录入账号", help_text="代表联系点录入意见的账号")
    established_on = models.DateField("设立日期", null=True, blank=True)
    is_active = models.BooleanField("在册", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "基层立法联系点"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="contact_point_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('legislation:contact_points')}#p{self.pk}"


# The areas' own models, defined after these they point to.
from lvzhi.legislation.registry_models import *  # noqa: E402, F403, I001
from lvzhi.legislation.comment_models import Comment, CommentPeriod, CommentSettings, ContactPointMeeting  # noqa: E402, F401
from lvzhi.legislation.plan_models import *  # noqa: E402, F403
