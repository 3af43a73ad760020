"""The handling half every kind can share: assign → (签收, reassign, extend, contact,
co-opinion) → reply → sign (or return to the handler) → pass (or return to the unit) →
evaluate or close out → close, re-handle or revisit, plus promises, supervision and publication.
One module per group; each holds its forms, guards, effects and table rows. A kind takes the
groups it needs with `handling_transitions(spec, …)`.
"""

from __future__ import annotations

from lvzhi.cases.handling import (
    assign,
    close_out,
    co_opinion,
    commitments,
    contact,
    evaluation,
    extend,
    publication,
    reassign,
    receipt,
    replies,
    supervision,
    urge,
)
from lvzhi.cases.handling.clocks import DeadlineKind
from lvzhi.cases.handling.common import HandlingSpec, notify_office, notify_raiser, notify_relation, notify_units
from lvzhi.cases.handling.replies import REPLY_CLASS_LABELS
from lvzhi.cases.handling.states import ACTIVE, CLOSED, HANDLING, HANDLING_STATES, REGISTERED, REPLIED
from lvzhi.cases.workflow import Transition

GROUPS = {
    "assign": assign, "receipt": receipt, "reassign": reassign, "extend": extend, "contact": contact,
    "co_opinion": co_opinion, "replies": replies, "evaluation": evaluation,
    "close_out": close_out, "commitments": commitments, "supervision": supervision,
    "publication": publication, "urge": urge,
}


def handling_transitions(spec: HandlingSpec, *, without: tuple[str, ...] = (),
                         **options) -> list[Transition]:
    """The shared table for `spec`, leaving out the named groups; `options` go to the group of
    the same prefix (e.g. supervision_key_label="确定为重点建议", publication_sources=[…])."""
    rows: list[Transition] = []
    for name, module in GROUPS.items():
        if name in without:
            continue
        kwargs = {k[len(name) + 1:]: v for k, v in options.items() if k.startswith(name + "_")}
        rows += module.transitions(spec, **kwargs)
    return rows


__all__ = [
    "ACTIVE", "CLOSED", "HANDLING", "HANDLING_STATES", "REGISTERED", "REPLIED", "REPLY_CLASS_LABELS",
    "DeadlineKind", "HandlingSpec", "handling_transitions", "notify_office", "notify_raiser",
    "notify_relation", "notify_units",
]
