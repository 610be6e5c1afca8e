"""Vendor onboarding in the users admin: staff's approve / reject / suspend / reinstate actions
(bulk, and suspend / reinstate from the user's page, which sends an application to its review
page); a manufacturer reaches none of them."""

import pytest
from django.core import mail
from django.urls import reverse

from core.roles import ManufacturerStatus
from notifications.models import Notification, NotificationEvent
from users.models import User
from users.tests.helpers import set_status

pytestmark = pytest.mark.django_db

Status = ManufacturerStatus
USERS = reverse("admin:users_user_changelist")


@pytest.fixture
def pending(manufacturer_a) -> User:
    return set_status(manufacturer_a, Status.PENDING)


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


def test_user_page_sends_an_application_to_review_and_suspends_with_a_reason(
    client, staff_user, pending, manufacturer_b
):
    client.force_login(staff_user)
    change = reverse("admin:users_user_change", args=[pending.pk])
    review = reverse("admin:onboarding_review", args=[pending.pk])

    page = client.get(change)
    to_review = client.get(reverse("admin:users_user_review_detail", args=[pending.pk]))
    suspend = client.post(
        reverse("admin:users_user_suspend_detail", args=[manufacturer_b.pk]),
        {"reason": "Chargebacks", "_form_submitted": "on"},
    )
    listed = client.get(USERS, {"manufacturer_status__exact": "pending"})

    assert page.status_code == 200
    html = page.content.decode()
    # A pending account's page offers the review page, not a decision of its own.
    assert reverse("admin:users_user_review_detail", args=[pending.pk]) in html
    assert reverse("admin:users_user_suspend_detail", args=[pending.pk]) not in html
    assert (to_review.status_code, to_review["Location"]) == (302, review)
    assert f'href="{review}"' in listed.content.decode()  # the list's "Review" link
    pending.refresh_from_db()
    manufacturer_b.refresh_from_db()
    assert pending.manufacturer_status == Status.PENDING
    assert suspend.status_code == 200
    assert (manufacturer_b.manufacturer_status, manufacturer_b.manufacturer_status_reason) == (
        Status.SUSPENDED,
        "Chargebacks",
    )


def test_a_manufacturer_cannot_reach_the_decisions(client, manufacturer_a, manufacturer_b):
    applicant = set_status(manufacturer_b, Status.PENDING)
    client.force_login(manufacturer_a)  # active

    bulk = client.post(
        USERS, {"action": "approve_selected", "_selected_action": [applicant.pk], "reason": ""}
    )
    detail = client.post(
        reverse("admin:users_user_suspend_detail", args=[applicant.pk]),
        {"reason": "x", "_form_submitted": "on"},
    )
    review = client.get(reverse("admin:users_user_review_detail", args=[applicant.pk]))

    assert bulk.status_code == 403
    assert detail.status_code == 403
    assert review.status_code == 403
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
