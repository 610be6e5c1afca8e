"""Schedule the outbox sweeper, and let manufacturers open their own notifications in the admin.

The sweeper (``notifications.tasks.outbound_retry_due_task``) runs every minute in the django-q2
cluster and re-queues outbox rows whose retry is due (see notifications.services). Manufacturers
get ``view_notification`` only, so the admin bell can link them to their notifications; the
Notification admin scopes them to their own rows. They get nothing on messages or the outbox.
"""

from django.db import migrations

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

SWEEPER_NAME = "Retry due emails and SMS"
SWEEPER_FUNC = "notifications.tasks.outbound_retry_due_task"
CODENAMES = ["view_notification"]


def create_sweeper(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        func=SWEEPER_FUNC,
        defaults={
            "name": SWEEPER_NAME,
            "schedule_type": "I",  # Schedule.MINUTES
            "minutes": 1,
            "repeats": -1,
        },
    )


def delete_sweeper(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=SWEEPER_FUNC).delete()


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "notifications", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "notifications", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("users", "0002_manufacturers_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunPython(create_sweeper, delete_sweeper),
        migrations.RunPython(grant, revoke),
    ]
