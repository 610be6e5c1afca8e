"""Changing the account's email (the login, and where resets go) needs the current password."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

PATH = "/accounts/UserDetails/"


def _state(user):
    user.refresh_from_db()
    return (user.email, user.first_name)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Enter your current password to change your email address."),
        ({"current_password": ""}, "Enter your current password to change your email address."),
        ({"current_password": "not-it"}, "Your current password is incorrect."),
    ],
)
def test_an_email_change_without_the_right_password_is_400_and_changes_nothing(
    jwt_client, customer, extra, message
):
    before = _state(customer)

    response = jwt_client(customer).patch(
        PATH, {"email": "thief@example.com", "first_name": "Changed", **extra}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["current_password"] == [message]
    assert response.json()["detail"] == f"current_password: {message}"
    assert _state(customer) == before


def test_the_right_password_changes_the_email(jwt_client, customer):
    response = jwt_client(customer).patch(
        PATH, {"email": "New@Example.com", "current_password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["email"] == "new@example.com"
    assert "current_password" not in response.json()
    assert _state(customer)[0] == "new@example.com"


def test_sending_the_same_email_again_needs_no_password(jwt_client, customer):
    # The storefront's profile form sends the unchanged email with every save.
    response = jwt_client(customer).patch(
        PATH, {"email": "BUYER@martaf.test", "first_name": "Ama"}, format="json"
    )

    assert response.status_code == 200
    assert _state(customer) == ("buyer@martaf.test", "Ama")


def test_a_google_account_without_a_password_cannot_change_its_email(jwt_client, customer):
    customer.set_unusable_password()
    customer.save(update_fields=["password"])

    response = jwt_client(customer).patch(
        PATH, {"email": "x@example.com", "current_password": "anything"}, format="json"
    )

    assert response.status_code == 400
    assert _state(customer)[0] == "buyer@martaf.test"


def test_password_guesses_here_share_the_login_rate_limit(jwt_client, customer):
    allowed, _ = ScopedRateThrottle().parse_rate(ScopedRateThrottle.THROTTLE_RATES["login"])
    client = jwt_client(customer)
    for _ in range(allowed):
        client.patch(PATH, {"email": "x@example.com", "current_password": "guess"}, format="json")

    response = client.patch(
        PATH, {"email": "x@example.com", "current_password": PASSWORD}, format="json"
    )

    assert response.status_code == 429
    assert _state(customer)[0] == "buyer@martaf.test"
    # Edits that try no password are not limited.
    assert client.patch(PATH, {"first_name": "Ama"}, format="json").status_code == 200
