"""Refunds: how a refund is paid back (Paystack or manual, with its bank reference), how many
refunded units went back into stock, manufacturers may read the refunds of their orders in the
admin (the scoping selector shows them only those), and the worker's sweep that sends again the
Paystack refunds Paystack has not acknowledged (every five minutes). It follows both of the
app's second migrations (payouts, and manufacturers reading their ledger)."""

from django.db import migrations, models

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

CODENAMES = ["view_refund"]


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "money", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "money", CODENAMES)

SWEEP_NAME = "Send unacknowledged refunds to Paystack"
SWEEP_FUNC = "money.tasks.refunds_send_due_task"


def create_sweep(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.update_or_create(
        func=SWEEP_FUNC,
        defaults={"name": SWEEP_NAME, "schedule_type": "I", "minutes": 5, "repeats": -1},
    )


def delete_sweep(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=SWEEP_FUNC).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('money', '0003_one_draft_payout_run'),
        ('money', '0002_manufacturers_read_their_ledger'),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name='refund',
            name='bank_reference',
            field=models.CharField(blank=True, max_length=100, verbose_name='bank reference'),
        ),
        migrations.AddField(
            model_name='refund',
            name='method',
            field=models.CharField(choices=[('paystack', 'Paystack refund'), ('manual', 'Manual')], default='manual', max_length=10, verbose_name='method'),
        ),
        migrations.AddField(
            model_name='refundline',
            name='restocked',
            field=models.PositiveIntegerField(default=0, verbose_name='returned to stock'),
        ),
        migrations.RunPython(create_sweep, delete_sweep),
        migrations.RunPython(grant, revoke),
    ]
