"""The electorate is maintained by the system administrator (换届、补选、辞职). Ballots, the
roll and the votes themselves have no admin page: they change only through services.py."""

from __future__ import annotations

from django.contrib import admin

from lvzhi.core.admin_site import RoleAdmin, name_fields
from lvzhi.votes.models import StandingMember

name_fields(StandingMember, congress="人大")


@admin.register(StandingMember)
class StandingMemberAdmin(RoleAdmin):
    list_display = ["user", "title", "active", "sort_order"]
    list_filter = ["active", "title"]
    search_fields = ["user__display_name", "user__username"]
    autocomplete_fields = ["user"]
