"""Single-use account tokens at the service level: the race the API tests cannot stage (two
requests spending the same secret), purposes kept apart, and how a link's lifetime is worded."""

from datetime import timedelta

import pytest

from users.account_tokens import (
    TokenRejected,
    account_token_check,
    account_token_issue,
    account_token_spend,
    duration_text,
)
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


@pytest.mark.parametrize(
    "minutes, text", [(5, "5 minutes"), (1, "1 minute"), (60, "1 hour"), (1440, "24 hours")]
)
def test_duration_text(minutes, text):
    assert duration_text(minutes) == text
