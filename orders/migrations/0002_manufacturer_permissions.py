"""What manufacturers may do with orders in the admin: read the orders that contain their
products (only their own lines: the scoping selectors narrow every queryset) and mark their
lines shipped."""

from django.db import migrations

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

CODENAMES = ["view_order", "view_orderitem", "ship_orderitem"]


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "orders", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "orders", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("users", "0002_manufacturers_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
