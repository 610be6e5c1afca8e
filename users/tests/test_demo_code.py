"""The demo staff sign in with a second factor whose key is published; ``demo_code`` shows its
current code and nobody else's."""

import io

import pytest
from django.core.management import CommandError, call_command

from users.demo import DEMO_USERS, seed
from users.mfa import totp_enabled
from users.selectors import user_get_by_email
from users.tests.mfa_helpers import totp_code, totp_give

pytestmark = pytest.mark.django_db

STAFF = next(demo.email for demo in DEMO_USERS if demo.is_staff)


def test_the_demo_staff_have_the_demo_key_and_demo_code_shows_its_code():
    seed()
    staff = user_get_by_email(email=STAFF)
    out = io.StringIO()

    call_command("demo_code", stdout=out)

    assert totp_enabled(staff)
    assert out.getvalue().split()[0] == totp_code(staff)


def test_demo_code_never_shows_a_real_users_code(make_user):
    real = make_user("real.staff@martaf.test", is_staff=True)
    if not totp_enabled(real):
        totp_give(real)

    with pytest.raises(CommandError):
        call_command("demo_code", real.email, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("demo_code", "nobody@martaf.test", stdout=io.StringIO())
