"""The old photo fields go; the library photo takes the name `photo`. (Separate from the
copy: PostgreSQL refuses to alter a table with row updates pending in the transaction.)"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("authors", "0005_photos_copy_author_photos")]

    operations = [
        migrations.RemoveField(model_name="author", name="photo"),
        migrations.RemoveField(model_name="author", name="photo_width"),
        migrations.RemoveField(model_name="author", name="photo_height"),
        migrations.RenameField(model_name="author", old_name="library_photo", new_name="photo"),
    ]
