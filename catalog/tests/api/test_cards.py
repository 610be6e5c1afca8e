"""The catalogue list renders from value rows (``catalog.api.cards``); the one-product reads
render model instances through ``ProductSerializer``. Both must give the same JSON, for every
shape a product can have."""

from decimal import Decimal

import pytest

from catalog.api.cards import product_cards
from catalog.api.products import render_products
from catalog.models import ApprovalStatus, Product, ProductImage
from catalog.selectors import products_in_order
from catalog.services import (
    category_create,
    category_get_or_create_path,
    product_approve,
)
from catalog.tests.conftest import image_file
from reviews.services import review_create
from users.models import ManufacturerProfile


@pytest.fixture
def varied(db, make_user, manufacturer_a, staff_user, make_product, phones, settings):
    """Products of every shape the list shows."""
    settings.CATALOG_API_PRODUCT_REVIEWS = 2
    root = category_create(name="Garden")
    deep = category_get_or_create_path(names=["Home", "Kitchen", "Knives", "Chef"])
    ungrouped = make_user("no-names@example.com", is_customer=True)
    named = [make_user(f"buyer{i}@example.com", is_customer=True, first_name=f"Ama{i}",
                       last_name="Kay") for i in range(3)]
    gone = make_user("gone@example.com", is_customer=True, first_name="Kofi", last_name="")
    # A seller without a profile row: their own name (or email) shows.
    bare_seller = make_user("bare-seller@example.com", is_manufacturer=True)
    ManufacturerProfile.objects.filter(user=bare_seller).delete()
    made = [
        make_product(manufacturer_a, category=phones, name="Pixel", price="999.99",
                     discount_percent=Decimal("12.5"), images=[image_file(size=(40, 30))],
                     variations=[{"size": "S", "stock": 2, "price_override": Decimal("5.50")},
                                 {"color": "Red", "stock": 0}]),
        make_product(manufacturer_a, category=root, name="Rake", price="10.00", stock=4),
        make_product(bare_seller, category=deep, name="Cleaver", price="0.01", stock=1),
    ]
    products = []
    for product in made:
        if product.approval_status != ApprovalStatus.APPROVED:
            product_approve(product=product, actor=staff_user)
        products.append(Product.objects.get(pk=product.pk))
    pixel = products[0]
    for author, rating in [(named[0], 5), (named[1], 4), (named[2], 1), (ungrouped, 3),
                           (gone, 2)]:
        review_create(product=pixel, author=author, rating=rating, comment="Hm")
    review_create(product=products[2], author=gone, rating=4)
    gone.delete()  # the review stays: "Former customer"
    # An image imported by path has no renditions: the original stands in for them.
    ProductImage.objects.create(product=products[1], original="products/original/rake.jpg",
                                alt_text="A rake", position=3)
    return [p.pk for p in products]


def test_the_list_cards_equal_the_serializers_rendering_field_for_field(rf, varied):
    request = rf.get("/products/list/")
    expected = render_products(products_in_order(ids=varied), request=request)
    cards = product_cards(varied, request=request)
    assert [card["name"] for card in cards] == ["Pixel", "Rake", "Cleaver"]
    for card, want in zip(cards, expected, strict=True):
        assert card == want
    pixel, rake, cleaver = cards
    assert len(pixel["reviews_data"]) == 2 and pixel["review_count"] == 5
    assert rake["category"]["parent"] is None and rake["images_data"][0]["image_urls"][
        "thumbnail"].endswith("products/original/rake.jpg")
    assert cleaver["category"]["parent"]["parent"]["parent"]["name"] == "Home"
    assert cleaver["reviews_data"][0]["customer_name"] == "Former customer"


def test_the_seller_name_follows_the_profile_then_the_users_own_name(rf, varied, manufacturer_a):
    from users.models import User

    request = rf.get("/products/list/")
    profile = ManufacturerProfile.objects.get(user=manufacturer_a)
    names = [card["manufacturer"]["name"] for card in product_cards(varied, request=request)]
    assert names == [profile.display_name, profile.display_name, "bare-seller@example.com"]
    User.objects.filter(email="bare-seller@example.com").update(first_name="Efua",
                                                                last_name="Mensah")
    cards = product_cards(varied, request=request)
    assert cards[2]["manufacturer"]["name"] == "Efua Mensah"
    assert cards == render_products(products_in_order(ids=varied), request=request)


def test_ids_not_found_are_left_out_and_no_ids_cost_no_query(rf, varied,
                                                             django_assert_num_queries):
    import uuid

    request = rf.get("/products/list/")
    cards = product_cards([uuid.uuid4(), varied[1]], request=request)
    assert [card["name"] for card in cards] == ["Rake"]
    with django_assert_num_queries(0):
        assert product_cards([], request=request) == []


def test_a_page_is_five_queries_whatever_its_length(rf, varied, django_assert_num_queries):
    request = rf.get("/products/list/")
    with django_assert_num_queries(5):
        product_cards(varied[:1], request=request)
    with django_assert_num_queries(5):
        product_cards(varied, request=request)


def test_the_product_page_renders_the_same_json_by_id_and_by_slug(api_client, rf, varied):
    request = rf.get("/")
    for pk, want in zip(varied, render_products(products_in_order(ids=varied), request=request),
                        strict=True):
        assert api_client.get(f"/products/{pk}/").json() == want
        assert api_client.get(f"/products/slug/{want['slug']}/").json() == want
