"""CORS on every API route, walked from the URL conf (docs/api.md#conventions, "Transport").

The storefront lives on another origin and sends ``Authorization`` and ``Content-Type`` (and
cookies, for the refresh token), so every call it makes is preflighted. A route outside the API
prefixes of ``core.paths`` answers its preflight without ``Access-Control-Allow-Origin`` and the
browser refuses the call ("Failed to fetch"): ``/reset-password-confirm/<token>/`` did, because
the prefix ``/reset-password`` does not cover it. These tests walk every route the apps' ``api``
URL modules declare (and every other route under the prefixes), fill its path parameters with
plausible values, and check its preflight and its error answers, so a new route cannot miss
them.
"""

import re
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize

from core.paths import path_is_api

pytestmark = pytest.mark.django_db

# The modules that hold the API's routes: ``<app>/api/storefront_urls.py`` and ``rest_urls.py``.
API_URL_MODULE = re.compile(r"^\w+\.api\.\w+_urls$")
METHODS = ("get", "post", "put", "patch", "delete")
BODY_METHODS = ("post", "put", "patch")
# What the storefront sends on every call (storefront contract: Bearer token, JSON bodies).
REQUEST_HEADERS = "authorization, content-type"
PLAUSIBLE = {
    "product_id": str(uuid.UUID(int=7)),
    "slug": "red-shirt",
    "token": "dG9rZW4tZnJvbS10aGUtZW1haWw",
    "reference": "MARTAF-CHK-1",
}
FALLBACKS = ("1", str(uuid.UUID(int=7)), "red-shirt")


@dataclass(frozen=True)
class Route:
    path: str  # a concrete path that resolves to the route
    methods: tuple[str, ...]  # what it answers, lower case
    module: str | None  # the URL module that declares it

    def __str__(self) -> str:
        return self.path


def _module_name(resolver: URLResolver) -> str | None:
    urlconf = resolver.urlconf_name
    return urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", None)


def _leaves(patterns, regex: str = "", module: str | None = None):
    for pattern in patterns:
        full = regex + pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _leaves(pattern.url_patterns, full, _module_name(pattern) or module)
        else:
            yield full, pattern, module


def _methods(callback) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)  # a DRF viewset bound to its routes' methods
    if actions:
        return tuple(method for method in METHODS if method in actions)
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view is None:
        return ("get",)
    return tuple(method for method in METHODS if hasattr(view, method))


def _concrete_path(regex: str, pattern) -> str | None:
    """A path of the route's own: its parameters filled with plausible values (the first that
    resolves back to this route), or None when none does."""
    for template, params in normalize("^" + regex):
        for fallback in FALLBACKS:
            values = {name: PLAUSIBLE.get(name, fallback) for name in params}
            path = "/" + template % values
            for attempt in (path if path.endswith("/") else path + "/", path):
                try:
                    match = resolve(attempt)
                except Exception:  # noqa: BLE001 (a value that does not fit: try the next)
                    continue
                if match.func is pattern.callback:
                    return attempt
    return None


def api_routes() -> list[Route]:
    routes = []
    for regex, pattern, module in _leaves(get_resolver().url_patterns):
        from_api_module = module is not None and API_URL_MODULE.match(module) is not None
        path = _concrete_path(regex, pattern)
        if from_api_module or (path is not None and path_is_api(path)):
            assert path is not None, f"no plausible path for the API route {regex!r}"
            routes.append(Route(path, _methods(pattern.callback), module))
    return routes


ROUTES = api_routes()


def origin() -> str:
    return settings.CORS_ALLOWED_ORIGINS[0]


def preflight(path: str, method: str, *, from_origin: str | None = None):
    """The browser's question before a cross-origin call with the storefront's headers."""
    return Client().options(
        path,
        HTTP_ORIGIN=from_origin or origin(),
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method.upper(),
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=REQUEST_HEADERS,
    )


def test_the_walk_finds_the_routes_of_every_api_module():
    modules = {route.module for route in ROUTES}
    for app in ("users", "catalog", "reviews", "shopping", "orders"):
        assert f"{app}.api.storefront_urls" in modules
    paths = {route.path for route in ROUTES}
    assert "/reset-password-confirm/dG9rZW4tZnJvbS10aGUtZW1haWw/" in paths
    assert "/api/schema/" in paths
    assert len(ROUTES) > 70  # 76 when this was written


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_api_route_is_under_an_api_prefix(route):
    # Outside them a route gets neither CORS nor JSON errors: add its prefix to core.paths.
    assert path_is_api(route.path), route.path


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_api_route_answers_its_preflight_for_the_storefront(route):
    for method in route.methods:
        response = preflight(route.path, method)
        assert response.status_code == 200, (route.path, method)
        assert response["Access-Control-Allow-Origin"] == origin(), (route.path, method)
        assert response["Access-Control-Allow-Credentials"] == "true"
        allowed_methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
        assert method.upper() in allowed_methods, (route.path, method)
        allowed_headers = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
        assert {"authorization", "content-type"} <= allowed_headers


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_api_route_answers_its_own_methods_with_cors(route):
    """Anonymous, with a body that is not JSON: an error for most (401, 400, 404), a success
    for some public reads; CORS either way, and every error JSON with ``detail``."""
    for method in route.methods:
        if method in BODY_METHODS:
            response = getattr(Client(), method)(
                route.path, "{not json", content_type="application/json", HTTP_ORIGIN=origin()
            )
        else:
            response = getattr(Client(), method)(route.path, HTTP_ORIGIN=origin())
        assert response["Access-Control-Allow-Origin"] == origin(), (route.path, method)
        assert response["Access-Control-Allow-Credentials"] == "true"
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json"), (route.path, method)
            assert response.json()["detail"], (route.path, method)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_api_route_refuses_a_method_it_lacks_with_cors(route):
    lacking = next(method for method in METHODS if method not in route.methods)
    response = getattr(Client(), lacking)(route.path, HTTP_ORIGIN=origin())
    # DRF asks for the token before it looks at the method: signed-in routes answer 401.
    assert response.status_code in (401, 405), (route.path, lacking)
    assert response["Access-Control-Allow-Origin"] == origin()
    assert response.json()["detail"]


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_error_on_an_api_route_is_json_with_cors(monkeypatch, settings, customer, debug):
    """A 500 (an unexpected failure inside a view) still reaches the storefront's code, also
    with DEBUG on (whose own 500 page is HTML)."""
    settings.DEBUG = debug

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("users.api.views.recovery.password_reset_request", broken)
    client = Client(raise_request_exception=False)

    response = client.post(
        "/reset-password/", {"email": customer.email}, content_type="application/json",
        HTTP_ORIGIN=origin(),
    )

    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}
    assert response["Access-Control-Allow-Origin"] == origin()
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_the_reset_confirmation_preflight_and_its_error_carry_cors():
    path = "/reset-password-confirm/not-a-token/"
    asked = preflight(path, "post")
    assert asked.status_code == 200
    assert asked["Access-Control-Allow-Origin"] == origin()

    response = Client().post(
        path, {"password": "Adinkra-Symbols-77"}, content_type="application/json",
        HTTP_ORIGIN=origin(),
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid or already used password reset token.",
        "code": "reset_token_invalid",
    }
    assert response["Access-Control-Allow-Origin"] == origin()


def test_an_origin_outside_the_list_gets_no_grant_on_any_route():
    for route in ROUTES[:: max(1, len(ROUTES) // 10)]:
        response = preflight(route.path, "post", from_origin="https://evil.example")
        assert "Access-Control-Allow-Origin" not in response, route.path
