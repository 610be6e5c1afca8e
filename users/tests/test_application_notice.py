"""Staff hear of a manufacturer application once (users.onboarding): every active staff user
gets an in-app notification linking to its review page when a manufacturer signs up."""

import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD
from notifications.models import Notification, NotificationEvent
from users.onboarding import manufacturer_application_notify_staff
from users.services import user_create, user_register

pytestmark = pytest.mark.django_db

APPLIED = NotificationEvent.MANUFACTURER_APPLIED


@pytest.fixture
def staff_team(make_user, staff_user):
    second = make_user("staff.two@martaf.test", is_staff=True)
    gone = make_user("staff.gone@martaf.test", is_staff=True)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    return [staff_user, second, gone]


def test_a_manufacturer_signing_up_tells_each_active_staff_user(staff_team, customer):
    applicant = user_register(
        email="kente@martaf.test", password=PASSWORD, is_manufacturer=True, first_name="Kofi"
    )

    notices = Notification.objects.filter(event=APPLIED).order_by("user__email")
    review = reverse("admin:onboarding_review", args=[applicant.pk])
    assert [(n.user.email, n.link) for n in notices] == [
        ("staff.two@martaf.test", review),
        ("staff@martaf.test", review),
    ]
    assert notices[0].title == "Manufacturer awaiting approval: Kofi"
    assert "kente@martaf.test" in notices[0].body
    assert mail.outbox == []  # in the admin only
    assert not Notification.objects.filter(user=customer).exists()


def test_one_notification_per_application_and_staff_user(staff_team):
    applicant = user_register(email="kente@martaf.test", password=PASSWORD, is_manufacturer=True)

    again = manufacturer_application_notify_staff(user=applicant)

    assert again == 0
    assert Notification.objects.filter(event=APPLIED).count() == 2
    # Staff who joined after the application hear of it on the next call, only they.
    user_create(email="new.staff@martaf.test", password=PASSWORD, is_staff=True)
    assert manufacturer_application_notify_staff(user=applicant) == 1
    assert Notification.objects.filter(event=APPLIED).count() == 3


def test_no_notification_for_accounts_that_do_not_wait(staff_user, make_user):
    user_register(email="buyer2@martaf.test", password=PASSWORD)  # a customer
    make_user("made.by.staff@martaf.test", is_manufacturer=True)  # admitted at once

    assert not Notification.objects.filter(event=APPLIED).exists()


def test_no_notification_when_signup_review_is_off(staff_user, settings):
    settings.MANUFACTURER_SIGNUP_REVIEW = False

    user_register(email="kente@martaf.test", password=PASSWORD, is_manufacturer=True)

    assert not Notification.objects.filter(event=APPLIED).exists()


def test_the_signup_api_tells_staff(api_client, staff_user):
    response = api_client.post(
        "/accounts/register",
        {
            "email": "api.maker@martaf.test",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
            "is_manufacturer": True,
        },
        format="json",
    )

    assert response.status_code in (200, 201), response.content
    assert Notification.objects.filter(event=APPLIED, user=staff_user).count() == 1
