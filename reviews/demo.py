"""Demo reviews, written after the demo sales through the review service (screened, counted and
announced as in real use):

- a few reviews of the demo catalogue by the first demo buyers;
- many delivered orders reviewed as verified purchases, dated the day after the delivery, so
  the rating trends show the last 60 days;
- two reviews the screen holds (a link), waiting in the moderation queue.

Idempotent: a buyer reviews a product once, and a held review is written once.
"""

import random
from datetime import timedelta

from catalog.models import Product
from catalog.selectors import products_public
from orders.demo import CUSTOMERS
from orders.models import Order, OrderStatus, OrderStatusChange
from reviews.models import Review
from reviews.services import review_create
from users.models import User
from users.selectors import user_get_by_email

REVIEWS = [
    ("ama@example.com", "Volta V12 smartphone", 5, "Fast, great camera, battery lasts two days."),
    ("kofi@example.com", "Volta V12 smartphone", 4, "Very good value. The case scratches."),
    ("ama@example.com", "Kente panel shirt", 5, "Beautiful weave, fits true to size."),
    ("kofi@example.com", "Harmattan boombox", 3, "Loud, but the bass could be deeper."),
    ("ama@example.com", "Raw shea butter 500g", 5, "Pure and smooth."),
    ("kofi@example.com", "Leather sandals", 4, "Comfortable after a few days."),
]

REVIEW_TEXTS = {
    5: ["Exactly as pictured, fast delivery.", "Excellent quality, would buy again.",
        "Beautiful work, my family loved it."],
    4: ["Good value, packaging could be better.", "Very good, took a day longer to arrive."],
    3: ["Does the job, nothing special.", "Fine, but smaller than I expected."],
    2: ["The colour was off compared to the photos."],
}
# Held for moderation by the review screen (a link), as a real one would be.
HELD_REVIEWS = [
    "Great! Cheaper copies at http://bargains.example.com",
    "Order mine again via www.example.net/deal, it works",
]


def _reviewed(product: Product, buyer: User) -> bool:
    return Review.objects.filter(product=product, user=buyer).exists()


def _catalogue_reviews() -> int:
    written = 0
    for email, product_name, rating, comment in REVIEWS:
        author = user_get_by_email(email=email)
        product = Product.objects.filter(name=product_name).first()
        if author and product and not _reviewed(product, author):
            review_create(product=product, author=author, rating=rating, comment=comment)
            written += 1
    return written


def _delivered_reviews(rng: random.Random, buyers: list[User]) -> int:
    """Most delivered orders get a review of their first line, the day after delivery."""
    public = set(products_public().values_list("pk", flat=True))
    delivered = Order.objects.filter(buyer__in=buyers, status=OrderStatus.DELIVERED)
    written = 0
    for order in delivered.select_related("buyer").order_by("created_at", "pk"):
        if rng.random() >= 0.55:
            continue
        rating = rng.choices([5, 4, 3, 2], weights=[5, 3, 1.5, 0.5])[0]
        comment = rng.choice(REVIEW_TEXTS[rating])
        item = order.items.select_related("product").order_by("pk").first()
        product = item.product if item else None
        if product is None or product.pk not in public or _reviewed(product, order.buyer):
            continue
        review = review_create(product=product, author=order.buyer, rating=rating,
                               comment=comment)
        when = (
            OrderStatusChange.objects.filter(order=order, to_status=OrderStatus.DELIVERED)
            .values_list("created_at", flat=True)
            .first()
        ) or order.updated_at
        Review.objects.filter(pk=review.pk).update(created_at=when + timedelta(days=1))
        written += 1
    return written


def _held_reviews(rng: random.Random, buyers: list[User]) -> int:
    written = 0
    products = list(products_public().order_by("name"))
    for comment, buyer in zip(HELD_REVIEWS, buyers[2:], strict=False):
        rating = rng.choice([4, 5])
        if Review.objects.filter(user=buyer, comment=comment).exists():
            continue
        product = next((p for p in products if not _reviewed(p, buyer)), None)
        if product is not None:
            review_create(product=product, author=buyer, rating=rating, comment=comment)
            written += 1
    return written


def seed(stdout=None) -> int:
    buyers = [user for email in CUSTOMERS if (user := user_get_by_email(email=email))]
    rng = random.Random(2026)
    written = _catalogue_reviews() + _delivered_reviews(rng, buyers) + _held_reviews(rng, buyers)
    if stdout:
        stdout.write(f"  wrote {written} demo reviews")
    return written
