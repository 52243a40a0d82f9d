"""Author photos come from the photo library."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0003_profile_managers_review_changes_and_merges"),
        ("photos", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="library_photo",
            field=models.ForeignKey(
                blank=True,
                help_text="A head-and-shoulders portrait from the photo library; it is shown "
                "as a square cropped around the photo's focal point.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="author_photos",
                to="photos.image",
            ),
        ),
    ]
