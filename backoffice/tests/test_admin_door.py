"""The admin's sign-in door: the sign-in policy's refusals (users.signin_policy) at the admin's
login page, no password oracle for customers, and client addresses taken only from trusted
proxies. The policy across doors: users/tests/test_signin_policy.py."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from backoffice.management.commands.runbackoffice import web_command
from conftest import PASSWORD
from users.models import SignInThrottle, SignInThrottleScope

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
WRONG_LOGIN = "Please enter a correct email address and password."


def _post(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def _failures(username: str) -> int:
    row = SignInThrottle.objects.filter(scope=SignInThrottleScope.ACCOUNT, email=username).first()
    return row.failures if row else 0


LIMIT = settings.SIGNIN_PAIR_FAILURE_LIMIT
REFUSED = "Too many failed sign-ins"


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, staff_user):
    last_login = staff_user.last_login
    for _ in range(30):
        _post(client, staff_user.email, "wrong-password")

    response = _post(client, staff_user.email, PASSWORD)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.SIGNIN_WINDOW_MINUTES * 60
    html = response.content.decode()
    assert REFUSED in html and "try again in 15 minutes" in html
    assert 'id="login-form"' in html  # the admin's own login page, not a bare text
    assert "MARTAF" in html
    assert SESSION_KEY not in client.session
    staff_user.refresh_from_db()
    assert staff_user.last_login == last_login


def test_the_limit_is_exact_and_a_success_before_it_resets_the_count(client, manufacturer_a):
    # A manufacturer without a second factor: the password is the whole sign-in (for staff the
    # count is reset by the passed code, users/tests/test_signin_policy.py).
    limit = LIMIT
    for _ in range(limit - 1):
        assert _post(client, manufacturer_a.email, "wrong").status_code == 200

    assert _post(client, manufacturer_a.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert _post(client, manufacturer_a.email, "wrong").status_code == 200
    assert _post(client, manufacturer_a.email, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, staff_user, monkeypatch):
    for _ in range(LIMIT):
        _post(client, staff_user.email, "wrong")
    assert _post(client, staff_user.email, PASSWORD).status_code == 429

    later = timezone.now() + timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert _post(client, staff_user.email, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(client, staff_user):
    for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT):
        _post(client, f"guess{n}@martaf.test", "wrong")

    response = _post(client, staff_user.email, PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_many_addresses_trying_one_account_make_that_account_wait(client, staff_user):
    for n in range(settings.SIGNIN_ACCOUNT_FREE_FAILURES + 1):
        _post(client, staff_user.email, "wrong", REMOTE_ADDR=f"198.51.100.{n + 1}")

    response = _post(client, staff_user.email.upper(), PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.SIGNIN_ACCOUNT_DELAY_SECONDS
    assert SESSION_KEY not in client.session


def test_one_address_hammering_a_staff_email_does_not_lock_the_owner_out(client, staff_user):
    for _ in range(30):
        _post(client, staff_user.email, "wrong", REMOTE_ADDR="198.51.100.7")
    assert _post(client, staff_user.email, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429

    owner = _post(client, staff_user.email, PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert owner.status_code == 302
    assert client.session[SESSION_KEY] == str(staff_user.pk)


def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, staff_user, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT):
        _post(client, f"guess{n}@martaf.test", "x", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = _post(client, staff_user.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(client, staff_user, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT):
        _post(client, f"guess{n}@martaf.test", "x", HTTP_X_FORWARDED_FOR="198.51.100.1")

    locked = _post(client, "other@martaf.test", "x", HTTP_X_FORWARDED_FOR="198.51.100.1")
    other_client = _post(client, staff_user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert locked.status_code == 429
    assert other_client.status_code == 302
    assert SignInThrottle.objects.filter(client_ip="198.51.100.1").exists()
    assert not SignInThrottle.objects.filter(client_ip="127.0.0.1").exists()


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_customers_right_password_is_answered_exactly_like_a_wrong_one(client, customer):
    wrong = _post(client, customer.email, "not-the-password")
    right = _post(client, customer.email, PASSWORD)

    assert right.status_code == wrong.status_code == 200
    assert WRONG_LOGIN in right.content.decode()
    assert _without_csrf(right.content.decode()) == _without_csrf(wrong.content.decode())
    assert SESSION_KEY not in client.session


def test_a_customers_right_password_counts_as_a_failure(client, customer, staff_user):
    for _ in range(LIMIT):
        assert _post(client, customer.email, PASSWORD).status_code == 200
    assert _failures(customer.email) == LIMIT

    # After the limit the pair is refused; another account from the same address is not.
    assert _post(client, customer.email, PASSWORD).status_code == 429
    assert _post(client, staff_user.email, PASSWORD).status_code == 302
    customer.refresh_from_db()
    assert customer.last_login is None


def test_storefront_api_login_failures_count_at_the_admin_door_too(api_client, staff_user):
    for _ in range(LIMIT):
        api_client.post(
            "/accounts/login", {"email": staff_user.email, "password": "x"}, format="json"
        )

    assert _failures(staff_user.email) == LIMIT
    assert _post(api_client, staff_user.email, PASSWORD).status_code == 429


def test_runbackoffice_starts_uvicorn_with_the_same_proxy_trust(settings):
    settings.TRUSTED_PROXIES = []
    assert web_command("python", host="127.0.0.1", port=8000)[-1] == "--no-proxy-headers"

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert web_command("python", host="127.0.0.1", port=8000)[-3:] == [
        "--proxy-headers",
        "--forwarded-allow-ips",
        "10.0.0.0/8",
    ]


def test_staff_find_the_lockouts_in_the_sidebar_and_can_lift_one(client, staff_user, customer):
    for _ in range(LIMIT):
        _post(client, customer.email, "wrong")
    assert _post(client, customer.email, PASSWORD).status_code == 429
    pair = SignInThrottle.objects.get(scope=SignInThrottleScope.PAIR, email=customer.email)
    client.force_login(staff_user)

    dashboard = client.get(INDEX).content.decode()
    listing = client.get(reverse("admin:users_signinthrottle_changelist"))
    deleted = client.post(
        reverse("admin:users_signinthrottle_delete", args=[pair.pk]), {"post": "yes"}
    )

    assert reverse("admin:users_signinthrottle_changelist") in dashboard
    assert listing.status_code == 200 and customer.email in listing.content.decode()
    assert deleted.status_code == 302
    assert not SignInThrottle.objects.filter(pk=pair.pk).exists()
    client.logout()
    # Lifted: the pair is heard again (a customer's password is still no way in).
    assert _post(client, customer.email, PASSWORD).status_code == 200
