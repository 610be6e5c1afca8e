"""Anonymous / customer / manufacturer A / manufacturer B / staff over the review admin's URLs.

A manufacturer reads the reviews of their own products, read-only; manufacturer B reaching A's
review by direct URL gets no page and changes nothing.
"""

import pytest
from django.urls import reverse

from catalog.services import product_approve
from reviews.models import Review

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
CHANGELIST = reverse("admin:reviews_review_changelist")


@pytest.fixture
def reviewed(manufacturer_a, manufacturer_b, customer, staff_user, phones, make_product):
    """A product of each manufacturer, each with the customer's review."""
    reviews = []
    for maker, name in [(manufacturer_a, "A phone"), (manufacturer_b, "B phone")]:
        product = make_product(maker, category=phones, name=name)
        product_approve(product=product, actor=staff_user)
        reviews.append(
            Review.objects.create(product=product, user=customer, rating=5, comment="Great")
        )
    return reviews


def _pages(review) -> dict[str, str]:
    return {
        "change": reverse("admin:reviews_review_change", args=[review.pk]),
        "history": reverse("admin:reviews_review_history", args=[review.pk]),
    }


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_outsiders_are_sent_to_the_login_page(client, request, reviewed, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in [CHANGELIST, *_pages(reviewed[0]).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


@pytest.mark.parametrize("who", ["manufacturer_a", "staff_user"])
def test_owner_and_staff_open_every_page_of_the_review(client, request, reviewed, who):
    client.force_login(request.getfixturevalue(who))
    for name, url in _pages(reviewed[0]).items():
        assert client.get(url).status_code == 200, name


def test_another_manufacturer_cannot_open_the_review(client, manufacturer_b, reviewed):
    client.force_login(manufacturer_b)
    for name, url in _pages(reviewed[0]).items():
        response = client.get(url)
        # Django's "object does not exist" answer: back to the dashboard, nothing shown.
        assert response.status_code == 302, name
        assert response["Location"] == reverse("admin:index"), name


@pytest.mark.parametrize(
    "who, visible",
    [
        ("manufacturer_a", ["A phone"]),
        ("manufacturer_b", ["B phone"]),
        ("staff_user", ["A phone", "B phone"]),
    ],
)
def test_the_list_shows_only_what_is_in_scope(client, request, reviewed, who, visible):
    client.force_login(request.getfixturevalue(who))

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert sorted(r.product.name for r in response.context["cl"].result_list) == visible


def test_manufacturer_reads_reviews_but_cannot_change_them(client, manufacturer_a, reviewed):
    review = reviewed[0]
    client.force_login(manufacturer_a)

    client.post(
        reverse("admin:reviews_review_change", args=[review.pk]),
        {"rating": 1, "comment": "edited", "status": "hidden"},
    )

    review.refresh_from_db()
    assert (review.rating, review.comment, review.status) == (5, "Great", "published")


def test_links_to_the_reviews_old_admin_address_open_the_review(client, staff_user, reviewed):
    """Notifications and emails sent while reviews were the catalogue's link to
    /admin/catalog/review/<id>/change/."""
    client.force_login(staff_user)
    review = reviewed[0]

    response = client.get(f"/admin/catalog/review/{review.pk}/change/?from=email")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/reviews/review/{review.pk}/change/?from=email"
    assert client.get(response["Location"]).status_code == 200
