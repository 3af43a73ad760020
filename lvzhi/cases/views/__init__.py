"""The generic case pages every kind shares. Thin: parse, call the engine or a selector, render."""

from lvzhi.cases.views.assign import assign_preview
from lvzhi.cases.views.detail import _visible_case, case_detail, fire_view, reply_attachment
from lvzhi.cases.views.inbox import unit_inbox
from lvzhi.cases.views.lists import batch_assign, case_list
from lvzhi.cases.views.monitor import deadline_monitor

__all__ = ["_visible_case", "assign_preview", "batch_assign", "case_detail", "case_list", "deadline_monitor",
           "fire_view", "reply_attachment", "unit_inbox"]
