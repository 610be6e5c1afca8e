"""The wishlist API (docs/api.md#wishlist): an envelope of one wishlist holding full
catalogue product objects, keyed by product id; only public products can be added."""

import pytest

from catalog.models import ApprovalStatus, Product
from shopping.models import WishlistItem
from shopping.tests.helpers import assert_json

pytestmark = pytest.mark.django_db


def test_empty_wishlist_is_an_envelope_of_one(buyer, customer):
    body = assert_json(buyer.get("/wishlist/"), 200)
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    (wishlist,) = body["results"]
    assert set(wishlist) == {"id", "user", "products", "created_at"}
    assert wishlist["user"] == customer.pk and wishlist["products"] == []
    # The same wishlist every time.
    assert assert_json(buyer.get("/wishlist"), 200)["results"][0]["id"] == wishlist["id"]


def test_add_list_remove(buyer, customer, phone, shirt):
    body = assert_json(buyer.post(f"/wishlist/add/{phone.pk}/"), 201)
    assert body == {"detail": "Added to your wishlist."}
    assert_json(buyer.post(f"/wishlist/add/{shirt.pk}", format="json"), 201)
    assert assert_json(buyer.post(f"/wishlist/add/{phone.pk}/"), 200) == {
        "detail": "Already in your wishlist."
    }

    products = assert_json(buyer.get("/wishlist/"), 200)["results"][0]["products"]
    assert [p["id"] for p in products] == [str(shirt.pk), str(phone.pk)]  # newest first
    shirt_json = products[0]
    for key in ("id", "name", "slug", "price", "discount_price", "images_data", "manufacturer"):
        assert key in shirt_json
    assert shirt_json["discount_price"] == "30.00"
    assert shirt_json["manufacturer"]["name"] == "Maker B"

    body = assert_json(buyer.delete(f"/wishlist/remove/{phone.pk}/"), 200)
    assert body == {"detail": "Removed from your wishlist."}
    assert list(WishlistItem.objects.values_list("product_id", flat=True)) == [shirt.pk]
    error = assert_json(buyer.delete(f"/wishlist/remove/{phone.pk}"), 404)
    assert error["detail"] == "This product is not on your wishlist."


@pytest.mark.parametrize("product_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_product_is_404_json(buyer, customer, product_id):
    error = assert_json(buyer.post(f"/wishlist/add/{product_id}/"), 404)
    assert error == {"detail": "Product not found.", "code": "product_unavailable"}
    assert not WishlistItem.objects.exists()


def test_only_public_products_can_be_added(buyer, customer, phone):
    Product.objects.filter(pk=phone.pk).update(approval_status=ApprovalStatus.REJECTED)
    assert_json(buyer.post(f"/wishlist/add/{phone.pk}/"), 404)
    assert not WishlistItem.objects.exists()


def test_a_product_that_stops_being_public_drops_out_of_view(buyer, customer, phone):
    assert_json(buyer.post(f"/wishlist/add/{phone.pk}/"), 201)
    Product.objects.filter(pk=phone.pk).update(is_active=False)
    assert assert_json(buyer.get("/wishlist/"), 200)["results"][0]["products"] == []
    # ... and can still be taken off the list.
    assert_json(buyer.delete(f"/wishlist/remove/{phone.pk}/"), 200)
    assert not WishlistItem.objects.exists()


def test_one_users_wishlist_is_not_anothers(buyer, jwt_client, other_customer, phone):
    theirs = jwt_client(other_customer)
    assert_json(theirs.post(f"/wishlist/add/{phone.pk}/"), 201)
    assert assert_json(buyer.get("/wishlist/"), 200)["results"][0]["products"] == []
    assert_json(buyer.delete(f"/wishlist/remove/{phone.pk}/"), 404)
    assert WishlistItem.objects.filter(wishlist__user=other_customer).count() == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/wishlist/"),
        ("post", "/wishlist/add/00000000-0000-0000-0000-000000000000/"),
        ("delete", "/wishlist/remove/00000000-0000-0000-0000-000000000000/"),
    ],
)
def test_anonymous_is_401_json(api_client, method, path):
    assert assert_json(getattr(api_client, method)(path), 401)["detail"]
