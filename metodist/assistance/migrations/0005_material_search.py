"""The full-text index of methodological materials, built by the database in use.

SQLite: an FTS5 table keyed by the material id (rowid), filled from `search_text` now and kept up to date
by `metodist.assistance.materials_search.index_material`. PostgreSQL: a GIN index on the expression
`to_tsvector('simple', search_text)`, which the search repeats word for word. Other databases get nothing
(the search falls back to a plain filter there).
"""

from django.db import migrations

FTS_TABLE = "assistance_material_fts"
GIN_INDEX = "assistance_material_search_gin"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # remove_diacritics 0: й and и, ё and е, and the Kazakh letters stay apart as they are written.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "search_text, tokenize = 'unicode61 remove_diacritics 0')"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, search_text) "  # noqa: S608 - constant names only
            "SELECT id, search_text FROM assistance_material"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON assistance_material "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("assistance", "0004_correspondence_materials_practices_plans")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
