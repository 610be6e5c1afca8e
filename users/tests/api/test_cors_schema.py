"""The accounts API seen from the storefront's origin, and its place in the OpenAPI schema."""

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db

STOREFRONT = "http://localhost:5173"

ACCOUNT_PATHS = {
    "/accounts/register/": ["post"],
    "/accounts/login/": ["post"],
    "/accounts/login/mfa/": ["post"],
    "/accounts/refresh/": ["post"],
    "/accounts/logout/": ["post"],
    "/accounts/UserDetails/": ["get", "patch"],
    "/accounts/customer/": ["get", "patch"],
    "/accounts/delete/": ["delete"],
    "/accounts/google/login/": ["get"],
    "/accounts/one-time-login/": ["post"],
    "/reset-password/": ["post"],
    "/reset-password-confirm/{token}/": ["post"],
    "/forgot-email/": ["post"],
    "/api/auth/registration/": ["post"],
    "/api/auth/login/": ["post"],
    "/api/auth/login/mfa/": ["post"],
    "/api/auth/logout/": ["post"],
    "/api/auth/password/reset/": ["post"],
    "/api/auth/password/reset/confirm/": ["post"],
    "/api/auth/token/refresh/": ["post"],
    "/api/auth/user/": ["get", "patch"],
}


@pytest.mark.parametrize(
    "path, method",
    [
        ("/accounts/login", "POST"),
        ("/accounts/UserDetails/", "PATCH"),
        ("/accounts/delete/", "DELETE"),
        ("/reset-password/", "POST"),
        ("/api/auth/login/", "POST"),
    ],
)
def test_cors_preflight_from_the_storefront(path, method):
    response = Client().options(
        path,
        HTTP_ORIGIN=STOREFRONT,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == STOREFRONT
    assert response["Access-Control-Allow-Credentials"] == "true"
    allowed_headers = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed_headers
    allowed_methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} <= allowed_methods


def test_cors_on_the_actual_login_response(customer):
    from conftest import PASSWORD

    response = Client().post(
        "/accounts/login",
        {"email": customer.email, "password": PASSWORD},
        content_type="application/json",
        HTTP_ORIGIN=STOREFRONT,
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == STOREFRONT
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_an_unknown_origin_gets_no_cors_headers():
    response = Client().options(
        "/accounts/login",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "Access-Control-Allow-Origin" not in response


def test_every_account_endpoint_is_in_the_schema_with_request_and_response_shapes():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)

    for path, methods in ACCOUNT_PATHS.items():
        assert path in schema["paths"], path
        for method in methods:
            operation = schema["paths"][path][method]
            assert operation["tags"] == ["Accounts"], (path, method)
            assert "200" in operation["responses"] or "201" in operation["responses"]
            success = operation["responses"].get("200") or operation["responses"]["201"]
            assert "application/json" in success["content"], (path, method)
            if method in ("post", "patch") and path not in (
                "/accounts/logout/",
                "/api/auth/logout/",
            ):
                assert "requestBody" in operation, (path, method)
    login = schema["paths"]["/accounts/login/"]["post"]
    # The login's 401: wrong credentials ({"detail", "code"}) or the second factor owed (the
    # same keys and mfa_required, mfa_token, expires_in).
    assert login["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SecondFactorDue"
    }
    due = schema["components"]["schemas"]["SecondFactorDue"]["properties"]
    assert {"detail", "code", "mfa_required", "mfa_token", "expires_in"} <= set(due)
    second = schema["paths"]["/accounts/login/mfa/"]["post"]
    assert second["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AccountError"
    }
    assert schema["components"]["schemas"]["UserProfile"]["required"]
