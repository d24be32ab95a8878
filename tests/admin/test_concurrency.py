"""Many editors saving one record at the same moment: one save wins, every other is refused.

Each editor is a real thread with its own database connection and its own logged-in test
client, posting the admin change form built from the same edit version. On PostgreSQL the form's
``select_for_update`` queues the saves on the row lock; on SQLite the IMMEDIATE transactions of
the settings queue them on the database's write lock. Either way the first save commits and each
later one sees the record moved on and is refused with the conflict message.
"""

import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client
from reversion.models import Version

from organizations.models import Organization
from records.versioning import revision
from tests.answers import change_form_data, change_url

EDITORS = 12
REFUSAL = "Your changes are not saved yet."


@contextmanager
def database_for_threads():
    """Let threads started inside this block see the test database as it is now.

    PostgreSQL: they connect to the test database itself. SQLite: the test database is in memory,
    in shared-cache mode, where a locked table fails at once instead of waiting for the lock; it
    is copied into a file, which connections made inside the block open instead, so the threads
    queue on its lock as the site's connections do. This thread's connection keeps the original.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "threads.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        memory_name = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = str(path)
        try:
            yield
        finally:
            connection.settings_dict["NAME"] = memory_name


def run_in_threads(function, arguments):
    """``function(argument)`` in one thread per argument, all released at once; the results."""
    start = threading.Barrier(len(arguments))
    results = [None] * len(arguments)

    def run(index, argument):
        try:
            start.wait(timeout=30)
            results[index] = function(argument)
        except Exception as error:  # reported by the assertion on the results
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def in_a_thread(function):
    """Run ``function`` in a new thread, to read what the editors' connections see."""
    (result,) = run_in_threads(lambda _: function(), [None])
    if isinstance(result, Exception):
        raise result
    return result


def test_parallel_saves_of_one_version_keep_exactly_one(transactional_db):
    with revision("Seed for the concurrency test"):
        organization = Organization.objects.create(
            slug="peace-now", name_ar="سلام الآن", name_en="Peace Now", kind="ngo", status="published"
        )
    users = [
        User.objects.create_superuser(f"editor{n}", f"editor{n}@example.org", "not-used-here-1234")
        for n in range(EDITORS)
    ]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    form = change_form_data(clients[0].get(change_url(organization)))
    saved_before = (organization.edit_version, Version.objects.get_for_object(organization).count())

    def save(editor):
        data = {**form, "summary_en": [f"Summary by editor {editor}"], "edit_summary": [f"Edit {editor}"]}
        response = clients[editor].post(change_url(organization), data)
        return response.status_code, response.content.decode()

    def stored():
        saved = Organization.objects.get(pk=organization.pk)
        versions = Version.objects.get_for_object(saved)
        return saved.summary_en, saved.edit_version, versions.count(), versions.first().revision.comment

    with database_for_threads():
        results = run_in_threads(save, list(range(EDITORS)))
        summary, edit_version, version_count, comment = in_a_thread(stored)

    statuses = [result[0] if isinstance(result, tuple) else result for result in results]
    assert statuses.count(302) == 1 and statuses.count(200) == EDITORS - 1, statuses
    winner = statuses.index(302)
    for editor, (_, page) in enumerate(results):
        if editor != winner:
            assert REFUSAL in page
            # The refused editor's own text stays in the form, to save again deliberately.
            assert f"Summary by editor {editor}" in page
    assert summary == f"Summary by editor {winner}"
    assert (edit_version, version_count) == (saved_before[0] + 1, saved_before[1] + 1)
    assert comment == f"Edit {winner}"
