"""``GET /cart/`` and ``GET /wishlist/`` cost a fixed number of queries whatever their length
(docs/architecture.md#services-and-selectors): pinned here for 1 and for 8 lines, with images,
sizes and reviews. ``POST /cart/merge`` reads in a fixed number and writes once per line."""

import pytest

from catalog.models import ProductImage
from shopping.models import CartItem, Wishlist, WishlistItem
from shopping.tests.helpers import assert_json, public_product

pytestmark = pytest.mark.django_db

# JWT user, cart lines (with the public check), products (with category, manufacturer and
# ratings), images, listed variations, latest reviews, stock holders of products without sizes.
CART_QUERIES = 7
# JWT user, the transaction (2), public products, their variations, the cart's lines, then
# the cart as GET /cart/ reads it without the user (6); and per line sent, an UPDATE of the line
# already there or a new line's INSERT in its savepoint (3).
MERGE_QUERIES = 12
# JWT user, the wishlist, its public product ids, products, images, variations, reviews.
WISHLIST_QUERIES = 7


def _products(manufacturer, approver, count: int):
    products = []
    for n in range(count):
        if n % 2:
            product = public_product(
                manufacturer,
                approver=approver,
                name=f"Sized {n}",
                variations=[{"size": "M", "stock": 5}, {"size": "L", "stock": 5}],
            )
        else:
            product = public_product(manufacturer, approver=approver, name=f"Plain {n}", stock=5)
        ProductImage.objects.create(product=product, original=f"products/original/{n}.png")
        ProductImage.objects.create(product=product, original=f"products/original/{n}b.png")
        products.append(product)
    return products


def _fill_cart(user, products):
    for product in products:
        variation = product.variations.exclude(size="").first()
        CartItem.objects.create(user=user, product=product, variation=variation, quantity=1)


@pytest.mark.parametrize("length", [1, 8])
def test_cart_query_count_does_not_grow(
    jwt_client, customer, manufacturer_a, staff_user, django_assert_num_queries, length
):
    _fill_cart(customer, _products(manufacturer_a, staff_user, length))
    client = jwt_client(customer)
    with django_assert_num_queries(CART_QUERIES):
        cart = assert_json(client.get("/cart/"), 200)
    assert len(cart["items"]) == length
    assert all(len(line["product"]["images_data"]) == 2 for line in cart["items"])


@pytest.mark.parametrize("length", [1, 8])
def test_wishlist_query_count_does_not_grow(
    jwt_client, customer, manufacturer_a, staff_user, django_assert_num_queries, length
):
    wishlist = Wishlist.objects.create(user=customer)
    for product in _products(manufacturer_a, staff_user, length):
        WishlistItem.objects.create(wishlist=wishlist, product=product)
    client = jwt_client(customer)
    with django_assert_num_queries(WISHLIST_QUERIES):
        body = assert_json(client.get("/wishlist/"), 200)
    assert len(body["results"][0]["products"]) == length


@pytest.mark.parametrize("length", [1, 8])
def test_merge_reads_in_fixed_queries_and_writes_once_per_line(
    jwt_client, customer, manufacturer_a, staff_user, django_assert_num_queries, length
):
    products = _products(manufacturer_a, staff_user, length)
    guest = [
        {"product_id": str(product.pk), "quantity": 1, "variation": variation and variation.pk}
        for product in products
        for variation in [product.variations.exclude(size="").first()]
    ]
    client = jwt_client(customer)
    with django_assert_num_queries(MERGE_QUERIES + 3 * length):  # new lines
        body = assert_json(client.post("/cart/merge", guest, format="json"), 200)
    assert [result["status"] for result in body["results"]] == ["added"] * length
    with django_assert_num_queries(MERGE_QUERIES + length):  # into the lines now there
        body = assert_json(client.post("/cart/merge", guest, format="json"), 200)
    assert [result["status"] for result in body["results"]] == ["merged"] * length
    assert len(body["cart"]["items"]) == length
