"""Editors write, edit and remove corrections; reporters read them on the article form."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Editors": [
        "articles.add_correction",
        "articles.change_correction",
        "articles.delete_correction",
        "articles.view_correction",
    ],
    "Reporters": ["articles.view_correction"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist already.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, labels in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [label.split(".")[1] for label in labels]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="articles", content_type__model="correction"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_revisions_trash_and_corrections"),
        ("articles", "0002_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
