"""What the product changelist needs at 100k products: a partial index of the low variations,
a manufacturer's products in the admin's full order (ties by id), and (PostgreSQL) statistics on
UPPER(name), the search's expression."""

from django.conf import settings
from django.db import migrations, models

NAME_STATISTICS = "catalog_product_upper_name"


def analyze(apps, schema_editor):
    """Statistics for the new indexes at once: without them SQLite's planner keeps probing the
    full product index for the low-stock filter (180 ms instead of 35 for its count at 100k
    products), and PostgreSQL reads a manufacturer's deep page through the all-products index
    (13 ms instead of 1); autovacuum would get there, later."""
    for model in ("Variation", "Product"):
        table = apps.get_model("catalog", model)._meta.db_table
        schema_editor.execute(f"ANALYZE {schema_editor.quote_name(table)}")


def name_statistics(apps, schema_editor):
    """PostgreSQL keeps no statistics on UPPER(name) (the admin's case-insensitive search), so
    it guessed how many names contain a term: 32 of 100k for "basket" (25,007 do), and sorted
    them all for a page instead of reading the newest first until 50 matched (62 ms; 0.1 ms with
    these statistics). Expression statistics need PostgreSQL 14; SQLite has no planner to tell."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("catalog", "Product")._meta.db_table)
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {NAME_STATISTICS} ON (UPPER(name::text)) FROM {table}"
    )
    schema_editor.execute(f"ANALYZE {table}")  # computes them


def drop_name_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME_STATISTICS}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0007_merge_0006_import_run_lease_0006_storefront_speed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="product", name="catalog_prod_mfr_upd"),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                fields=["manufacturer", "-updated_at", "-id"], name="catalog_prod_mfr_upd_id"
            ),
        ),
        migrations.AddIndex(
            model_name="variation",
            index=models.Index(
                condition=models.Q(("stock__lte", models.F("low_stock_threshold"))),
                fields=["product"],
                name="catalog_var_low_stock",
            ),
        ),
        migrations.RunPython(name_statistics, drop_name_statistics),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
