from django import forms

from newsroom.concurrency import VersionedModelForm

from .models import Author, AuthorLink


class ProfileForm(VersionedModelForm):
    """What a reporter may change on their own profile. Name, role, desk, contact details and
    login stay with the profile managers."""

    class Meta:
        model = Author
        fields = ["bio", "long_bio", "pronouns", "photo"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "bio": "Two or three plain sentences, shown under each of your stories.",
            "long_bio": "A longer introduction for your author page: your background, what you "
            "cover, the languages you work in. Bold, italics, lists and links.",
            "photo": "A head-and-shoulders portrait. It is cropped to a square from the "
            "centre: check the previews above after saving.",
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
