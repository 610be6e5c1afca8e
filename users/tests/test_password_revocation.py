"""Every password change ends the user's refresh tokens, whichever path made it: the API's
reset, the admin's own password change page, staff setting a user's password in the admin,
and code that calls set_password and saves (manage.py changepassword)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from conftest import PASSWORD
from users.tests.api.test_password_reset import mailed_token, request_reset
from users.tests.conftest import login, login_fully, refresh_cookie

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-better-passphrase-42"


def signed_in_refresh(user) -> str:
    response = login_fully(APIClient(), user)
    assert response.status_code == 200
    return refresh_cookie(response).value


def refresh_works(raw: str) -> bool:
    client = APIClient()
    client.cookies[settings.JWT_REFRESH_COOKIE["name"]] = raw
    return client.post("/accounts/refresh").status_code == 200


def live_tokens(user) -> int:
    return OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).count()


def test_a_signed_in_refresh_token_works_until_the_password_changes(customer):
    raw = signed_in_refresh(customer)
    assert refresh_works(raw)  # the check itself: a live session refreshes (and rotates)


def test_the_admins_own_password_change_page_ends_the_refresh_tokens(client, manufacturer_a):
    first, second = signed_in_refresh(manufacturer_a), signed_in_refresh(manufacturer_a)
    client.force_login(manufacturer_a)

    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert live_tokens(manufacturer_a) == 0
    assert not refresh_works(first)
    assert not refresh_works(second)


def test_staff_setting_a_users_password_in_the_admin_ends_that_users_tokens(
    client, staff_user, customer
):
    raw = signed_in_refresh(customer)
    staff_raw = signed_in_refresh(staff_user)
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[customer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert not refresh_works(raw)
    assert refresh_works(staff_raw)  # only that user's sessions end


def test_the_api_reset_ends_the_refresh_tokens(
    api_client, customer, django_capture_on_commit_callbacks
):
    raw = signed_in_refresh(customer)
    request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    token = mailed_token()

    response = api_client.post(f"/reset-password-confirm/{token}/", {"password": NEW_PASSWORD})

    assert response.status_code == 200
    assert not refresh_works(raw)


def test_changepassword_and_set_password_end_the_refresh_tokens(customer, monkeypatch):
    raw = signed_in_refresh(customer)
    answers = iter([NEW_PASSWORD, NEW_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda *args, **kwargs: next(answers))

    call_command("changepassword", customer.email)

    assert not refresh_works(raw)


def test_an_access_token_issued_before_a_password_change_is_refused(customer):
    response = login(APIClient(), customer.email)
    access = response.json()["access"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert client.get("/accounts/UserDetails").status_code == 200

    customer.set_password(NEW_PASSWORD)
    customer.save()

    refused = client.get("/accounts/UserDetails")
    assert refused.status_code == 401
    assert refused.json()["code"] == "password_changed"
    fresh = login(APIClient(), customer.email, password=NEW_PASSWORD).json()["access"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh}")
    assert client.get("/accounts/UserDetails").status_code == 200


def test_saving_a_user_without_a_new_password_keeps_the_tokens(customer):
    raw = signed_in_refresh(customer)
    customer.first_name = "Ama"
    customer.save()

    assert refresh_works(raw)
