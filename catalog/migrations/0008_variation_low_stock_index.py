"""A partial index of the low variations, for the product changelist's low-stock filter."""

from django.conf import settings
from django.db import migrations, models


def analyze_variations(apps, schema_editor):
    """Statistics for the new index at once: without them SQLite's planner keeps probing the
    full product index for the low-stock filter (180 ms instead of 35 for its count at 100k
    products); PostgreSQL's autovacuum would get there, later."""
    table = apps.get_model("catalog", "Variation")._meta.db_table
    schema_editor.execute(f"ANALYZE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0007_merge_0006_import_run_lease_0006_storefront_speed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="variation",
            index=models.Index(
                condition=models.Q(("stock__lte", models.F("low_stock_threshold"))),
                fields=["product"],
                name="catalog_var_low_stock",
            ),
        ),
        migrations.RunPython(analyze_variations, migrations.RunPython.noop),
    ]
