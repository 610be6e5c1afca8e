"""Transport of every storefront path (docs/api.md#conventions, "Transport"): preflights
answered with the CORS headers, JSON errors (404 and 405 included) also where no route matches,
and a doubled leading slash read as one."""

import json

import pytest
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.test import RequestFactory

from core.paths import API_PREFIXES, path_is_api
from core.transport import StorefrontTransportMiddleware
from shopping.tests.helpers import assert_json

pytestmark = pytest.mark.django_db

# One real path per storefront prefix (what the client calls), and the existing ones.
STOREFRONT_PATHS = [
    "/wishlist/",
    "/wishlist/add/00000000-0000-0000-0000-000000000000/",
    "/cart/",
    "/cart/add",
    "/cart/items/1/set-checked/",
    "/checkout/review/",
    "/checkout/",
    "/select/shipping-address/",
    "/paystack/init/",
    "/paystack/webhook/",
    "/orders",
    "/orders/1/",
    "/shipping/shipping-addresses/",
    "/products/list/",
    "/accounts/login",
    "/reset-password/",
    "/forgot-email/",
    "/api/orders/",
]


def origin() -> str:
    return settings.CORS_ALLOWED_ORIGINS[0]


def test_every_storefront_prefix_is_an_api_prefix():
    for prefix in ("/wishlist", "/cart", "/checkout", "/select", "/paystack", "/orders",
                   "/shipping", "/products", "/accounts", "/api"):
        assert prefix in API_PREFIXES
    assert path_is_api("/cart") and path_is_api("/cart/add")
    assert not path_is_api("/cartography/") and not path_is_api("/admin/")


@pytest.mark.parametrize("path", STOREFRONT_PATHS)
def test_preflight_answers_with_cors_headers(client, path):
    response = client.options(
        path,
        HTTP_ORIGIN=origin(),
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == origin()
    assert response["Access-Control-Allow-Credentials"] == "true"
    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_preflight_from_an_unknown_origin_gets_no_cors_grant(client):
    response = client.options(
        "/cart/add",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in response


UNKNOWN_PATHS = [
    "/wishlist/nothing/here/",
    "/cart/nothing",
    "/cart/item/abc/remove/",
    "/checkout/nothing/here/",
    "/select/nothing/",
    "/paystack/nothing/",
    "/orders/nothing/here/",
    "/shipping/nothing/",
    "/products/nothing/here/",
    "/accounts/nothing/",
    "/reset-password/nothing/here/",
    "/forgot-email/nothing/here/",
    "/api/nothing/",
]


@pytest.mark.parametrize("path", UNKNOWN_PATHS)
@pytest.mark.parametrize("debug", [False, True])
def test_unknown_path_under_a_prefix_is_json_404_with_cors(client, settings, path, debug):
    settings.DEBUG = debug  # Django's debug 404 page is HTML: the middleware answers JSON
    response = client.post(path, {}, content_type="application/json", HTTP_ORIGIN=origin())
    assert assert_json(response, 404) == {"detail": "Not found."}
    assert response["Access-Control-Allow-Origin"] == origin()


def test_a_path_outside_the_prefixes_keeps_the_html_404(client):
    response = client.get("/cartography/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/wishlist/"),
        ("get", "/cart/add"),
        ("post", "/cart/item/1/remove/"),
        ("delete", "/shipping/shipping-addresses/"),
        ("delete", "/products/list/"),
    ],
)
def test_wrong_method_is_json_405_with_cors(jwt_client, customer, method, path):
    client = jwt_client(customer)
    response = getattr(client, method)(path, HTTP_ORIGIN=origin())
    assert assert_json(response, 405)["detail"]
    assert response["Access-Control-Allow-Origin"] == origin()


def test_a_plain_django_405_under_a_prefix_becomes_json_and_keeps_allow():
    middleware = StorefrontTransportMiddleware(lambda request: HttpResponseNotAllowed(["GET"]))
    response = middleware(RequestFactory().post("/cart/somewhere"))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": "Method not allowed."}
    assert response["Allow"] == "GET"


def test_the_middleware_leaves_other_answers_alone():
    html = HttpResponse("<p>admin</p>", status=404)
    middleware = StorefrontTransportMiddleware(lambda request: html)
    assert middleware(RequestFactory().get("/admin/nothing/")) is html
    ok = HttpResponse("fine")
    assert StorefrontTransportMiddleware(lambda request: ok)(RequestFactory().get("/cart/")) is ok


# The test client reads "//x" as a host; an absolute URL keeps the doubled slash in the path.
DOUBLED = "http://testserver/"


def test_doubled_leading_slash_is_read_as_one(client, jwt_client, customer, phone):
    response = client.get(DOUBLED + "/products/list/")
    assert assert_json(response, 200)["results"][0]["id"] == str(phone.pk)
    buyer = jwt_client(customer)
    assert assert_json(buyer.get(DOUBLED + "/cart/"), 200)["items"] == []
    body = {"product_id": str(phone.pk), "quantity": 1}
    assert assert_json(buyer.post(DOUBLED + "/cart/add", body, format="json"), 201)
    assert assert_json(buyer.get(DOUBLED + "//cart"), 200)["total_items"] == 1


def test_doubled_slash_preflight_and_404_are_cors_json(client):
    preflight = client.options(
        DOUBLED + "/wishlist/",
        HTTP_ORIGIN=origin(),
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == origin()
    missing = client.get(DOUBLED + "/cart/nothing/", HTTP_ORIGIN=origin())
    assert assert_json(missing, 404) == {"detail": "Not found."}
    assert missing["Access-Control-Allow-Origin"] == origin()
