"""Imports take over their model from the catalogue, with its table and data.

The table, its indexes and their names stay (``catalog_productimport``, ``catalog_import_*``):
the model is created in the migration state only, after ``catalog.0012_imports_move_out``
dropped it from the catalogue's, so no SQL runs and no row moves.

The content type moves with it (``core.model_moves``): the row of ``catalog.productimport`` is
renamed to the ``imports`` app, so the permissions hanging on it (with their ids), the groups and
users that hold them (the Manufacturers group's ``view_productimport`` and
``add_productimport``, ``catalog.0004``) and the admin's history of the imports all stay as
they were.

The sweeper's schedule (``catalog.0006`` made it) follows its task to ``imports.tasks``. Tasks
already queued under a ``catalog.tasks`` path when this is deployed fail to start (stop the
worker once its queue is empty before deploying): a check or a write left so is stalled when
its lease runs out, and the sweeper fails it with the reason, ready to be retried.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.model_moves import content_types_move

MOVED_MODELS = ("productimport",)
SWEEPER_FUNC = {
    "catalog": "catalog.tasks.product_imports_recover_task",
    "imports": "imports.tasks.product_imports_recover_task",
}


def _move(apps, *, source: str, target: str) -> None:
    content_types_move(apps, models=MOVED_MODELS, source=source, target=target)
    Schedule = apps.get_model("django_q", "Schedule")
    if Schedule.objects.filter(func=SWEEPER_FUNC[target]).exists():
        Schedule.objects.filter(func=SWEEPER_FUNC[source]).delete()  # moved already
    else:
        Schedule.objects.filter(func=SWEEPER_FUNC[source]).update(func=SWEEPER_FUNC[target])


def to_imports(apps, schema_editor):
    _move(apps, source="catalog", target="imports")


def to_catalog(apps, schema_editor):
    _move(apps, source="imports", target="catalog")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalog", "0012_imports_move_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProductImport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("file", models.FileField(upload_to="imports/%Y/%m/")),
                        ("original_name", models.CharField(max_length=255, verbose_name="file")),
                        ("status", models.CharField(choices=[("validating", "Checking"), ("previewed", "Ready to import"), ("queued", "Queued"), ("running", "Running"), ("completed", "Completed"), ("failed", "Failed"), ("cancelled", "Cancelled")], default="previewed", max_length=10, verbose_name="status")),
                        ("mode", models.CharField(choices=[("all_or_nothing", "All or nothing"), ("valid_rows_only", "Import valid rows only")], default="all_or_nothing", max_length=16, verbose_name="mode")),
                        ("rows_total", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        ("rows_done", models.PositiveIntegerField(default=0, verbose_name="rows done")),
                        ("created_count", models.PositiveIntegerField(default=0, verbose_name="new")),
                        ("updated_count", models.PositiveIntegerField(default=0, verbose_name="updated")),
                        ("unchanged_count", models.PositiveIntegerField(default=0, verbose_name="unchanged")),
                        ("skipped_count", models.PositiveIntegerField(default=0, verbose_name="skipped")),
                        ("error_count", models.PositiveIntegerField(default=0, verbose_name="errors")),
                        ("errors", models.JSONField(blank=True, default=list)),
                        ("changes", models.JSONField(blank=True, default=list)),
                        ("is_applied", models.BooleanField(default=False)),
                        ("image_urls", models.JSONField(blank=True, default=dict, editable=False)),
                        ("message", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                        ("run_id", models.UUIDField(blank=True, editable=False, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0, help_text="Runs started since the upload or the last retry.", verbose_name="attempts")),
                        ("heartbeat_at", models.DateTimeField(blank=True, null=True, verbose_name="last sign of life")),
                        ("lease_expires_at", models.DateTimeField(blank=True, null=True)),
                        ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("manufacturer", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="product_imports", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "db_table": "catalog_productimport",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["manufacturer", "-created_at"], name="catalog_import_mfr"),
                            models.Index(fields=["status", "lease_expires_at"], name="catalog_import_lease"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_imports, to_catalog),
    ]
