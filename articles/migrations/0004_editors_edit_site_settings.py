"""Editors keep the publisher's site settings (policy pages, logo) up to date."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["add_sitesettings", "change_sitesettings", "view_sitesettings"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_search_and_site_settings")]

    operations = [migrations.RunPython(grant, revoke)]
