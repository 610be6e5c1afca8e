"""What a manufacturer awaiting approval (pending or rejected) gets in the admin: one page that
says where their application stands, with their profile form. Everything else of the admin
is closed to them (``backoffice.sites.BackofficeAdminSite.admin_view``).

Once approved, the same URL is their company profile page (the setup checklist on the
dashboard links to it), without the bank fields: an approved manufacturer changes bank details
on the money app's page, which also asks for the second factor."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField
from unfold.widgets import UnfoldAdminImageFieldWidget, UnfoldAdminTextInputWidget

from core.roles import BackofficeAccess, ManufacturerStatus, backoffice_access
from money.forms import account_number_field, bank_field, current_password_field
from money.services.bank_accounts import bank_account_change, bank_account_current
from users.models import ManufacturerProfile
from users.services import role_profile_update, user_details_update, user_sync_roles


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
    # Where payouts go: the same fields as the bank details form (money.forms), optional here.
    bank_code = bank_field(required=False)
    account_number = account_number_field(required=False)
    password = current_password_field(
        required=False, help_text=_("Needed only to change bank details you already gave.")
    )
    profile_picture = forms.ImageField(
        label=_("Logo or picture"), required=False, widget=UnfoldAdminImageFieldWidget
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and bank_account_current(manufacturer=user) is None:
            del self.fields["password"]  # the first bank details need no password

    def clean(self):
        data = super().clean()
        if bool(data.get("bank_code")) != bool(data.get("account_number")):
            raise ValidationError(_("Give both your bank and your account number, or neither."))
        return data

    @classmethod
    def initial_for(cls, user) -> dict:
        profile = ManufacturerProfile.objects.filter(user=user).first()
        account = bank_account_current(manufacturer=user)
        return {
            "display_name": profile.display_name if profile else "",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "bank_code": account.bank_code if account else "",
            "account_number": account.account_number if account else "",
        }


class CompanyProfileForm(ManufacturerProfileForm):
    """An approved manufacturer's profile: the company, the contact, the picture."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("bank_code", "account_number", "password"):
            self.fields.pop(name, None)


def company_page(site, request: HttpRequest, form: CompanyProfileForm | None = None):
    user = request.user
    form = form or CompanyProfileForm(initial=ManufacturerProfileForm.initial_for(user), user=user)
    profile = ManufacturerProfile.objects.filter(user=user).first()
    context = {
        **site.each_context(request),
        "title": _("Your company profile"),
        "form": form,
        "picture": profile.profile_picture if profile and profile.profile_picture else None,
        "save_url": reverse("admin:onboarding_profile", current_app=site.name),
        "bank_url": reverse("admin:money_bankaccount_bank_details", current_app=site.name),
    }
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "admin/onboarding/profile.html", context, status=status)


def _profile_of(user) -> ManufacturerProfile:
    user_sync_roles(user=user)  # a manufacturer always has its profile; make it if missing
    return ManufacturerProfile.objects.get(user=user)


def awaiting_page(site, request: HttpRequest, form: ManufacturerProfileForm | None = None):
    user = request.user
    form = form or ManufacturerProfileForm(
        initial=ManufacturerProfileForm.initial_for(user), user=user
    )
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
    """The profile form: POST from the awaiting page (whose GET is the dashboard), or an approved
    manufacturer's company profile page (GET and POST)."""
    if not request.user.is_manufacturer:
        if request.method == "POST":
            raise PermissionDenied  # staff have no manufacturer profile to save
        return redirect("admin:index")
    awaiting = backoffice_access(request.user) == BackofficeAccess.AWAITING
    if request.method != "POST":
        return redirect("admin:index") if awaiting else company_page(site, request)
    form_class = ManufacturerProfileForm if awaiting else CompanyProfileForm
    form = form_class(request.POST, request.FILES, user=request.user)
    page = awaiting_page if awaiting else company_page
    if not form.is_valid():
        return page(site, request, form)
    data = form.cleaned_data
    profile = _profile_of(request.user)
    changes = {"display_name": data["display_name"]}
    if data["profile_picture"]:
        changes["profile_picture"] = data["profile_picture"]
    try:
        with transaction.atomic():  # all or nothing
            user_details_update(
                user=request.user,
                changes={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "phone": data["phone"] or None,
                },
            )
            role_profile_update(profile=profile, changes=changes)
            if data.get("bank_code"):
                bank_account_change(
                    manufacturer=request.user,
                    bank_code=data["bank_code"],
                    account_number=data["account_number"],
                    password=data.get("password"),
                    actor=request.user,
                )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            exc = ValidationError({None: exc.messages})
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return page(site, request, form)
    messages.success(request, _("Your profile is saved."))
    return redirect("admin:index")
