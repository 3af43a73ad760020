"""Schemathesis against our own OpenAPI schema: no request, however odd, gets a 500 or an answer
the schema does not describe (status code, content type, headers, body).

The schema is read from /api/schema/ through the WSGI application (no server, no network), and
every operation is called with a clerk's and with a deputy's token, on a small real world with
cases in several states. Two tests:

- every operation, with what schemathesis derives from the schema: its examples, its coverage
  cases (boundaries: integers far beyond 64 bits, empty and missing values, wrong types) and
  25 generated requests, valid and invalid. Generated case ids in a plausible range are mapped
  onto real cases, so the detail and transition operations reach more than their 404;
- opening a case and firing a transition, whose schemas are deliberately open (the body is
  whatever the kind's or the transition's form asks): real case ids, real transition names and
  the forms' real field names with hostile values (integers beyond 64 bits, lists, objects,
  blanks, unknown fields) — the inputs that used to end in 500s.

Bounded by max_examples and the coverage cases (finite); no deadline. Runs in `make test` on
SQLite and on PostgreSQL (about 25 s each on 2 cores). docs/security.md lists what it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django import forms
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lvzhi.api.tests.helpers import client_for
from lvzhi.cases.kinds import all_kinds
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.policy import offered
from lvzhi.core.models import User
from lvzhi.testing import World, build_world, draft, to_state

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
MAX_EXAMPLES = 25
INT64 = 2**63
TRANSITIONS_PATH = "/api/v1/cases/{id}/transitions/{name}/"
OPEN_PATH = "/api/v1/cases/"
# Answers right in substance that the schema does not list yet, in code outside this change:
# TokenView's extend_schema lacks 415 (a body in no format DRF reads). Remove once it lists it.
KNOWN_GAPS: dict[tuple[str, str], set[int]] = {("POST", "/api/v1/auth/token/"): {415}}


@dataclass
class Fuzz:
    world: World
    user: User
    authorization: str
    case_ids: list[int]  # the cases this caller may see
    related_ids: list[int]  # units, deputies, assignments, replies: what id fields name


def transition_names() -> list[str]:
    return sorted({t for k in all_kinds() for t in k.workflow.transitions})


@pytest.fixture(params=["clerk", "deputy"])
def fuzz(request, db) -> Fuzz:
    from lvzhi.cases.models import Assignment, Reply

    world = build_world()
    cases = [draft(world, 0), draft(world, 3)]
    for i, state in enumerate(["submitted", "registered", "handling", "replied"]):
        cases.append(to_state(world, draft(world, 0 if i % 2 else 3), state))
    user = world.clerk if request.param == "clerk" else world.deputy_user
    visible = set(visible_cases(user).values_list("pk", flat=True))
    # The token as a client gets it, from the token endpoint (whatever a token looks like).
    authorization = client_for(user)._credentials["HTTP_AUTHORIZATION"]
    related = ([u.pk for u in world.units] + [d.pk for d in world.deputies]
               + list(Assignment.objects.values_list("pk", flat=True))
               + list(Reply.objects.values_list("pk", flat=True)))
    return Fuzz(world, user, authorization, [c.pk for c in cases if c.pk in visible], related)


@pytest.fixture
def api_schema(fuzz) -> Iterator[Any]:
    """The schema as the application serves it. Requests run in the test's own transaction, so
    Django must not close the connection between them, as its own test client ensures too
    (which is why this comes after the fixture that logs in through that client)."""
    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


# gunicorn answers 400 itself to a header value holding NUL, CR or LF (RFC 9110 §5.5), so no such
# header reaches Django in production; through WSGI it would (a NUL in the session cookie is a
# DataError on PostgreSQL inside Django's session store). Such generated values are dropped.
UNSENDABLE = re.compile(r"[\0\r\n]")


def sendable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if not values:
        return values
    return {k: v for k, v in values.items() if not UNSENDABLE.search(f"{k}{v}")}


def call_and_check(case, fuzz: Fuzz) -> None:
    case.headers, case.cookies = sendable(case.headers), sendable(case.cookies)
    checks = CHECKS  # an id like "false" matches no route: the API's JSON 404 must answer it too
    headers = {"Authorization": fuzz.authorization}
    response = case.call(headers=headers)
    if response.status_code in KNOWN_GAPS.get((case.method.upper(), case.operation.path), ()):
        checks = [not_a_server_error]
    case.validate_response(response, checks=checks, headers=headers)


def onto_real(value: Any, real: list[Any]) -> Any:
    """A generated id in a plausible range becomes a real one half the time (deterministically,
    so a failure replays); boundary values (0, negatives, beyond 64 bits) are kept as they are."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31 and value % 2 == 0:
        return real[value // 2 % len(real)]
    return value


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case, fuzz):
    params = case.path_parameters or {}
    if "id" in params:
        params["id"] = onto_real(params["id"], fuzz.case_ids)
    if isinstance(params.get("name"), str) and len(params["name"]) % 3:
        names = transition_names()
        params["name"] = names[sum(map(ord, params["name"])) % len(names)]
    call_and_check(case, fuzz)


BEYOND_64_BITS = st.sampled_from([INT64, -INT64 - 1, 2**64, 1002646389557001584640])
HOSTILE = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([INT64, INT64 - 1, -INT64 - 1, 10**21, 0, -1]),
    st.text(max_size=20), st.booleans(), st.none(),
    st.lists(st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def plausible(f: forms.Field, fuzz: Fuzz) -> st.SearchStrategy:
    """A value of the field's own kind: a real id, a listed choice, sensible text, a flag."""
    # An id: a real one, or one no 64-bit column holds (as a number or as text).
    ids = st.one_of(st.sampled_from(fuzz.related_ids), BEYOND_64_BITS, BEYOND_64_BITS.map(str))
    if isinstance(f, forms.ModelMultipleChoiceField):
        return st.lists(ids, max_size=3)
    if isinstance(f, forms.ModelChoiceField):
        return ids
    if isinstance(f, forms.BooleanField):
        return st.booleans()
    if isinstance(f, forms.ChoiceField):
        values = [str(v) for v, _ in f.choices if v not in ("", None)]
        if isinstance(f, forms.MultipleChoiceField):
            return st.lists(st.sampled_from(values), max_size=2) if values else st.just([])
        return st.sampled_from(values) if values else st.just("")
    if isinstance(f, forms.IntegerField):
        return st.integers(min_value=-3, max_value=12)
    if isinstance(f, forms.DateField):
        return st.dates().map(str)
    return st.sampled_from(["同意", "经研究，已纳入年度计划，由主管处室负责推进，年底前完成。" * 2, ""])


def all_form_fields() -> dict[str, forms.Field]:
    """Every field name any transition's form has (the first form's field for each name)."""
    fields: dict[str, forms.Field] = {}
    for kind in all_kinds():
        for t in kind.workflow.transitions.values():
            for name, f in t.form.base_fields.items():
                fields.setdefault(name, f)
    return dict(sorted(fields.items()))


@st.composite
def transition_draws(draw, fuzz: Fuzz) -> tuple[int, int, dict[str, Any], Any]:
    """What a transition call is made of, drawn the same way whatever the database holds (so
    Hypothesis can replay it): a case, a selector for the transition, a value for every field
    any form has (the call keeps its own form's fields), and maybe a field no form has.
    Hypothesis favours 0, so 0 is the common branch: a field present and sensible."""
    pk = draw(st.sampled_from(fuzz.case_ids))
    selector = draw(st.integers(0, 2**16))
    values: dict[str, Any] = {}
    for name, f in all_form_fields().items():
        if draw(st.integers(0, 5)) != 5:
            values[name] = draw(HOSTILE if draw(st.integers(0, 3)) == 3 else plausible(f, fuzz))
    extra = draw(st.tuples(st.text(min_size=1, max_size=8), HOSTILE)) if draw(st.integers(0, 6)) == 6 else None
    return pk, selector, values, extra


def pick_transition(pk: int, selector: int, user: User) -> Any:
    """Mostly one the caller is offered now (so some succeed and the cases move on), else any."""
    from lvzhi.cases.kinds import get_kind
    from lvzhi.cases.models import Case

    case = Case.objects.get(pk=pk)
    every = sorted(get_kind(case.kind).workflow.transitions.values(), key=lambda t: t.name)
    now = sorted(offered(case, user), key=lambda t: t.name)
    pool = now if now and selector % 4 else every
    return pool[selector // 4 % len(pool)]


def pick_opening(selector: int) -> tuple[str, Any]:
    kinds = [k for k in all_kinds() if "open" in k.workflow.transitions]
    kind = kinds[selector % len(kinds)]
    return kind.code, kind.workflow.transitions["open"]


@schema.include(path=[TRANSITIONS_PATH, OPEN_PATH], method="POST").parametrize()
@schema.given(data=st.data())
@settings(max_examples=4 * MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_transitions_with_real_fields(case, data, fuzz):
    """Opening a case and firing a transition, with the forms' own field names."""
    pk, selector, values, extra = data.draw(transition_draws(fuzz), label="transition")
    if case.operation.path == OPEN_PATH:
        code, t = pick_opening(selector)
        body = {"kind": code}
    else:
        t = pick_transition(pk, selector, fuzz.user)
        case.path_parameters.update(id=pk, name=t.name)
        body = {}
    body.update({name: v for name, v in values.items() if name in t.form.base_fields and name != "kind"})
    if extra is not None:
        body[extra[0]] = extra[1]
    case.media_type = "application/json"
    case.body = body
    call_and_check(case, fuzz)
