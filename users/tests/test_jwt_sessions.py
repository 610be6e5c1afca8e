"""JWT sessions at the service level: the race the API tests cannot stage (two refreshes
rotating the same token), and revoking every session of a user."""

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from users.errors import AccountError, AccountErrorCode
from users.jwt_sessions import session_rotate, session_start, sessions_revoke_all

pytestmark = pytest.mark.django_db


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
