"""Legislation's entries in the nav, from each area's own list, in the order a clerk works."""

from lvzhi.legislation.comment_permissions import NAV as COMMENT_NAV
from lvzhi.legislation.plan_permissions import NAV as PLAN_NAV
from lvzhi.legislation.registry_views import NAV as REGISTRY_NAV

NAV = (*REGISTRY_NAV, *PLAN_NAV, *COMMENT_NAV)
