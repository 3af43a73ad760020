from __future__ import annotations

from django.contrib import admin

from lvzhi.core.admin_site import RoleAdmin
from lvzhi.deputies.models import Delegation, Deputy, DeputyGroup, LiaisonStation


@admin.register(Deputy)
class DeputyAdmin(RoleAdmin):
    """Phones and ID numbers are shown masked; the encrypted columns are never displayed."""

    list_display = ["name", "gender", "delegation", "party", "status", "phone_masked"]
    list_filter = ["status", "delegation", "party"]
    search_fields = ["name"]
    exclude = ["phone_encrypted", "id_number_encrypted"]
    readonly_fields = ["phone_masked", "id_number_masked"]

    @admin.display(description="手机号")
    def phone_masked(self, obj: Deputy) -> str:
        return obj.phone_masked

    @admin.display(description="身份证号")
    def id_number_masked(self, obj: Deputy) -> str:
        return obj.id_number_masked


for model in (Delegation, DeputyGroup, LiaisonStation):
    admin.site.register(model, RoleAdmin)
