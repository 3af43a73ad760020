from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models

from lvzhi.core.admin_site import RoleAdmin, name_fields
from lvzhi.deputies.models import Delegation, Deputy, DeputyGroup, LiaisonStation

for _model in (Delegation, DeputyGroup, LiaisonStation, Deputy):
    name_fields(_model, congress="人大")
name_fields(Deputy, term="届", user="登录账户")
name_fields(DeputyGroup, committee="对口专门委员会")


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


@admin.register(LiaisonStation)
class StationAdmin(RoleAdmin):
    """联络员 ticked from the congress's accounts (a plain multi-select would add Django's
    untranslated "Hold down Control" hint)."""

    list_display = ["name", "address"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


for model in (Delegation, DeputyGroup):
    admin.site.register(model, RoleAdmin)
