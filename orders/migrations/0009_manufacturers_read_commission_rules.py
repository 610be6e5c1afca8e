"""Manufacturers read the commission rules that apply to them (their own and the general
ones: ``orders.selectors.commission_rules_visible_to``); only staff change them."""

from django.db import migrations

from core.permissions import grant_to_manufacturers, revoke_from_manufacturers

CODENAMES = ["view_commissionrule"]


def grant(apps, schema_editor):
    grant_to_manufacturers(apps, "orders", CODENAMES)


def revoke(apps, schema_editor):
    revoke_from_manufacturers(apps, "orders", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0008_order_carrier"),
        ("users", "0002_manufacturers_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
