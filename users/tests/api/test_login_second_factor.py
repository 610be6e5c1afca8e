"""The API login's second factor (users.mfa_login) on both route sets: a user with TOTP gets an
mfa_token instead of tokens; the second step with a code issues exactly what the login issues;
the mfa_token works once and dies after MFA_LOGIN_TOKEN_SECONDS; wrong codes count in the
sign-in policy; staff without TOTP are sent to the admin; buyers are untouched."""

from datetime import timedelta

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken

from conftest import PASSWORD
from users.account_tokens import account_token_issue
from users.models import AccountToken, AccountTokenPurpose, SignInThrottle, SignInThrottleScope
from users.tests.conftest import decode_refresh, refresh_cookie
from users.tests.mfa_helpers import recovery_codes, totp_code, totp_give

pytestmark = pytest.mark.django_db

ROUTES = [("/accounts/login", "/accounts/login/mfa"), ("/api/auth/login/", "/api/auth/login/mfa/")]
COOKIE = settings.JWT_REFRESH_COOKIE["name"]


@pytest.fixture(autouse=True)
def _no_request_rate_throttle(monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "login", "10000/min")


def password_step(client, path, user, *, remember_me=None, address="198.51.100.7"):
    data = {"email": user.email, "password": PASSWORD}
    if remember_me is not None:
        data["remember_me"] = remember_me
    return client.post(path, data, format="json", REMOTE_ADDR=address)


def code_step(client, path, mfa_token, code, *, address="198.51.100.7"):
    data = {"mfa_token": mfa_token, "otp": code}
    return client.post(path, data, format="json", REMOTE_ADDR=address)


def issued() -> int:
    return OutstandingToken.objects.count()


def account_failures(email: str) -> int:
    row = SignInThrottle.objects.filter(scope=SignInThrottleScope.ACCOUNT, email=email).first()
    return row.failures if row else 0


@pytest.mark.parametrize("login_path, mfa_path", ROUTES)
def test_staff_get_an_mfa_token_then_the_code_gives_the_logins_tokens_and_cookie(
    api_client, staff_user, login_path, mfa_path
):
    first = password_step(api_client, login_path, staff_user, remember_me=True)

    assert first.status_code == 401
    body = first.json()
    assert set(body) == {"detail", "code", "mfa_required", "mfa_token", "expires_in"}
    assert (body["code"], body["mfa_required"], body["expires_in"]) == ("mfa_required", True, 300)
    assert COOKIE not in first.cookies
    assert issued() == 0  # no session yet

    second = code_step(api_client, mfa_path, body["mfa_token"], totp_code(staff_user))

    assert second.status_code == 200
    assert list(second.json()) == ["access"]
    assert AccessToken(second.json()["access"])["user_id"] == str(staff_user.pk)
    assert second["Cache-Control"] == "no-store"
    cookie = refresh_cookie(second)
    assert cookie["httponly"] is True
    assert cookie["max-age"] == 30 * 24 * 3600  # remember_me of the password step is kept
    assert decode_refresh(cookie.value)["remember"] is True
    assert issued() == 1
    # Refreshing is unaffected by the second factor.
    refreshed = api_client.post("/accounts/refresh", format="json")
    assert refreshed.status_code == 200
    assert AccessToken(refreshed.json()["access"])["user_id"] == str(staff_user.pk)


def test_the_mfa_token_works_once(api_client, staff_user):
    token = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]
    first = code_step(api_client, "/accounts/login/mfa", token, totp_code(staff_user))
    assert first.status_code == 200
    assert issued() == 1

    again = code_step(APIClient(), "/accounts/login/mfa", token, recovery_codes(staff_user)[0])

    assert again.status_code == 401
    assert again.json()["code"] == "mfa_token_invalid"
    assert issued() == 1
    assert len(recovery_codes(staff_user)) == 10  # the code was never checked, so not spent


def test_the_mfa_token_expires(api_client, staff_user, shift_time):
    token = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]
    shift_time(seconds=settings.MFA_LOGIN_TOKEN_SECONDS + 1)

    late = code_step(api_client, "/accounts/login/mfa", token, totp_code(staff_user))

    assert late.status_code == 401
    assert late.json()["code"] == "mfa_token_expired"
    assert issued() == 0
    assert not AccountToken.objects.filter(user=staff_user).exists()


@pytest.mark.parametrize("token", ["junk", "a" * 400, "eyJ0IjoiYSJ9:1tX:forged"])
def test_a_forged_mfa_token_is_refused(api_client, staff_user, token):
    response = code_step(api_client, "/api/auth/login/mfa/", token, totp_code(staff_user))

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_token_invalid"
    assert issued() == 0


def test_a_missing_mfa_token_or_code_is_a_400(api_client, staff_user):
    response = api_client.post("/api/auth/login/mfa/", {"otp": "123456"}, format="json")

    assert response.status_code == 400
    assert "mfa_token" in response.json()
    assert issued() == 0


def test_an_unsigned_secret_of_another_purpose_is_no_mfa_token(api_client, customer):
    raw = account_token_issue(
        user=customer, purpose=AccountTokenPurpose.ONE_TIME_LOGIN, lifetime=timedelta(minutes=5)
    )
    response = code_step(api_client, "/accounts/login/mfa", raw, "123456")

    assert response.json()["code"] == "mfa_token_invalid"
    assert issued() == 0


def test_a_new_password_step_replaces_the_earlier_mfa_token(api_client, staff_user):
    old = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]
    new = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]

    stale = code_step(api_client, "/accounts/login/mfa", old, totp_code(staff_user))
    current = code_step(api_client, "/accounts/login/mfa", new, totp_code(staff_user))

    assert stale.json()["code"] == "mfa_token_invalid"
    assert current.status_code == 200


def test_a_recovery_code_passes_the_second_step_and_is_spent(api_client, staff_user):
    code = recovery_codes(staff_user)[0]
    token = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]

    assert code_step(api_client, "/accounts/login/mfa", token, code).status_code == 200
    assert code not in recovery_codes(staff_user)
    token = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]
    assert code_step(api_client, "/accounts/login/mfa", token, code).status_code == 401


def test_wrong_codes_count_as_failed_sign_ins_and_lead_to_the_same_refusal(api_client, staff_user):
    token = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]
    answers = []
    for _ in range(settings.SIGNIN_PAIR_FAILURE_LIMIT):
        answers.append(code_step(api_client, "/accounts/login/mfa", token, "000000"))
    assert [a.json()["code"] for a in answers[:3]] == ["mfa_code_invalid"] * 3
    assert account_failures(staff_user.email) >= settings.SIGNIN_ACCOUNT_FREE_FAILURES

    refused = code_step(api_client, "/accounts/login/mfa", token, totp_code(staff_user))

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many failed sign-ins.")
    assert int(refused["Retry-After"]) > 0
    assert issued() == 0
    # The password door is shut for the pair too: one count for passwords and codes.
    assert password_step(api_client, "/accounts/login", staff_user).status_code == 429


def test_a_password_step_alone_does_not_clear_the_code_failures(api_client, staff_user):
    token = password_step(api_client, "/accounts/login", staff_user).json()["mfa_token"]
    code_step(api_client, "/accounts/login/mfa", token, "000000")
    code_step(api_client, "/accounts/login/mfa", token, "000000")

    password_step(api_client, "/accounts/login", staff_user)

    assert account_failures(staff_user.email) == 2


def test_staff_without_totp_are_told_to_set_it_up_in_the_admin(api_client, make_user, settings):
    from allauth.mfa.models import Authenticator

    staff = make_user("new.staff@martaf.test", is_staff=True)
    Authenticator.objects.filter(user=staff).delete()

    response = password_step(api_client, "/api/auth/login/", staff)

    assert response.status_code == 403
    assert response.json()["code"] == "mfa_setup_required"
    assert "admin" in response.json()["detail"]
    assert "mfa_token" not in response.json()
    assert issued() == 0 and COOKIE not in response.cookies

    settings.MFA_REQUIRED_FOR_STAFF = False
    assert password_step(api_client, "/api/auth/login/", staff).status_code == 200


def test_a_manufacturer_with_totp_passes_two_steps_one_without_one(api_client, manufacturer_a):
    assert password_step(api_client, "/accounts/login", manufacturer_a).status_code == 200
    totp_give(manufacturer_a)

    first = password_step(api_client, "/accounts/login", manufacturer_a)

    assert first.json()["code"] == "mfa_required"
    second = code_step(
        api_client, "/accounts/login/mfa", first.json()["mfa_token"], totp_code(manufacturer_a)
    )
    assert second.status_code == 200


def test_a_buyer_without_totp_logs_in_in_one_step(api_client, customer):
    response = password_step(api_client, "/accounts/login", customer)

    assert response.status_code == 200
    assert list(response.json()) == ["access"]
    assert not AccountToken.objects.filter(user=customer).exists()


def test_the_one_time_login_link_also_asks_a_totp_user_for_the_code(api_client, manufacturer_a):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    totp_give(manufacturer_a)
    raw = account_token_issue(
        user=manufacturer_a,
        purpose=AccountTokenPurpose.ONE_TIME_LOGIN,
        lifetime=timedelta(minutes=5),
    )
    uid = urlsafe_base64_encode(force_bytes(manufacturer_a.pk))

    response = api_client.post(
        "/accounts/one-time-login", {"uid": uid, "token": raw}, format="json"
    )

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"
    assert issued() == 0
    second = code_step(
        api_client, "/accounts/login/mfa", response.json()["mfa_token"], totp_code(manufacturer_a)
    )
    assert second.status_code == 200
