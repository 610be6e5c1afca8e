"""Who may enter the admin: staff and manufacturers yes, customers and the inactive no."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from conftest import PASSWORD
from users.tests.mfa_helpers import totp_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


def _sign_in(client, email):
    return client.post(LOGIN, {"username": email, "password": PASSWORD, "next": INDEX})


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={INDEX}"


def test_login_page_is_branded(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "MARTAF" in html
    assert "backoffice/login.svg" in html


@pytest.mark.parametrize("who", ["staff_user", "manufacturer_a"])
def test_staff_and_manufacturer_land_on_the_dashboard(client, request, who):
    user = request.getfixturevalue(who)

    response = _sign_in(client, user.email.upper())

    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert client.session[SESSION_KEY] == str(user.pk)
    if user.is_staff:  # staff give their second factor first (users/tests/test_mfa.py)
        assert client.get(INDEX)["Location"].startswith(reverse("admin:mfa_verify"))
        client.post(reverse("admin:mfa_verify"), {"code": totp_code(user), "next": INDEX})
    dashboard = client.get(INDEX)
    assert dashboard.status_code == 200
    assert "Welcome back" in dashboard.content.decode()


def test_customer_is_refused_like_a_wrong_password(client, customer):
    response = _sign_in(client, customer.email)

    assert response.status_code == 200
    assert "Please enter a correct email address and password." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_customer_with_a_session_still_cannot_open_admin_pages(client, customer):
    client.force_login(customer)

    response = client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_inactive_manufacturer_is_refused(client, manufacturer_a):
    manufacturer_a.is_active = False
    manufacturer_a.save(update_fields=["is_active"])

    response = _sign_in(client, manufacturer_a.email)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_wrong_password_gets_a_form_error(client, staff_user):
    response = client.post(LOGIN, {"username": staff_user.email, "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct email address and password." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_sign_in_from_a_bare_login_url_lands_on_the_dashboard(client, manufacturer_a):
    response = client.post(LOGIN, {"username": manufacturer_a.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == INDEX
