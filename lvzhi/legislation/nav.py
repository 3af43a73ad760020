"""Legislation's entries in the nav, from each area's own list."""

from lvzhi.legislation.comment_permissions import NAV as COMMENT_NAV
from lvzhi.legislation.registry_views import NAV as REGISTRY_NAV

NAV = (*REGISTRY_NAV, *COMMENT_NAV)
