"""Vendor onboarding in the admin: what a manufacturer awaiting approval or suspended can do,
and staff's approve / reject / suspend / reinstate actions (bulk and from the user's page)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import NoReverseMatch, reverse

from catalog.models import Product
from catalog.services import category_get_or_create_path, product_create
from conftest import PASSWORD
from core.roles import ManufacturerStatus
from notifications.models import Notification, NotificationEvent
from users.models import ManufacturerProfile, User

pytestmark = pytest.mark.django_db

Status = ManufacturerStatus
INDEX = reverse("admin:index")
PROFILE = reverse("admin:onboarding_profile")
USERS = reverse("admin:users_user_changelist")


def _set_status(user: User, status: str, reason: str = "") -> User:
    User.objects.filter(pk=user.pk).update(
        manufacturer_status=status, manufacturer_status_reason=reason
    )
    user.refresh_from_db()
    return user


@pytest.fixture
def pending(manufacturer_a) -> User:
    return _set_status(manufacturer_a, Status.PENDING)


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
            "bank_name": "GCB",
            "account_name": "Adinkra Prints Ltd",
            "account_number": "0123456789",
        },
    )

    assert (response.status_code, response["Location"]) == (302, INDEX)
    profile = ManufacturerProfile.objects.get(user=pending)
    pending.refresh_from_db()
    assert profile.display_name == "Adinkra Prints"
    assert profile.bank_details == {
        "bank_name": "GCB",
        "account_name": "Adinkra Prints Ltd",
        "account_number": "0123456789",
    }
    assert (pending.first_name, str(pending.phone)) == ("Efua", "+233201112233")
    assert pending.manufacturer_status == Status.PENDING  # saving is not approval


def test_an_invalid_profile_is_refused_and_changes_nothing(client, pending):
    client.force_login(pending)

    response = client.post(PROFILE, {"display_name": "", "phone": "not a phone"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert ManufacturerProfile.objects.get(user=pending).display_name == "Maker A"
    pending.refresh_from_db()
    assert pending.phone is None


def test_a_rejected_manufacturer_sees_the_reason(client, manufacturer_a):
    _set_status(manufacturer_a, Status.REJECTED, "No company registration number")
    client.force_login(manufacturer_a)

    html = client.get(INDEX).content.decode()

    assert "Your application was not approved" in html
    assert "No company registration number" in html


# --- A suspended manufacturer: read-only ---------------------------------------------------------


def test_a_suspended_manufacturer_reads_but_cannot_write(client, manufacturer_a, product_of_a):
    _set_status(manufacturer_a, Status.SUSPENDED, "Counterfeits")
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


def test_a_suspended_manufacturer_holds_only_view_permissions(manufacturer_a):
    assert manufacturer_a.has_perm("catalog.change_product")
    _set_status(manufacturer_a, Status.SUSPENDED)
    suspended = User.objects.get(pk=manufacturer_a.pk)  # a fresh permission cache

    assert suspended.has_perm("catalog.view_product")
    assert not suspended.has_perm("catalog.change_product")
    assert not suspended.has_perm("catalog.add_product")
    _set_status(manufacturer_a, Status.PENDING)
    assert User.objects.get(pk=manufacturer_a.pk).get_all_permissions() == set()


# --- Staff decide ------------------------------------------------------------------------------


def test_staff_see_and_filter_manufacturers_by_status(client, staff_user, pending, manufacturer_b):
    client.force_login(staff_user)

    response = client.get(USERS, {"manufacturer_status__exact": "pending"})

    assert [u.email for u in response.context["cl"].result_list] == [pending.email]
    assert "Awaiting approval" in response.content.decode()


def test_bulk_approve_asks_then_approves_and_tells_them(
    client, staff_user, pending, manufacturer_b, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    selection = {"action": "approve_selected", "_selected_action": [pending.pk, manufacturer_b.pk]}

    page = client.post(USERS, selection)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(USERS, {**selection, "reason": ""}, follow=True)

    assert page.status_code == 200
    assert "Maker A" in page.content.decode()
    pending.refresh_from_db()
    assert pending.manufacturer_status == Status.ACTIVE
    messages = [str(m) for m in done.context["messages"]]
    assert messages == [
        "1 manufacturer approved.",
        "1 manufacturer skipped: the account is Active",
    ]
    assert (
        Notification.objects.filter(
            user=pending, event=NotificationEvent.MANUFACTURER_APPROVED
        ).count()
        == 1
    )
    assert [m.to for m in mail.outbox] == [[pending.email]]


def test_bulk_reject_without_a_reason_changes_nothing(client, staff_user, pending):
    client.force_login(staff_user)

    response = client.post(
        USERS, {"action": "reject_selected", "_selected_action": [pending.pk], "reason": ""}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    pending.refresh_from_db()
    assert pending.manufacturer_status == Status.PENDING
    assert not Notification.objects.filter(user=pending).exists()


def test_detail_actions_reject_and_suspend_with_a_reason(
    client, staff_user, pending, manufacturer_b
):
    client.force_login(staff_user)
    change = reverse("admin:users_user_change", args=[pending.pk])

    page = client.get(change)
    reject = client.post(
        reverse("admin:users_user_reject_detail", args=[pending.pk]),
        {"reason": "Incomplete documents", "_form_submitted": "on"},
    )
    suspend = client.post(
        reverse("admin:users_user_suspend_detail", args=[manufacturer_b.pk]),
        {"reason": "Chargebacks", "_form_submitted": "on"},
    )

    assert page.status_code == 200
    html = page.content.decode()
    # Only the decisions that fit a pending account are offered on its page.
    assert reverse("admin:users_user_approve_detail", args=[pending.pk]) in html
    assert reverse("admin:users_user_suspend_detail", args=[pending.pk]) not in html
    assert reject["HX-Redirect"] == change
    pending.refresh_from_db()
    manufacturer_b.refresh_from_db()
    assert (pending.manufacturer_status, pending.manufacturer_status_reason) == (
        Status.REJECTED,
        "Incomplete documents",
    )
    assert suspend.status_code == 200
    assert (manufacturer_b.manufacturer_status, manufacturer_b.manufacturer_status_reason) == (
        Status.SUSPENDED,
        "Chargebacks",
    )


def test_a_manufacturer_cannot_reach_the_decisions(client, manufacturer_a, manufacturer_b):
    applicant = _set_status(manufacturer_b, Status.PENDING)
    client.force_login(manufacturer_a)  # active

    bulk = client.post(
        USERS, {"action": "approve_selected", "_selected_action": [applicant.pk], "reason": ""}
    )
    detail = client.post(
        reverse("admin:users_user_approve_detail", args=[applicant.pk]),
        {"_form_submitted": "on"},
    )

    assert bulk.status_code == 403
    assert detail.status_code == 403
    applicant.refresh_from_db()
    assert applicant.manufacturer_status == Status.PENDING


def test_staff_adding_a_manufacturer_in_the_admin_admits_them(client, staff_user):
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:users_user_add"),
        {
            "email": "made@maker.test",
            "password1": "a-Strong-pass-123",
            "password2": "a-Strong-pass-123",
            "usable_password": "true",
            "is_manufacturer": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="made@maker.test").manufacturer_status == Status.ACTIVE
