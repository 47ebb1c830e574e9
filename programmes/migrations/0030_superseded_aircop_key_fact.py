"""AIRCOP's key fact "Operational since" (a number, 2011) became the period
"In operation" (since 2011) in the content file. The loader tracks a key fact
by its English label, so on a site loaded before, `load_content` adds the
period and leaves the old figure beside it. This removes the old one when
nobody edited it since it was loaded (its last revision is the loader's); an
edited one stays, for its editor to decide."""

from django.db import migrations

KEY = "key_facts:aircop:Operational since"
LOADED_REASON = "Loaded from the content file"


def remove_superseded_fact(apps, schema_editor):
    LoadedRecord = apps.get_model("programmes", "LoadedRecord")
    KeyFact = apps.get_model("programmes", "KeyFact")
    HistoricalKeyFact = apps.get_model("programmes", "HistoricalKeyFact")
    tracked = LoadedRecord.objects.filter(key=KEY).first()
    if tracked is None:
        return
    last = (
        HistoricalKeyFact.objects.filter(id=tracked.object_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if last is not None and last.history_change_reason != LOADED_REASON:
        return  # edited in the admin since: the editor's figure
    KeyFact.objects.filter(pk=tracked.object_id, label_en="Operational since").delete()
    tracked.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0029_glossary_typography"),
    ]

    operations = [
        migrations.RunPython(remove_superseded_fact, migrations.RunPython.noop),
    ]
