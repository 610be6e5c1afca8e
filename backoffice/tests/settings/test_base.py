"""The site's foundations: files browsers ask for at the root (the favicon)."""

import pytest


@pytest.mark.django_db
def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
