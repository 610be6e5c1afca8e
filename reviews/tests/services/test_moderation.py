"""Writing reviews (held or published), the author's edits, and staff's decisions: recorded,
announced to the manufacturer once, along the allowed moves only."""

import pytest

from catalog.models import ApprovalStatus, Category
from catalog.selectors import products_in_order
from catalog.services import category_update
from notifications.models import Notification
from reviews.errors import ReviewError, ReviewErrorCode
from reviews.models import REVIEW_MOVES, Review, ReviewStatus
from reviews.selectors import reviews_public
from reviews.services import review_create, review_moderate, review_update, reviews_moderate
from reviews.tests.helpers import LINK_HOLD, history, new_review_alerts
from users.onboarding import manufacturers_decide

pytestmark = pytest.mark.django_db


# --- writing: held or published -----------------------------------------------------------------


def test_a_clean_review_is_published_and_the_manufacturer_told_once(
    pixel, authors, manufacturer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = review_create(product=pixel, author=authors[0], rating=5, comment="Lovely")

    assert review.status == ReviewStatus.PUBLISHED
    assert review.published_at is not None
    assert history(review) == []
    alert = Notification.objects.get(user=manufacturer_a, event="new_review")
    assert alert.link == f"/admin/reviews/review/{review.pk}/change/"


def test_a_held_review_is_pending_recorded_and_not_announced(pixel, authors, manufacturer_a):
    review = review_create(product=pixel, author=authors[0], rating=1, comment="http://x.example")

    assert review.status == ReviewStatus.PENDING
    assert review.moderation_reason == LINK_HOLD
    assert review.published_at is None
    assert history(review) == [("", "pending", None, LINK_HOLD)]
    assert new_review_alerts(manufacturer_a) == 0
    assert list(reviews_public()) == []


def test_a_product_that_is_not_public_cannot_be_reviewed(
    manufacturer_a, phones, make_product, authors
):
    draft = make_product(manufacturer_a, category=phones)

    with pytest.raises(ReviewError, match="not in the catalogue"):
        review_create(product=draft, author=authors[0], rating=5)
    assert not Review.objects.exists()


@pytest.mark.parametrize("hidden_by", ["suspended seller", "hidden category"])
def test_a_public_looking_product_the_storefront_hides_cannot_be_reviewed(
    pixel, authors, manufacturer_a, staff_user, hidden_by
):
    """Approved and active, but the storefront does not show it (``products_public``): its
    seller is suspended, or its category (here an ancestor) is switched off."""
    if hidden_by == "suspended seller":
        manufacturers_decide(users=[manufacturer_a], actor=staff_user, decision="suspend",
                             reason="Unpaid fees")
    else:
        electronics = Category.objects.get(slug="electronics")
        category_update(category=electronics, name=electronics.name, description="",
                        is_active=False)
    pixel.refresh_from_db()
    assert (pixel.is_active, pixel.approval_status) == (True, ApprovalStatus.APPROVED)

    with pytest.raises(ReviewError, match="not in the catalogue") as refused:
        review_create(product=pixel, author=authors[0], rating=5)

    assert refused.value.code == ReviewErrorCode.REVIEW_PRODUCT_NOT_PUBLIC
    assert not Review.objects.exists()
    assert (pixel.rating_count, new_review_alerts(manufacturer_a)) == (0, 0)


def test_editing_in_a_link_sends_a_published_review_back_to_pending(pixel, authors):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="Fine")

    review_update(review=review, actor=authors[0], comment="more at www.example.org")

    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    assert history(review) == [("published", "pending", None, LINK_HOLD)]


def test_a_held_review_edited_clean_is_published_and_announced(pixel, authors, manufacturer_a):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="www.x.org")

    review_update(review=review, actor=authors[0], comment="Fine phone")

    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.moderation_reason == ""
    assert history(review)[-1] == ("pending", "published", None,
                                    "Passed the screen after an edit.")
    assert new_review_alerts(manufacturer_a) == 1


def test_a_hidden_review_stays_hidden_when_its_author_edits_it(pixel, authors, staff_user):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="Fine")
    review_moderate(review=review, actor=staff_user, to=ReviewStatus.HIDDEN, reason="Spoiler")

    review_update(review=review, actor=authors[0], comment="Still fine")

    assert Review.objects.get(pk=review.pk).status == ReviewStatus.HIDDEN


def test_only_the_author_edits(pixel, authors):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="Fine")

    with pytest.raises(ReviewError, match="Only its author"):
        review_update(review=review, actor=authors[1], rating=1)
    assert Review.objects.get(pk=review.pk).rating == 4


# --- staff decisions ----------------------------------------------------------------------------


def test_approving_a_held_review_publishes_it_records_who_and_tells_the_manufacturer(
    pixel, authors, staff_user, manufacturer_a
):
    review = review_create(product=pixel, author=authors[0], rating=5, comment="www.ok.org")

    review_moderate(review=review, actor=staff_user, to=ReviewStatus.PUBLISHED,
                    reason="Link is the maker's own site")

    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert (review.moderated_by, review.moderation_reason) == (
        staff_user, "Link is the maker's own site")
    assert review.moderated_at is not None and review.published_at is not None
    assert history(review)[-1] == ("pending", "published", staff_user.pk,
                                    "Link is the maker's own site")
    assert new_review_alerts(manufacturer_a) == 1


def test_hidden_reviews_leave_the_rating_and_republishing_does_not_alert_again(
    pixel, authors, staff_user, manufacturer_a
):
    keep = review_create(product=pixel, author=authors[0], rating=5)
    hide = review_create(product=pixel, author=authors[1], rating=1)

    review_moderate(review=hide, actor=staff_user, to=ReviewStatus.HIDDEN, reason="Abusive")
    [product] = products_in_order(ids=[pixel.pk])
    assert (product.rating_count, float(product.rating)) == (1, 5.0)
    assert [r["id"] for r in product.sections["reviews_data"]] == [keep.pk]

    review_moderate(review=hide, actor=staff_user, to=ReviewStatus.PUBLISHED)
    assert new_review_alerts(manufacturer_a) == 2  # one per review, none for re-publishing


@pytest.mark.parametrize("to", [ReviewStatus.REJECTED, ReviewStatus.HIDDEN])
def test_rejecting_or_hiding_needs_a_reason(pixel, authors, staff_user, to):
    review = review_create(product=pixel, author=authors[0], rating=5)

    with pytest.raises(ReviewError, match="Say why"):
        review_moderate(review=review, actor=staff_user, to=to, reason="  ")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED
    assert history(review) == []


def test_only_staff_moderate(pixel, authors, manufacturer_a):
    review = review_create(product=pixel, author=authors[0], rating=5)

    with pytest.raises(ReviewError, match="Only staff"):
        review_moderate(review=review, actor=manufacturer_a, to=ReviewStatus.HIDDEN, reason="No")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED


def test_a_decision_on_a_stale_review_is_refused(pixel, authors, staff_user):
    review = review_create(product=pixel, author=authors[0], rating=5)
    stale = Review.objects.get(pk=review.pk)
    review_moderate(review=review, actor=staff_user, to=ReviewStatus.REJECTED, reason="Fake")

    with pytest.raises(ReviewError, match="is rejected and cannot become hidden"):
        review_moderate(review=stale, actor=staff_user, to=ReviewStatus.HIDDEN, reason="x")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.REJECTED
    assert len(history(review)) == 1


def test_staff_never_send_a_review_back_to_pending(pixel, authors, staff_user):
    review = review_create(product=pixel, author=authors[0], rating=5)

    with pytest.raises(ReviewError, match="cannot be moved"):
        review_moderate(review=review, actor=staff_user, to=ReviewStatus.PENDING)


# to <- the statuses it may come from: staff's moves as they were before the one table.
STAFF_MOVES = {
    ReviewStatus.PUBLISHED: {ReviewStatus.PENDING, ReviewStatus.HIDDEN, ReviewStatus.REJECTED},
    ReviewStatus.HIDDEN: {ReviewStatus.PENDING, ReviewStatus.PUBLISHED},
    ReviewStatus.REJECTED: {ReviewStatus.PENDING, ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN},
}


def test_every_move_staff_ask_for_follows_the_table(pixel, authors, staff_user):
    review = review_create(product=pixel, author=authors[0], rating=5)
    for to in ReviewStatus:
        assert REVIEW_MOVES.sources(to) == STAFF_MOVES.get(to, set()), to
        for frm in ReviewStatus:
            Review.objects.filter(pk=review.pk).update(status=frm)
            review.refresh_from_db()
            try:
                review_moderate(review=review, actor=staff_user, to=to, reason="Checked")
            except ReviewError as refused:
                assert refused.code == ReviewErrorCode.REVIEW_INVALID_TRANSITION
                assert frm not in STAFF_MOVES.get(to, set()), (frm, to)
                assert Review.objects.get(pk=review.pk).status == frm
            else:
                assert frm in STAFF_MOVES[to], (frm, to)
                assert Review.objects.get(pk=review.pk).status == to
                assert history(review)[-1] == (frm, to, staff_user.pk, "Checked")


def test_bulk_moderation_reports_what_it_skipped(pixel, authors, staff_user):
    published = review_create(product=pixel, author=authors[0], rating=5)
    rejected = review_create(product=pixel, author=authors[1], rating=5)
    review_moderate(review=rejected, actor=staff_user, to=ReviewStatus.REJECTED, reason="Fake")

    done, skipped = reviews_moderate(
        reviews=Review.objects.order_by("id"), actor=staff_user, to=ReviewStatus.HIDDEN,
        reason="Cleanup",
    )

    assert [r.pk for r in done] == [published.pk]
    assert [(r.pk, why) for r, why in skipped] == [
        (rejected.pk, "This review is rejected and cannot become hidden.")
    ]
