"""PostgreSQL's unaccent extension, for the site search (programmes/search.py).

Other databases have no such extension and need none: their search folds
accents in Python. So the migration does nothing there.
"""

from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A trusted extension since PostgreSQL 13: the database owner may
        # create it without being a superuser.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_region_countries"),
    ]

    operations = [
        # Kept when migrating backwards: other objects may use it by then.
        migrations.RunPython(create_unaccent, migrations.RunPython.noop),
    ]
