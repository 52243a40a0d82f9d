"""Every distinct lead photo file becomes one library photo (with the story's alt text,
caption and credit) and the stories using it point at it. Files shared by many stories
(the benchmark archive) become one library photo, not one per story."""

from django.db import migrations

from photos.migrating import library_image


def copy_lead_images(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("photos", "Image")
    pictured = Article.objects.exclude(lead_image="").exclude(lead_image__isnull=True)
    names = pictured.order_by("lead_image").values_list("lead_image", flat=True).distinct()
    for name in list(names):
        article = pictured.filter(lead_image=name).order_by("pk").first()
        image = library_image(
            Image,
            name,
            alt_text=article.lead_image_alt,
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
        )
        # The caption now lives in the library; the stories keep none of their own.
        pictured.filter(lead_image=name).update(library_lead_image=image, lead_image_caption="")


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_photos_library_lead_image")]

    operations = [migrations.RunPython(copy_lead_images, migrations.RunPython.noop)]
