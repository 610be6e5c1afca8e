"""JWT sessions at the service level: the race the API tests cannot stage (two refreshes
rotating the same token), ending a session whatever state its token is in, and revoking every
session of a user."""

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from users.errors import AccountError, AccountErrorCode
from users.jwt_sessions import (
    session_end,
    session_rotate,
    session_start,
    sessions_revoke_all,
)

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


def test_ending_a_session_never_refuses_and_says_what_it_revoked(customer):
    session = session_start(user=customer, remember=True)
    other = session_start(user=customer, remember=True)

    assert session_end(raw_refresh=None) == 0
    assert session_end(raw_refresh="not-a-jwt") == 0
    assert session_end(raw_refresh=session.access) == 0  # an access token is no session
    assert session_end(raw_refresh=session.refresh) == 1
    assert session_end(raw_refresh=session.refresh) == 0  # already ended
    assert session_rotate(raw_refresh=other.refresh).refresh  # another sign-in lives on
