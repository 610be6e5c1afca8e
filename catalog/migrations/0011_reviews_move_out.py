"""Reviews moved to their own app (``reviews``) with their tables: the catalogue forgets the two
models here, in its migration state only; ``reviews/migrations/0001_initial.py`` takes them
over on the same tables (``catalog_review``, ``catalog_reviewmoderation``), so no SQL runs and
no row moves."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0010_import_image_urls"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReviewModeration"),
                migrations.DeleteModel(name="Review"),
            ],
            database_operations=[],
        ),
    ]
