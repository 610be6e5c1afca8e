"""The admin's second factor (users.mfa, backoffice.two_factor), through the real pages: the
password step, then the TOTP or recovery-code step; staff cannot skip setting it up;
manufacturers opt in and out; sensitive actions ask for a fresh factor."""

import time

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from conftest import PASSWORD
from users.mfa import (
    SESSION_KEY as MFA_SESSION_KEY,
)
from users.mfa import (
    fresh_second_factor_required,
    second_factor_ok,
)
from users.models import SignInThrottle
from users.services import user_create
from users.tests.mfa_helpers import recovery_codes, totp_code, totp_give

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
VERIFY = reverse("admin:mfa_verify")
SETUP = reverse("admin:mfa_setup")
USERS = reverse("admin:users_user_changelist")


def password_step(client, user, address="127.0.0.1"):
    response = client.post(
        LOGIN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    return response


def code_step(client, code, next_url=INDEX, address="127.0.0.1"):
    return client.post(VERIFY, {"code": code, "next": next_url}, REMOTE_ADDR=address)


@pytest.fixture
def bare_staff(db):
    """A staff member created the plain way: no TOTP yet."""
    return user_create(email="new.staff@martaf.test", password=PASSWORD, is_staff=True)


# --- Staff: the second step is required --------------------------------------------------------


def test_after_the_password_staff_must_give_a_code_before_any_page(client, staff_user):
    password_step(client, staff_user)

    for url in (INDEX, USERS, reverse("admin:password_change")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert 'id="mfa-verify-form"' in page.content.decode()

    done = code_step(client, totp_code(staff_user), next_url=USERS)

    assert done.status_code == 302
    assert done["Location"] == USERS
    assert client.get(USERS).status_code == 200
    assert client.session[MFA_SESSION_KEY]["user"] == staff_user.pk


def test_a_wrong_code_is_refused_and_counted(client, staff_user):
    password_step(client, staff_user)

    response = code_step(client, "000000" if totp_code(staff_user) != "000000" else "111111")

    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert MFA_SESSION_KEY not in client.session
    assert client.get(INDEX).status_code == 302
    assert SignInThrottle.objects.filter(email=staff_user.email, failures=1).count() == 2
    assert SignInThrottle.objects.filter(client_ip="127.0.0.1", email="", failures=1).exists()


def test_a_used_code_does_not_work_twice(client, staff_user):
    code = totp_code(staff_user)
    password_step(client, staff_user)
    assert code_step(client, code).status_code == 302
    client.logout()

    password_step(client, staff_user)

    assert code_step(client, code).status_code == 400


def test_wrong_codes_are_stopped_by_the_sign_in_policy(client, staff_user):
    password_step(client, staff_user)
    for _ in range(settings.SIGNIN_PAIR_FAILURE_LIMIT):
        assert code_step(client, "12345678").status_code == 400

    refused = code_step(client, totp_code(staff_user))

    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert MFA_SESSION_KEY not in client.session


def test_a_recovery_code_works_once(client, staff_user):
    code = recovery_codes(staff_user)[0]
    password_step(client, staff_user)

    assert code_step(client, code).status_code == 302
    assert client.get(INDEX).status_code == 200
    assert code not in recovery_codes(staff_user)
    client.logout()
    password_step(client, staff_user)

    assert code_step(client, code).status_code == 400
    assert client.get(INDEX).status_code == 302


def test_staff_without_totp_are_sent_to_set_it_up_before_anything_else(client, bare_staff):
    password_step(client, bare_staff)

    for url in (INDEX, USERS, VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == SETUP
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="totp-qr"' in html and 'id="mfa-required"' in html
    assert client.post(USERS, {"action": "delete_selected"}).status_code == 302


def test_setting_up_totp_shows_the_recovery_codes_once_and_opens_the_admin(client, bare_staff):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    password_step(client, bare_staff)
    client.get(SETUP)
    secret = client.session["martaf_mfa_pending_secret"]
    assert client.post(SETUP, {"action": "activate", "code": "000000x"}).status_code == 400
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    response = client.post(SETUP, {"action": "activate", "code": code})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="recovery-codes"' in html
    shown = recovery_codes(bare_staff)
    assert len(shown) == 10 and all(c in html for c in shown)
    assert client.get(INDEX).status_code == 200
    again = client.get(SETUP).content.decode()
    assert 'id="recovery-codes"' not in again and shown[0] not in again
    assert "10 recovery codes left." in again


def test_staff_cannot_turn_the_second_factor_off(client, staff_user):
    client.force_login(staff_user)

    response = client.post(SETUP, {"action": "disable"})

    assert response.status_code == 403
    assert Authenticator.objects.filter(user=staff_user, type="totp").exists()


def test_with_the_setting_off_staff_without_totp_get_in(client, bare_staff, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    password_step(client, bare_staff)

    assert client.get(INDEX).status_code == 200


def test_a_google_session_of_staff_still_owes_the_second_factor(client, staff_user):
    # However the session began (here without the admin's password form), the door asks.
    from django.contrib.auth import get_user_model  # noqa: F401

    session = client.session
    session.save()
    client.cookies["sessionid"] = session.session_key
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY

    session[SESSION_KEY] = str(staff_user.pk)
    session[BACKEND_SESSION_KEY] = "users.backends.AllauthBackend"
    session[HASH_SESSION_KEY] = staff_user.get_session_auth_hash()
    session.save()

    response = client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


# --- Manufacturers: opt in, opt out ------------------------------------------------------------


def test_a_manufacturer_without_totp_signs_in_with_the_password_alone(client, manufacturer_a):
    password_step(client, manufacturer_a)

    assert client.get(INDEX).status_code == 200
    assert 'id="totp-qr"' in client.get(SETUP).content.decode()


def test_a_manufacturer_turns_it_on_then_needs_it_then_turns_it_off(client, manufacturer_a):
    password_step(client, manufacturer_a)
    client.get(SETUP)
    secret = client.session["martaf_mfa_pending_secret"]
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post(SETUP, {"action": "activate", "code": code}).status_code == 200
    client.logout()

    password_step(client, manufacturer_a)
    assert client.get(INDEX)["Location"].startswith(VERIFY)
    assert code_step(client, recovery_codes(manufacturer_a)[0]).status_code == 302
    off = client.post(SETUP, {"action": "disable"})

    assert off.status_code == 302
    assert not Authenticator.objects.filter(user=manufacturer_a).exists()
    client.logout()
    password_step(client, manufacturer_a)
    assert client.get(INDEX).status_code == 200


def test_the_setup_page_of_someone_with_totp_asks_the_code_first(client, manufacturer_a):
    totp_give(manufacturer_a)
    password_step(client, manufacturer_a)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_customers_never_reach_the_second_factor_pages(client, customer):
    client.force_login(customer)

    for url in (VERIFY, SETUP):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


# --- Sensitive actions: second_factor_ok and the decorator ------------------------------------


def _request_for(client, path="/admin/payouts/approve/"):
    request = RequestFactory().post(path)
    request.session = client.session
    from users.models import User

    request.user = User.objects.get(pk=client.session[SESSION_KEY])
    return request


@fresh_second_factor_required
def _approve_payout(request):
    return HttpResponse("approved")


def test_second_factor_ok_and_the_decorator(client, staff_user, manufacturer_a, monkeypatch):
    client.force_login(staff_user)  # passed just now
    request = _request_for(client)
    assert second_factor_ok(request) is True
    assert _approve_payout(request).content == b"approved"

    later = time.time() + settings.MFA_FRESH_MINUTES * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert second_factor_ok(request) is False
    stale = _approve_payout(request)
    assert stale.status_code == 302
    assert stale["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpayouts%2Fapprove%2F"

    client.force_login(manufacturer_a)  # no TOTP: never ok, sent to set it up
    request = _request_for(client)
    assert second_factor_ok(request) is False
    no_totp = _approve_payout(request)
    assert no_totp["Location"] == SETUP


def test_re_verifying_comes_back_to_the_action(client, staff_user):
    password_step(client, staff_user)
    code_step(client, totp_code(staff_user))
    session = client.session
    session[MFA_SESSION_KEY] = {"user": staff_user.pk, "at": int(time.time()) - 3600}
    session.save()

    page = client.get(f"{VERIFY}?next=/admin/users/user/")
    assert "fresh second factor" in page.content.decode()
    back = client.post(
        VERIFY,
        {"code": recovery_codes(staff_user)[0], "next": "/admin/users/user/"},
    )

    assert back["Location"] == "/admin/users/user/"
    assert second_factor_ok(_request_for(client)) is True


def test_the_next_url_stays_on_this_site(client, staff_user):
    password_step(client, staff_user)

    response = code_step(client, totp_code(staff_user), next_url="https://evil.example/")

    assert response["Location"] == INDEX
