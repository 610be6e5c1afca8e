"""The review API's bounds: a comment beyond its length is a 400 naming the field, and nothing
is written."""

import pytest

from orders.tests.helpers import public_product
from reviews.limits import REVIEW_COMMENT_MAX
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_a_review_comment_beyond_its_length_is_a_400(
    jwt_client, customer, manufacturer_a, staff_user, shoes
):
    product = public_product(manufacturer_a, approver=staff_user, category=shoes)

    response = jwt_client(customer).post(
        f"/products/review-list/{product.pk}/reviews/",
        {"rating": 5, "comment": "x" * (REVIEW_COMMENT_MAX + 1)},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"comment: Ensure this field has no more than {REVIEW_COMMENT_MAX} characters."
    )
    assert Review.objects.count() == 0


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x85", "\x9b"], ids=["NUL", "ESC", "NEL", "CSI"])
def test_a_review_comment_with_a_control_character_is_a_400(
    jwt_client, customer, manufacturer_a, staff_user, shoes, control
):
    product = public_product(manufacturer_a, approver=staff_user, category=shoes)

    response = jwt_client(customer).post(
        f"/products/review-list/{product.pk}/reviews/",
        {"rating": 5, "comment": f"Lovely{control} shoes"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("comment: ")
    assert Review.objects.count() == 0
