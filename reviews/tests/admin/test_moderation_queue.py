"""The admin's moderation queue: pending reviews first, bulk and one-at-a-time decisions with
their reasons, and what a manufacturer may do there (read their products' reviews only)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.services import product_approve
from reviews.models import Review, ReviewStatus
from reviews.services import review_create, review_moderate
from reviews.tests.helpers import LINK_HOLD, history, new_review_alerts

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_review_changelist")



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
        assert history(review)[-1] == ("pending", "rejected", staff_user.pk, "Spam links")


def test_bulk_publish_needs_no_reason(client, staff_user, manufacturer_a, mixed_reviews):
    client.force_login(staff_user)
    alerts_before = new_review_alerts(manufacturer_a)
    selection = {"action": "approve_selected",
                 "_selected_action": [mixed_reviews["held_old"].pk, mixed_reviews["hidden"].pk]}

    done = client.post(CHANGELIST, {**selection, "reason": ""})

    assert done.status_code == 302
    assert Review.objects.filter(status=ReviewStatus.PUBLISHED).count() == 3
    # The held review is new to the storefront; the hidden one was published before.
    assert new_review_alerts(manufacturer_a) == alerts_before + 1


def test_bulk_hide_with_a_reason(client, staff_user, mixed_reviews):
    client.force_login(staff_user)

    client.post(CHANGELIST, {"action": "hide_selected", "reason": "Duplicate",
                             "_selected_action": [mixed_reviews["published"].pk]})

    review = Review.objects.get(pk=mixed_reviews["published"].pk)
    assert (review.status, review.moderation_reason) == (ReviewStatus.HIDDEN, "Duplicate")


def test_detail_actions_publish_and_reject(client, staff_user, mixed_reviews):
    client.force_login(staff_user)
    held, held_new, other = (mixed_reviews[k] for k in ("held_old", "held_new", "published"))
    approve_url = reverse("admin:reviews_review_approve_detail", args=[held.pk])

    page = client.get(reverse("admin:reviews_review_change", args=[held.pk]))
    dialog = client.get(approve_url)  # a confirmation dialog: nothing happens on GET
    assert Review.objects.get(pk=held.pk).status == ReviewStatus.PENDING
    approve = client.post(approve_url, {"_form_submitted": "on"})
    reject = client.post(reverse("admin:reviews_review_reject_detail", args=[other.pk]),
                         {"reason": "Fake", "_form_submitted": "on"})

    assert page.status_code == dialog.status_code == 200
    assert "Moderation history" in page.content.decode()
    assert Review.objects.get(pk=held.pk).status == ReviewStatus.PUBLISHED
    # After a decision the page goes on to the next review waiting for moderation.
    assert approve["HX-Redirect"] == reverse("admin:reviews_review_change", args=[held_new.pk])
    assert reject["HX-Redirect"] == reverse("admin:reviews_review_change", args=[held_new.pk])
    assert Review.objects.get(pk=other.pk).status == ReviewStatus.REJECTED


def test_the_last_decision_goes_back_to_the_list(client, staff_user, mixed_reviews):
    client.force_login(staff_user)
    review_moderate(review=mixed_reviews["held_new"], actor=staff_user, to=ReviewStatus.PUBLISHED)
    held = mixed_reviews["held_old"]

    response = client.post(
        reverse("admin:reviews_review_hide_detail", args=[held.pk]),
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
    own = client.get(reverse("admin:reviews_review_change", args=[held.pk]))
    not_own = client.get(reverse("admin:reviews_review_change", args=[foreign.pk]))
    bulk = client.post(CHANGELIST, {"action": "approve_selected", "reason": "",
                                    "_selected_action": [held.pk]})
    detail = client.post(reverse("admin:reviews_review_approve_detail", args=[held.pk]),
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
    assert history(held) == [("", "pending", None, LINK_HOLD)]


@pytest.mark.parametrize("who", ["staff_user", "manufacturer_a"])
def test_the_review_changelist_query_count_does_not_grow(
    client, request, pixel, make_user, who
):
    client.force_login(request.getfixturevalue(who))

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
