"""Full-text search of products (catalog.search): on PostgreSQL a tsvector column kept by a
trigger, under a GIN index; on SQLite an FTS5 table kept by triggers. Raw SQL per vendor: neither
is a portable field or index, so the models (and ``makemigrations``) do not see them.

PostgreSQL: a stored column, not a GIN index on the ``to_tsvector(...)`` expression. The planner
estimates a one-word prefix query at 2% of the rows whatever the word, so for a rare word it
walks the newest-first index to fill a page, and with the expression it computes to_tsvector
for each of the 90k public products (440 ms at 100k products, 2.5x the LIKE it replaces); reading
a stored vector instead costs 26 ms for the same walk. A trigger rather than a generated column,
so that a later migration may still change the type of name or description.

SQLite caveats, for whoever touches ``catalog_product`` later:
- The FTS5 table is external content keyed on the product table's implicit rowid. SQLite's
  documentation allows VACUUM to renumber the rowids of a table without an INTEGER PRIMARY KEY;
  3.40 keeps them (checked), but an index out of step is rebuilt with
  ``INSERT INTO catalog_product_search(catalog_product_search) VALUES('rebuild')``.
- Django's SQLite schema editor alters a table by copying it into a new one and dropping the old:
  that drops these triggers and renumbers the rowids. A migration that alters
  ``catalog_product`` on SQLite must re-create the triggers and rebuild (the tests in
  catalog/tests/test_search.py check both after all migrations).
"""

from django.db import migrations

VECTOR = (
    "to_tsvector('catalog_english'::regconfig, "
    "COALESCE({row}name, '') || ' ' || COALESCE({row}description, ''))"
)
# Snowball English without a stop-word list ("the", "for" are searchable words, as they are
# for SQLite's porter tokenizer), behind unaccent for the non-ASCII words.
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH DICTIONARY catalog_english_stem (TEMPLATE = snowball, LANGUAGE = english)",
    "CREATE TEXT SEARCH CONFIGURATION catalog_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION catalog_english ALTER MAPPING FOR asciiword, asciihword, "
    "hword_asciipart WITH catalog_english_stem",
    "ALTER TEXT SEARCH CONFIGURATION catalog_english ALTER MAPPING FOR word, hword, hword_part "
    "WITH unaccent, catalog_english_stem",
    "ALTER TABLE catalog_product ADD COLUMN search_vector tsvector",
    "CREATE FUNCTION catalog_product_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN NEW.search_vector := {VECTOR.format(row='NEW.')}; RETURN NEW; END $$",
    "CREATE TRIGGER catalog_product_search_insert BEFORE INSERT ON catalog_product "
    "FOR EACH ROW EXECUTE FUNCTION catalog_product_search_vector()",
    # save() writes every column: recompute only when the text did change.
    "CREATE TRIGGER catalog_product_search_update BEFORE UPDATE OF name, description "
    "ON catalog_product FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name "
    "OR OLD.description IS DISTINCT FROM NEW.description) "
    "EXECUTE FUNCTION catalog_product_search_vector()",
    f"UPDATE catalog_product SET search_vector = {VECTOR.format(row='')}",
    "CREATE INDEX catalog_prod_search ON catalog_product USING gin (search_vector)",
]
# The unaccent extension stays: other schemas or apps may use it, and it holds no data.
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_product_search_insert ON catalog_product",
    "DROP TRIGGER IF EXISTS catalog_product_search_update ON catalog_product",
    "DROP FUNCTION IF EXISTS catalog_product_search_vector()",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS catalog_english",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS catalog_english_stem",
]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_product_search USING fts5(name, description, "
    "content='catalog_product', content_rowid='rowid', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_product_search_insert AFTER INSERT ON catalog_product BEGIN "
    "INSERT INTO catalog_product_search(rowid, name, description) "
    "VALUES (new.rowid, new.name, new.description); END",
    "CREATE TRIGGER catalog_product_search_delete AFTER DELETE ON catalog_product BEGIN "
    "INSERT INTO catalog_product_search(catalog_product_search, rowid, name, description) "
    "VALUES ('delete', old.rowid, old.name, old.description); END",
    # save() writes every column: re-index only when the text did change.
    "CREATE TRIGGER catalog_product_search_update AFTER UPDATE OF name, description "
    "ON catalog_product WHEN old.name IS NOT new.name OR old.description IS NOT new.description "
    "BEGIN "
    "INSERT INTO catalog_product_search(catalog_product_search, rowid, name, description) "
    "VALUES ('delete', old.rowid, old.name, old.description); "
    "INSERT INTO catalog_product_search(rowid, name, description) "
    "VALUES (new.rowid, new.name, new.description); END",
    # The products already there.
    "INSERT INTO catalog_product_search(catalog_product_search) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_product_search_insert",
    "DROP TRIGGER IF EXISTS catalog_product_search_delete",
    "DROP TRIGGER IF EXISTS catalog_product_search_update",
    "DROP TABLE IF EXISTS catalog_product_search",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0007_merge_0006_import_run_lease_0006_storefront_speed"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        ),
    ]
