from django import forms

from newsroom.concurrency import VersionedModelForm
from photos.forms import PhotoField

from .models import Author, AuthorLink


class ProfileForm(VersionedModelForm):
    """What a reporter may change on their own profile. Name, role, desk, contact details and
    login stay with the profile managers. A new photo goes into the photo library
    (services.save_own_profile)."""

    photo = PhotoField(
        required=False,
        help_text="A head-and-shoulders portrait, JPEG or PNG. It is cropped to a square "
        "around its centre: check the previews above after saving.",
    )

    class Meta:
        model = Author
        fields = ["bio", "long_bio", "pronouns"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "bio": "Two or three plain sentences, shown under each of your stories.",
            "long_bio": "A longer introduction for your author page: your background, what you "
            "cover, the languages you work in. Bold, italics, lists and links.",
        }


LinkFormSet = forms.inlineformset_factory(
    Author,
    AuthorLink,
    fields=["kind", "url"],
    extra=2,
    max_num=12,
    validate_max=True,
    can_delete=True,
)
