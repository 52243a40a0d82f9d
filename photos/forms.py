from django import forms

from newsroom.uploads import inspect_image


class PhotoField(forms.ImageField):
    """Django's image field, with the library's checks first, so that each bad upload gets
    its own message (a decompression bomb, an SVG, a truncated file…) instead of the
    generic "Upload a valid image"."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            inspect_image(data)
        return super().to_python(data)
