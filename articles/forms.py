from django import forms
from django.conf import settings

from authors.models import Author
from newsroom.widgets import QuickSelect

from .caching import shared_fragment
from .models import Article, Section
from .search import has_words


class SearchForm(forms.Form):
    """The reader's search: words plus optional filters. Every field is optional, so an
    empty form is valid and simply shows the search tips."""

    q = forms.CharField(
        label="Search for",
        required=False,
        # No max_length validator: a longer query is cut (and the reader told), not refused.
        widget=forms.TextInput(
            attrs={"type": "search", "maxlength": settings.NEWSROOM_SEARCH_MAX_LENGTH}
        ),
        help_text='Use quotes for a phrase ("city council"), OR for either word, and a minus '
        "to leave a word out (budget -sport).",
    )
    section = forms.ModelChoiceField(
        Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All sections",
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label="Type",
        choices=[("", "All types"), *Article.Kind.choices],
        required=False,
        widget=QuickSelect,
    )
    author = forms.ModelChoiceField(
        Author.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All authors",
        widget=QuickSelect,
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label="Order",
        choices=[("relevance", "Best match"), ("newest", "Newest first")],
        required=False,
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query_was_cut = False
        # The options come from the fragment cache; a chosen one is still checked against
        # the database (ModelChoiceField looks it up by slug).
        for name, options in filter_choices().items():
            field = self.fields[name]
            field.choices = [("", field.empty_label), *options]

    def clean_q(self):
        query = " ".join(self.cleaned_data["q"].split())
        limit = settings.NEWSROOM_SEARCH_MAX_LENGTH
        if len(query) > limit:
            self.query_was_cut = True
            # Cut at a space where there is one, so the last word stays whole.
            cut = query[: limit + 1]
            query = cut.rsplit(" ", 1)[0] if " " in cut else query[:limit]
        return query

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    @property
    def query(self):
        return self.cleaned_data.get("q", "") if self.is_valid() else ""

    @property
    def filters_used(self):
        names = ["section", "kind", "author", "date_from", "date_to", "sort"]
        return any(self.data.get(name) for name in names)

    @property
    def has_words(self):
        return has_words(self.query)

    def search_arguments(self):
        data = self.cleaned_data
        return {
            "order": data["sort"] or "relevance",
            "section": data["section"],
            "kind": data["kind"],
            "author": data["author"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }


def filter_choices():
    """The <option>s of the section and author filters, [slug, name] in the fields' order,
    kept until a section or an author is saved or deleted (which purges "site"): reading
    and printing 300 writers cost every search page 10 ms."""

    def read():
        fields = SearchForm.base_fields
        return {
            name: [list(pair) for pair in fields[name].queryset.values_list("slug", "name")]
            for name in ["section", "author"]
        }

    return shared_fragment("search-filter-choices", read)
