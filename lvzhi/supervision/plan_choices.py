"""The annual plan's choices, apart from the models so that Topic (models.py) can use them."""

from __future__ import annotations

from django.db import models


class PlanState(models.TextChoices):
    DRAFTING = "drafting", "编制中"
    APPROVED = "approved", "主任会议已通过"
    PUBLISHED = "published", "已向社会公布"


class TopicStage(models.TextChoices):
    """Where a topic stands in the plan (GLOSSARY: Topic.stage)."""

    PLANNED = "planned", "列入计划"
    PUBLISHED = "published", "已公布"
    REMOVED = "removed", "已调整取消"


class JointKind(models.TextChoices):
    """三级人大联动: a topic taken on from the congress above, or run with those below."""

    NONE = "", "不联动"
    FROM_ABOVE = "from_above", "上级人大交办"
    WITH_BELOW = "with_below", "与下级人大联动"


class Channel(models.TextChoices):
    """监督法 第十二条: the six channels a topic is drawn from."""

    INSPECTION = "inspection", "执法检查中发现的突出问题"
    SUGGESTIONS = "suggestions", "代表建议集中反映的问题"
    MEMBERS = "members", "组成人员比较集中的问题"
    RESEARCH = "research", "专门委员会、工作机构调研发现的问题"
    PETITIONS = "petitions", "人民来信来访集中反映的问题"
    PUBLIC = "public", "社会普遍关注的其他问题"


class Decision(models.TextChoices):
    PENDING = "pending", "待主任会议决定"
    ACCEPTED = "accepted", "列入计划"
    REJECTED = "rejected", "不列入"


# The committee's criteria, each scored 0–100; weights per congress in RuleSet.params.
CRITERIA = (("importance", "重要性"), ("urgency", "紧迫性"), ("feasibility", "可行性"))


class AdjustmentKind(models.TextChoices):
    ADDED = "added", "增加议题"
    REMOVED = "removed", "取消议题"
    RESCHEDULED = "rescheduled", "调整时间"
    CHANGED = "changed", "调整内容"
