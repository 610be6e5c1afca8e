"""SQLite: the products' FTS5 index keeps prefix indexes of 1 to 10 characters (``catalog.search``
searches every word as a prefix). PostgreSQL: nothing (its GIN index answers prefix queries).

Without them FTS5 answers ``"basket"*`` by merging the whole list of documents of every term
that starts with "basket", even when the query only wants a narrow range of rowids (the search
window of ``catalog.selectors_listing``): 0.58 ms for a word a quarter of 100k products have,
against 0.12 ms for the exact term. With a prefix index of that length the prefix is one term
of its own: 0.12 ms, and a one-letter prefix 4.1 ms -> 0.14 ms. Longer prefixes take the old
path. The answers are the same either way (FTS5 keeps both in step); the index grows about
five times (for 100k products of the bench's short texts: 4.3 -> 21 MB) and indexing a product
costs about three times as much (a rebuild of 100k: 0.2 -> 0.6 s).

The FTS5 table is dropped and created again with the option, then rebuilt from the products
(the triggers on ``catalog_product`` name the table, not its definition, and stay).
"""

from django.db import migrations

COLUMNS = (
    "name, description, content='catalog_product', content_rowid='rowid', "
    "tokenize='porter unicode61 remove_diacritics 2'"
)
PREFIXES = "1 2 3 4 5 6 7 8 9 10"


def _recreate(options: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        schema_editor.execute("DROP TABLE catalog_product_search")
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE catalog_product_search USING fts5({COLUMNS}{options})"
        )
        schema_editor.execute(
            "INSERT INTO catalog_product_search(catalog_product_search) VALUES ('rebuild')"
        )

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0013_product_ids_in_time_order"),
    ]

    operations = [
        migrations.RunPython(
            _recreate(f", prefix='{PREFIXES}'"), _recreate(""), elidable=False
        ),
    ]
