"""Linking a topic to the 打捆督办 bundles of suggestions it takes up (监督法 第十二条 "代表建议集中
反映的问题"): the one place that writes Topic.bundles, with its check and its audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.cases.models import Bundle
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import User
from lvzhi.supervision.models import Topic
from lvzhi.supervision.plan_permissions import may_edit_topic

SUBJECT = "topic"  # a topic's own chain entries (a topic may stand outside any plan)


@transaction.atomic
def link_bundle(topic: Topic, bundle_id: object, actor: User, *, unlink: bool = False) -> Bundle:
    if not may_edit_topic(actor, topic):
        raise NotAllowed("只有牵头委员会和办公厅可以关联打捆督办专题")
    bundle = Bundle.objects.filter(pk=bundle_id if str(bundle_id).isdigit() else None,
                                   congress_id=topic.congress_id).first()
    if bundle is None:
        raise InvalidInput("请选择本级人大的打捆督办专题", {"bundle": ["请选择打捆督办专题"]})
    (topic.bundles.remove if unlink else topic.bundles.add)(bundle)
    append_subject_event(SUBJECT, topic.pk, topic.congress_id, actor,
                         "topic_bundle_unlinked" if unlink else "topic_bundle_linked",
                         "取消关联打捆督办专题" if unlink else "关联打捆督办专题",
                         payload={"title": topic.title, "bundle": bundle.title}, at=timezone.now())
    return bundle
