"""The legislation records' choices: what a regulation covers, what each version did, where a bill
stands."""

from __future__ import annotations

from django.db import models


class Field(models.TextChoices):
    """立法法 第八十一条: the four matters a 设区的市 may make regulations on."""

    URBAN = "urban", "城乡建设与管理"
    ECOLOGY = "ecology", "生态文明建设"
    HERITAGE = "heritage", "历史文化保护"
    GOVERNANCE = "governance", "基层治理"
    OTHER = "other", "其他（法律另有授权）"


class RegulationStatus(models.TextChoices):
    DRAFTING = "drafting", "制定中"
    IN_FORCE = "in_force", "现行有效"
    REPEALED = "repealed", "已废止"


class Action(models.TextChoices):
    """What one version did: 制定 a new regulation; 修改 (by decision, 修正) or 修订 (a whole new
    text); 废止."""

    ENACT = "enact", "制定"
    AMEND = "amend", "修改"
    AMEND_DECISION = "amend_decision", "修正"
    REVISE = "revise", "修订"
    REPEAL = "repeal", "废止"


class BillState(models.TextChoices):
    """A bill (法规案) from its first reading to its date of effect."""

    DRAFTING = "drafting", "起草中"
    IN_READING = "in_reading", "审议中"
    VOTED = "voted", "已表决通过"
    SUBMITTED = "submitted", "报请批准"
    APPROVED = "approved", "已批准"
    PUBLISHED = "published", "已公布"
    IN_FORCE = "in_force", "已施行"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


class ReadingOrdinal(models.IntegerChoices):
    FIRST = 1, "一审"
    SECOND = 2, "二审"
    THIRD = 3, "三审"
