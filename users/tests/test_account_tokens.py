"""Service-level checks of the races the API tests cannot stage: two requests spending the same
secret, two refreshes rotating the same token."""

from datetime import timedelta

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from users.account_tokens import (
    TokenRejected,
    account_token_check,
    account_token_issue,
    account_token_spend,
    duration_text,
)
from users.errors import AccountError, AccountErrorCode
from users.google import one_time_login_redeem
from users.jwt_sessions import session_rotate, session_start, sessions_revoke_all
from users.models import AccountToken, AccountTokenPurpose

pytestmark = pytest.mark.django_db


def test_a_token_checked_by_two_requests_is_spent_by_one_only(customer):
    raw = account_token_issue(
        user=customer, purpose=AccountTokenPurpose.PASSWORD_RESET, lifetime=timedelta(minutes=5)
    )
    first = account_token_check(purpose=AccountTokenPurpose.PASSWORD_RESET, raw_token=raw)
    second = account_token_check(purpose=AccountTokenPurpose.PASSWORD_RESET, raw_token=raw)

    account_token_spend(token=first)
    with pytest.raises(TokenRejected) as excinfo:
        account_token_spend(token=second)

    assert excinfo.value.expired is False
    assert AccountToken.objects.count() == 0


def test_a_token_of_one_purpose_is_not_valid_for_another(customer):
    raw = account_token_issue(
        user=customer, purpose=AccountTokenPurpose.PASSWORD_RESET, lifetime=timedelta(minutes=5)
    )
    with pytest.raises(TokenRejected):
        account_token_check(purpose=AccountTokenPurpose.ONE_TIME_LOGIN, raw_token=raw)


def test_two_refreshes_racing_with_one_token_give_one_new_session(customer, monkeypatch):
    session = session_start(user=customer, remember=True)
    # Both requests passed the blacklist check before either wrote to it.
    monkeypatch.setattr(RefreshToken, "check_blacklist", lambda self: None)

    session_rotate(raw_refresh=session.refresh)
    with pytest.raises(AccountError) as excinfo:
        session_rotate(raw_refresh=session.refresh)

    assert excinfo.value.code == AccountErrorCode.REFRESH_TOKEN_INVALID


def test_revoke_all_blacklists_every_live_session_once(customer):
    session_start(user=customer, remember=True)
    session_start(user=customer, remember=False)

    assert sessions_revoke_all(user=customer) == 2
    assert sessions_revoke_all(user=customer) == 0


def test_a_one_time_link_of_a_deactivated_user_does_not_sign_in(customer):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    raw = account_token_issue(
        user=customer, purpose=AccountTokenPurpose.ONE_TIME_LOGIN, lifetime=timedelta(hours=1)
    )
    customer.is_active = False
    customer.save(update_fields=["is_active"])

    with pytest.raises(AccountError) as excinfo:
        one_time_login_redeem(uid=urlsafe_base64_encode(force_bytes(customer.pk)), raw_token=raw)

    assert excinfo.value.code == AccountErrorCode.ONE_TIME_LOGIN_INVALID


@pytest.mark.parametrize(
    "minutes, text", [(5, "5 minutes"), (1, "1 minute"), (60, "1 hour"), (1440, "24 hours")]
)
def test_duration_text(minutes, text):
    assert duration_text(minutes) == text
