"""Test helpers: the 法工委 and the 法制委 beside a `lvzhi.testing.build_world` world."""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.legislation.permissions import LAW_COMMITTEE_NAME, LEGISLATIVE_AFFAIRS
from lvzhi.testing import World, make_user


@dataclass
class LawBodies:
    affairs: Organization  # 法制工作委员会
    law_committee: Organization  # 法制委员会
    law_clerk: User  # a 法工委 clerk
    law_staff: User  # a 法制委 staff member


def add_law_bodies(world: World) -> LawBodies:
    congress = world.congress
    affairs = Organization.objects.create(congress=congress, kind=OrganizationKind.WORKING_BODY,
                                          name="法制工作委员会", short_name="法工委", function=LEGISLATIVE_AFFAIRS)
    law = Organization.objects.create(congress=congress, kind=OrganizationKind.COMMITTEE, name=LAW_COMMITTEE_NAME,
                                      short_name="法制委")
    clerk = make_user(f"lawclerk{congress.pk}", Role.CLERK, congress, affairs, "韩立法")
    staff = make_user(f"lawstaff{congress.pk}", Role.COMMITTEE_STAFF, congress, law, "林法制")
    return LawBodies(affairs, law, clerk, staff)
