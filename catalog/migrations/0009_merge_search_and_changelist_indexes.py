"""Merge: full-text search (0008_product_search) and the changelist indexes
(0008_product_changelist_indexes), written side by side."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0008_product_changelist_indexes'),
        ('catalog', '0008_product_search'),
    ]

    operations = [
    ]
