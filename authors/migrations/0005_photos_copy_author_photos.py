"""Each author photo becomes a library photo described by the author's name. The credit
is left empty: nobody recorded it. The photo desk finds these with the library's
"credit: empty" filter."""

from django.db import migrations

from photos.migrating import library_image


def copy_author_photos(apps, schema_editor):
    Author = apps.get_model("authors", "Author")
    Image = apps.get_model("photos", "Image")
    for author in Author.objects.exclude(photo="").exclude(photo__isnull=True).order_by("pk"):
        image = library_image(
            Image, author.photo.name, alt_text=author.name, credit="", keywords="portrait"
        )
        Author.objects.filter(pk=author.pk).update(library_photo=image)


class Migration(migrations.Migration):
    dependencies = [("authors", "0004_photos_library_photo")]

    operations = [migrations.RunPython(copy_author_photos, migrations.RunPython.noop)]
