"""Writes of reviews: writing and editing one (with the screen), deleting, staff moderation.

A review is published at once unless its comment trips the screen (``reviews.screen``); then it
waits as pending for staff. Staff move reviews between published, hidden and rejected along
``REVIEW_MOVES`` with a conditional update, and every change of status is written to
``ReviewModeration`` in the same transaction: who (no one for the screen), when, why. A
product's manufacturer is told the first time one of its reviews is published. Every write
recomputes the product's stored rating (``product_rating_refresh``) in the same transaction and
moves the catalogue's version on.
"""

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, DecimalField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import Product
from catalog.selectors import products_public
from catalog.version import catalogue_changed
from notifications.services import notify
from reviews.errors import ReviewError, ReviewErrorCode
from reviews.models import REVIEW_MOVES, SCREEN_MOVES, Review, ReviewModeration, ReviewStatus
from reviews.screen import review_screen
from reviews.selectors import review_verified_purchase
from users.models import User


def product_rating_refresh(*, product_ids=None) -> None:
    """Recompute the stored ``rating`` (mean of the published reviews, 0 without) and
    ``rating_count`` of these products (all products when None: after a bulk load). The two
    columns are the catalogue's (lists sort by them); reviews are what they are counted from.

    Recounted from the reviews rather than moved by deltas, so it cannot drift. The product
    rows are locked first (FOR NO KEY UPDATE: it does not conflict with the key-share lock a
    review insert holds), so two reviews of one product written at once are counted in turn,
    the second recount seeing the first review.
    """
    products = Product.objects.all()
    if product_ids is not None:
        ids = sorted(set(product_ids))
        products = products.filter(pk__in=ids)
        list(products.select_for_update(no_key=True).order_by("pk").values_list("pk"))
    published = (
        Review.objects.filter(product=OuterRef("pk"), status=ReviewStatus.PUBLISHED)
        .order_by()
        .values("product")
    )
    rating = DecimalField(max_digits=3, decimal_places=2)
    products.update(
        rating=Coalesce(
            Subquery(published.annotate(v=Avg("rating")).values("v"), output_field=rating),
            Value(0, output_field=rating),
        ),
        rating_count=Coalesce(Subquery(published.annotate(n=Count("pk")).values("n")), 0),
    )
    catalogue_changed(listing=False)  # ratings reorder lists; they never add or drop products


def _record(
    *, review: Review, from_status: str, to_status: str, actor: User | None, reason: str
) -> ReviewModeration:
    return ReviewModeration.objects.create(
        review=review, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )


def _first_publication(review: Review) -> None:
    """Stamp ``published_at`` once and tell the manufacturer, the first time only."""
    now = timezone.now()
    if Review.objects.filter(pk=review.pk, published_at__isnull=True).update(published_at=now):
        review.published_at = now
        product = review.product
        notify(
            event="new_review",
            recipients=[product.manufacturer],
            context={
                "product_name": product.name,
                "rating": review.rating,
                "reviewer_name": review.author_name,
            },
            link=f"/admin/reviews/review/{review.pk}/change/",
        )


@transaction.atomic
def review_create(*, product: Product, author: User, rating: int, comment: str = "") -> Review:
    """Write ``author``'s review of a product the storefront shows (``products_public``: not
    one in a hidden category or of a suspended seller): published at once, or pending when the
    screen holds it (recorded with the screen's reason)."""
    if not products_public().filter(pk=product.pk).exists():
        raise ReviewError(
            "This product is not in the catalogue.", code=ReviewErrorCode.REVIEW_PRODUCT_NOT_PUBLIC
        )
    if product.manufacturer_id == author.pk:
        raise ReviewError(
            "You cannot review your own product.", code=ReviewErrorCode.REVIEW_OWN_PRODUCT
        )
    if Review.objects.filter(product=product, user=author).exists():
        raise ReviewError(
            "You have already reviewed this product.", code=ReviewErrorCode.REVIEW_ALREADY_REVIEWED
        )
    comment = (comment or "").strip()
    hold = review_screen(text=comment)
    review = Review(
        product=product,
        user=author,
        rating=rating,
        comment=comment,
        status=ReviewStatus.PENDING if hold else ReviewStatus.PUBLISHED,
        moderation_reason=hold.value if hold else "",
        verified_purchase=review_verified_purchase(user=author, product=product),
    )
    review.full_clean(validate_constraints=False)  # the one-per-user rule is checked above
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        # The same author posting twice at once: the unique constraint settles it.
        raise ReviewError(
            "You have already reviewed this product.", code=ReviewErrorCode.REVIEW_ALREADY_REVIEWED
        ) from None
    if hold:
        _record(review=review, from_status="", to_status=review.status, actor=None, reason=hold)
    else:
        _first_publication(review)
        product_rating_refresh(product_ids=[review.product_id])
    return review


@transaction.atomic
def review_update(
    *, review: Review, actor: User, rating: int | None = None, comment: str | None = None
) -> Review:
    """The author edits their review. A new comment goes through the screen again: a published
    review it trips waits as pending; a pending one that now passes is published. Staff's
    decisions (hidden, rejected) stay as they are."""
    if review.user_id is None or review.user_id != actor.pk:
        raise ReviewError("Only its author can edit a review.", code=ReviewErrorCode.REVIEW_NOT_AUTHOR)
    fields = ["verified_purchase", "updated_at"]
    if rating is not None:
        review.rating = rating
        fields.append("rating")
    if comment is not None:
        review.comment = comment.strip()
        fields.append("comment")
    review.verified_purchase = review_verified_purchase(user=actor, product=review.product)
    review.full_clean(validate_constraints=False)
    before = review.status
    hold = review_screen(text=review.comment) if comment is not None else None
    screened = ReviewStatus.PENDING if hold else ReviewStatus.PUBLISHED
    if comment is not None and SCREEN_MOVES.allows(before, screened):
        review.status, review.moderation_reason = screened, hold.value if hold else ""
    if review.status != before:
        fields += ["status", "moderation_reason"]
    review.save(update_fields=fields)
    if review.status != before:
        reason = hold.value if hold else "Passed the screen after an edit."
        _record(review=review, from_status=before, to_status=review.status, actor=None,
                reason=reason)
        if review.status == ReviewStatus.PUBLISHED:
            _first_publication(review)
    product_rating_refresh(product_ids=[review.product_id])
    return review


def _require_staff(actor: User, what: str) -> None:
    if not (actor.is_authenticated and actor.is_staff):
        raise ReviewError(f"Only staff can {what} reviews.", code=ReviewErrorCode.REVIEW_STAFF_ONLY)


@transaction.atomic
def review_delete(*, review: Review, actor: User) -> None:
    """Staff remove a review for good (its moderation history goes with it)."""
    _require_staff(actor, "delete")
    product_id = review.product_id
    review.delete()
    product_rating_refresh(product_ids=[product_id])


@transaction.atomic
def review_moderate(
    *, review: Review, actor: User, to: ReviewStatus, reason: str = ""
) -> Review:
    """Staff publish, hide or reject a review along ``REVIEW_MOVES``; hiding and rejecting need
    a reason. A conditional update, so two moderators acting at once cannot both succeed;
    recorded with who and why."""
    _require_staff(actor, "moderate")
    to = ReviewStatus(to)
    if not REVIEW_MOVES.sources(to):
        raise ReviewError(
            f"A review cannot be moved to “{to.label}” by hand.",
            code=ReviewErrorCode.REVIEW_INVALID_TRANSITION,
        )
    reason = (reason or "").strip()
    if to != ReviewStatus.PUBLISHED and not reason:
        raise ReviewError(
            "Say why: the reason is kept with the review.",
            code=ReviewErrorCode.REVIEW_REASON_REQUIRED,
            field="reason",
        )
    now = timezone.now()
    current = review.status
    refused = REVIEW_MOVES.move(
        Review, pk=review.pk, to=to, moderation_reason=reason, moderated_by=actor, moderated_at=now
    )
    if refused is not None:
        raise ReviewError(
            f"This review is {ReviewStatus(refused).label.lower()} and cannot become "
            f"{to.label.lower()}.",
            code=ReviewErrorCode.REVIEW_INVALID_TRANSITION,
        )
    review.status, review.moderation_reason = to, reason
    review.moderated_by, review.moderated_at = actor, now
    _record(review=review, from_status=current, to_status=to, actor=actor, reason=reason)
    if to == ReviewStatus.PUBLISHED:
        _first_publication(review)
    product_rating_refresh(product_ids=[review.product_id])
    return review


def reviews_moderate(
    *, reviews, actor: User, to: ReviewStatus, reason: str = ""
) -> tuple[list[Review], list[tuple[Review, str]]]:
    """Moderate many reviews, each in its own transaction: (done, skipped with why)."""
    done, skipped = [], []
    for review in reviews:
        try:
            done.append(review_moderate(review=review, actor=actor, to=to, reason=reason))
        except ReviewError as exc:
            skipped.append((review, exc.messages[0]))
    return done, skipped
