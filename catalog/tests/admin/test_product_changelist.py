"""The product changelist at speed: what each page lists, for whom, in how many queries, and
that its cells are the HTML unfold's own templates give."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from unfold.utils import _boolean_icon, display_for_header, display_for_label

from catalog.admin.products.cells import THUMBNAIL, boolean_cell, header_cell, label_cell
from catalog.models import Product, Variation
from catalog.services import product_approve

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_product_changelist")


def _names(client, **params) -> list[str]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [p.name for p in response.context["cl"].result_list]


def _variation(size, stock, threshold, sku=""):
    return {"size": size, "stock": stock, "low_stock_threshold": threshold, "sku": sku}


@pytest.fixture
def stock_shapes(manufacturer_a, manufacturer_b, phones, make_product):
    """Products of A at each edge of "low" (stock <= threshold), and a low one of B's."""
    make_product(manufacturer_a, category=phones, name="At threshold",
                 variations=[_variation("S", 5, 5), _variation("M", 40, 5)])
    make_product(manufacturer_a, category=phones, name="One above",
                 variations=[_variation("S", 6, 5), _variation("M", 7, 5)])
    make_product(manufacturer_a, category=phones, name="Empty",
                 variations=[_variation("S", 0, 0)])
    make_product(manufacturer_a, category=phones, name="Zero threshold",
                 variations=[_variation("S", 1, 0)])
    make_product(manufacturer_a, category=phones, name="Two low",
                 variations=[_variation("S", 1, 3), _variation("M", 2, 3), _variation("L", 9, 3)])
    make_product(manufacturer_b, category=phones, name="B low", variations=[_variation("S", 1, 5)])


@pytest.mark.parametrize(
    "stock, expected",
    [
        ("low", ["At threshold", "Empty", "Two low"]),
        ("ok", ["One above", "Zero threshold"]),
        ("out", ["Empty"]),
    ],
)
def test_stock_filter_lists_exactly_the_manufacturers_products_at_that_level(
    client, manufacturer_a, stock_shapes, stock, expected
):
    client.force_login(manufacturer_a)

    assert sorted(_names(client, stock=stock)) == expected


def test_staff_low_stock_filter_spans_every_manufacturer(client, staff_user, stock_shapes):
    client.force_login(staff_user)

    assert sorted(_names(client, stock="low")) == ["At threshold", "B low", "Empty", "Two low"]


def test_low_stock_filter_follows_a_stock_change_at_once(client, manufacturer_a, stock_shapes):
    Variation.objects.filter(product__name="One above", size="S").update(stock=5)
    Variation.objects.filter(product__name="At threshold", size="S").update(stock=6)
    client.force_login(manufacturer_a)

    assert sorted(_names(client, stock="low")) == ["Empty", "One above", "Two low"]


def test_the_inventory_badge_counts_the_low_variations(client, manufacturer_a, stock_shapes):
    client.force_login(manufacturer_a)

    html = client.get(CHANGELIST, {"q": "Two low"}).content.decode()

    assert "12 · 2 variations low" in html


def test_search_matches_name_or_exact_sku_in_any_case_within_the_scope(
    client, manufacturer_a, manufacturer_b, phones, make_product
):
    make_product(manufacturer_a, category=phones, name="Woven basket",
                 variations=[_variation("S", 3, 1, sku="WB-1")])
    make_product(manufacturer_a, category=phones, name="Clay pot",
                 variations=[_variation("S", 3, 1, sku="CP-1")])
    make_product(manufacturer_b, category=phones, name="B basket",
                 variations=[_variation("S", 3, 1, sku="wb-1")])
    client.force_login(manufacturer_a)

    assert _names(client, q="BASKET") == ["Woven basket"]
    assert _names(client, q="cp-1") == ["Clay pot"]
    assert _names(client, q="wb-1") == ["Woven basket"]  # B's wb-1 is not A's to see
    assert _names(client, q="CP") == ["Clay pot"]  # a part of a SKU finds it too
    assert _names(client, q="wb-") == ["Woven basket"]  # B's is still not A's to see
    assert _names(client, q="baskets") == ["Woven basket"]  # a plural, through the stemmer
    assert _names(client, q="wov bask") == ["Woven basket"]  # words as prefixes


def test_staff_search_by_manufacturer_name(
    client, staff_user, manufacturer_a, manufacturer_b, phones, make_product
):
    make_product(manufacturer_a, category=phones, name="A pot")
    make_product(manufacturer_b, category=phones, name="B pot")
    client.force_login(staff_user)

    assert _names(client, q="Maker B") == ["B pot"]


def test_a_manufacturer_cannot_search_by_another_manufacturers_name(
    client, manufacturer_a, manufacturer_b, phones, make_product
):
    make_product(manufacturer_b, category=phones, name="B pot")
    client.force_login(manufacturer_a)

    assert _names(client, q="Maker B") == []


def test_staff_search_by_sku_finds_every_manufacturers_product(
    client, staff_user, manufacturer_a, manufacturer_b, phones, make_product
):
    make_product(manufacturer_a, category=phones, name="A pot", variations=[_variation("S", 3, 1, sku="X-1")])
    make_product(manufacturer_b, category=phones, name="B pot", variations=[_variation("S", 3, 1, sku="x-1")])
    client.force_login(staff_user)

    assert sorted(_names(client, q="X-1")) == ["A pot", "B pot"]


def test_pages_keep_the_order_and_the_scope(client, manufacturer_a, manufacturer_b, phones, make_product):
    for n in range(55):
        make_product(manufacturer_a, category=phones, name=f"A{n:02}")
    make_product(manufacturer_b, category=phones, name="B only")
    client.force_login(manufacturer_a)

    first, second = _names(client), _names(client, p=2)

    newest_first = list(
        Product.objects.filter(manufacturer=manufacturer_a)
        .order_by("-updated_at", "-pk")
        .values_list("name", flat=True)
    )
    assert first + second == newest_first
    assert (len(first), len(second)) == (50, 5)
    assert _names(client, p=2, o="1") == sorted(newest_first)[50:]  # by name, second page


# The queries of each page, pinned: session, user, permissions, category labels, count, the
# page's ids, its rows, notifications (+1: the SKU look-up of a search, and for staff +1: the
# manufacturers of that name; +1: the category's path; +1 for a manufacturer: the group
# permissions).
PAGES = {
    "plain": ({}, 0),
    "page 2": ({"p": "2"}, 0),
    "search": ({"q": "item"}, 1),
    "low stock": ({"stock": "low"}, 0),
    "category": ({"category": "phones"}, 1),
    "all filters": ({"q": "item", "stock": "low", "category": "phones", "p": "2"}, 2),
}


@pytest.mark.parametrize("who, base", [("manufacturer_a", 9), ("staff_user", 8)])
@pytest.mark.parametrize("page", PAGES)
def test_each_page_is_a_fixed_number_of_queries(
    client, request, who, base, page, manufacturer_a, phones, make_product
):
    params, extra = PAGES[page]
    if "q" in params and who == "staff_user":
        extra += 1
    if params.get("category"):
        params = {**params, "category": str(phones.pk)}
    client.force_login(request.getfixturevalue(who))

    def queries(rows: int) -> int:
        for n in range(Product.objects.count(), rows):
            make_product(manufacturer_a, category=phones, name=f"Item {n}",
                         variations=[_variation("S", 1, 5), _variation("M", 9, 5)])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CHANGELIST, params).status_code == 200
        return len(captured)

    assert queries(55) == queries(120) == base + extra


@pytest.mark.parametrize("image", [None, "/media/products/t/a.webp"])
@pytest.mark.parametrize("name, detail", [("Kente <cloth> & co", "Textiles"), ("", "")])
def test_header_cell_is_unfolds_header(name, detail, image):
    initial = name[:1].upper()
    value = [name, detail, initial, {"path": image, **THUMBNAIL} if image else None]

    cell = header_cell(name=name, detail=detail, initial=initial, image_url=image)

    assert cell == display_for_header(value, "-")


@pytest.mark.parametrize("label_type", ["success", "warning", "danger", "info", None])
@pytest.mark.parametrize("text", ["12 · 1 variation low", "<b>&", ""])
def test_label_cell_is_unfolds_label(label_type, text):
    label = {"x": label_type} if label_type else {}
    value = ("x", text) if label_type else text

    assert label_cell(label_type, text) == display_for_label(value, "-", label)


@pytest.mark.parametrize("value", [True, False, None])
def test_boolean_cell_is_unfolds_icon(value):
    assert boolean_cell(value) == _boolean_icon(value)


def test_a_public_product_links_to_its_storefront_page(client, manufacturer_a, phones,
                                                      make_product, staff_user, settings):
    settings.STOREFRONT_PRODUCT_URL = "https://shop.example/product/{slug}"
    product = make_product(manufacturer_a, category=phones, name="Woven basket")
    client.force_login(manufacturer_a)
    page = reverse("admin:catalog_product_change", args=[product.pk])
    assert product.approval_status != "approved"  # a manufacturer's new product awaits review

    assert "shop.example" not in client.get(page).content.decode()  # not on the storefront yet

    product_approve(product=product, actor=staff_user)
    product.refresh_from_db()
    html = client.get(page).content.decode()
    assert f"https://shop.example/product/{product.slug}" in html
