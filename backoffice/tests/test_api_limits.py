"""Request limits of every API endpoint (core.api's parsers, settings "Request limits"): a body
too large, too deep or of the wrong shape is a 400 with ``detail``, and nothing changes."""

import json

import pytest

from orders.models import Order
from users.models import User

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000
TOO_DEEP = {"detail": "JSON parse error - nested deeper than 80 levels.", "code": "parse_error"}


@pytest.mark.parametrize("path", ["/accounts/login", "/api/auth/login/"])
def test_deeply_nested_json_on_login_is_a_400(api_client, customer, path):
    last_login = User.objects.get(pk=customer.pk).last_login

    response = api_client.post(path, DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert User.objects.get(pk=customer.pk).last_login == last_login


def test_deeply_nested_json_on_orders_is_a_400(jwt_client, customer):
    response = jwt_client(customer).post("/api/orders/", DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert Order.objects.count() == 0


def test_json_nested_just_past_the_limit_is_refused_before_any_view_code(jwt_client, customer):
    body = json.dumps({"products": [{"product": [[[]]]}]})
    for _ in range(80):
        body = f"[{body}]"

    response = jwt_client(customer).post("/api/orders/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == TOO_DEEP


def test_a_json_body_over_the_memory_limit_is_a_400(jwt_client, customer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"payment_method": "CASH", "shipping_address": "x" * 20_000, "products": []})

    response = jwt_client(customer).post("/api/orders/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request body is too large: the limit is 9 KB.",
        "code": "request_too_large",
    }
    assert Order.objects.count() == 0


@pytest.mark.parametrize("path", ["/accounts/UserDetails", "/accounts/customer"])
def test_deeply_nested_json_on_the_account_views_is_a_400(jwt_client, customer, path):
    # These views list their own parsers (multipart for the picture): the bounded ones too.
    before = User.objects.filter(pk=customer.pk).values().get()

    response = jwt_client(customer).patch(path, DEEP, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == TOO_DEEP
    assert User.objects.filter(pk=customer.pk).values().get() == before
