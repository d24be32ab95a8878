"""The archive lookup a new or changed URL gets at once: queued when the save commits, run in a
background thread through the link checker, never replacing an editor's archived copy.

The network is a local fake of the Wayback Machine and of the cited site (tests/citations/test_archives.py);
the background thread is replaced by a list the tests run, so nothing runs behind their back.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from citations import linkcheck
from citations.models import LinkCheck, LinkStatus, Source
from tests.citations.test_archives import FakeArchive, archive, lookups, snapshot  # noqa: F401


@pytest.fixture
def on_save(archive, settings, monkeypatch):  # noqa: F811 (the fixture of test_archives)
    """Checks on save turned on; the background thread replaced by a list, run when a test says."""
    settings.LINKCHECK = {**settings.LINKCHECK, "CHECK_ON_SAVE": True}
    queued = []
    monkeypatch.setattr(linkcheck, "run_in_background", lambda function, *args: queued.append((function, args)))
    return SimpleNamespace(base=archive, queue=queued)


def run(queued):
    while queued:
        function, args = queued.pop(0)
        function(*args)


def admin_form(admin_client, url):
    """The admin form of ``url`` as the browser would post it back."""
    response = admin_client.get(url)
    data = {}
    forms = [response.context["adminform"].form]
    forms += [formset.formset.management_form for formset in response.context["inline_admin_formsets"]]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


@pytest.mark.django_db
def test_adding_a_source_with_a_url_in_the_admin_looks_up_its_archived_copy(
    admin_client, on_save, django_capture_on_commit_callbacks
):
    FakeArchive.answers = {"before": snapshot("20160301120000")}
    add = reverse("admin:citations_source_add")
    data = {**admin_form(admin_client, add), "key": "about", "title": "About ALLMEP", "language": "en"}
    data.update({"url": f"{on_save.base}/page", "access_date": "2016-08-18", "status": "draft"})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = Source.objects.get(key="about")
    # The save itself sent nothing: the check waits for the background thread.
    assert FakeArchive.requests == [] and not LinkCheck.objects.exists()
    assert [function for function, _args in on_save.queue] == [linkcheck.check_new_url]
    run(on_save.queue)
    source.refresh_from_db()
    assert source.archive_url == "https://web.archive.org/web/20160301120000/http://example.org/a"
    assert source.archive_date == datetime.date(2016, 3, 1)
    assert source.link_status == LinkStatus.LIVE
    assert lookups() == [{"url": f"{on_save.base}/page", "closest": "before", "timestamp": "20160818"}]


@pytest.mark.django_db
def test_changing_the_url_checks_the_new_one_and_keeps_the_editors_archive(
    admin_client, on_save, django_capture_on_commit_callbacks
):
    FakeArchive.answers = {"before": snapshot("20160301120000")}
    editors = "https://archive.ph/abcde"
    source = Source.objects.create(
        key="about",
        title="About",
        url=f"{on_save.base}/old",
        archive_url=editors,
        archive_date=datetime.date(2016, 9, 1),
    )
    on_save.queue.clear()
    change = reverse("admin:citations_source_change", args=[source.pk])
    data = {**admin_form(admin_client, change), "url": f"{on_save.base}/new"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change, data).status_code == 302
    run(on_save.queue)
    source.refresh_from_db()
    assert list(LinkCheck.objects.values_list("url", flat=True)) == [f"{on_save.base}/new"]
    assert (source.archive_url, source.archive_date) == (editors, datetime.date(2016, 9, 1))
    assert lookups() == []  # an editor's copy is never looked up again, nor replaced


@pytest.mark.django_db
def test_a_save_that_keeps_the_url_queues_no_check(admin_client, on_save, django_capture_on_commit_callbacks):
    source = Source.objects.create(key="about", title="About", url=f"{on_save.base}/page")
    on_save.queue.clear()
    change = reverse("admin:citations_source_change", args=[source.pk])
    data = {**admin_form(admin_client, change), "title": "About ALLMEP"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change, data).status_code == 302
    assert on_save.queue == []


@pytest.mark.django_db
def test_an_editors_archive_date_stays_when_the_archive_lists_another(
    admin_client, on_save, django_capture_on_commit_callbacks
):
    FakeArchive.answers = {"before": snapshot("20160301120000")}
    with django_capture_on_commit_callbacks(execute=True):
        source = Source.objects.create(
            key="about", title="About", url=f"{on_save.base}/page", archive_date=datetime.date(2016, 9, 1)
        )
    run(on_save.queue)
    source.refresh_from_db()
    assert (source.archive_url, source.archive_date) == ("", datetime.date(2016, 9, 1))
    # The disagreement is shown to the editor who asks for a check.
    with translation.override("en"):
        response = admin_client.post(
            reverse("admin:citations_source_changelist"),
            {"action": "check_links_now", "_selected_action": [source.pk]},
            follow=True,
        )
    [message] = response.context["messages"]
    assert "The archive lists no copy of 1 source on the date an editor gave: the editor's date is kept." in str(
        message
    )
    source.refresh_from_db()
    assert (source.archive_url, source.archive_date) == ("", datetime.date(2016, 9, 1))


@pytest.mark.django_db
def test_check_on_save_is_off_when_the_settings_say_so(on_save, settings, django_capture_on_commit_callbacks):
    settings.LINKCHECK = {**settings.LINKCHECK, "CHECK_ON_SAVE": False}
    with django_capture_on_commit_callbacks(execute=True):
        Source.objects.create(key="about", title="About", url=f"{on_save.base}/page")
    assert on_save.queue == []


def test_the_check_runs_in_a_thread_of_its_own_not_the_saving_request():
    import threading

    future = linkcheck.run_in_background(lambda: threading.current_thread().name)
    assert future.result(timeout=10).startswith("linkcheck")
    assert threading.current_thread().name != future.result()
