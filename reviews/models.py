"""Reviews of products, the audit of their moderation, and the moves staff may make.

The tables kept the names they had when reviews lived in the catalogue (``catalog_review``,
``catalog_reviewmoderation``, and their constraint and index names): the app moved, the data
stayed where it was (``reviews/migrations/0001_initial.py``).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from core.db import actor_field
from core.transitions import StatusMoves


class ReviewStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Pending moderation")
    HIDDEN = "hidden", _("Hidden")
    REJECTED = "rejected", _("Rejected")


class Review(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    # Reviews outlive the author's account (the author is then shown as "Former customer").
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED
    )
    moderation_reason = models.CharField(_("moderation reason"), max_length=255, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Set by the review services when the review is written or edited (a delivered order of the
    # author's holds the product: ``reviews.selectors.review_verified_purchase``), so lists
    # never look at orders.
    verified_purchase = models.BooleanField(_("verified purchase"), default=False, editable=False)
    # The first time the review went public: the manufacturer is told once, not on every
    # hide / re-publish.
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "catalog_review"
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="catalog_review_rating_1_5"
            ),
            models.UniqueConstraint(
                fields=["product", "user"],
                condition=Q(user__isnull=False),
                name="catalog_review_one_per_user_product",
                violation_error_message=_("You have already reviewed this product."),
            ),
        ]
        indexes = [
            models.Index(fields=["product", "status"], name="catalog_review_prod_status"),
            models.Index(fields=["status", "created_at"], name="catalog_review_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ on {self.product}"

    @property
    def author_name(self) -> str:
        """The public name of the author: "Ama K." (first name, last initial), never the email."""
        if self.user is None:
            return review_author_name(first_name=None, last_name=None)
        return review_author_name(first_name=self.user.first_name, last_name=self.user.last_name)


# Staff's moderation: where a review in each status may be moved (core.transitions). Staff never
# send a review back to pending: pending means "held by the screen, nobody decided yet".
REVIEW_MOVES = StatusMoves(
    "status",
    {
        ReviewStatus.PENDING: {ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN, ReviewStatus.REJECTED},
        ReviewStatus.PUBLISHED: {ReviewStatus.HIDDEN, ReviewStatus.REJECTED},
        ReviewStatus.HIDDEN: {ReviewStatus.PUBLISHED, ReviewStatus.REJECTED},
        ReviewStatus.REJECTED: {ReviewStatus.PUBLISHED},
    },
)
# The screen's own moves when the author edits: a published review whose new comment trips the
# screen waits again; a held one whose new comment passes is published. Staff's decisions
# (hidden, rejected) are never undone by an edit.
SCREEN_MOVES = StatusMoves(
    "status",
    {
        ReviewStatus.PUBLISHED: {ReviewStatus.PENDING},
        ReviewStatus.PENDING: {ReviewStatus.PUBLISHED},
    },
)


def review_author_name(*, first_name: str | None, last_name: str | None) -> str:
    """How a review's author is shown, from their names (both None: the account is gone).
    The one rule, for model instances (``Review.author_name``) and value rows (lists)."""
    if first_name is None and last_name is None:
        return str(_("Former customer"))
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if first and last:
        return f"{first} {last[0]}."
    return first or last or str(_("Customer"))


class ReviewModeration(models.Model):
    """Audit of review status changes: the screen's holds (no actor) and staff's decisions."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="moderations")
    from_status = models.CharField(
        _("from"), max_length=10, choices=ReviewStatus.choices, blank=True
    )  # blank: the status the review was written with
    to_status = models.CharField(_("to"), max_length=10, choices=ReviewStatus.choices)
    actor = actor_field()
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        db_table = "catalog_reviewmoderation"
        verbose_name = _("moderation")
        verbose_name_plural = _("moderation history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.from_status or '-'} → {self.to_status}"
