import re

import pytest
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from conftest import PASSWORD
from users.account_tokens import account_token_hash
from users.models import AccountToken, AccountTokenPurpose
from users.tests.conftest import login, refresh_cookie

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Adinkra-Symbols-77"
LINK = re.compile(r"http://localhost:5173/reset-password-confirm/([A-Za-z0-9_-]+)/")


def request_reset(client, email, django_capture_on_commit_callbacks, path="/reset-password/"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(path, {"email": email}, format="json")


def mailed_token() -> str:
    (token,) = set(LINK.findall(mail.outbox[-1].body))
    return token


# --- Request --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/reset-password/", "/reset-password", "/api/auth/password/reset/"]
)
def test_reset_request_emails_a_link_with_text_and_html(
    api_client, customer, django_capture_on_commit_callbacks, path
):
    response = request_reset(
        api_client, "Buyer@Martaf.test", django_capture_on_commit_callbacks, path
    )

    assert response.status_code == 200
    assert response.json() == {"message": "Password reset email sent"}
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Reset your MARTAF password"
    assert email.to == ["buyer@martaf.test"]
    assert email.from_email == "MARTAF <no-reply@martaf.com>"
    token = mailed_token()
    assert "5 minutes" in email.body
    (html, mimetype), = email.alternatives
    assert mimetype == "text/html"
    assert f'href="http://localhost:5173/reset-password-confirm/{token}/"' in html


def test_only_the_hash_of_the_token_is_stored(
    api_client, customer, django_capture_on_commit_callbacks
):
    request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    token = mailed_token()

    row = AccountToken.objects.get(user=customer)
    assert row.purpose == AccountTokenPurpose.PASSWORD_RESET
    assert row.token_hash == account_token_hash(token) != token
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_hash FROM users_accounttoken")
        assert all(token not in value for (value,) in cursor.fetchall())
    seconds = (row.expires_at - row.created_at).total_seconds()
    assert 299 <= seconds <= 301


def test_a_new_request_replaces_the_previous_token(
    api_client, customer, django_capture_on_commit_callbacks
):
    request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    first = mailed_token()
    request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    second = mailed_token()

    assert AccountToken.objects.filter(user=customer).count() == 1
    response = api_client.post(f"/reset-password-confirm/{first}/", {"password": NEW_PASSWORD})
    assert response.status_code == 400
    response = api_client.post(f"/reset-password-confirm/{second}/", {"password": NEW_PASSWORD})
    assert response.status_code == 200


def test_unknown_email_is_401_and_nothing_is_sent(
    api_client, db, django_capture_on_commit_callbacks
):
    response = request_reset(api_client, "ghost@martaf.test", django_capture_on_commit_callbacks)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "No active account found with this email address.",
        "code": "reset_email_unknown",
    }
    assert mail.outbox == []
    assert AccountToken.objects.count() == 0


def test_inactive_user_is_401(api_client, customer, django_capture_on_commit_callbacks):
    customer.is_active = False
    customer.save(update_fields=["is_active"])

    response = request_reset(api_client, customer.email, django_capture_on_commit_callbacks)

    assert response.status_code == 401
    assert mail.outbox == []


def test_with_enumeration_protection_known_and_unknown_emails_look_the_same(
    api_client, customer, settings, django_capture_on_commit_callbacks
):
    settings.API_PREVENT_ACCOUNT_ENUMERATION = True

    known = request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    unknown = request_reset(api_client, "ghost@martaf.test", django_capture_on_commit_callbacks)

    assert (known.status_code, unknown.status_code) == (200, 200)
    assert known.json() == unknown.json() == {
        "message": "If an active account uses this email address, a reset link has been sent."
    }
    assert [m.to for m in mail.outbox] == [["buyer@martaf.test"]]


def test_invalid_email_is_400_with_an_email_list(api_client, db):
    response = api_client.post("/reset-password/", {"email": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "email: Enter a valid email address.",
        "email": ["Enter a valid email address."],
    }


def test_reset_request_ignores_a_stale_bearer_header(
    api_client, customer, django_capture_on_commit_callbacks
):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer stale")
    response = request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    assert response.status_code == 200


def test_reset_request_is_throttled(api_client, customer, django_capture_on_commit_callbacks):
    allowed, _ = ScopedRateThrottle().parse_rate(
        ScopedRateThrottle.THROTTLE_RATES["password_reset"]
    )
    for _ in range(allowed):
        request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    response = request_reset(api_client, customer.email, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled.")
    assert len(mail.outbox) == sent


# --- Confirm --------------------------------------------------------------------------------


@pytest.fixture
def reset_token(api_client, customer, django_capture_on_commit_callbacks) -> str:
    request_reset(api_client, customer.email, django_capture_on_commit_callbacks)
    return mailed_token()


@pytest.mark.parametrize("slash", ["/", ""])
def test_confirm_sets_the_password_and_spends_the_token(api_client, customer, reset_token, slash):
    response = api_client.post(
        f"/reset-password-confirm/{reset_token}{slash}", {"password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"message": "Password reset successful"}
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)
    assert AccountToken.objects.count() == 0
    assert login(APIClient(), customer.email, password=NEW_PASSWORD).status_code == 200
    assert login(APIClient(), customer.email, password=PASSWORD).status_code == 401


def test_the_token_works_once(api_client, customer, reset_token):
    api_client.post(f"/reset-password-confirm/{reset_token}/", {"password": NEW_PASSWORD})

    again = api_client.post(
        f"/reset-password-confirm/{reset_token}/", {"password": "Other-Pass-99"}
    )

    assert again.status_code == 400
    assert again.json() == {
        "detail": "Invalid or already used password reset token.",
        "code": "reset_token_invalid",
    }
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)


def test_the_token_expires_after_five_minutes(api_client, customer, reset_token, shift_time):
    shift_time(minutes=5, seconds=1)

    response = api_client.post(f"/reset-password-confirm/{reset_token}/", {"password": NEW_PASSWORD})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The password reset token has expired.",
        "code": "reset_token_expired",
    }
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)
    assert AccountToken.objects.count() == 0  # the seed: an expired token is deleted


def test_the_token_still_works_just_before_expiry(api_client, customer, reset_token, shift_time):
    shift_time(minutes=4, seconds=50)
    response = api_client.post(f"/reset-password-confirm/{reset_token}/", {"password": NEW_PASSWORD})
    assert response.status_code == 200


def test_unknown_token_is_400(api_client, customer):
    response = api_client.post("/reset-password-confirm/made-up-token/", {"password": NEW_PASSWORD})
    assert response.status_code == 400
    assert response.json()["code"] == "reset_token_invalid"
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_the_stored_hash_is_not_a_token(api_client, customer, reset_token):
    stored_hash = AccountToken.objects.get().token_hash
    response = api_client.post(f"/reset-password-confirm/{stored_hash}/", {"password": NEW_PASSWORD})
    assert response.status_code == 400


def test_missing_password_is_400_and_keeps_the_token(api_client, customer, reset_token):
    response = api_client.post(f"/reset-password-confirm/{reset_token}/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "password: This field is required.",
        "password": ["This field is required."],
    }
    assert AccountToken.objects.count() == 1


def test_weak_password_is_400_and_keeps_the_token(api_client, customer, reset_token):
    response = api_client.post(f"/reset-password-confirm/{reset_token}/", {"password": "buyer"})

    assert response.status_code == 400
    assert response.json()["password"] == [
        "The password is too similar to the email address.",
        "This password is too short. It must contain at least 8 characters.",
    ]
    assert AccountToken.objects.count() == 1
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_a_reset_ends_every_session_of_the_user(api_client, customer, reset_token):
    other_device = APIClient()
    raw = refresh_cookie(login(other_device, customer.email, remember_me=True)).value

    api_client.post(f"/reset-password-confirm/{reset_token}/", {"password": NEW_PASSWORD})

    assert BlacklistedToken.objects.filter(token__token=raw).exists()
    assert other_device.post("/accounts/refresh").status_code == 401


def test_rest_confirm_takes_the_token_in_the_body(api_client, customer, reset_token):
    missing = api_client.post("/api/auth/password/reset/confirm/", {"password": NEW_PASSWORD})
    response = api_client.post(
        "/api/auth/password/reset/confirm", {"token": reset_token, "password": NEW_PASSWORD}
    )

    assert missing.status_code == 400
    assert missing.json()["token"] == ["This field is required."]
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)
