"""Messages of Django's admin, django-reversion and django-axes that staff see, kept in our catalogues.

Their own Arabic catalogues get some of them wrong: Django's says «نجحت إضافة» ("was added") after
a change, and django-reversion's revert and recover screens are misspelled («أنقر … لإعاده هذه
النسخه», «إسترجع»); django-reversion's Hebrew lacks some, and django-axes has no Hebrew at all.
Our catalogues (LOCALE_PATHS) take precedence over the apps', but makemessages reads only our
code: this module names the messages so that it keeps them, with our translations, on every run.
Nothing imports it. A msgid must be copied exactly from the package (quotes included), or our
translation is never used (tests/test_translations.py checks).
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN = (
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop(
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the following protected "
        "related objects:"
    ),
    gettext_noop(
        "Deleting %(class_name)s %(instance)s would require deleting the following protected related "
        "objects: %(related_objects)s"
    ),
    gettext_noop("You don’t have permission to view or edit anything."),
)

DJANGO_REVERSION = (
    gettext_noop("Initial version."),
    gettext_noop("Reverted to previous version, saved on %(datetime)s"),
    gettext_noop("Could not load %(object_repr)s version - not found"),
    gettext_noop("Revert %(name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the save button below to revert to this version of the object."),
    gettext_noop("Recover %(name)s"),
    gettext_noop("Recover deleted %(name)s"),
    gettext_noop("Choose a date from the list below to recover a deleted version of an object."),
    gettext_noop("Press the save button below to recover this version of the object."),
    gettext_noop("There are no deleted objects to recover."),
)

DJANGO_AXES = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
)
