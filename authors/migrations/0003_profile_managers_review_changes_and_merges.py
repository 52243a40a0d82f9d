"""Let the "Profile managers" group (articles.0002) work with the models of 0002: review
and revert self-service profile changes, read the merge log, manage old-address redirects."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "authors.view_authorchange",
    "authors.view_authormerge",
    "authors.add_authorslugredirect",
    "authors.change_authorslugredirect",
    "authors.delete_authorslugredirect",
    "authors.view_authorslugredirect",
]


def permissions(apps):
    # Permissions are normally created after migrate; make sure they exist already.
    app_config = apps.get_app_config("authors")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    codenames = [label.split(".")[1] for label in PERMISSIONS]
    return Permission.objects.filter(content_type__app_label="authors", codename__in=codenames)


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Profile managers")
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Profile managers"):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0002_profile_fields_merges_and_changes"),
        ("articles", "0002_newsroom_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
