from django import forms

from .models import Author, AuthorLink


class ProfileForm(forms.ModelForm):
    """What a reporter may change on their own profile. Name, role and login stay with
    the profile managers."""

    class Meta:
        model = Author
        fields = ["bio", "photo"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"bio": "Two or three plain sentences, shown under each of your stories."}


LinkFormSet = forms.inlineformset_factory(
    Author,
    AuthorLink,
    fields=["kind", "url"],
    extra=2,
    max_num=12,
    validate_max=True,
    can_delete=True,
)
