"""Editors may review (edit any writer's story, return it to draft); existing stories keep
their status, and published ones record that as their last workflow step."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F

PERMISSIONS = ["articles.review_article"]
GROUPS = ["Editors"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="articles", codename="review_article"
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="articles", codename="review_article"
    ).delete()


def record_published(apps, schema_editor):
    """Status Published stays Published (a future publish time now reads as Scheduled);
    drafts stay drafts. Only the new history fields are filled in."""
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="published", last_transition="").update(
        last_transition="published", last_transition_at=F("published_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_workflow_states_and_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(record_published, migrations.RunPython.noop),
    ]
