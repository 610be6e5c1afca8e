"""Review moderation: the screen, staff's decisions (recorded), the manufacturer's alert, and
the admin's moderation queue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Product, Review, ReviewModeration, ReviewStatus
from catalog.selectors import products_with_details, reviews_public
from catalog.services import (
    CatalogError,
    ReviewHold,
    product_approve,
    review_create,
    review_moderate,
    review_screen,
    review_update,
    reviews_moderate,
)
from notifications.models import Notification

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_review_changelist")
LINK_HOLD = "Held for moderation: the comment contains a link."


@pytest.fixture
def pixel(manufacturer_a, staff_user, phones, make_product) -> Product:
    product = make_product(manufacturer_a, category=phones, name="Pixel 9")
    product_approve(product=product, actor=staff_user)
    return Product.objects.get(pk=product.pk)


@pytest.fixture
def authors(make_user):
    return [make_user(f"author{n}@martaf.test", is_customer=True, first_name=f"A{n}")
            for n in range(6)]


def _new_review_alerts(user) -> int:
    return Notification.objects.filter(user=user, event="new_review").count()


def _history(review) -> list[tuple]:
    return list(
        ReviewModeration.objects.filter(review=review)
        .order_by("id")
        .values_list("from_status", "to_status", "actor", "reason")
    )


# --- the screen ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, hold",
    [
        ("Great phone, fast delivery.", None),
        ("Details at https://example.org/x", ReviewHold.LINK),
        ("see www.example.org", ReviewHold.LINK),
        ("order from cheapphones.com now", ReviewHold.LINK),
        ("Version 2.0 is better, e.g. the camera", None),
        ("THIS PHONE IS TERRIBLE", ReviewHold.ALL_CAPS),
        ("GOOD PHONE!", None),  # too short to count as shouting
        ("GREAT phone, really great", None),
        ("ЭТО ОТЛИЧНЫЙ ТЕЛЕФОН", ReviewHold.ALL_CAPS),
        ("", None),
    ],
)
def test_the_screen(text, hold):
    assert review_screen(text=text) == hold


def test_blocked_words_are_whole_words_or_phrases_in_any_case(settings):
    settings.REVIEW_BLOCKED_WORDS = ["scam", "buy now"]

    assert review_screen(text="Total SCAM.") == ReviewHold.BLOCKED_WORD
    assert review_screen(text="please Buy  now") is None  # two spaces: not the phrase
    assert review_screen(text="please buy now!") == ReviewHold.BLOCKED_WORD
    assert review_screen(text="Loved the scampi") is None


def test_each_check_can_be_switched_off(settings):
    settings.REVIEW_SCREEN_LINKS = False
    settings.REVIEW_SCREEN_ALL_CAPS = False

    assert review_screen(text="https://example.org") is None
    assert review_screen(text="THIS PHONE IS TERRIBLE") is None


# --- writing: held or published -----------------------------------------------------------------


def test_a_clean_review_is_published_and_the_manufacturer_told_once(
    pixel, authors, manufacturer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = review_create(product=pixel, author=authors[0], rating=5, comment="Lovely")

    assert review.status == ReviewStatus.PUBLISHED
    assert review.published_at is not None
    assert _history(review) == []
    alert = Notification.objects.get(user=manufacturer_a, event="new_review")
    assert alert.link == f"/admin/catalog/review/{review.pk}/change/"


def test_a_held_review_is_pending_recorded_and_not_announced(pixel, authors, manufacturer_a):
    review = review_create(product=pixel, author=authors[0], rating=1, comment="http://x.example")

    assert review.status == ReviewStatus.PENDING
    assert review.moderation_reason == LINK_HOLD
    assert review.published_at is None
    assert _history(review) == [("", "pending", None, LINK_HOLD)]
    assert _new_review_alerts(manufacturer_a) == 0
    assert list(reviews_public()) == []


def test_a_product_that_is_not_public_cannot_be_reviewed(
    manufacturer_a, phones, make_product, authors
):
    draft = make_product(manufacturer_a, category=phones)

    with pytest.raises(CatalogError, match="not in the catalogue"):
        review_create(product=draft, author=authors[0], rating=5)
    assert not Review.objects.exists()


def test_editing_in_a_link_sends_a_published_review_back_to_pending(pixel, authors):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="Fine")

    review_update(review=review, actor=authors[0], comment="more at www.example.org")

    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    assert _history(review) == [("published", "pending", None, LINK_HOLD)]


def test_a_held_review_edited_clean_is_published_and_announced(pixel, authors, manufacturer_a):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="www.x.org")

    review_update(review=review, actor=authors[0], comment="Fine phone")

    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.moderation_reason == ""
    assert _history(review)[-1] == ("pending", "published", None,
                                    "Passed the screen after an edit.")
    assert _new_review_alerts(manufacturer_a) == 1


def test_a_hidden_review_stays_hidden_when_its_author_edits_it(pixel, authors, staff_user):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="Fine")
    review_moderate(review=review, actor=staff_user, to=ReviewStatus.HIDDEN, reason="Spoiler")

    review_update(review=review, actor=authors[0], comment="Still fine")

    assert Review.objects.get(pk=review.pk).status == ReviewStatus.HIDDEN


def test_only_the_author_edits(pixel, authors):
    review = review_create(product=pixel, author=authors[0], rating=4, comment="Fine")

    with pytest.raises(CatalogError, match="Only its author"):
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
    assert _history(review)[-1] == ("pending", "published", staff_user.pk,
                                    "Link is the maker's own site")
    assert _new_review_alerts(manufacturer_a) == 1


def test_hidden_reviews_leave_the_rating_and_republishing_does_not_alert_again(
    pixel, authors, staff_user, manufacturer_a
):
    keep = review_create(product=pixel, author=authors[0], rating=5)
    hide = review_create(product=pixel, author=authors[1], rating=1)

    review_moderate(review=hide, actor=staff_user, to=ReviewStatus.HIDDEN, reason="Abusive")
    product = products_with_details(Product.objects.filter(pk=pixel.pk)).get()
    assert (product.rating_count, float(product.rating)) == (1, 5.0)
    assert [r.pk for r in product.recent_reviews] == [keep.pk]

    review_moderate(review=hide, actor=staff_user, to=ReviewStatus.PUBLISHED)
    assert _new_review_alerts(manufacturer_a) == 2  # one per review, none for re-publishing


@pytest.mark.parametrize("to", [ReviewStatus.REJECTED, ReviewStatus.HIDDEN])
def test_rejecting_or_hiding_needs_a_reason(pixel, authors, staff_user, to):
    review = review_create(product=pixel, author=authors[0], rating=5)

    with pytest.raises(CatalogError, match="Say why"):
        review_moderate(review=review, actor=staff_user, to=to, reason="  ")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED
    assert _history(review) == []


def test_only_staff_moderate(pixel, authors, manufacturer_a):
    review = review_create(product=pixel, author=authors[0], rating=5)

    with pytest.raises(CatalogError, match="Only staff"):
        review_moderate(review=review, actor=manufacturer_a, to=ReviewStatus.HIDDEN, reason="No")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PUBLISHED


def test_a_decision_on_a_stale_review_is_refused(pixel, authors, staff_user):
    review = review_create(product=pixel, author=authors[0], rating=5)
    stale = Review.objects.get(pk=review.pk)
    review_moderate(review=review, actor=staff_user, to=ReviewStatus.REJECTED, reason="Fake")

    with pytest.raises(CatalogError, match="is rejected and cannot become hidden"):
        review_moderate(review=stale, actor=staff_user, to=ReviewStatus.HIDDEN, reason="x")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.REJECTED
    assert len(_history(review)) == 1


def test_staff_never_send_a_review_back_to_pending(pixel, authors, staff_user):
    review = review_create(product=pixel, author=authors[0], rating=5)

    with pytest.raises(CatalogError, match="cannot be moved"):
        review_moderate(review=review, actor=staff_user, to=ReviewStatus.PENDING)


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


# --- the admin queue ------------------------------------------------------------------------------


@pytest.fixture
def mixed_reviews(pixel, authors, staff_user):
    published = review_create(product=pixel, author=authors[0], rating=5, comment="Fine")
    held_old = review_create(product=pixel, author=authors[1], rating=1, comment="www.a.org")
    hidden = review_create(product=pixel, author=authors[2], rating=2, comment="Meh")
    review_moderate(review=hidden, actor=staff_user, to=ReviewStatus.HIDDEN, reason="Off topic")
    held_new = review_create(product=pixel, author=authors[3], rating=1, comment="www.b.org")
    return {"published": published, "held_old": held_old, "hidden": hidden,
            "held_new": held_new}


def test_the_queue_lists_pending_reviews_first(client, staff_user, mixed_reviews):
    client.force_login(staff_user)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    order = [r.pk for r in response.context["cl"].result_list]
    r = mixed_reviews
    assert order == [r["held_new"].pk, r["held_old"].pk, r["hidden"].pk, r["published"].pk]


def test_bulk_reject_asks_for_a_reason_then_records_it(client, staff_user, mixed_reviews):
    client.force_login(staff_user)
    held = [mixed_reviews["held_old"], mixed_reviews["held_new"]]
    selection = {"action": "reject_selected", "_selected_action": [r.pk for r in held]}

    confirm = client.post(CHANGELIST, selection)
    no_reason = client.post(CHANGELIST, {**selection, "reason": ""})

    assert confirm.status_code == no_reason.status_code == 200
    assert "These 2 reviews will be rejected" in confirm.content.decode()
    assert Review.objects.filter(status=ReviewStatus.PENDING).count() == 2

    done = client.post(CHANGELIST, {**selection, "reason": "Spam links"})

    assert done.status_code == 302
    for review in held:
        review.refresh_from_db()
        assert (review.status, review.moderation_reason, review.moderated_by) == (
            ReviewStatus.REJECTED, "Spam links", staff_user)
        assert _history(review)[-1] == ("pending", "rejected", staff_user.pk, "Spam links")


def test_bulk_publish_needs_no_reason(client, staff_user, manufacturer_a, mixed_reviews):
    client.force_login(staff_user)
    alerts_before = _new_review_alerts(manufacturer_a)
    selection = {"action": "approve_selected",
                 "_selected_action": [mixed_reviews["held_old"].pk, mixed_reviews["hidden"].pk]}

    done = client.post(CHANGELIST, {**selection, "reason": ""})

    assert done.status_code == 302
    assert Review.objects.filter(status=ReviewStatus.PUBLISHED).count() == 3
    # The held review is new to the storefront; the hidden one was published before.
    assert _new_review_alerts(manufacturer_a) == alerts_before + 1


def test_bulk_hide_with_a_reason(client, staff_user, mixed_reviews):
    client.force_login(staff_user)

    client.post(CHANGELIST, {"action": "hide_selected", "reason": "Duplicate",
                             "_selected_action": [mixed_reviews["published"].pk]})

    review = Review.objects.get(pk=mixed_reviews["published"].pk)
    assert (review.status, review.moderation_reason) == (ReviewStatus.HIDDEN, "Duplicate")


def test_detail_actions_publish_and_reject(client, staff_user, mixed_reviews):
    client.force_login(staff_user)
    held, held_new, other = (mixed_reviews[k] for k in ("held_old", "held_new", "published"))
    approve_url = reverse("admin:catalog_review_approve_detail", args=[held.pk])

    page = client.get(reverse("admin:catalog_review_change", args=[held.pk]))
    dialog = client.get(approve_url)  # a confirmation dialog: nothing happens on GET
    assert Review.objects.get(pk=held.pk).status == ReviewStatus.PENDING
    approve = client.post(approve_url, {"_form_submitted": "on"})
    reject = client.post(reverse("admin:catalog_review_reject_detail", args=[other.pk]),
                         {"reason": "Fake", "_form_submitted": "on"})

    assert page.status_code == dialog.status_code == 200
    assert "Moderation history" in page.content.decode()
    assert Review.objects.get(pk=held.pk).status == ReviewStatus.PUBLISHED
    # After a decision the page goes on to the next review waiting for moderation.
    assert approve["HX-Redirect"] == reverse("admin:catalog_review_change", args=[held_new.pk])
    assert reject["HX-Redirect"] == reverse("admin:catalog_review_change", args=[held_new.pk])
    assert Review.objects.get(pk=other.pk).status == ReviewStatus.REJECTED


def test_the_last_decision_goes_back_to_the_list(client, staff_user, mixed_reviews):
    client.force_login(staff_user)
    review_moderate(review=mixed_reviews["held_new"], actor=staff_user, to=ReviewStatus.PUBLISHED)
    held = mixed_reviews["held_old"]

    response = client.post(
        reverse("admin:catalog_review_hide_detail", args=[held.pk]),
        {"reason": "Spam", "_form_submitted": "on"},
    )

    assert response["HX-Redirect"] == CHANGELIST
    assert Review.objects.get(pk=held.pk).status == ReviewStatus.HIDDEN


def test_a_manufacturer_reads_their_products_reviews_only_and_cannot_moderate(
    client, manufacturer_a, manufacturer_b, mixed_reviews, phones, make_product, staff_user,
    authors,
):
    other = make_product(manufacturer_b, category=phones, name="Galaxy")
    product_approve(product=other, actor=staff_user)
    foreign = review_create(product=other, author=authors[5], rating=3)
    client.force_login(manufacturer_a)
    held = mixed_reviews["held_old"]

    listed = client.get(CHANGELIST)
    own = client.get(reverse("admin:catalog_review_change", args=[held.pk]))
    not_own = client.get(reverse("admin:catalog_review_change", args=[foreign.pk]))
    bulk = client.post(CHANGELIST, {"action": "approve_selected", "reason": "",
                                    "_selected_action": [held.pk]})
    detail = client.post(reverse("admin:catalog_review_approve_detail", args=[held.pk]),
                         {"_form_submitted": "on"})

    assert {r.pk for r in listed.context["cl"].result_list} == {
        r.pk for r in mixed_reviews.values()}
    assert listed.context["cl"].model_admin.get_actions(listed.wsgi_request) == {}
    assert own.status_code == 200
    assert "Moderation history" not in own.content.decode()
    assert not_own.status_code == 302  # "doesn't exist" and back to the index
    assert bulk.status_code == 200  # no action offered: the list is shown again
    assert detail.status_code == 403
    assert Review.objects.get(pk=held.pk).status == ReviewStatus.PENDING
    assert _history(held) == [("", "pending", None, LINK_HOLD)]


def test_the_review_changelist_query_count_does_not_grow(
    client, staff_user, pixel, make_user
):
    client.force_login(staff_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    for n in range(3):
        review_create(product=pixel, author=make_user(f"few{n}@x.test"), rating=3)
    few = count()
    for n in range(30):
        review_create(product=pixel, author=make_user(f"many{n}@x.test"), rating=4)
    many = count()

    assert few == many
