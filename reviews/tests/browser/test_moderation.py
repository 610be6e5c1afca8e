"""Real Chromium: staff moderate held reviews from the review's page, going on to the next one
waiting."""

import re

from backoffice.tests.chromium import BROWSER_TEST, screenshot, sign_in, wait_for_text
from conftest import PASSWORD
from orders.tests.helpers import public_product
from reviews.models import Review, ReviewStatus
from reviews.services import review_create

pytestmark = BROWSER_TEST


def action(name: str) -> re.Pattern:
    """An action link's accessible name: its icon's ligature, then its label."""
    return re.compile(rf"^(\w+ )?{name}$")


def test_staff_moderate_a_review_from_its_page(page, staff_user, manufacturer_a, customer,
                                               make_user):
    product = public_product(manufacturer_a, approver=staff_user, name="Kente scarf")
    other = make_user("second.buyer@martaf.test", is_customer=True)
    held = review_create(product=product, author=customer, rating=2,
                         comment="Better ones at www.example.org")
    also_held = review_create(product=product, author=other, rating=1,
                              comment="See http://spam.example")
    assert held.status == also_held.status == ReviewStatus.PENDING
    sign_in(page, staff_user.email, PASSWORD)
    page.wait_for_url("**/admin/")

    page.goto("/admin/reviews/review/")
    screenshot(page, "reviews-queue")
    page.locator("tr", has_text="www.example.org").get_by_role("link").first.click()
    page.wait_for_url(f"**/reviews/review/{held.pk}/change/")
    page.get_by_role("link", name=action("Publish")).first.click()
    page.locator("#dialog").get_by_role("button", name="Publish").click()
    wait_for_text(page, "Review published.")
    page.wait_for_url(f"**/reviews/review/{also_held.pk}/change/")
    screenshot(page, "review-next")

    page.get_by_role("link", name=action("Reject")).first.click()
    page.fill("#dialog textarea[name=reason]", "Link to another shop")
    page.locator("#dialog").get_by_role("button", name="Reject").click()
    page.wait_for_url("**/admin/reviews/review/")
    wait_for_text(page, "Review rejected.")
    screenshot(page, "reviews-after-moderation")

    assert Review.objects.get(pk=held.pk).status == ReviewStatus.PUBLISHED
    assert Review.objects.get(pk=also_held.pk).status == ReviewStatus.REJECTED
