"""Staff use the photo library: editors look after it, reporters and profile managers
upload and pick photos (profile managers also set portraits' focal points)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BODY_PHOTOS = [
    "articles.add_bodyimage",
    "articles.change_bodyimage",
    "articles.delete_bodyimage",
    "articles.view_bodyimage",
]
GROUPS = {
    "Editors": [
        "photos.add_image",
        "photos.change_image",
        "photos.delete_image",
        "photos.view_image",
        *BODY_PHOTOS,
    ],
    "Reporters": ["photos.add_image", "photos.view_image", *BODY_PHOTOS],
    "Profile managers": ["photos.add_image", "photos.change_image", "photos.view_image"],
}


def grant(apps, schema_editor):
    for label in ["photos", "articles"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        for label in GROUPS[group.name]:
            app_label, codename = label.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        for label in GROUPS[group.name]:
            app_label, codename = label.split(".")
            group.permissions.remove(
                *group.permissions.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_photos_lead_image_from_library"),
        ("articles", "0002_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
