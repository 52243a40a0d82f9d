"""Print library photos from their renditions: <picture> with WebP and JPEG srcsets,
sizes, width and height, read from the image row with no query and no file access."""

from django import template

from photos.renditions import SQUARE_NAMES as SQUARE
from photos.renditions import WIDE_NAMES as WIDE

register = template.Library()

# The file an old browser without srcset support loads.
FALLBACK_WIDTH = 960


def srcset(image, names, kind):
    storage = image.file.storage
    sizes = image.sizes
    return ", ".join(
        f"{storage.url(sizes[name][kind]['name'])} {sizes[name]['width']}w"
        for name in names
        if name in sizes
    )


def fallback(image, names):
    """The largest of `names` no wider than FALLBACK_WIDTH (else the smallest)."""
    present = [image.sizes[name] for name in names if name in image.sizes]
    fitting = [entry for entry in present if entry["width"] <= FALLBACK_WIDTH]
    return fitting[-1] if fitting else present[0]


@register.inclusion_tag("photos/picture.html")
def picture(image, *, sizes, alt=None, lead=False, css_class=""):
    """A story photo at its own proportions. `lead` marks the photo at the top of the
    page: loaded at once with high priority; every other photo loads lazily."""
    if image is None or not image.is_shown:
        return {"image": None}
    default = fallback(image, WIDE)
    return {
        "image": image,
        "webp": srcset(image, WIDE, "webp"),
        "jpeg": srcset(image, WIDE, "jpeg"),
        "src": image.file.storage.url(default["jpeg"]["name"]),
        "width": default["width"],
        "height": default["height"],
        "sizes": sizes,
        "alt": image.alt_text if alt is None else alt,
        "lead": lead,
        "css_class": css_class,
    }


@register.inclusion_tag("photos/picture.html")
def portrait(image, *, size, alt="", css_class=""):
    """A square crop around the focal point, shown `size` CSS pixels wide."""
    if image is None or not image.is_shown:
        return {"image": None}
    default = fallback(image, SQUARE)
    return {
        "image": image,
        "webp": srcset(image, SQUARE, "webp"),
        "jpeg": srcset(image, SQUARE, "jpeg"),
        "src": image.file.storage.url(default["jpeg"]["name"]),
        "width": size,
        "height": size,
        "sizes": f"{size}px",
        "alt": alt,
        "lead": False,
        "css_class": css_class,
    }
