"""Manufacturers import into and see the history of their own catalogue."""

from django.db import migrations

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

CODENAMES = ["view_productimport", "add_productimport"]


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "catalog", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "catalog", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_manufacturer_permissions")]

    operations = [migrations.RunPython(grant, revoke)]
