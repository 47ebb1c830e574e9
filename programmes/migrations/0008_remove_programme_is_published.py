from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programmes", "0007_status_from_published_flag")]

    operations = [
        migrations.RemoveField(model_name="programme", name="is_published"),
    ]
