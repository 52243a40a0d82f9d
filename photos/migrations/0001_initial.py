import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import newsroom.uploads


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.ImageField(
                        help_text="JPEG, PNG, WebP or GIF. Location and camera data are removed "
                        "on upload.",
                        upload_to=newsroom.uploads.UploadTo("photos"),
                        verbose_name="photo",
                    ),
                ),
                (
                    "alt_text",
                    models.CharField(
                        help_text="What the photo shows, for readers who cannot see it.",
                        max_length=250,
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        blank=True,
                        help_text="Used wherever a story does not write its own.",
                        max_length=300,
                        verbose_name="default caption",
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        help_text="Printed with the photo wherever it appears, e.g. Jane Doe / "
                        "Agency.",
                        max_length=150,
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True,
                        help_text="e.g. Reuters, staff, handout.",
                        max_length=150,
                        verbose_name="source or agency",
                    ),
                ),
                (
                    "licence",
                    models.TextField(
                        blank=True,
                        help_text="Terms of use, for the photo desk only.",
                        verbose_name="licence note",
                    ),
                ),
                (
                    "usage_expires",
                    models.DateField(
                        blank=True,
                        help_text="Last day the licence lets us show the photo. After it, the "
                        "site stops showing it everywhere. Leave empty for no limit.",
                        null=True,
                        verbose_name="usable until",
                    ),
                ),
                (
                    "focal_x",
                    models.FloatField(
                        default=0.5,
                        help_text="0 is the left edge, 1 the right; crops keep this point in view.",
                        validators=[
                            django.core.validators.MinValueValidator(0.0),
                            django.core.validators.MaxValueValidator(1.0),
                        ],
                        verbose_name="focal point across",
                    ),
                ),
                (
                    "focal_y",
                    models.FloatField(
                        default=0.5,
                        help_text="0 is the top edge, 1 the bottom.",
                        validators=[
                            django.core.validators.MinValueValidator(0.0),
                            django.core.validators.MaxValueValidator(1.0),
                        ],
                        verbose_name="focal point down",
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False)),
                ("height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "keywords",
                    models.CharField(
                        blank=True,
                        help_text="Words to find the photo by, e.g. parliament, flood.",
                        max_length=300,
                    ),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "renditions",
                    models.JSONField(
                        default=dict,
                        editable=False,
                        help_text="The files made from the photo: see "
                        "photos.renditions.build_renditions.",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-uploaded_at", "-id"],
                "verbose_name": "photo",
                "indexes": [models.Index(fields=["usage_expires"], name="image_usage_expires_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("focal_x__gte", 0),
                            ("focal_x__lte", 1),
                            ("focal_y__gte", 0),
                            ("focal_y__lte", 1),
                        ),
                        name="image_focal_point_inside",
                    )
                ],
            },
        ),
    ]
