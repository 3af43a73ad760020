"""A changed calendar or rule set moves every open deadline of that congress."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lvzhi.cases.deadlines import recompute_open_deadlines
from lvzhi.cases.models import RuleSet
from lvzhi.core.models import DayOverride


@receiver([post_save, post_delete], sender=DayOverride)
@receiver(post_save, sender=RuleSet)
def recompute_after_change(sender, instance, **kwargs) -> None:
    congress_id = instance.congress_id
    transaction.on_commit(lambda: recompute_open_deadlines(congress_id))
