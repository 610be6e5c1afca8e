"""The admin's sign-in door: lockout after repeated failures (django-axes), no password oracle
for customers, and client addresses taken only from trusted proxies."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from backoffice.management.commands.runbackoffice import web_command
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
WRONG_LOGIN = "Please enter a correct email address and password."


def _post(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def _failures(username: str) -> int:
    return sum(
        AccessAttempt.objects.filter(username=username).values_list(
            "failures_since_start", flat=True
        )
    )


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, staff_user):
    last_login = staff_user.last_login
    for _ in range(30):
        _post(client, staff_user.email, "wrong-password")

    response = _post(client, staff_user.email, PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert settings.AXES_COOLOFF_MESSAGE in html
    assert 'id="login-form"' in html  # the admin's own login page, not a bare text
    assert "MARTAF" in html
    assert SESSION_KEY not in client.session
    staff_user.refresh_from_db()
    assert staff_user.last_login == last_login


def test_the_limit_is_exact_and_a_success_before_it_resets_the_count(client, staff_user):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _post(client, staff_user.email, "wrong").status_code == 200

    assert _post(client, staff_user.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert _post(client, staff_user.email, "wrong").status_code == 200
    assert _post(client, staff_user.email, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, staff_user, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, staff_user.email, "wrong")
    assert _post(client, staff_user.email, PASSWORD).status_code == 429

    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr("axes.attempts.now", lambda: later)
    monkeypatch.setattr("axes.handlers.proxy.now", lambda: later)

    assert _post(client, staff_user.email, PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(client, staff_user):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _post(client, f"guess{n}@martaf.test", "wrong")

    response = _post(client, staff_user.email, PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_many_addresses_trying_one_account_lock_that_account(client, staff_user):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _post(client, staff_user.email, "wrong", REMOTE_ADDR=f"198.51.100.{n + 1}")

    response = _post(client, staff_user.email.upper(), PASSWORD, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 429


def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, staff_user, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(settings.AXES_FAILURE_LIMIT):
        _post(client, f"guess{n}@martaf.test", "x", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = _post(client, staff_user.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(client, staff_user, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        _post(client, f"guess{n}@martaf.test", "x", HTTP_X_FORWARDED_FOR="198.51.100.1")

    locked = _post(client, "other@martaf.test", "x", HTTP_X_FORWARDED_FOR="198.51.100.1")
    other_client = _post(client, staff_user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert locked.status_code == 429
    assert other_client.status_code == 302
    assert AccessAttempt.objects.filter(ip_address="198.51.100.1").exists()
    assert not AccessAttempt.objects.filter(ip_address="127.0.0.1").exists()


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
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post(client, customer.email, PASSWORD).status_code == 200
    assert _failures(customer.email) == settings.AXES_FAILURE_LIMIT - 1

    # The failure that reaches the limit is itself answered with the lockout.
    assert _post(client, customer.email, PASSWORD).status_code == 429
    assert _post(client, staff_user.email, PASSWORD).status_code == 429
    customer.refresh_from_db()
    assert customer.last_login is None


def test_storefront_api_login_failures_do_not_count_at_the_admin_door(api_client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        api_client.post(
            "/accounts/login", {"email": staff_user.email, "password": "x"}, format="json"
        )

    assert AccessAttempt.objects.count() == 0
    assert _post(api_client, staff_user.email, PASSWORD).status_code == 302


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
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, customer.email, "wrong")
    attempt = AccessAttempt.objects.get(username=customer.email)
    client.force_login(staff_user)

    dashboard = client.get(INDEX).content.decode()
    deleted = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert reverse("admin:axes_accessattempt_changelist") in dashboard
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
