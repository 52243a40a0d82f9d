"""Create the newsroom's staff groups. Newsrooms adjust them later in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Editors": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.add_section",
        "articles.change_section",
        "articles.delete_section",
        "articles.view_section",
        "articles.add_tag",
        "articles.change_tag",
        "articles.delete_tag",
        "articles.view_tag",
        "articles.add_slugredirect",
        "articles.change_slugredirect",
        "articles.delete_slugredirect",
        "articles.view_slugredirect",
        "authors.view_author",
    ],
    "Reporters": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.view_section",
        "articles.view_tag",
        "articles.add_tag",
        "authors.view_author",
    ],
    "Profile managers": [
        "authors.add_author",
        "authors.change_author",
        "authors.delete_author",
        "authors.view_author",
        "authors.add_authorlink",
        "authors.change_authorlink",
        "authors.delete_authorlink",
        "authors.view_authorlink",
        "auth.view_user",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist already.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for label in codenames:
            app_label, codename = label.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
