"""A case's document is rebuilt after every event on it (each transition, an import row, an
opening) once the transaction commits, so a transition's locks are not held for indexing."""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from lvzhi.cases.models import Event

log = logging.getLogger(__name__)
_pending = threading.local()


def _ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def flush() -> None:
    from lvzhi.search.documents import reindex

    ids = _ids()
    if not ids:
        return  # an earlier callback of the same commit wrote them
    todo = set(ids)
    ids.clear()
    reindex(todo)


@receiver(post_save, sender=Event)
def case_changed(sender, instance: Event, created: bool, **kwargs) -> None:
    if not created or not instance.case_id:
        return
    _ids().add(instance.case_id)
    # robust: a failed index write is logged, never turned into an error for a transition that
    # has already committed; the list falls back to titles for a case without a document and
    # `reindex_search` repairs the rest. Ids left by a rolled-back attempt are rewritten from
    # what is in the database, which is harmless.
    transaction.on_commit(flush, robust=True)
