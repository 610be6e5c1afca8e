"""Reviews take over their models from the catalogue, with their tables and data.

The tables, their constraints and indexes keep their names (``catalog_review``,
``catalog_reviewmoderation``, ``catalog_review_*``): the models are created in the migration
state only, after ``catalog.0011_reviews_move_out`` dropped them from the catalogue's, so no
SQL runs on them and no row moves.

The content types move with them: the rows of ``catalog.review`` and ``catalog.reviewmoderation``
are renamed to the ``reviews`` app, so the permissions hanging on them (with their ids), the
groups and users that hold them (the Manufacturers group's ``view_review``) and the admin's
history of the reviews all stay as they were (``core.model_moves``). On a fresh database there
is nothing to rename yet when a content type was never made; Django makes it for ``reviews``
after the migrations.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.model_moves import content_types_move

MOVED_MODELS = ("review", "reviewmoderation")
STATUSES = [
    ("published", "Published"),
    ("pending", "Pending moderation"),
    ("hidden", "Hidden"),
    ("rejected", "Rejected"),
]


def content_types_to_reviews(apps, schema_editor):
    content_types_move(apps, models=MOVED_MODELS, source="catalog", target="reviews")


def content_types_to_catalog(apps, schema_editor):
    content_types_move(apps, models=MOVED_MODELS, source="reviews", target="catalog")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalog", "0011_reviews_move_out"),
        ("orders", "0004_checkout_expiry_sweeper"),
        ("users", "0005_manufacturer_status"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Review",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("rating", models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name="rating")),
                        ("comment", models.TextField(blank=True, verbose_name="comment")),
                        ("status", models.CharField(choices=STATUSES, default="published", max_length=10, verbose_name="status")),
                        ("moderation_reason", models.CharField(blank=True, max_length=255, verbose_name="moderation reason")),
                        ("moderated_at", models.DateTimeField(blank=True, null=True)),
                        ("verified_purchase", models.BooleanField(default=False, editable=False, verbose_name="verified purchase")),
                        ("published_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="first published")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("moderated_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("product", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reviews", to="catalog.product")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="reviews", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "review",
                        "verbose_name_plural": "reviews",
                        "db_table": "catalog_review",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["product", "status"], name="catalog_review_prod_status"),
                            models.Index(fields=["status", "created_at"], name="catalog_review_queue"),
                        ],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("rating__gte", 1), ("rating__lte", 5)), name="catalog_review_rating_1_5"),
                            models.UniqueConstraint(condition=models.Q(("user__isnull", False)), fields=("product", "user"), name="catalog_review_one_per_user_product", violation_error_message="You have already reviewed this product."),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ReviewModeration",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("from_status", models.CharField(blank=True, choices=STATUSES, max_length=10, verbose_name="from")),
                        ("to_status", models.CharField(choices=STATUSES, max_length=10, verbose_name="to")),
                        ("reason", models.CharField(blank=True, max_length=255, verbose_name="reason")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="when")),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="by")),
                        ("review", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="moderations", to="reviews.review")),
                    ],
                    options={
                        "verbose_name": "moderation",
                        "verbose_name_plural": "moderation history",
                        "db_table": "catalog_reviewmoderation",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_reviews, content_types_to_catalog),
    ]
