"""The product JSON's sections (``catalog.sections``): what an app above the catalogue adds to a
product (the reviews app its ``reviews_data``) lands in both renderings at the same place, with
the section's default for a product it says nothing about, in one call per list."""

import pytest

from catalog import sections as registry
from catalog.api.cards import product_cards
from catalog.api.products import render_products
from catalog.sections import ProductSection, sections
from catalog.selectors import products_in_order
from catalog.services import product_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_products(manufacturer_a, staff_user, phones, make_product):
    made = [make_product(manufacturer_a, category=phones, name=name) for name in ("One", "Two")]
    for product in made:
        product_approve(product=product, actor=staff_user)
    return [product.pk for product in made]


@pytest.fixture
def badges(monkeypatch):
    """A section of another app's: a badge for the first product only, counting its calls."""
    calls = []

    def values(ids):
        calls.append(list(ids))
        return {ids[0]: {"badge": "new"}}

    section = ProductSection(name="badge_data", values=values, default=dict)
    monkeypatch.setitem(registry._SECTIONS, section.name, section)  # registered for this test
    return calls


def test_the_reviews_app_registers_its_latest_reviews():
    assert [section.name for section in sections()] == ["reviews_data"]


def test_a_section_lands_after_the_catalogues_own_lists_in_both_renderings(
    rf, two_products, badges
):
    request = rf.get("/products/list/")

    cards = product_cards(two_products, request=request)
    rendered = render_products(products_in_order(ids=two_products), request=request)

    assert cards == rendered
    keys = list(cards[0])
    assert keys[keys.index("variations_data") + 1:][:2] == ["reviews_data", "badge_data"]
    assert [card["badge_data"] for card in cards] == [{"badge": "new"}, {}]
    assert badges == [two_products, two_products]  # one call per list, not per product


def test_no_products_ask_no_section(badges):
    assert products_in_order(ids=[]) == []
    assert badges == []
