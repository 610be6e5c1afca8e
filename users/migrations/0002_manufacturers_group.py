"""Create the Manufacturers group. Each app's own data migrations grant it permissions."""

from django.db import migrations

from core.permissions import MANUFACTURERS_GROUP_NAME


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MANUFACTURERS_GROUP_NAME)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MANUFACTURERS_GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
