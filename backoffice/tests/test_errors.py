"""403, 404 and 500: the admin's look on admin paths, JSON on the API's; a 403 logs one line."""

import logging

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from backoffice import errors

pytestmark = pytest.mark.django_db

UNFOLD_CSS = "/static/unfold/css/styles.css"


def test_a_manufacturer_opening_a_staff_page_gets_the_admins_403(client, manufacturer_a, caplog):
    client.force_login(manufacturer_a)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/admin/users/user/")

    html = response.content.decode()
    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403.html", "errors/page.html"]
    assert UNFOLD_CSS in html and "You cannot open this page" in html
    assert "This page is for MARTAF staff" in html
    assert 'href="/admin/catalog/product/"' in html  # the sidebar is there
    assert "Back to the dashboard" in html
    # One line, no traceback (the console showed two before).
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in records] == ["Forbidden (Permission denied): /admin/users/user/"]
    assert records[0].exc_info is None


def test_admin_404_in_the_admins_look(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/admin/catalog/nothing-here/")

    html = response.content.decode()
    assert response.status_code == 404
    assert UNFOLD_CSS in html and "Page not found" in html
    assert "<code>/admin/catalog/nothing-here/</code>" in html
    assert 'href="/admin/orders/order/"' in html


def test_404_for_someone_signed_out_is_a_bare_card_with_a_sign_in_link(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert UNFOLD_CSS in html and "Sign in to the backoffice" in html
    assert 'href="/admin/catalog/product/"' not in html


@pytest.mark.parametrize("path", ["/api/no-such-thing/", "/products/no/such/thing/"])
def test_api_404_is_json(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def _request(path: str, user=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return request


def test_api_403_and_500_are_json():
    denied = errors.permission_denied(_request("/api/orders/"), PermissionDenied())
    failed = errors.server_error(_request("/api/orders/"))

    assert (denied.status_code, failed.status_code) == (403, 500)
    assert denied["Content-Type"] == failed["Content-Type"] == "application/json"
    assert denied.content == b'{"detail": "You do not have permission to perform this action."}'
    assert failed.content == b'{"detail": "A server error occurred."}'


def test_500_in_the_admins_look(staff_user):
    response = errors.server_error(_request("/admin/orders/order/", staff_user))

    html = response.content.decode()
    assert response.status_code == 500
    assert UNFOLD_CSS in html and "Something went wrong" in html
    assert 'href="/admin/orders/order/"' in html  # the sidebar


def test_500_renders_even_when_the_admins_context_cannot_be_built(monkeypatch, staff_user):
    def broken(request):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(admin.site, "each_context", broken)

    response = errors.server_error(_request("/admin/", staff_user))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_with_debug_on_an_admin_404_is_still_the_admins_page(client, staff_user, settings):
    # `make run` runs with DEBUG on, where Django answers 404s with its technical page.
    settings.DEBUG = True
    client.force_login(staff_user)

    admin_page = client.get("/admin/catalog/nothing-here/")
    elsewhere = client.get("/nothing-here/")

    assert admin_page.status_code == 404 and elsewhere.status_code == 404
    assert "Page not found" in admin_page.content.decode()
    assert "URLconf" not in admin_page.content.decode()
    assert "URLconf" in elsewhere.content.decode()  # the developer's page outside the admin


@pytest.mark.parametrize("path", ["/api/nothing-here/", "/accounts/nothing-here", "/products/x/"])
def test_unknown_api_paths_answer_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
