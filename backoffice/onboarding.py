"""What a manufacturer awaiting approval (pending or rejected) gets in the admin: one page that
says where their application stands, with their profile form. Everything else of the admin
is closed to them (``backoffice.sites.BackofficeAdminSite.admin_view``)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from unfold.widgets import UnfoldAdminImageFieldWidget, UnfoldAdminTextInputWidget

from core.roles import ManufacturerStatus
from users.models import ManufacturerProfile
from users.services import role_profile_update, user_details_update, user_sync_roles

BANK_FIELDS = ("bank_name", "account_name", "account_number")


def _text(label, *, required=False, max_length=200, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


class ManufacturerProfileForm(forms.Form):
    display_name = _text(
        _("Company name"), required=True, help_text=_("Shown to buyers as the seller's name.")
    )
    first_name = _text(_("Your first name"), max_length=150)
    last_name = _text(_("Your last name"), max_length=150)
    phone = PhoneNumberField(
        label=_("Phone number"),
        required=False,
        help_text=_("International format, e.g. +233201234567."),
        widget=UnfoldAdminTextInputWidget,
    )
    bank_name = _text(_("Bank"), max_length=100)
    account_name = _text(_("Account name"), max_length=100)
    account_number = _text(_("Account number"), max_length=50)
    profile_picture = forms.ImageField(
        label=_("Logo or picture"), required=False, widget=UnfoldAdminImageFieldWidget
    )

    @classmethod
    def initial_for(cls, user) -> dict:
        profile = ManufacturerProfile.objects.filter(user=user).first()
        bank = (profile.bank_details if profile else None) or {}
        return {
            "display_name": profile.display_name if profile else "",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            **{name: bank.get(name, "") for name in BANK_FIELDS},
        }


def _profile_of(user) -> ManufacturerProfile:
    user_sync_roles(user=user)  # a manufacturer always has its profile; make it if missing
    return ManufacturerProfile.objects.get(user=user)


def awaiting_page(site, request: HttpRequest, form: ManufacturerProfileForm | None = None):
    user = request.user
    form = form or ManufacturerProfileForm(initial=ManufacturerProfileForm.initial_for(user))
    profile = ManufacturerProfile.objects.filter(user=user).first()
    context = {
        **site.each_context(request),
        "title": _("Your manufacturer account"),
        "status": user.manufacturer_status,
        "rejected": user.manufacturer_status == ManufacturerStatus.REJECTED,
        "reason": user.manufacturer_status_reason,
        "form": form,
        "picture": profile.profile_picture if profile and profile.profile_picture else None,
        "save_url": reverse("admin:onboarding_profile", current_app=site.name),
    }
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "admin/onboarding/awaiting.html", context, status=status)


def profile_save(site, request: HttpRequest) -> HttpResponse:
    """POST of the awaiting page's profile form (GET goes back to the page)."""
    if request.method != "POST":
        return redirect("admin:index")
    form = ManufacturerProfileForm(request.POST, request.FILES)
    if not form.is_valid():
        return awaiting_page(site, request, form)
    data = form.cleaned_data
    profile = _profile_of(request.user)
    changes = {
        "display_name": data["display_name"],
        "bank_details": {
            **(profile.bank_details or {}),
            **{name: data[name] for name in BANK_FIELDS},
        },
    }
    if data["profile_picture"]:
        changes["profile_picture"] = data["profile_picture"]
    try:
        with transaction.atomic():  # both or neither
            user_details_update(
                user=request.user,
                changes={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "phone": data["phone"] or None,
                },
            )
            role_profile_update(profile=profile, changes=changes)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return awaiting_page(site, request, form)
    messages.success(request, _("Your profile is saved."))
    return redirect("admin:index")
