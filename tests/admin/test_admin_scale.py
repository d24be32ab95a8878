"""The staff admin stays usable on big tables: changelists cost the same queries for 10 rows as for
1,000, an unfiltered list of a big PostgreSQL table is not counted row by row, and no form offers a
select menu of every organization, event or source."""

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
    RelatedFieldWidgetWrapper,
)
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citations.models import Citation, Source
from events.models import Event, Meeting
from organizations.models import Membership, Organization
from records.admin import EstimatedCountPaginator

PUBLISHED = "published"
SCALABLE_WIDGETS = (AutocompleteSelect, AutocompleteSelectMultiple, ForeignKeyRawIdWidget, ManyToManyRawIdWidget)
# Tables that stay small whatever the record grows to: a menu of them is fine.
SMALL_TABLES = {ContentType, Group, Permission}


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="admin", password="x" * 16)
    client.force_login(user)
    return client


def populate(start, stop):
    """Rows start..stop-1 of every big table (bulk_create: test rows need no revision here)."""
    numbers = range(start, stop)
    coalition, _created = Organization.objects.get_or_create(
        slug="allmep", defaults={"name_en": "ALLMEP", "kind": "coalition", "status": PUBLISHED}
    )
    organizations = Organization.objects.bulk_create(
        Organization(slug=f"org-{n:05d}", name_en=f"Org {n}", kind="ngo", country="IL", status=PUBLISHED)
        for n in numbers
    )
    Membership.objects.bulk_create(
        Membership(member=organization, coalition=coalition, joined="2005", status=PUBLISHED)
        for organization in organizations
    )
    events = Event.objects.bulk_create(
        Event(slug=f"event-{n:05d}", title_en=f"Event {n}", kind="panel", start="2005", organizer=coalition)
        for n in numbers
    )
    Meeting.objects.bulk_create(
        Meeting(slug=f"meeting-{n:05d}", title_en=f"Meeting {n}", organization=coalition, event=event)
        for n, event in zip(numbers, events, strict=True)
    )
    sources = Source.objects.bulk_create(Source(key=f"source-{n:05d}", title=f"Source {n}") for n in numbers)
    content_type = ContentType.objects.get_for_model(Organization)
    Citation.objects.bulk_create(
        Citation(source=source, content_type=content_type, object_id=organization.pk)
        for source, organization in zip(sources, organizations, strict=True)
    )


BIG_MODELS = [Organization, Membership, Event, Meeting, Source, Citation]


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries]


@pytest.mark.django_db
@pytest.mark.parametrize("model", BIG_MODELS, ids=lambda model: model.__name__)
def test_changelists_cost_the_same_queries_for_10_and_1000_rows(staff_client, model):
    populate(0, 10)
    url = changelist(model)
    staff_client.get(url)  # warm the content-type cache, as any running site has
    small = queries_of(staff_client, url)

    populate(10, 1000)
    large = queries_of(staff_client, url)

    assert len(small) == len(large)


@pytest.mark.django_db
@pytest.mark.parametrize("model", BIG_MODELS, ids=lambda model: model.__name__)
def test_no_count_of_the_whole_table_for_an_unfiltered_big_list(postgres_only, staff_client, model, monkeypatch):
    # A thousand rows stand for a big table here: the estimate is used from EXACT_BELOW rows.
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_BELOW", 500)
    populate(0, 1000)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")  # what autovacuum does for a real table

    unfiltered = queries_of(staff_client, changelist(model))
    counts = [sql for sql in unfiltered if "COUNT(" in sql.upper() and f'FROM "{table}"' in sql]
    assert counts == [], "the unfiltered changelist counted the whole table"
    assert any("reltuples" in sql for sql in unfiltered)
    # ANALYZE of a table this small reads every row, so here the estimate is exact.
    assert staff_client.get(changelist(model)).context["cl"].result_count == model.objects.count()

    # A searched list is counted exactly: a planner estimate says nothing about a search.
    searched = queries_of(staff_client, changelist(model) + "?q=zz-no-match")
    assert any("COUNT(" in sql.upper() for sql in searched)


@pytest.mark.django_db
def test_small_tables_and_other_databases_are_counted_exactly(staff_client):
    populate(0, 10)

    sql = queries_of(staff_client, changelist(Citation))

    assert any("COUNT(" in query.upper() for query in sql)


def relation_fields(model_admin, request):
    """(where, name, form field) of every relation field the admin's forms and inlines offer."""
    forms = [(model_admin.model.__name__, model_admin.get_form(request))]
    for formset, inline in model_admin.get_formsets_with_inlines(request):
        forms.append((f"{model_admin.model.__name__} › {inline.model.__name__}", formset.form))
    for where, form in forms:
        for name, field in form.base_fields.items():
            if isinstance(field, ModelChoiceField):  # ModelMultipleChoiceField too
                yield where, name, field


@pytest.mark.django_db
def test_every_relation_on_admin_forms_is_chosen_by_autocomplete_or_id(django_user_model):
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_superuser(username="admin", password="x" * 16)
    giant_menus = []
    checked = 0
    for model_admin in admin.site._registry.values():
        if not model_admin.has_add_permission(request) and not model_admin.has_change_permission(request):
            continue
        for where, name, field in relation_fields(model_admin, request):
            widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
            checked += 1
            if field.queryset.model not in SMALL_TABLES and not isinstance(widget, SCALABLE_WIDGETS):
                giant_menus.append(f"{where}.{name} ({type(widget).__name__})")

    assert checked > 10
    assert giant_menus == []
