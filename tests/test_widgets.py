"""newsroom.widgets.QuickSelect writes the same <select> as Django's Select."""

import pytest
from django import forms

from newsroom.widgets import QuickSelect

CHOICES = [
    ("", "All"),
    ("a&b", "A & B <x>"),
    ("Group <1>", [("g1", "G one"), ("g2", 'G "two"')]),
    (3, "three"),
    ("dup", "First"),
    ("dup", "Second"),
]


def django_select(value, attrs):
    widget = forms.Select(choices=CHOICES, attrs=attrs)
    # Django's option template ends with a newline of its own; the markup is otherwise equal.
    return str(widget.render("n", value, attrs={"id": "id_n"})).replace("\n\n", "\n")


@pytest.mark.parametrize("value", ["", "a&b", "g2", "3", 3, "dup", None, "absent"])
@pytest.mark.parametrize(
    "attrs", [{}, {"class": "form-select", "required": True, "disabled": False}]
)
def test_the_markup_is_djangos(value, attrs):
    quick = QuickSelect(choices=CHOICES, attrs=attrs).render("n", value, attrs={"id": "id_n"})

    assert str(quick) == django_select(value, attrs)


def test_labels_values_and_attributes_are_escaped():
    choices = [('"><script>', "<b>bold</b>")]
    html = str(QuickSelect(choices=choices, attrs={"title": '"x"'}).render("n", None))

    assert "<script>" not in html and "<b>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert 'title="&quot;x&quot;"' in html


@pytest.mark.django_db
def test_the_search_forms_author_list_is_unchanged(client):
    from tests.factories import AuthorFactory

    AuthorFactory(name="Ana <Kovalenko>", slug="ana")
    response = client.get("/search/", {"q": "x", "author": "ana"})

    assert '<option value="ana" selected>Ana &lt;Kovalenko&gt;</option>' in response.text
