"""Vendor onboarding in the admin: what a manufacturer awaiting approval (the awaiting page and
its profile form) or suspended (read-only) can do. Staff's decisions are tested with the users
admin (``users/tests/test_admin_onboarding.py``)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.urls import NoReverseMatch, reverse

from catalog.models import Product
from catalog.services import category_get_or_create_path, product_create
from conftest import PASSWORD
from core.roles import ManufacturerStatus
from money.models import BankAccount
from users.models import ManufacturerProfile, User
from users.tests.helpers import set_status

pytestmark = pytest.mark.django_db

Status = ManufacturerStatus
INDEX = reverse("admin:index")
PROFILE = reverse("admin:onboarding_profile")


@pytest.fixture
def pending(manufacturer_a) -> User:
    return set_status(manufacturer_a, Status.PENDING)


@pytest.fixture
def product_of_a(manufacturer_a, staff_user) -> Product:
    return product_create(
        manufacturer=manufacturer_a,
        actor=staff_user,
        name="Kente stole",
        price=Decimal("50.00"),
        category=category_get_or_create_path(names=["Home"]),
        stock=5,
    )


def _every_admin_page(obj_pks: dict) -> list[str]:
    """The changelist and add page of every registered model, a change page per model with a
    row, and the report pages."""
    urls = []
    for model in admin.site._registry:
        opts = model._meta
        for name, args in (("changelist", []), ("add", [])):
            try:
                urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args))
            except NoReverseMatch:
                pass
        if model in obj_pks:
            urls.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj_pks[model]])
            )
    from backoffice.reports.views import REPORTS

    urls += [reverse(f"admin:{report.url_name}") for report in REPORTS]
    return urls


# --- A manufacturer awaiting approval ------------------------------------------------------------


def test_a_pending_manufacturer_signs_in_and_sees_only_the_awaiting_page(client, pending):
    signed_in = client.post(
        reverse("admin:login"), {"username": pending.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session[SESSION_KEY] == str(pending.pk)

    page = client.get(INDEX)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Your account is awaiting approval" in html
    assert 'id="onboarding-profile"' in html
    assert "Welcome back" not in html  # not the dashboard
    # The sidebar offers nothing else to open.
    assert "/admin/catalog/" not in html
    assert "/admin/reports/" not in html


def test_every_other_admin_page_sends_a_pending_manufacturer_back(client, pending, product_of_a):
    client.force_login(pending)

    for url in _every_admin_page({Product: product_of_a.pk, User: pending.pk}):
        response = client.get(url)
        assert (url, response.status_code, response.get("Location")) == (url, 302, INDEX)


def test_a_pending_manufacturer_cannot_write_anywhere(client, pending, product_of_a):
    client.force_login(pending)
    before = Product.objects.count()

    add = client.post(reverse("admin:catalog_product_add"), {"name": "Sneaky"})
    change = client.post(
        reverse("admin:catalog_product_change", args=[product_of_a.pk]), {"name": "Sneaky"}
    )
    delete = client.post(
        reverse("admin:catalog_product_delete", args=[product_of_a.pk]), {"post": "yes"}
    )

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert Product.objects.count() == before
    assert Product.objects.get(pk=product_of_a.pk).name == "Kente stole"


def test_the_profile_form_saves_the_profile(client, pending):
    client.force_login(pending)

    response = client.post(
        PROFILE,
        {
            "display_name": "Adinkra Prints",
            "first_name": "Efua",
            "last_name": "Owusu",
            "phone": "+233201112233",
            "bank_code": "058",
            "account_number": "0123456789",
        },
    )

    assert (response.status_code, response["Location"]) == (302, INDEX)
    profile = ManufacturerProfile.objects.get(user=pending)
    pending.refresh_from_db()
    assert profile.display_name == "Adinkra Prints"
    account = BankAccount.objects.get(manufacturer=pending, is_current=True)
    assert (account.bank_name, account.account_number) == ("Guaranty Trust Bank", "0123456789")
    assert (pending.first_name, str(pending.phone)) == ("Efua", "+233201112233")
    assert pending.manufacturer_status == Status.PENDING  # saving is not approval


def test_changing_the_bank_given_at_onboarding_needs_the_password(client, pending):
    client.force_login(pending)
    form = {"display_name": "Adinkra Prints", "bank_code": "058", "account_number": "0123456789"}
    client.post(PROFILE, form)

    refused = client.post(PROFILE, {**form, "account_number": "9999999999"})
    changed = client.post(
        PROFILE, {**form, "account_number": "9999999999", "password": PASSWORD}
    )

    assert refused.status_code == 400
    assert "Your current password is not right." in refused.content.decode()
    assert changed.status_code == 302
    assert list(
        BankAccount.objects.filter(manufacturer=pending)
        .order_by("pk")
        .values_list("account_number", "is_current")
    ) == [("0123456789", False), ("9999999999", True)]


def test_a_bank_without_an_account_number_is_refused(client, pending):
    client.force_login(pending)

    response = client.post(
        PROFILE, {"display_name": "Adinkra Prints", "bank_code": "058", "account_number": ""}
    )

    assert response.status_code == 400
    assert "Give both your bank and your account number, or neither." in response.content.decode()
    assert not BankAccount.objects.exists()
    assert ManufacturerProfile.objects.get(user=pending).display_name == "Maker A"


def test_an_invalid_profile_is_refused_and_changes_nothing(client, pending):
    client.force_login(pending)

    response = client.post(PROFILE, {"display_name": "", "phone": "not a phone"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert ManufacturerProfile.objects.get(user=pending).display_name == "Maker A"
    pending.refresh_from_db()
    assert pending.phone is None


def test_a_rejected_manufacturer_sees_the_reason(client, manufacturer_a):
    set_status(manufacturer_a, Status.REJECTED, "No company registration number")
    client.force_login(manufacturer_a)

    html = client.get(INDEX).content.decode()

    assert "Your application was not approved" in html
    assert "No company registration number" in html


# --- A suspended manufacturer: read-only ---------------------------------------------------------


def test_a_suspended_manufacturer_reads_but_cannot_write(client, manufacturer_a, product_of_a):
    set_status(manufacturer_a, Status.SUSPENDED, "Counterfeits")
    client.force_login(manufacturer_a)
    change_url = reverse("admin:catalog_product_change", args=[product_of_a.pk])

    dashboard = client.get(INDEX)
    listed = client.get(reverse("admin:catalog_product_changelist"))
    page = client.get(change_url)
    write = client.post(change_url, {"name": "Changed"})
    signed_out = client.post(reverse("admin:logout"))

    assert "Your manufacturer account is suspended" in dashboard.content.decode()
    assert "Counterfeits" in dashboard.content.decode()
    assert listed.status_code == 200
    assert "Kente stole" in listed.content.decode()
    assert page.status_code == 200
    assert write.status_code == 403
    assert Product.objects.get(pk=product_of_a.pk).name == "Kente stole"
    assert signed_out.status_code == 200
    assert SESSION_KEY not in client.session
