"""Editors share preview links, curate the home page and flag breaking news; reporters share
preview links of their own stories (articles.services.can_share_preview)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Editors": [
        "articles.add_previewlink",
        "articles.change_previewlink",
        "articles.view_previewlink",
        "articles.add_homeslot",
        "articles.change_homeslot",
        "articles.delete_homeslot",
        "articles.view_homeslot",
        "articles.add_breakingnews",
        "articles.change_breakingnews",
        "articles.view_breakingnews",
    ],
    "Reporters": ["articles.add_previewlink", "articles.view_previewlink"],
}


def permissions(apps, labels):
    Permission = apps.get_model("auth", "Permission")
    codenames = [label.split(".")[1] for label in labels]
    return Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, labels in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions(apps, labels))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, labels in GROUPS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*permissions(apps, labels))


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_preview_previewlink_homeslot_breakingnews")]

    operations = [migrations.RunPython(grant, revoke)]
