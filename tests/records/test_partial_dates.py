import pytest
from django.core.exceptions import ValidationError

from organizations.models import Organization
from records.partial_dates import PartialDate


@pytest.mark.parametrize(
    ("text", "ar", "en", "he"),
    [
        ("2004-02", "فبراير 2004", "February 2004", "פברואר 2004"),
        ("2016-08-18", "18 أغسطس 2016", "18 August 2016", "18 באוגוסט 2016"),
        ("2006", "2006", "2006", "2006"),
    ],
)
def test_partial_dates_render_in_each_language(text, ar, en, he):
    date = PartialDate.parse(text)
    assert (date.format_in("ar"), date.format_in("en"), date.format_in("he")) == (ar, en, he)


def test_late_year_is_kept_and_bounded():
    late = PartialDate.parse("2003-36")
    assert late.precision == "late"
    assert late.edtf == "2003-36"
    assert (late.lower.isoformat(), late.upper.isoformat()) == ("2003-10-01", "2003-12-31")
    assert late.csl() == {"date-parts": [[2003]], "literal": "late 2003"}


def test_bounds_of_month_and_year():
    assert PartialDate.parse("2004-02").upper.isoformat() == "2004-02-29"
    assert PartialDate.parse("2005").lower.isoformat() == "2005-01-01"
    assert PartialDate.parse("2016-08-18").csl() == {"date-parts": [[2016, 8, 18]]}


@pytest.mark.parametrize("bad", ["2004-13", "2004-02-30", "Feb 2004", "04", "2004-2"])
def test_bad_dates_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match=r"\S"):
        PartialDate.parse(bad)


@pytest.mark.django_db
def test_partial_dates_sort_and_filter_in_the_database():
    for slug, founded in [("b", "2005"), ("a", "2004-02"), ("c", "2003-36"), ("d", "2004"), ("e", "2016-08-18")]:
        Organization.objects.create(slug=slug, name=slug, kind="ngo", founded=founded)
    ordered = list(Organization.objects.order_by("founded", "slug").values_list("slug", flat=True))
    assert ordered == ["c", "d", "a", "b", "e"]
    in_2004 = Organization.objects.filter(founded__gte="2004", founded__lt="2005")
    assert sorted(in_2004.values_list("slug", flat=True)) == ["a", "d"]
    assert Organization.objects.get(slug="c").founded == PartialDate(2003, part="late")


@pytest.mark.django_db
def test_a_bad_date_is_a_validation_error_not_a_crash():
    organization = Organization(slug="x", name="x", kind="ngo", founded="2004-13")
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "founded" in error.value.message_dict


@pytest.mark.django_db
def test_a_date_set_as_text_serialises_and_an_untouched_date_is_no_change():
    from django.forms import modelform_factory

    organization = Organization.objects.create(slug="x", name="x", kind="ngo", founded="2003-36")
    assert Organization._meta.get_field("founded").value_to_string(organization) == "2003-36"
    organization.refresh_from_db()
    form_class = modelform_factory(Organization, fields=["founded"])
    form = form_class({"founded": "2003-36"}, instance=organization)
    assert form.is_valid()
    assert form.changed_data == []
    assert form_class({"founded": "2004"}, instance=organization).changed_data == ["founded"]
