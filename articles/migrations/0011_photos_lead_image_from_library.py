"""The old lead photo fields go; the library lead photo takes the name `lead_image`.
(A separate migration from the copy: PostgreSQL refuses to alter a table with row
updates pending in the same transaction.)"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_photos_copy_lead_images")]

    operations = [
        migrations.RemoveField(model_name="article", name="lead_image"),
        migrations.RemoveField(model_name="article", name="lead_image_width"),
        migrations.RemoveField(model_name="article", name="lead_image_height"),
        migrations.RemoveField(model_name="article", name="lead_image_alt"),
        migrations.RemoveField(model_name="article", name="lead_image_credit"),
        migrations.RemoveField(model_name="article", name="social_image"),
        migrations.RemoveField(model_name="article", name="social_image_source"),
        migrations.RenameField(
            model_name="article", old_name="library_lead_image", new_name="lead_image"
        ),
        migrations.AlterField(
            model_name="article",
            name="lead_image_caption",
            field=models.CharField(
                blank=True,
                help_text="This story's caption for the photo; leave empty to use the library's.",
                max_length=300,
                verbose_name="caption",
            ),
        ),
    ]
