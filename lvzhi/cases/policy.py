"""What the pages and the API offer a user on a case: one answer, from the engine's own checks.

A transition is offered only when the user may fire it (permissions.may_fire), the case is in
one of its sources, and its form has something to choose where it must (a head with no draft
to sign, a lead unit asked for no co-opinion, sees nothing). Buttons, the API's
`available_transitions` and fire()'s refusals therefore agree.
"""

from __future__ import annotations

from django import forms

from lvzhi.cases.engine import available, build_form
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import office_function
from lvzhi.cases.workflow import Transition, TransitionForm
from lvzhi.core.models import Role, User


def has_choices(form: TransitionForm) -> bool:
    """False when a required object choice has nothing to choose, or the form says it does not
    apply (`applies`, e.g. 公开 on a public case): the action cannot apply now."""
    if not getattr(form, "applies", True):
        return False
    return all(not (f.required and isinstance(f, forms.ModelChoiceField) and not form.peek(name))
               for name, f in form.fields.items())


def offered_forms(case: Case, user: User | None) -> list[tuple[Transition, TransitionForm]]:
    """The offered transitions with the unbound form each was judged by, so a page or the API
    renders that form instead of building it again."""
    pairs = [(t, build_form(case, t, user)) for t in available(case, user)]
    return [(t, form) for t, form in pairs if has_choices(form)]


def offered(case: Case, user: User | None) -> list[Transition]:
    return [t for t, _form in offered_forms(case, user)]


def may_offer(case: Case, user: User | None, name: str) -> bool:
    return any(t.name == name for t in offered(case, user))


def is_office_of(user: User, kind_code: str) -> bool:
    org = getattr(user, "organization", None)
    return (user.is_authenticated and user.role == Role.CLERK and org is not None
            and org.function == get_kind(kind_code).relations.office)


def case_links(user: User, case: Case) -> list[tuple[str, str, str]]:
    """Downloads and pages the kind offers this user on this case: (label, url, icon)."""
    links = get_kind(case.kind).links
    return links(user, case) if links else []


__all__ = [
    "case_links",
    "has_choices",
    "is_office_of",
    "may_offer",
    "offered",
    "offered_forms",
    "office_function",
]
