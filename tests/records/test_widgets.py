"""The reader menus' <select>, written in Python, is the markup Django's templates write (attribute order aside)."""

from django import forms
from django.test.html import parse_html

from records.widgets import CompactSelect

CHOICES = [("", "any"), ("ps", "Palestine"), ("il", "Israel"), ("x", 'Tom & "Jerry" <b>')]


def test_the_compact_select_writes_what_django_writes():
    attrs = {"id": "id_country", "aria-describedby": "help"}
    for value in (None, "", "il", "x"):
        expected = forms.Select(choices=CHOICES).render("country", value, attrs)
        written = CompactSelect(choices=CHOICES).render("country", value, attrs)
        assert parse_html(written) == parse_html(expected)  # as assertHTMLEqual compares


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    written = CompactSelect(choices=CHOICES).render("country", "il", {"id": "id_country"})

    assert '<option value="il" selected>Israel</option>' in written
    assert "Tom &amp; &quot;Jerry&quot; &lt;b&gt;" in written
    assert written.count(" selected") == 1
