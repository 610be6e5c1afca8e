"""Reviews moved out of the catalogue with their tables, rows, content types and permissions
(``catalog.0011_reviews_move_out`` and ``reviews.0001_initial``): on a database that holds
reviews, migrating forward keeps every row and every id, and the groups keep their grants.

The test migrates its own (test) database back to before the move and forward again
(``core.tests.migrating``).
"""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.tests.migrating import content_types_and_permissions_made, migrate, state_at
from reviews.models import Review, ReviewModeration

BEFORE_MOVE = ("catalog", "0010_import_image_urls")
MOVE = ("reviews", "0001_initial")
REVIEW_CODENAMES = {
    "view_review", "add_review", "change_review", "delete_review",
    "view_reviewmoderation", "add_reviewmoderation", "change_reviewmoderation",
    "delete_reviewmoderation",
}


def _reviews_before_the_move(apps) -> dict:
    """A product, its author and two reviews (one moderated), a group holding the review
    permissions and an admin history row, written through the models as they were then."""
    ContentType_ = apps.get_model("contenttypes", "ContentType")
    Permission_ = apps.get_model("auth", "Permission")
    User = apps.get_model("users", "User")
    Category = apps.get_model("catalog", "Category")
    Product = apps.get_model("catalog", "Product")
    OldReview = apps.get_model("catalog", "Review")
    OldModeration = apps.get_model("catalog", "ReviewModeration")

    maker = User.objects.create(email="maker@move.test", is_manufacturer=True,
                                manufacturer_status="active")
    author = User.objects.create(email="author@move.test", first_name="Ama", last_name="Kofi",
                                 manufacturer_status="active")
    category = Category.objects.create(name="Moved", slug="moved", path="ZZZ1", depth=1)
    product = Product.objects.create(manufacturer=maker, category=category, name="Moved phone",
                                     slug="moved-phone", handle="moved-phone",
                                     price=Decimal("10.00"))
    OldReview.objects.create(product=product, user=author, rating=4, comment="Good",
                             verified_purchase=True)
    held = OldReview.objects.create(product=product, user=None, rating=1, comment="www.x.org",
                                    status="hidden", moderation_reason="Spam")
    OldModeration.objects.create(review=held, from_status="", to_status="pending",
                                 reason="Held for moderation: the comment contains a link.")
    OldModeration.objects.create(review=held, from_status="pending", to_status="hidden",
                                 actor=maker, reason="Spam")

    types = ContentType_.objects.filter(app_label="catalog",
                                        model__in=["review", "reviewmoderation"])
    permissions = Permission_.objects.filter(content_type__in=types)
    moderators = apps.get_model("auth", "Group").objects.create(name="Review moderators")
    moderators.permissions.add(*permissions)
    manufacturers, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Manufacturers")
    manufacturers.permissions.add(permissions.get(codename="view_review"))
    apps.get_model("admin", "LogEntry").objects.create(
        user=maker, content_type=types.get(model="review"), object_id=str(held.pk),
        object_repr=str(held.pk), action_flag=2, change_message="Hidden",
    )
    return {
        "reviews": list(OldReview.objects.order_by("pk").values()),
        "moderations": list(OldModeration.objects.order_by("pk").values()),
        "types": dict(types.values_list("model", "pk")),
        "permissions": dict(permissions.values_list("codename", "pk")),
        "held": held.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_reviews_move_with_their_rows_content_types_and_permissions():
    content_types_and_permissions_made()
    executor = MigrationExecutor(connection)
    try:
        migrate(executor, [BEFORE_MOVE, ("reviews", None)])
        # ``imports``' first migration comes after the catalogue's of this move.
        state = state_at(executor, BEFORE_MOVE, left_out=("catalog", "reviews", "imports"))
        before = _reviews_before_the_move(state)
        assert set(before["permissions"]) >= REVIEW_CODENAMES
        assert set(before["types"]) == {"review", "reviewmoderation"}

        migrate(executor, [MOVE])
        ContentType.objects.clear_cache()

        # The same rows, read through the reviews app's models.
        assert list(Review.objects.order_by("pk").values()) == before["reviews"]
        assert list(ReviewModeration.objects.order_by("pk").values()) == before["moderations"]
        assert Review.objects.get(pk=before["held"]).moderations.count() == 2
        # The same content types and permissions (ids kept), now the reviews app's.
        assert ContentType.objects.get_for_model(Review).pk == before["types"]["review"]
        assert ContentType.objects.get_for_model(ReviewModeration).pk == (
            before["types"]["reviewmoderation"])
        assert not ContentType.objects.filter(app_label="catalog",
                                              model__in=["review", "reviewmoderation"]).exists()
        moved = dict(
            Permission.objects.filter(content_type__app_label="reviews")
            .values_list("codename", "pk")
        )
        assert {k: moved[k] for k in REVIEW_CODENAMES} == {
            k: before["permissions"][k] for k in REVIEW_CODENAMES}
        # The group still holds them, by the names code asks with; the admin's history stays.
        moderators = Group.objects.get(name="Review moderators")
        assert set(moderators.permissions.values_list("pk", flat=True)) == set(
            before["permissions"].values())
        manufacturers = Group.objects.get(name="Manufacturers")
        assert manufacturers.permissions.filter(
            content_type__app_label="reviews", codename="view_review").exists()
        entry = LogEntry.objects.get(object_id=str(before["held"]))
        assert entry.content_type_id == before["types"]["review"]
        assert entry.get_admin_url() == f"/admin/reviews/review/{before['held']}/change/"

        # Backwards: the content types go back to the catalogue, with the same ids.
        migrate(executor, [BEFORE_MOVE, ("reviews", None)])
        ContentType.objects.clear_cache()
        assert dict(
            ContentType.objects.filter(app_label="catalog",
                                       model__in=["review", "reviewmoderation"])
            .values_list("model", "pk")
        ) == before["types"]
    finally:
        migrate(executor, executor.loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_moving_again_folds_content_types_django_made_meanwhile():
    """After a rollback Django makes ``reviews`` content types anew (post_migrate) beside the
    catalogue's; moving forward again keeps the older ones (ids in use) with the grants made on
    the new ones, and running it twice changes nothing. The migration's own step, run on the
    current models (no migrating back and forth: it only touches content types, permissions
    and the admin's history)."""
    from importlib import import_module

    from django.apps import apps

    move = import_module("reviews.migrations.0001_initial")
    move.content_types_to_catalog(apps, None)  # as after a rollback
    old_type = ContentType.objects.get(app_label="catalog", model="review")
    old_view = Permission.objects.get(content_type=old_type, codename="view_review")
    stray_type = ContentType.objects.create(app_label="reviews", model="review")
    stray_view = Permission.objects.create(content_type=stray_type, codename="view_review",
                                           name="Can view review")
    stray_extra = Permission.objects.create(content_type=stray_type, codename="export_review",
                                            name="Can export review")
    readers = Group.objects.create(name="Review readers")
    readers.permissions.add(stray_view, stray_extra)

    move.content_types_to_reviews(apps, None)
    move.content_types_to_reviews(apps, None)  # again: nothing left to move

    assert ContentType.objects.get_for_model(Review).pk == old_type.pk
    assert not ContentType.objects.filter(pk=stray_type.pk).exists()
    assert not Permission.objects.filter(pk=stray_view.pk).exists()
    assert set(readers.permissions.values_list("pk", flat=True)) == {
        old_view.pk, stray_extra.pk}
    assert Permission.objects.get(pk=stray_extra.pk).content_type_id == old_type.pk
    assert Group.objects.get(name="Manufacturers").permissions.filter(pk=old_view.pk).exists()
