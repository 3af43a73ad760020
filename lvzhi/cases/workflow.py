"""Workflows as data: a kind declares its transitions; lvzhi.cases.engine.fire executes them.

A transition names the states it leaves from, the state it enters (or None to stay, or to let
its effect decide), the relations that may fire it (lvzhi.cases.permissions.RELATIONS), the form
that validates its payload (shared by pages and the API), a guard and an effect.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from lvzhi.core.validation import ClerkMessages

if TYPE_CHECKING:
    from lvzhi.cases.models import Case, RuleSet
    from lvzhi.core.models import User
    from lvzhi.core.workdays import WorkCalendar


class TransitionError(Exception):
    """Base of everything fire() refuses; `status` is the HTTP status the API answers."""

    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class UnknownTransition(TransitionError):
    status = 404


class NotAllowed(TransitionError):
    status = 403


class WrongState(TransitionError):
    status = 409


class InvalidInput(TransitionError):
    status = 400


@dataclass
class Context:
    """What a guard and an effect see. Effects add to `payload` what the event should record."""

    case: Case
    actor: User | None
    data: dict[str, Any]
    now: dt.datetime
    rules: RuleSet
    calendar: WorkCalendar
    payload: dict[str, Any] = field(default_factory=dict)
    notify: list[tuple[int, str]] = field(default_factory=list)  # (user_id, text) after commit

    @property
    def today(self) -> dt.date:
        from django.utils import timezone

        return timezone.localdate(self.now)


# Ids are signed 64-bit integers in every database we run on. A larger number must be refused
# before it reaches a query: SQLite cannot even bind it (OverflowError, a 500), and Django guards
# only plain `pk=` lookups, not `pk__in=` (a multiple choice) or a foreign key's.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")


def fits_id(value: Any) -> bool:
    """False for an integer (or a string of ASCII digits) that no 64-bit id column can hold;
    any other value is left to the field to judge."""
    if isinstance(value, bool):
        return True
    if isinstance(value, float):
        return math.isfinite(value) and ID_MIN <= value <= ID_MAX
    if isinstance(value, str):
        value = value.strip()
        if not _INTEGER.fullmatch(value):
            return True
        value = int(value)
    return not isinstance(value, int) or ID_MIN <= value <= ID_MAX


def _bounded(f: forms.ModelChoiceField) -> Callable[[Any], Any]:
    """The field's clean, refusing an out-of-range id with the field's own invalid_choice."""
    clean = f.clean

    def checked(value: Any) -> Any:
        many = isinstance(value, list | tuple)
        for v in value if many else [value]:
            if not fits_id(v):
                raise ValidationError(f.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": str(v)[:30]})
        return clean(value)

    return checked


# How many choices a form reads ahead (TransitionForm.peek): the API lists up to 200 of them.
PEEK = 201


class TransitionForm(ClerkMessages, forms.Form):
    """A transition's payload form; it gets the case and actor to limit its choices. Its
    messages name the field and its limits (lvzhi.core.validation), for pages and the API."""

    def __init__(self, data=None, files=None, *, case: Case, actor: User | None,
                 now: dt.datetime | None = None, **kwargs):
        self.case = case
        self.actor = actor
        # "today" for a date the form checks (a deadline before today): the transition's own
        # day, so a step recorded with a past `now` (an import, the demo) is judged on its day.
        self.today = timezone.localdate(now) if now is not None else timezone.localdate()
        super().__init__(data, files, **kwargs)
        for f in self.fields.values():  # this form's own copies of its fields
            if isinstance(f, forms.ModelChoiceField):
                f.clean = _bounded(f)


    def prepare(self) -> TransitionForm:
        """Once the subclass has set its querysets: say 请选择 instead of dashes, and pick the
        only possible choice (the one draft to sign, the unit's one assignment) for the user."""
        for name, f in self.fields.items():
            if isinstance(f, forms.ModelChoiceField) and not isinstance(f, forms.ModelMultipleChoiceField):
                f.empty_label = "请选择"
                if not self.is_bound and f.required and name not in self.initial:
                    only = self.peek(name)[:2]
                    if len(only) == 1:
                        self.initial[name] = only[0].pk
        return self

    def peek(self, name: str) -> list[Any]:
        """The first PEEK objects a choice field offers, read once per form: the single choice
        above, whether there is any (lvzhi.cases.policy.has_choices) and the API's list of
        choices all ask, and each used to run its own query for every offered transition."""
        cache = self.__dict__.setdefault("_peeked", {})
        if name not in cache:
            cache[name] = list(self.fields[name].queryset[:PEEK])
        return cache[name]


class EmptyForm(TransitionForm):
    pass


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None
    actors: tuple[str, ...]
    form: type[TransitionForm] = EmptyForm
    guard: Callable[[Context], None] | None = None
    effect: Callable[[Context], str | None] | None = None
    style: str = "primary"
    help: str = ""
    # A transition with a page of its own (a deputy's edit): its URL name (taking the case pk)
    # and the template that shows its form with errors.
    page: str = ""
    page_template: str = ""


def transition(name: str, label: str, sources: Iterable[str], target: str | None,
               actors: Iterable[str], **kwargs: Any) -> Transition:
    return Transition(name, label, frozenset(sources), target, tuple(actors), **kwargs)


class Workflow:
    def __init__(self, transitions: Iterable[Transition]) -> None:
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"duplicate transition {t.name}")
            self.transitions[t.name] = t

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise UnknownTransition(f"没有名为 {name} 的操作") from None

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]
