"""Reads of the notifications app."""

import pytest

from notifications.selectors import staff_recipients

pytestmark = pytest.mark.django_db


def test_staff_recipients_are_the_active_staff_users(
    staff_user, manufacturer_a, customer, make_user
):
    # notifications imports no users module: the selector asks for the configured user model.
    clerk = make_user("clerk@martaf.test", is_staff=True)
    gone = make_user("gone@martaf.test", is_staff=True)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    assert sorted(u.email for u in staff_recipients()) == [clerk.email, staff_user.email]
