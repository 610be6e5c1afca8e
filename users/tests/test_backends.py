"""Authentication backends: email sign-in, and permissions that follow a manufacturer's
onboarding status."""

import pytest
from django.contrib.auth import authenticate

from conftest import PASSWORD
from core.roles import ManufacturerStatus
from users.models import User
from users.tests.helpers import set_status

pytestmark = pytest.mark.django_db

Status = ManufacturerStatus


@pytest.mark.parametrize(
    "typed", ["buyer@martaf.test", "BUYER@MARTAF.TEST", "  Buyer@Martaf.Test "]
)
def test_email_login_ignores_case_and_surrounding_space(customer, typed):
    assert authenticate(username=typed, password=PASSWORD) == customer


def test_wrong_password_does_not_authenticate(customer):
    assert authenticate(username="buyer@martaf.test", password="nope") is None


def test_unknown_email_does_not_authenticate(db):
    assert authenticate(username="ghost@martaf.test", password=PASSWORD) is None


def test_a_suspended_manufacturer_holds_only_view_permissions(manufacturer_a):
    assert manufacturer_a.has_perm("catalog.change_product")
    set_status(manufacturer_a, Status.SUSPENDED)
    suspended = User.objects.get(pk=manufacturer_a.pk)  # a fresh permission cache

    assert suspended.has_perm("catalog.view_product")
    assert not suspended.has_perm("catalog.change_product")
    assert not suspended.has_perm("catalog.add_product")
    set_status(manufacturer_a, Status.PENDING)
    assert User.objects.get(pk=manufacturer_a.pk).get_all_permissions() == set()
