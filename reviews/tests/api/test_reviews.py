"""The review API on its three URL styles: the seed's query parameters, the seed's table of
routes, and /api/reviews/ (seed two)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from catalog.services import product_approve
from notifications.models import Notification
from orders.models import Order, OrderItem, OrderStatus
from reviews.models import Review, ReviewStatus
from reviews.selectors import review_verified_purchase
from reviews.services import review_create, review_moderate
from users.models import User

pytestmark = pytest.mark.django_db

REVIEW_FIELDS = {"id", "product", "user", "rating", "comment", "customer_name", "status",
                 "verified_purchase", "created_at", "updated_at", "date"}


@pytest.fixture
def ama(make_user) -> User:
    return make_user("ama@martaf.test", is_customer=True, first_name="Ama", last_name="Kofi")


@pytest.fixture
def ama_review(pixel, ama) -> Review:
    return review_create(product=pixel, author=ama, rating=4, comment="Good phone")


def _list_url(product) -> str:
    return f"/products/review-list/{product.pk}/reviews/"


# --- reading ------------------------------------------------------------------------------------


def test_a_products_reviews_are_public_in_an_envelope(api_client, pixel, ama_review):
    response = api_client.get(_list_url(pixel))

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    [review] = body["results"]
    assert set(review) == REVIEW_FIELDS
    assert review["id"] == ama_review.pk
    assert review["product"] == str(pixel.pk)
    assert review["user"] == ama_review.user_id
    assert review["customer_name"] == "Ama K."
    assert review["rating"] == 4 and review["comment"] == "Good phone"
    assert review["status"] == "published" and review["verified_purchase"] is False
    assert review["date"] == ama_review.created_at.date().isoformat()


def test_customer_name_never_shows_the_email(api_client, pixel, customer):
    review_create(product=pixel, author=customer, rating=3)

    assert api_client.get(_list_url(pixel)).json()["results"][0]["customer_name"] == "Customer"


def test_a_review_outlives_its_authors_account(api_client, pixel, ama, ama_review):
    ama.delete()

    [review] = api_client.get(_list_url(pixel)).json()["results"]

    assert (review["id"], review["user"], review["customer_name"]) == (
        ama_review.pk, None, "Former customer")


def test_only_published_reviews_are_listed(api_client, pixel, make_user, staff_user, ama_review):
    held = review_create(product=pixel, author=make_user("b@x.test"), rating=1,
                         comment="see http://spam.example")
    hidden = review_create(product=pixel, author=make_user("c@x.test"), rating=2)
    review_moderate(review=hidden, actor=staff_user, to=ReviewStatus.HIDDEN, reason="Off topic")

    ids = [r["id"] for r in api_client.get(_list_url(pixel)).json()["results"]]

    assert held.status == ReviewStatus.PENDING
    assert ids == [ama_review.pk]


def test_reviews_paginate_by_10_up_to_100(api_client, pixel):
    users = User.objects.bulk_create(User(email=f"u{n}@x.test", password="!") for n in range(105))
    Review.objects.bulk_create(
        Review(product=pixel, user=user, rating=1 + n % 5) for n, user in enumerate(users)
    )

    first = api_client.get(_list_url(pixel)).json()
    capped = api_client.get(_list_url(pixel), {"page_size": 1000}).json()
    past = api_client.get(_list_url(pixel), {"page": 50})

    assert first["count"] == 105 and len(first["results"]) == 10
    assert first["next"].endswith("/reviews/?page=2")
    assert len(capped["results"]) == 100
    assert past.status_code == 200 and past.json()["results"] == []


def test_rating_filter(api_client, pixel, ama_review, customer):
    review_create(product=pixel, author=customer, rating=5)

    fives = api_client.get(_list_url(pixel), {"rating": 5}).json()["results"]

    assert [r["rating"] for r in fives] == [5]


@pytest.mark.parametrize("rating", ["6", "0", "abc"])
def test_a_bad_rating_filter_is_a_400(api_client, pixel, rating):
    response = api_client.get(_list_url(pixel), {"rating": rating})

    assert response.status_code == 400
    assert response.json()["rating"] == [
        f"Select a valid choice. {rating} is not one of the available choices."
    ]


def test_reviews_of_a_product_not_in_the_catalogue_are_a_404(
    api_client, manufacturer_a, phones, make_product
):
    draft = make_product(manufacturer_a, category=phones)

    assert api_client.get(_list_url(draft)).status_code == 404
    assert api_client.get("/products/review-list/not-a-uuid/reviews/").status_code == 404


def test_one_review_by_id(api_client, ama_review):
    response = api_client.get(f"/products/reviews-update/{ama_review.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == ama_review.pk


def test_a_held_review_is_readable_by_its_author_only(api_client, jwt_client, pixel, ama,
                                                     manufacturer_b):
    held = review_create(product=pixel, author=ama, rating=1, comment="www.cheap-stuff.com")
    url = f"/products/reviews-update/{held.pk}/"

    assert api_client.get(url).status_code == 404
    assert jwt_client(manufacturer_b).get(url).status_code == 404
    assert jwt_client(ama).get(url).json()["status"] == "pending"


# --- writing ------------------------------------------------------------------------------------


def test_post_a_review_with_a_token(jwt_client, pixel, ama, manufacturer_a):
    response = jwt_client(ama).post(
        _list_url(pixel),
        {"rating": 5, "comment": "Great", "product": str(pixel.pk)},
        format="json",
    )

    assert response.status_code == 201
    review = Review.objects.get()
    assert (review.user, review.product, review.rating, review.comment) == (ama, pixel, 5, "Great")
    assert review.status == ReviewStatus.PUBLISHED
    assert response.json()["customer_name"] == "Ama K."
    notification = Notification.objects.get(user=manufacturer_a, event="new_review")
    assert notification.title == "New 5★ review of Pixel 9"
    assert notification.body == "Ama K. reviewed “Pixel 9”."


@pytest.mark.parametrize("rating", [0, 6, "five"])
def test_a_rating_outside_1_to_5_is_a_400_with_a_rating_list(jwt_client, pixel, ama, rating):
    response = jwt_client(ama).post(_list_url(pixel), {"rating": rating}, format="json")

    assert response.status_code == 400
    assert isinstance(response.json()["rating"], list)
    assert response.json()["detail"].startswith("rating:")
    assert not Review.objects.exists()


@pytest.mark.parametrize("header", [None, "Bearer expired.token.value"])
def test_posting_without_a_valid_token_is_a_401(api_client, pixel, header):
    if header:
        api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.post(_list_url(pixel), {"rating": 5}, format="json")

    assert response.status_code == 401
    assert response.json()["detail"]
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_product_is_a_400(jwt_client, pixel, ama, ama_review):
    response = jwt_client(ama).post(_list_url(pixel), {"rating": 1}, format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == "You have already reviewed this product."
    assert response.json()["code"] == "review_already_reviewed"
    assert list(Review.objects.values_list("rating", flat=True)) == [4]


def test_a_manufacturer_cannot_review_their_own_product(jwt_client, pixel, manufacturer_a):
    response = jwt_client(manufacturer_a).post(_list_url(pixel), {"rating": 5}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "review_own_product"
    assert not Review.objects.exists()


def test_a_review_with_a_link_is_held_for_moderation(jwt_client, pixel, ama, manufacturer_a):
    response = jwt_client(ama).post(
        _list_url(pixel), {"rating": 5, "comment": "Buy at https://x.example"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert not Notification.objects.filter(user=manufacturer_a, event="new_review").exists()


def test_the_author_edits_their_review(jwt_client, ama, ama_review):
    response = jwt_client(ama).patch(
        f"/products/reviews-update/{ama_review.pk}/", {"comment": "Even better"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["comment"] == "Even better"
    review = Review.objects.get(pk=ama_review.pk)
    assert (review.rating, review.comment) == (4, "Even better")


def test_another_user_cannot_edit_and_nothing_changes(jwt_client, api_client, customer, staff_user,
                                                      ama_review):
    url = f"/products/reviews-update/{ama_review.pk}/"

    other = jwt_client(customer).patch(url, {"rating": 1}, format="json")
    staff = jwt_client(staff_user).patch(url, {"rating": 1}, format="json")
    anonymous = api_client.patch(url, {"rating": 1}, format="json")

    assert other.status_code == staff.status_code == 403
    assert other.json()["detail"] == "Only its author can edit a review."
    assert anonymous.status_code == 401
    assert Review.objects.get(pk=ama_review.pk).rating == 4


def test_an_edit_with_a_bad_rating_is_a_400(jwt_client, ama, ama_review):
    response = jwt_client(ama).patch(
        f"/products/reviews-update/{ama_review.pk}/", {"rating": 9}, format="json"
    )

    assert response.status_code == 400
    assert "rating" in response.json()
    assert Review.objects.get(pk=ama_review.pk).rating == 4


def test_only_staff_delete_reviews(jwt_client, api_client, ama, customer, manufacturer_a,
                                   staff_user, ama_review):
    url = f"/products/reviews-update/{ama_review.pk}/"

    for client, expected in ((api_client, 401), (jwt_client(ama), 403),
                             (jwt_client(customer), 403), (jwt_client(manufacturer_a), 403)):
        assert client.delete(url).status_code == expected
    assert Review.objects.filter(pk=ama_review.pk).exists()

    assert jwt_client(staff_user).delete(url).status_code == 204
    assert not Review.objects.exists()


# --- the seed's query-parameter style: /products/reviews/ ----------------------------------------


def test_seed_get_by_product_or_review_id(api_client, pixel, ama_review, customer):
    review_create(product=pixel, author=customer, rating=2)

    by_product = api_client.get("/products/reviews/", {"product_id": str(pixel.pk), "rating": 4})
    by_review = api_client.get("/products/reviews", {"review_id": ama_review.pk})

    assert [r["id"] for r in by_product.json()["results"]] == [ama_review.pk]
    assert by_review.json()["id"] == ama_review.pk


@pytest.mark.parametrize(
    "params, key",
    [
        ({}, "detail"),
        ({"product_id": "abc"}, "product_id"),
        ({"review_id": "abc"}, "review_id"),
        ({"product_id": "{pk}", "rating": "9"}, "rating"),
    ],
)
def test_seed_get_400s(api_client, pixel, params, key):
    params = {k: v.format(pk=pixel.pk) for k, v in params.items()}

    response = api_client.get("/products/reviews/", params)

    assert response.status_code == 400
    assert key in response.json() and response.json()["detail"]


def test_seed_post_patch_delete(jwt_client, pixel, ama, staff_user):
    client = jwt_client(ama)

    created = client.post(f"/products/reviews/?product_id={pixel.pk}", {"rating": 3},
                          format="json")
    review_id = created.json()["id"]
    edited = client.patch(f"/products/reviews/?review_id={review_id}", {"rating": 2},
                          format="json")
    refused = client.delete(f"/products/reviews/?review_id={review_id}")
    deleted = jwt_client(staff_user).delete(f"/products/reviews/?review_id={review_id}")

    assert created.status_code == 201
    assert edited.status_code == 200 and edited.json()["rating"] == 2
    assert refused.status_code == 403
    assert deleted.status_code == 204
    assert not Review.objects.exists()


def test_seed_post_takes_the_product_from_the_body(jwt_client, pixel, ama):
    response = jwt_client(ama).post("/products/reviews/", {"rating": 3, "product": str(pixel.pk)},
                                    format="json")

    assert response.status_code == 201
    assert Review.objects.get().product == pixel


def test_seed_writes_without_the_ids_are_400s(jwt_client, ama, staff_user, pixel):
    no_product = jwt_client(ama).post("/products/reviews/", {"rating": 3}, format="json")
    no_review_patch = jwt_client(ama).patch("/products/reviews/", {"rating": 3}, format="json")
    no_review_delete = jwt_client(staff_user).delete("/products/reviews/")

    assert no_product.status_code == 400 and no_product.json()["product"]
    assert no_review_patch.status_code == 400 and no_review_patch.json()["review_id"]
    assert no_review_delete.status_code == 400 and no_review_delete.json()["review_id"]


# --- /api/reviews/ (seed two) ---------------------------------------------------------------------


def test_rest_reviews(api_client, jwt_client, pixel, ama, customer, manufacturer_b, phones,
                      make_product, staff_user):
    other = make_product(manufacturer_b, category=phones, name="Galaxy")
    product_approve(product=other, actor=staff_user)
    review_create(product=other, author=customer, rating=1)

    created = jwt_client(ama).post(
        "/api/reviews/", {"product": str(pixel.pk), "rating": 5, "comment": "Top"}, format="json"
    )
    listed = api_client.get("/api/reviews/")
    filtered = api_client.get("/api/reviews/", {"product": str(pixel.pk)})
    replaced = jwt_client(ama).put(
        f"/api/reviews/{created.json()['id']}/", {"rating": 4, "comment": "Fine"}, format="json"
    )

    assert created.status_code == 201
    assert listed.json()["count"] == 2
    assert [r["product"] for r in filtered.json()["results"]] == [str(pixel.pk)]
    assert replaced.status_code == 200
    assert (replaced.json()["rating"], replaced.json()["comment"]) == (4, "Fine")


def test_rest_review_of_an_unknown_product_is_a_404(jwt_client, ama, db):
    response = jwt_client(ama).post(
        "/api/reviews/", {"product": "00000000-0000-0000-0000-000000000000", "rating": 5},
        format="json",
    )

    assert response.status_code == 404
    assert not Review.objects.exists()


# --- verified purchase --------------------------------------------------------------------------


def _order(buyer, product, status):
    order = Order.objects.create(
        number=f"T-{Order.objects.count() + 1}", buyer=buyer, status=status,
        payment_method="CASH",
    )
    OrderItem.objects.create(order=order, product=product, product_name=product.name,
                             quantity=1, unit_price=product.price)
    return order


def test_verified_purchase_needs_a_delivered_order_with_the_product(
    jwt_client, pixel, ama, customer
):
    _order(ama, pixel, OrderStatus.DELIVERED)
    _order(customer, pixel, OrderStatus.SHIPPED)

    ama_review = jwt_client(ama).post(_list_url(pixel), {"rating": 5}, format="json")
    other_review = jwt_client(customer).post(_list_url(pixel), {"rating": 5}, format="json")

    assert ama_review.json()["verified_purchase"] is True
    assert other_review.json()["verified_purchase"] is False
    assert review_verified_purchase(user=customer, product=pixel) is False


def test_verified_purchase_is_refreshed_when_the_author_edits(jwt_client, pixel, ama, ama_review):
    _order(ama, pixel, OrderStatus.DELIVERED)

    response = jwt_client(ama).patch(
        f"/products/reviews-update/{ama_review.pk}/", {"rating": 5}, format="json"
    )

    assert response.json()["verified_purchase"] is True


def test_verified_purchase_needs_this_product_and_a_signed_in_author(pixel, ama, make_product,
                                                                     manufacturer_a, phones):
    other = make_product(manufacturer_a, category=phones, name="Pixel Case")
    _order(ama, other, OrderStatus.DELIVERED)

    assert review_verified_purchase(user=ama, product=pixel) is False
    assert review_verified_purchase(user=ama, product=other) is True
    assert review_verified_purchase(user=AnonymousUser(), product=other) is False


# --- query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, queries",
    [
        # the product (a 404 when it is not in the catalogue), the count, the page with authors
        ("/products/review-list/{pk}/reviews/", 3),
        ("/api/reviews/?product={pk}", 2),  # the count, the page with authors
    ],
)
def test_a_page_of_reviews_costs_the_same_queries_for_one_review_or_many(
    api_client, django_assert_num_queries, pixel, authors, url, queries
):
    review_create(product=pixel, author=authors[0], rating=5, comment="One")
    url = url.format(pk=pixel.pk)
    with django_assert_num_queries(queries):
        assert api_client.get(url).json()["count"] == 1
    for author in authors[1:]:
        review_create(product=pixel, author=author, rating=4)
    with django_assert_num_queries(queries):
        assert api_client.get(url).json()["count"] == len(authors)
