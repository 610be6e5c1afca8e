"""Imports moved to their own app (``imports``) with their table: the catalogue forgets
``ProductImport`` here, in its migration state only; ``imports/migrations/0001_initial.py`` takes
it over on the same table (``catalog_productimport``), so no SQL runs and no row moves."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0011_reviews_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ProductImport"),
            ],
            database_operations=[],
        ),
    ]
