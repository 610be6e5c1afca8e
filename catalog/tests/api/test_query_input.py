"""Malformed list queries are a 400 naming the parameter, never a server error (both route
sets, every database): empty ordering terms, and ids beyond a 64-bit integer."""

import pytest

from catalog.services import product_approve

pytestmark = pytest.mark.django_db

LISTS = ["/products/list/", "/api/products/"]


@pytest.fixture
def shop(manufacturer_a, staff_user, make_product, phones):
    """Three public products, the cheapest made first."""
    for price in ["10.00", "30.00", "20.00"]:
        product = make_product(manufacturer_a, category=phones, name=f"Phone {price}", price=price)
        product_approve(product=product, actor=staff_user)


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("ordering", [",", ",,-price", "price,", "-"])
def test_empty_ordering_terms_are_ignored_or_refused_never_a_500(api_client, shop, url, ordering):
    response = api_client.get(url, {"ordering": ordering})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "ordering" in response.json()


@pytest.mark.parametrize("url", LISTS)
def test_blank_ordering_terms_fall_back_to_the_named_or_default_order(api_client, shop, url):
    plain = api_client.get(url, {"ordering": "-price"}).json()
    padded = api_client.get(url, {"ordering": ",-price,"}).json()
    assert padded == plain
    assert [p["name"] for p in plain["results"]] == ["Phone 30.00", "Phone 20.00", "Phone 10.00"]
    default = api_client.get(url).json()
    assert api_client.get(url, {"ordering": ","}).json() == default


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("param", ["manufacturer", "seller"])
@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "1e400"])
def test_ids_beyond_64_bits_are_a_400(api_client, shop, url, param, value):
    response = api_client.get(url, {param: value})
    assert response.status_code == 400, response.content
    assert param in response.json()
