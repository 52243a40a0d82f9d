"""Used by the articles and authors data migrations that moved their photos into the
library: works with historical models, so it must not import photos.models."""

from .renditions import build_renditions, upright_size


def library_image(Image, file_name, **fields):
    """Save a library Image row (of the historical model `Image`) for a file already in
    storage, with its size and renditions. A file that cannot be read still gets its row,
    without renditions: `manage.py regenerate_renditions` reports it."""
    image = Image(file=file_name, **fields)
    storage = image.file.storage
    try:
        image.width, image.height = upright_size(storage, file_name)
        image.renditions = build_renditions(storage, file_name)
    except Exception:  # a missing or damaged file must not stop the migration
        image.renditions = {}
    image.save()
    return image
