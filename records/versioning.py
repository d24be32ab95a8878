"""Registration with django-reversion, and revisions for code that edits outside the admin.

Models are registered from each app's ``AppConfig.ready()``: by then modeltranslation has
added its ``_ar``/``_en``/``_he`` columns, so every language is in every version. (The
``@reversion.register`` decorator would run at import time, before those columns exist.)

``QuerySet.update()`` and ``bulk_create()`` bypass ``save()`` and create no revision: scripts
and imports must save each object inside :func:`revision` instead.
"""

from contextlib import contextmanager

import reversion

# The save counter guards against edit conflicts; restoring an old value would defeat it.
NOT_VERSIONED = ("edit_version",)


def register(model, follow=()):
    """Version ``model`` with its citations and whatever else belongs to it."""
    fields = {f.name for f in model._meta.get_fields()}
    follow = tuple(follow) + (("citations",) if "citations" in fields else ())
    exclude = tuple(name for name in NOT_VERSIONED if name in fields)
    reversion.register(model, follow=follow, exclude=exclude)


@contextmanager
def revision(comment, user=None):
    """Group the saves of a script into one revision with an author and an edit summary."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)
        yield
