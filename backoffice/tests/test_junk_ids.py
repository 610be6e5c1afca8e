"""An id in a URL that no row can have (U+0085 NEL and other C1 controls, ``abc`` for a number
or UUID key, a number past 64 bits) is a 404 (or the admin's usual redirect), never a 500: on
every admin URL that takes an object and every API route with a path parameter. Before, a
signed-in staff member got 500s from a dozen admin pages (permission checks and custom views
converting the id, the SQLite driver overflowing)."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from core.paths import path_is_api

pytestmark = pytest.mark.django_db

NEL = "%C2%85"  # U+0085, percent-encoded as a browser sends it
JUNK = (NEL, "abc", "9223372036854775808", "%C2%9F")
PARAMETER = re.compile(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)")


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern).lstrip("^"))
        else:
            yield prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("/?", "/")


def _with(route: str, junk: str) -> str:
    return "/" + PARAMETER.sub(junk, route)


ADMIN_OBJECT_ROUTES = sorted(r for r in _routes() if r.startswith("admin/") and "object_id" in r)
# Each model's change page and every custom object page (approve, retry, adjust stock ...);
# Django's own history, delete and bare-id pages read the id as the change page does.
_STOCK_PAGES = ("<path:object_id>/history/", "<path:object_id>/delete/", "<path:object_id>/")
ADMIN_PAGES_TRIED = [r for r in ADMIN_OBJECT_ROUTES if not r.endswith(_STOCK_PAGES)]
API_ROUTES = sorted(r for r in _routes() if PARAMETER.search(r) and path_is_api(_with(r, "x")))


def test_the_routes_are_found():
    assert len(ADMIN_OBJECT_ROUTES) > 150
    assert len(ADMIN_PAGES_TRIED) > 50
    assert "admin/catalog/product/<path:object_id>/change/" in ADMIN_OBJECT_ROUTES
    assert len(API_ROUTES) > 10


def test_a_junk_id_on_an_admin_page_is_never_a_500(client, staff_user):
    client.raise_request_exception = False
    client.force_login(staff_user)
    failures = []
    for index, route in enumerate(ADMIN_PAGES_TRIED):
        for junk in (NEL, JUNK[1 + index % 3]):
            path = _with(route, junk)
            status = client.get(path).status_code
            if status >= 500 or status == 200:
                failures.append((path, status))
    assert failures == []


def test_the_admin_answers_404_for_an_id_that_cannot_be_a_key(client, staff_user):
    client.force_login(staff_user)
    for junk in JUNK:
        assert client.get(f"/admin/catalog/product/{junk}/change/").status_code == 404
        assert client.get(f"/admin/users/user/{junk}/review/").status_code == 404
        assert client.post(f"/admin/notifications/outboundmessage/{junk}/retry/").status_code == 404
    # An id that could be one, but is not, keeps Django's answer (back to the list, a message).
    assert client.get("/admin/users/user/424242/change/").status_code == 302


def test_a_junk_id_on_the_api_is_never_a_500(jwt_client, staff_user, manufacturer_a, customer):
    failures = []
    for user in (staff_user, manufacturer_a, customer):
        api = jwt_client(user)
        api.raise_request_exception = False
        for route in API_ROUTES:
            path = _with(route, NEL)
            for method in ("get", "patch", "delete"):
                response = getattr(api, method)(path, {}, format="json")
                if response.status_code >= 500 or "detail" not in response.json():
                    failures.append((user.email, method, path, response.status_code))
    assert failures == []
