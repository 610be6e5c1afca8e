"""The Content-Security-Policy header (core.csp): the API's answers run and load nothing, pages
load only from the site; a response's own policy is kept. The admin rendering under the page
policy in Chromium: backoffice/tests/browser/test_csp.py."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

API_POLICY = "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize(
    "path", ["/products/list/", "/api/products/", "/api/no-such-route/", "/accounts/login"]
)
def test_api_answers_get_the_api_policy(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Security-Policy"] == API_POLICY


@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs/", "/no-such-page/"])
def test_pages_get_the_page_policy(client, path):
    response = client.get(path)
    assert response["Content-Type"].startswith("text/html")
    policy = response["Content-Security-Policy"]
    assert policy == settings.CSP_PAGE_POLICY
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_report_only_mode(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/api/products/")
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == API_POLICY
