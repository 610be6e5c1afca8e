"""Plain helpers of the shopping tests."""

from catalog.tests.sellable import public_product  # noqa: F401 (the tests import it from here)


def assert_json(response, status: int) -> dict | list:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


def cart_body(product, quantity=1, variation=None) -> dict:
    """A ``/cart/add`` body (and a guest cart line): ``variation`` a Variation or an id."""
    body = {"product_id": str(product.pk), "quantity": quantity}
    if variation is not None:
        body["variation"] = variation if isinstance(variation, int) else variation.pk
    return body
