"""双联系's page: the 代表工委 sees every member's deputies and links more; a member sees his or
her own deputies and logs contacts; a deputy sees who keeps in touch with him or her."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import role_required
from lvzhi.core.models import Role, User
from lvzhi.core.validation import ClerkMessages
from lvzhi.deputies import liaison_services as services
from lvzhi.deputies.activity_forms import resolve_names
from lvzhi.deputies.activity_permissions import deputy_of, is_deputy_office
from lvzhi.deputies.activity_services import NotPermitted
from lvzhi.deputies.liaison_models import ContactWay, MemberLink


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name or obj.username


class LinkForm(ClerkMessages, forms.Form):
    member = MemberChoice(label="常委会组成人员", queryset=User.objects.none())
    names = forms.CharField(label="联系代表名单", widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="姓名之间用顿号、逗号、空格或换行分隔")

    def __init__(self, *args, congress_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.congress_id = congress_id
        self.fields["member"].queryset = User.objects.filter(congress_id=congress_id, role__in=services.MEMBER_ROLES,
                                                             is_active=True).order_by("role", "id")

    def clean_names(self):
        return resolve_names(self.congress_id, self.cleaned_data["names"], "联系代表名单")


class ContactForm(ClerkMessages, forms.Form):
    on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    way = forms.ChoiceField(label="方式", choices=ContactWay.choices)
    note = forms.CharField(label="联系情况", min_length=5, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


@role_required(Role.CLERK, Role.LEADER, Role.COMMITTEE_STAFF, Role.DEPUTY)
def liaison(request: HttpRequest) -> HttpResponse:
    user = request.user
    office = is_deputy_office(user)
    form = LinkForm(request.POST or None, congress_id=user.congress_id) if office else None
    if request.method == "POST":
        if not office:
            raise PermissionDenied("双联系由代表工委安排")
        if form.is_valid():
            n = services.link(user, form.cleaned_data["member"], form.cleaned_data["names"])
            messages.success(request, f"已为{form.cleaned_data['member'].display_name}新建联系代表{n}名")
            return redirect("deputies:liaison")
    links = (MemberLink.objects.filter(congress_id=user.congress_id).select_related("member", "deputy__delegation")
             .annotate(n=Count("contacts"), last=Max("contacts__on")))
    deputy = deputy_of(user)
    if deputy is not None:  # a deputy: who keeps in touch with him or her
        links = links.filter(deputy=deputy)
    elif not (office or user.role == Role.LEADER):  # a committee's member: his or her own deputies
        links = links.filter(member=user)
    return render(request, "deputies/liaison.html", {
        "links": links[:1000], "form": form, "contact_form": ContactForm(), "me": user,
        "covered": MemberLink.objects.filter(congress_id=user.congress_id).values("deputy").distinct().count()},
        status=400 if request.method == "POST" else 200)


@require_POST
@role_required(Role.LEADER, Role.COMMITTEE_STAFF)
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    lk = get_object_or_404(MemberLink, pk=pk, member=request.user)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("deputies:liaison")
    try:
        services.log_contact(request.user, lk, **form.cleaned_data)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except forms.ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("deputies:liaison")
    messages.success(request, f"已记录联系{lk.deputy.name}代表")
    return redirect("deputies:liaison")
