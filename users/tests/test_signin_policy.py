"""The one sign-in policy (users.signin_policy) across its doors: the admin's login page and the
API login of both route sets share one count, per client address, per address+email and per
email; one address hammering an account never locks the owner out from elsewhere; many
addresses guessing one account are slowed by a doubling, capped delay."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.tokens import AccessToken

from conftest import PASSWORD
from users.models import SignInThrottle, SignInThrottleScope
from users.tests.mfa_helpers import totp_code

pytestmark = pytest.mark.django_db

REST_LOGIN = "/api/auth/login/"
STOREFRONT_LOGIN = "/accounts/login"
ADMIN_LOGIN = reverse("admin:login")
FREE = settings.SIGNIN_ACCOUNT_FREE_FAILURES
BASE = settings.SIGNIN_ACCOUNT_DELAY_SECONDS


@pytest.fixture(autouse=True)
def _no_request_rate_throttle(monkeypatch):
    """The API's request-rate throttle (THROTTLE_LOGIN) would answer first from one address;
    these tests are about the sign-in policy's own counts."""
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "login", "10000/min")


def api_login(path: str, email: str, password: str, address: str):
    return APIClient().post(
        path, {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )


def admin_login(client, email: str, password: str, address: str):
    return client.post(
        ADMIN_LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address
    )


def password_accepted(response) -> bool:
    """The password step passed: staff (who have TOTP) are asked for their second factor."""
    return response.status_code == 401 and response.json()["code"] == "mfa_required"


def account_failures(email: str) -> int:
    row = SignInThrottle.objects.filter(scope=SignInThrottleScope.ACCOUNT, email=email).first()
    return row.failures if row else 0


def test_thirty_addresses_guessing_a_staff_email_get_no_free_guesses(staff_user, shift_time):
    statuses = [
        api_login(REST_LOGIN, staff_user.email, "wrong", f"198.51.100.{n + 1}").status_code
        for n in range(30)
    ]

    # FREE failures plus the one that starts the delay are heard; the rest wait, unchecked.
    assert statuses == [401] * (FREE + 1) + [429] * (30 - FREE - 1)
    assert account_failures(staff_user.email) == FREE + 1
    right_now = api_login(REST_LOGIN, staff_user.email, PASSWORD, "203.0.113.9")
    assert right_now.status_code == 429
    assert 0 < int(right_now["Retry-After"]) <= BASE
    assert "access" not in right_now.json()

    shift_time(seconds=BASE)
    later = api_login(REST_LOGIN, staff_user.email, PASSWORD, "203.0.113.9")

    assert password_accepted(later)
    # A right password alone is not yet a success: the failures stay until the second step.
    assert account_failures(staff_user.email) == FREE + 1
    second = APIClient().post(
        REST_LOGIN + "mfa/",
        {"mfa_token": later.json()["mfa_token"], "otp": totp_code(staff_user)},
        format="json",
        REMOTE_ADDR="203.0.113.9",
    )
    assert second.status_code == 200
    assert AccessToken(second.json()["access"])["user_id"] == str(staff_user.pk)
    assert account_failures(staff_user.email) == 0  # the owner's success clears the backoff


def test_the_delay_doubles_with_each_heard_failure_and_is_capped(staff_user, monkeypatch):
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])  # a stopped clock, moved by hand
    for n in range(FREE):
        assert api_login(STOREFRONT_LOGIN, staff_user.email, "x", f"10.0.0.{n}").status_code == 401
    waits = []
    for n in range(12):
        heard = api_login(STOREFRONT_LOGIN, staff_user.email, "wrong", f"10.1.0.{n}")
        assert heard.status_code == 401  # each one waited its turn
        refused = api_login(STOREFRONT_LOGIN, staff_user.email, PASSWORD, "10.2.0.1")
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        clock[0] += timedelta(seconds=waits[-1])

    cap = settings.SIGNIN_ACCOUNT_MAX_DELAY_SECONDS
    assert waits == [min(cap, BASE * 2**k) for k in range(12)]
    assert waits[-1] == cap
    assert password_accepted(api_login(STOREFRONT_LOGIN, staff_user.email, PASSWORD, "10.2.0.1"))


def test_the_api_answers_a_refusal_with_429_retry_after_and_the_error_shape(customer):
    for _ in range(settings.SIGNIN_PAIR_FAILURE_LIMIT):
        api_login(REST_LOGIN, customer.email, "wrong", "198.51.100.1")

    response = api_login(REST_LOGIN, customer.email, PASSWORD, "198.51.100.1")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response.json()["detail"].startswith("Too many failed sign-ins.")
    assert 0 < int(response["Retry-After"]) <= settings.SIGNIN_WINDOW_MINUTES * 60
    assert settings.JWT_REFRESH_COOKIE["name"] not in response.cookies


@pytest.mark.parametrize("path", [REST_LOGIN, STOREFRONT_LOGIN])
def test_one_address_hammering_does_not_lock_the_owner_out_of_the_api(path, staff_user):
    for _ in range(30):
        api_login(path, staff_user.email, "wrong", "198.51.100.66")
    assert api_login(path, staff_user.email, PASSWORD, "198.51.100.66").status_code == 429

    owner = api_login(path, staff_user.email, PASSWORD, "203.0.113.20")

    assert password_accepted(owner)


def test_failures_at_the_admin_count_at_the_api_and_the_other_way_round(client, staff_user):
    for _ in range(3):
        admin_login(client, staff_user.email, "wrong", "198.51.100.3")
    for _ in range(settings.SIGNIN_PAIR_FAILURE_LIMIT - 3):
        api_login(STOREFRONT_LOGIN, staff_user.email, "wrong", "198.51.100.3")

    api = api_login(REST_LOGIN, staff_user.email, PASSWORD, "198.51.100.3")
    admin = admin_login(client, staff_user.email, PASSWORD, "198.51.100.3")

    assert api.status_code == 429
    assert admin.status_code == 429
    assert SESSION_KEY not in client.session
    assert account_failures(staff_user.email) == settings.SIGNIN_PAIR_FAILURE_LIMIT


def test_one_address_spraying_many_emails_is_refused_on_every_door(client, staff_user):
    for n in range(settings.SIGNIN_ADDRESS_FAILURE_LIMIT):
        api_login(REST_LOGIN, f"guess{n}@martaf.test", "wrong", "198.51.100.9")

    assert api_login(REST_LOGIN, staff_user.email, PASSWORD, "198.51.100.9").status_code == 429
    assert admin_login(client, staff_user.email, PASSWORD, "198.51.100.9").status_code == 429
    assert password_accepted(api_login(REST_LOGIN, staff_user.email, PASSWORD, "198.51.100.10"))


def test_a_success_clears_the_pair_and_the_email_but_not_the_address(customer):
    for _ in range(2):
        api_login(REST_LOGIN, customer.email, "wrong", "198.51.100.4")
    api_login(REST_LOGIN, "someone@martaf.test", "wrong", "198.51.100.4")

    assert api_login(REST_LOGIN, customer.email, PASSWORD, "198.51.100.4").status_code == 200

    left = {(row.scope, row.email, row.failures) for row in SignInThrottle.objects.all()}
    assert left == {
        (SignInThrottleScope.ADDRESS, "", 3),
        (SignInThrottleScope.PAIR, "someone@martaf.test", 1),
        (SignInThrottleScope.ACCOUNT, "someone@martaf.test", 1),
    }


def test_unknown_emails_are_counted_and_answered_like_known_ones(customer):
    known = [api_login(REST_LOGIN, customer.email, "x", "198.51.100.5") for _ in range(6)]
    unknown = [api_login(REST_LOGIN, "nobody@martaf.test", "x", "198.51.100.6") for _ in range(6)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.json() for r in known] == [r.json() for r in unknown]


def test_manufacturers_cannot_open_the_lockouts_page(client, manufacturer_a, customer):
    for _ in range(settings.SIGNIN_PAIR_FAILURE_LIMIT):
        api_login(REST_LOGIN, customer.email, "wrong", "198.51.100.8")
    client.force_login(manufacturer_a)

    listing = client.get(reverse("admin:users_signinthrottle_changelist"))
    pair = SignInThrottle.objects.get(scope=SignInThrottleScope.PAIR)
    delete = client.post(
        reverse("admin:users_signinthrottle_delete", args=[pair.pk]), {"post": "yes"}
    )

    assert listing.status_code == 403
    assert delete.status_code == 403
    assert SignInThrottle.objects.filter(pk=pair.pk).exists()


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lockouts_page_costs_the_same_queries_at_one_row_and_at_many(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:users_signinthrottle_changelist")
    api_login(REST_LOGIN, "one@martaf.test", "wrong", "198.51.100.30")
    client.get(url)
    one = _list_queries(client, url)
    for n in range(12):
        api_login(REST_LOGIN, f"many{n}@martaf.test", "wrong", f"198.51.100.{n + 31}")

    assert _list_queries(client, url) == one


def test_the_lockouts_page_lists_and_lifts(client, staff_user, customer):
    for n in range(3):
        api_login(REST_LOGIN, customer.email, "wrong", f"198.51.100.{n + 20}")
    client.force_login(staff_user)
    url = reverse("admin:users_signinthrottle_changelist")
    client.get(url)  # warm the session and the sidebar's caches

    response = client.get(url)
    html = response.content.decode()
    lifted = client.post(
        url,
        {
            "action": "lift",
            "_selected_action": list(
                SignInThrottle.objects.filter(email=customer.email).values_list("pk", flat=True)
            ),
        },
    )

    assert response.status_code == 200
    assert html.count(customer.email) >= 4  # three pairs and the account row
    assert lifted.status_code == 302
    assert not SignInThrottle.objects.filter(email=customer.email).exists()
    assert SignInThrottle.objects.filter(scope=SignInThrottleScope.ADDRESS).count() == 3


def test_a_right_password_alone_does_not_clear_the_code_failures_at_the_admin(client, staff_user):
    from users.tests.mfa_helpers import totp_code

    admin_login(client, staff_user.email, PASSWORD, "198.51.100.30")
    for _ in range(2):
        client.post(reverse("admin:mfa_verify"), {"code": "000000"}, REMOTE_ADDR="198.51.100.30")
    assert account_failures(staff_user.email) == 2

    admin_login(Client(), staff_user.email, PASSWORD, "198.51.100.30")

    assert account_failures(staff_user.email) == 2
    passed = client.post(
        reverse("admin:mfa_verify"), {"code": totp_code(staff_user)}, REMOTE_ADDR="198.51.100.30"
    )
    assert passed.status_code == 302
    assert account_failures(staff_user.email) == 0
