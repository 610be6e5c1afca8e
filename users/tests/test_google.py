"""Google sign-in at the service level: the one-time login link (the whole flow through
allauth is in ``tests/api/test_google.py``)."""

from datetime import timedelta

import pytest

from users.account_tokens import account_token_issue
from users.errors import AccountError, AccountErrorCode
from users.google import one_time_login_redeem
from users.models import AccountTokenPurpose

pytestmark = pytest.mark.django_db


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
