"""智能辅助: the unit-routing models trained from a congress's own assignment history.

A model's files live under MEDIA_ROOT/models/<congress_id>/v<version>/ (JSON + npz written by
lvzhi.intelligence.routing); this row records how it was trained, how well it did in
cross-validation next to the model it would replace, and whether it is the one in use.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress


class ModelStatus(models.TextChoices):
    TRAINING = "training", "训练中"
    READY = "ready", "可用"
    FAILED = "failed", "训练失败"
    REJECTED = "rejected", "未采用"


class RoutingModel(models.Model):
    congress = models.ForeignKey(Congress, models.CASCADE, related_name="routing_models")
    version = models.PositiveIntegerField("版本")
    directory = models.CharField("模型目录", max_length=300, blank=True,
                                 help_text="相对 MEDIA_ROOT 的路径")
    status = models.CharField("状态", max_length=12, choices=ModelStatus.choices,
                              default=ModelStatus.TRAINING)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    # How the training labels were made and the Router options (re-run for the comparison).
    recipe = models.JSONField("训练方案", default=dict, blank=True)
    # category → unit name for labels that are categories (units with too little history).
    category_units = models.JSONField("类别对应单位", default=dict, blank=True)
    figures = models.JSONField("评估指标", default=dict, blank=True)
    baseline = models.JSONField("同折对比（原启用模型）", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    activated_at = models.DateTimeField("启用时间", null=True, blank=True)
    is_active = models.BooleanField("启用中", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "智能交办模型"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "version"], name="assist_model_version_unique"),
            models.UniqueConstraint(fields=["congress"], condition=models.Q(is_active=True),
                                    name="assist_one_active_model"),
        ]

    def __str__(self) -> str:
        return f"{self.congress} 智能交办模型 v{self.version}（{self.get_status_display()}）"


class CaseEmbedding(models.Model):
    """A case's sentence vector (title + body through the sentence encoder), stored so that
    similar-case search and hot topics can use it without encoding hundreds of texts in a
    request. Stale when ``text_hash`` no longer matches the case's title/body, or when
    ``encoder`` is not the current encoder (another model or text cut)."""

    case = models.OneToOneField("cases.Case", models.CASCADE, related_name="embedding", verbose_name="案件")
    encoder = models.CharField("编码模型", max_length=80)
    text_hash = models.CharField("文本摘要", max_length=64)
    vector = models.BinaryField("向量（float32）")
    computed_at = models.DateTimeField("计算时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "案件语义向量"

    def __str__(self) -> str:
        return f"案件 {self.case_id} 语义向量（{self.encoder}）"
