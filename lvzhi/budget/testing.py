"""The budget supervision's test world: build_world() plus the 预算工委, the 财经委, the finance
bureau and a handful of departments coded as a finance bureau codes them."""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.budget.models import BudgetUnit
from lvzhi.budget.permissions import FINANCE_FIELD, OFFICE
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.testing import World, build_world, make_user

DEPARTMENTS = [("101001", "市人大常委会办公厅", ""), ("105001", "市教育局", "市教育局"),
               ("108001", "市民政局", "市民政局"), ("110001", "市卫生健康委员会", "市卫生健康委员会"),
               ("112001", "市城市管理和综合执法局", "市城市管理和综合执法局"), ("106001", "市财政局", "市财政局")]


@dataclass
class BudgetWorld:
    world: World
    office: Organization  # 预算工委
    officer: User  # 预算工委 staff: imports, screens, closes
    finance_committee: Organization
    committee_staff: User  # 财经委
    finance_bureau: Organization
    finance_handler: User
    units: dict[str, BudgetUnit]  # by code
    handlers: dict[str, User]  # by department code, for the departments with an organisation


def budget_world(world: World | None = None) -> BudgetWorld:
    world = world or build_world()
    c = world.congress
    office = Organization.objects.create(congress=c, kind=OrganizationKind.WORKING_BODY, name="预算工作委员会",
                                         short_name="预算工委", function=OFFICE)
    officer = make_user(f"budget{c.pk}", Role.CLERK, c, office, "钱预算")
    fc = Organization.objects.create(congress=c, kind=OrganizationKind.COMMITTEE, name="财政经济委员会",
                                     short_name="财经委", field=FINANCE_FIELD)
    fc_staff = make_user(f"fec{c.pk}", Role.COMMITTEE_STAFF, c, fc, "孙财经")
    units: dict[str, BudgetUnit] = {}
    handlers: dict[str, User] = {}
    orgs: dict[str, Organization] = {}
    for i, (code, name, org_name) in enumerate(DEPARTMENTS):
        org = None
        if org_name:
            org = orgs.get(org_name) or Organization.objects.filter(congress=c, kind=OrganizationKind.UNIT,
                                                                   name=org_name).first()
            if org is None:
                org = Organization.objects.create(congress=c, kind=OrganizationKind.UNIT, name=org_name)
            orgs[org_name] = org
            handlers[code] = make_user(f"bu{c.pk}_{code}", Role.UNIT_HANDLER, c, org, f"{org_name[1:3]}经办")
        units[code] = BudgetUnit.objects.create(congress=c, code=code, name=name, organization=org, sort_order=i)
    bureau = orgs["市财政局"]
    return BudgetWorld(world, office, officer, fc, fc_staff, bureau, handlers["106001"], units, handlers)
