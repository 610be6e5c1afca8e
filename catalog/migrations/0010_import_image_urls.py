"""Keep the image addresses an import's write found on the import, by product id, so that the
image step fetches them without reading the file again.

Imports written before this migration have none: an image task of theirs still queued when it
runs adds no image (re-importing the file fetches them).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0009_merge_search_and_changelist_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="productimport",
            name="image_urls",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
