from django.db import migrations


def status_from_published_flag(apps, schema_editor):
    """Published programmes stay published; every organisation and region was
    public before statuses existed, so they start out published too."""
    Programme = apps.get_model("programmes", "Programme")
    for programme in Programme.objects.all():
        programme.status = "published" if programme.is_published else "draft"
        programme.published_at = programme.created_at if programme.is_published else None
        programme.save(update_fields=["status", "published_at"])
    for name in ("Organisation", "Region"):
        model = apps.get_model("programmes", name)
        for row in model.objects.all():
            row.status = "published"
            row.published_at = row.created_at
            row.save(update_fields=["status", "published_at"])


def published_flag_from_status(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Programme.objects.filter(status="published").update(is_published=True)


class Migration(migrations.Migration):
    # Apart from the schema changes: PostgreSQL refuses to alter a table in
    # the transaction that updated its rows while triggers are pending.
    dependencies = [("programmes", "0006_editorial_workflow")]

    operations = [
        migrations.RunPython(status_from_published_flag, published_flag_from_status),
    ]
