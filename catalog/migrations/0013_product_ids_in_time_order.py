"""New products' ids in time order (``core.ids.time_ordered_uuid``).

Only the model's state changes: a Python default is not part of the schema, and SQLite's
AlterField would rebuild ``catalog_product``, dropping the full-text triggers and renumbering the
rowids the FTS5 index points at (migration 0008). Existing ids stay as they are.
"""

from django.db import migrations, models

import core.ids


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0012_imports_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="product",
                    name="id",
                    field=models.UUIDField(
                        default=core.ids.time_ordered_uuid,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
