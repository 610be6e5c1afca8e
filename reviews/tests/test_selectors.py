"""The review selectors: the backoffice's scoping (staff see all, a manufacturer the reviews of
their own products, anybody else nothing) and what the storefront may read."""

import pytest
from django.contrib.auth.models import AnonymousUser

from reviews.models import Review
from reviews.selectors import reviews_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_products_reviewed(manufacturer_a, manufacturer_b, customer, phones, make_product):
    for maker, name in [(manufacturer_a, "A phone"), (manufacturer_b, "B phone")]:
        product = make_product(maker, category=phones, name=name)
        Review.objects.create(product=product, user=customer, rating=4, comment="Nice")


def test_manufacturer_sees_the_reviews_of_their_own_products(two_products_reviewed,
                                                             manufacturer_a):
    assert [r.product.name for r in reviews_visible_to(user=manufacturer_a)] == ["A phone"]


def test_staff_see_every_review(two_products_reviewed, staff_user):
    assert reviews_visible_to(user=staff_user).count() == 2


def test_customers_and_anonymous_see_no_review(two_products_reviewed, customer):
    assert reviews_visible_to(user=customer).count() == 0
    assert reviews_visible_to(user=AnonymousUser()).count() == 0


def test_an_inactive_manufacturer_sees_no_review(two_products_reviewed, manufacturer_a):
    manufacturer_a.is_active = False
    assert reviews_visible_to(user=manufacturer_a).count() == 0
