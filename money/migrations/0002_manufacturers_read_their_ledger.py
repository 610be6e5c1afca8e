"""Manufacturers read their own ledger in the admin (the Earnings page): the scoping selector
narrows every queryset to their entries."""

from django.db import migrations

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

CODENAMES = ["view_ledgerentry"]


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "money", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "money", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("money", "0001_ledger_payouts_refunds"),
        ("users", "0002_manufacturers_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
