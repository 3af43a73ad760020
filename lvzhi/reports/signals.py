"""Every event on a case rewrites its CaseFact in the same transaction (not on commit): the
summary commits with the transition or rolls back with it. The cases app knows nothing of
this; the reports app listens to its Event rows."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from lvzhi.cases.models import Deadline, Event
from lvzhi.reports.facts import refresh


@receiver(post_save, sender=Event, dispatch_uid="reports.case_fact")
def event_written(sender, instance: Event, created: bool, raw: bool = False,
                  using: str | None = None, **kwargs) -> None:
    if created and instance.case_id and not raw:
        refresh(instance.case_id, using=using)


@receiver(post_save, sender=Deadline, dispatch_uid="reports.case_fact_due")
def due_date_moved(sender, instance: Deadline, created: bool, update_fields=None, raw: bool = False,
                   using: str | None = None, **kwargs) -> None:
    """A calendar or rule-set change moves open clocks without an event
    (deadlines.recompute_open_deadlines saves due_on alone): the case's next due date follows."""
    if not created and not raw and update_fields and "due_on" in update_fields:
        refresh(instance.case_id, using=using)
