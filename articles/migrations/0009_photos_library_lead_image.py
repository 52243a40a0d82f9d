"""Stories point at library photos: a lead photo and photos placed in the body."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_embargo_until"),
        ("photos", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="library_lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Search the photo library by caption, credit or keyword.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_articles",
                to="photos.image",
                verbose_name="lead photo",
            ),
        ),
        migrations.CreateModel(
            name="BodyImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "after_paragraph",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="1 puts the photo after the first paragraph (headings, lists "
                        "and quotes count as paragraphs); a number past the end puts it at "
                        "the end.",
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        blank=True,
                        help_text="Leave empty to use the library's caption.",
                        max_length=300,
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="body_images",
                        to="articles.article",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="body_placements",
                        to="photos.image",
                        verbose_name="photo",
                    ),
                ),
            ],
            options={"verbose_name": "body photo", "ordering": ["after_paragraph", "id"]},
        ),
    ]
