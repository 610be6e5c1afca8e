"""Schedule the sweep that expires unpaid Paystack checkouts (every minute in the django-q2
cluster): their orders are cancelled and their stock goes back (see orders.services.payment)."""

from django.db import migrations

SWEEPER_NAME = "Expire unpaid checkouts"
SWEEPER_FUNC = "orders.tasks.checkouts_expire_due_task"


def create_sweeper(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
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


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_checkout_split_tracking"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_sweeper, delete_sweeper)]
