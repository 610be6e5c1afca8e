"""The routes the site mounts itself: the OpenAPI schema and its documentation at /api/docs/,
which works without internet (Swagger UI's files come from our static files)."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', html)


@pytest.mark.django_db
def test_swagger_ui_assets_come_from_our_static_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    urls = _asset_urls(html)
    # The bundle, the standalone preset and the stylesheet: all from /static/, none from a CDN.
    assert {u.rsplit("/", 1)[-1] for u in urls} >= {
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
    }
    assert all(u.startswith(settings.STATIC_URL) for u in urls), urls
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    for url in urls:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not a static file"


@pytest.mark.django_db
def test_openapi_schema_and_swagger_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
