"""Plain helpers of the shopping tests."""

from catalog.tests.sellable import public_product  # noqa: F401 (the tests import it from here)


def assert_json(response, status: int) -> dict | list:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()
