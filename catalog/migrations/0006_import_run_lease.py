"""Give an import's run a lease, and schedule the sweeper that fails imports whose run died.

Imports left "Checking", "Queued" or "Running" before this migration (a worker killed, the
original bug) get a lease that has already run out: they show as stalled, can be retried or
cancelled, and the sweeper fails them with the reason.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

SWEEPER_NAME = "Fail stalled catalogue imports"
SWEEPER_FUNC = "catalog.tasks.product_imports_recover_task"
IN_PROGRESS = ["validating", "queued", "running"]


def expire_old_runs(apps, schema_editor):
    apps.get_model("catalog", "ProductImport").objects.filter(status__in=IN_PROGRESS).update(
        lease_expires_at=timezone.now()
    )


def create_sweeper(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        func=SWEEPER_FUNC,
        defaults={
            "name": SWEEPER_NAME,
            "schedule_type": "I",  # Schedule.MINUTES
            "minutes": 5,
            "repeats": -1,
        },
    )


def delete_sweeper(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=SWEEPER_FUNC).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0005_review_moderation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name='productimport',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, help_text='Runs started since the upload or the last retry.', verbose_name='attempts'),
        ),
        migrations.AddField(
            model_name='productimport',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last sign of life'),
        ),
        migrations.AddField(
            model_name='productimport',
            name='lease_expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='productimport',
            name='run_id',
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='productimport',
            index=models.Index(fields=['status', 'lease_expires_at'], name='catalog_import_lease'),
        ),
        migrations.RunPython(expire_old_runs, migrations.RunPython.noop),
        migrations.RunPython(create_sweeper, delete_sweeper),
    ]
