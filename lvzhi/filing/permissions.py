"""Who stands where in filing review: the predicates every filing page and service asks.

- The 法制工作委员会 (法工委; Organization.function "legislative_affairs") is the 备案审查工作机构:
  it receives filings, does form review, distributes them, leads the review, talks to the maker,
  sends the 书面审查意见 and answers review requests (北京 第十二、二十二、二十四条).
- The committees review what is distributed to them (COMMITTEE_STAFF of the committee).
- The 主任会议 (LEADER) sees everything and decides what goes to the 常委会.
- A 制定机关's accounts (UNIT_HANDLER / UNIT_HEAD of an organisation with a FilingBody) file
  documents and answer what is asked of them; they see only their own body's filings.
- The public reads registered filings' titles, published outcomes and sends 审查建议 on the portal.
"""

from __future__ import annotations

from lvzhi.core.models import UNIT_ROLES, Role, User
from lvzhi.legislation.permissions import LEGISLATIVE_AFFAIRS, is_legislative_affairs

OFFICE = LEGISLATIVE_AFFAIRS  # Relations.office of the kinds `filing` and `review_request`


def _in_congress(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "congress_id", None))


def is_filing_office(user: User) -> bool:
    """A clerk of the 法工委, the 备案审查工作机构."""
    return is_legislative_affairs(user)


def filing_body_of(user: User):
    """The FilingBody the user files for, or None (a unit account of a 制定机关). Asked once per
    request (the nav, the to-do lists and the pages all ask it)."""
    if not (_in_congress(user) and user.role in UNIT_ROLES and user.organization_id):
        return None
    from lvzhi.cases.todo import user_memo
    from lvzhi.filing.models import FilingBody

    return user_memo(user, "filing_body",
                     lambda: FilingBody.objects.filter(organization_id=user.organization_id).first())


# The organisations that file, per process for a minute: the nav and the to-do lists ask "is this
# unit account a filer?" on every page, and must not pay a query for it (a FilingBody change
# clears it at once in this process).
CACHE_SECONDS = 60.0
_filer_orgs: list = []  # [(loaded at, frozenset of organization ids)]


def _filers() -> tuple[frozenset[int], frozenset[int]]:
    import time

    if _filer_orgs and time.monotonic() - _filer_orgs[0][0] < CACHE_SECONDS:
        return _filer_orgs[0][1]
    from lvzhi.filing.models import FilingBody

    rows = list(FilingBody.objects.values_list("organization_id", "congress_id"))
    value = (frozenset(o for o, _c in rows), frozenset(c for _o, c in rows))
    _filer_orgs[:] = [(time.monotonic(), value)]
    return value


def filer_org_ids() -> frozenset[int]:
    return _filers()[0]


def files_with(user: User) -> bool:
    """Whether anybody files with the user's congress (else its 主任会议 has no filing lists)."""
    return bool(_in_congress(user) and user.congress_id in _filers()[1])


def forget_filers(**kwargs) -> None:
    _filer_orgs.clear()


def is_filer(user: User) -> bool:
    return bool(_in_congress(user) and user.role in UNIT_ROLES and user.organization_id
                and user.organization_id in filer_org_ids())


def may_see_review(user: User) -> bool:
    """The review pages: the 法工委, the committees and the 主任会议."""
    return _in_congress(user) and (is_filing_office(user) or user.role in (Role.LEADER, Role.COMMITTEE_STAFF))


# ------------------------------------------------------------------ the kind `filing`

KIND = "filing"


def _body_org_id(case) -> int | None:
    detail = getattr(case, "filing_detail", None) if case.pk else None
    return detail.body.organization_id if detail is not None else None


def is_case_filer(user: User, case) -> bool:
    """A unit account of the filing's 制定机关; before the filing exists, any filer account."""
    if not (_in_congress(user) and user.role in UNIT_ROLES and user.organization_id):
        return False
    if case.pk is None:
        return user.congress_id == case.congress_id and filing_body_of(user) is not None
    return user.organization_id == _body_org_id(case)


def filer_users(case):
    return User.objects.filter(organization_id=_body_org_id(case), role__in=UNIT_ROLES, is_active=True)


def connect_signals() -> None:
    """Forget the filers when a body changes, and when an organisation or congress is created: a
    new row may reuse the id of one rolled back (SQLite does, in tests), so the ids cached about
    it must not outlive it; a flush (post_migrate) forgets them too."""
    from django.db.models.signals import post_delete, post_migrate, post_save

    from lvzhi.core.models import Congress, Organization
    from lvzhi.filing.models import FilingBody

    def forget_new(sender, created: bool = False, **kwargs) -> None:
        if created:
            forget_filers()

    post_save.connect(forget_filers, sender=FilingBody, dispatch_uid="filing_forget_filers_save")
    post_delete.connect(forget_filers, sender=FilingBody, dispatch_uid="filing_forget_filers_delete")
    post_save.connect(forget_new, sender=Organization, dispatch_uid="filing_forget_filers_org", weak=False)
    post_save.connect(forget_new, sender=Congress, dispatch_uid="filing_forget_filers_congress", weak=False)
    post_migrate.connect(forget_filers, dispatch_uid="filing_forget_filers_migrate")


def _relations() -> dict:
    from lvzhi.cases.permissions import Relation

    return {"filer": Relation("制定机关", is_case_filer, filer_users)}


RELATIONS = _relations()


def visibility(user: User):
    """The 法工委 and the 主任会议 see every filing; a committee those distributed to it; a filer its
    own body's filings; nobody else any."""
    from django.db.models import Q

    from lvzhi.cases.permissions import assigned_q

    if user.role == Role.LEADER or is_filing_office(user):
        return Q()
    if user.role == Role.COMMITTEE_STAFF:
        return assigned_q(user)
    if user.role in UNIT_ROLES and user.organization_id:
        return Q(filing_detail__body__organization_id=user.organization_id)
    return Q(pk__in=[])


def may_file(user: User) -> bool:
    return is_filer(user)
