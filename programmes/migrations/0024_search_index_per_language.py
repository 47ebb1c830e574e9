"""PostgreSQL: the search index's one GIN index ('simple' only) gives way to one
partial index per language of the site, with that language's stemmer, which
`migrate` makes after the migrations (programmes/content/search_index.py:
make_full_text_indexes), since the languages are configuration."""

from django.db import migrations

TABLE = "programmes_searchentry"
SIMPLE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin "
    "(to_tsvector('simple'::regconfig, names || ' ' || summary || ' ' || body))"
)


def on_postgresql(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0023_search_index"),
    ]

    operations = [
        migrations.RunPython(
            on_postgresql(f"DROP INDEX IF EXISTS {TABLE}_document"),
            on_postgresql(SIMPLE_INDEX),
        ),
    ]
