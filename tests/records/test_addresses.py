"""Record page addresses are what reverse() gives, in every language and under a script prefix."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from records.addresses import page_url

VIEWS = [
    ("organizations:organization_detail", "slug"),
    ("organizations:person_detail", "slug"),
    ("events:event_detail", "slug"),
    ("events:meeting_detail", "slug"),
    ("citations:source_detail", "key"),
]


@pytest.mark.parametrize(("view_name", "lookup"), VIEWS)
@pytest.mark.parametrize("language", ["ar", "en", "he"])
@pytest.mark.parametrize("prefix", ["/", "/record/"])
def test_a_page_address_is_the_reversed_one(view_name, lookup, language, prefix):
    set_script_prefix(prefix)
    try:
        with translation.override(language):
            for slug in ["allmep", "just-vision_2", "A-1"]:
                assert page_url(view_name, lookup, slug) == reverse(view_name, kwargs={lookup: slug})
    finally:
        set_script_prefix("/")


@override_settings(ROOT_URLCONF="tests.records.urls_elsewhere")
def test_another_url_configuration_gives_its_own_addresses():
    with translation.override("en"):
        assert page_url("events:event_detail", "slug", "summit") == "/elsewhere/summit/"
