import pytest
from django.contrib.auth import authenticate

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["buyer@martaf.test", "BUYER@MARTAF.TEST", "  Buyer@Martaf.Test "]
)
def test_email_login_ignores_case_and_surrounding_space(customer, typed):
    assert authenticate(username=typed, password=PASSWORD) == customer


def test_wrong_password_does_not_authenticate(customer):
    assert authenticate(username="buyer@martaf.test", password="nope") is None


def test_unknown_email_does_not_authenticate(db):
    assert authenticate(username="ghost@martaf.test", password=PASSWORD) is None
