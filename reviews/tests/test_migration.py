"""Reviews moved out of the catalogue with their tables, rows, content types and permissions
(``catalog.0011_reviews_move_out`` and ``reviews.0001_initial``): on a database that holds
reviews, migrating forward keeps every row and every id, and the groups keep their grants.

The upgrade runs on a database of its own, in a process of its own (``core.tests.scratch_db``):
the suite's test database is never migrated back and forth.
"""

import json
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.tests.scratch_db import migrate_to_before, run_story
from reviews.models import Review, ReviewModeration

BEFORE_MOVE = ("catalog", "0010_import_image_urls")
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

    # What ``migrate`` had made on a database before the move (post_migrate): the catalogue's
    # content types of the two models and their permissions.
    for model in ("review", "reviewmoderation"):
        content_type, _ = ContentType_.objects.get_or_create(app_label="catalog", model=model)
        for action in ("add", "change", "delete", "view"):
            Permission_.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
    types = ContentType_.objects.filter(app_label="catalog",
                                        model__in=["review", "reviewmoderation"])
    permissions = Permission_.objects.filter(content_type__in=types)
    moderators = apps.get_model("auth", "Group").objects.create(name="Review moderators")
    moderators.permissions.add(*permissions)
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


def move_story() -> dict:
    """The upgrade of a database that holds reviews, run by ``run_story`` on a database of its
    own: migrated to just before the move, given reviews, then ``manage.py migrate`` as an
    upgrade runs it; then the move undone (``migrate reviews zero``). What each step found,
    as JSON."""
    from django.core.management import call_command

    executor = MigrationExecutor(connection)
    migrate_to_before(executor, before=BEFORE_MOVE, moving_app="reviews")
    before = _reviews_before_the_move(
        executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    )

    call_command("migrate", verbosity=0)
    ContentType.objects.clear_cache()
    held = Review.objects.get(pk=before["held"])
    entry = LogEntry.objects.get(object_id=str(before["held"]))
    after = {
        "reviews": list(Review.objects.order_by("pk").values()),
        "moderations": list(ReviewModeration.objects.order_by("pk").values()),
        "held_moderations": held.moderations.count(),
        "types": {
            "review": ContentType.objects.get_for_model(Review).pk,
            "reviewmoderation": ContentType.objects.get_for_model(ReviewModeration).pk,
        },
        "catalog_types_left": ContentType.objects.filter(
            app_label="catalog", model__in=["review", "reviewmoderation"]).count(),
        "permissions": dict(
            Permission.objects.filter(content_type__app_label="reviews")
            .values_list("codename", "pk")
        ),
        "moderators": sorted(Group.objects.get(name="Review moderators")
                             .permissions.values_list("pk", flat=True)),
        "manufacturers_view": Group.objects.get(name="Manufacturers").permissions.filter(
            content_type__app_label="reviews", codename="view_review").exists(),
        "log_type": entry.content_type_id,
        "log_url": entry.get_admin_url(),
    }

    call_command("migrate", "reviews", "zero", verbosity=0)
    ContentType.objects.clear_cache()
    undone = dict(
        ContentType.objects.filter(app_label="catalog", model__in=["review", "reviewmoderation"])
        .values_list("model", "pk")
    )
    return json.loads(json.dumps(
        {"before": before, "after": after, "undone_types": undone}, default=str
    ))


def test_reviews_move_with_their_rows_content_types_and_permissions():
    story = run_story("reviews.tests.test_migration:move_story")
    before, after = story["before"], story["after"]
    assert set(before["permissions"]) >= REVIEW_CODENAMES
    assert set(before["types"]) == {"review", "reviewmoderation"}

    # The same rows, read through the reviews app's models.
    assert after["reviews"] == before["reviews"]
    assert after["moderations"] == before["moderations"]
    assert after["held_moderations"] == 2
    # The same content types and permissions (ids kept), now the reviews app's.
    assert after["types"] == before["types"]
    assert after["catalog_types_left"] == 0
    assert {k: after["permissions"][k] for k in REVIEW_CODENAMES} == {
        k: before["permissions"][k] for k in REVIEW_CODENAMES}
    # The groups still hold them, by the names code asks with; the admin's history stays.
    assert set(after["moderators"]) == set(before["permissions"].values())
    assert after["manufacturers_view"] is True
    assert after["log_type"] == before["types"]["review"]
    assert after["log_url"] == f"/admin/reviews/review/{before['held']}/change/"
    # Undone: the content types go back to the catalogue, with the same ids.
    assert story["undone_types"] == before["types"]


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
