"""The navigation each role sees (one place, so templates stay thin)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from lvzhi.core.models import Role

NAV: dict[str, list[tuple[str, str]]] = {
    Role.DEPUTY: [("my_cases", "我的议案建议"), ("case_new", "提出建议")],
    Role.CLERK: [("intake", "待审查"), ("case_list", "全部案件"), ("batch_assign", "批量交办"),
                 ("deadline_monitor", "期限监控"), ("key_cases", "重点督办"),
                 ("import_cases", "导入"), ("dashboard", "统计"),
                 ("assist_hot_topics", "热点分析"), ("assist_models", "智能模型")],
    Role.COMMITTEE_STAFF: [("case_list", "督办案件"), ("key_cases", "重点督办")],
    Role.LEADER: [("dashboard", "统计分析"), ("key_cases", "重点督办"), ("case_list", "全部案件"),
                  ("assist_hot_topics", "热点分析")],
    Role.UNIT_HANDLER: [("unit_inbox", "办理收件箱"), ("case_list", "全部承办")],
    Role.UNIT_HEAD: [("unit_inbox", "待签发与办理"), ("case_list", "全部承办")],
}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    unread = user.notifications.filter(read_at__isnull=True).count()
    items = []
    for name, label in NAV.get(user.role, []):
        try:
            items.append((reverse(name), label, name))
        except NoReverseMatch:  # a page of an app not installed in this deployment
            continue
    return {"nav_items": items, "unread_count": unread}
