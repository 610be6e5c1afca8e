"""What manufacturers may do in the admin's catalogue (always within their own data: the
scoping selectors narrow every queryset)."""

from django.db import migrations

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

CODENAMES = [
    "view_product",
    "add_product",
    "change_product",
    "delete_product",
    "view_variation",
    "add_variation",
    "change_variation",
    "delete_variation",
    "view_productimage",
    "add_productimage",
    "change_productimage",
    "delete_productimage",
    "view_stockmovement",
    "view_review",
]


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "catalog", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "catalog", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("users", "0002_manufacturers_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
