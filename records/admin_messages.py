"""Messages of Django's admin and the admin apps we use that staff see, kept in our catalogues.

Their own Arabic catalogues get some of them wrong: Django's says «نجحت إضافة» ("was added") after
a change, django-reversion's revert and recover screens are misspelled («أنقر … لإعاده هذه
النسخه», «إسترجع») and so is django-import-export's import screen («إستيراد», «رقم الصطر»), which
leaves half its messages in English; django-reversion's Hebrew lacks some, and django-axes has no
Hebrew at all.
Our catalogues (LOCALE_PATHS) take precedence over the apps', but makemessages reads only our
code: this module names the messages so that it keeps them, with our translations, on every run.
Nothing imports it. A msgid must be copied exactly from the package (quotes included), or our
translation is never used (tests/site/test_translations.py checks).
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

# The import screens of organizations and memberships (ImportMixin); their export is not used.
DJANGO_IMPORT_EXPORT = (
    gettext_noop("Import"),
    gettext_noop("File to import"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct format for the file."
    ),
    gettext_noop("No valid data to import. Ensure your file has the correct headers or data for import."),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, click 'Confirm import'"
    ),
    gettext_noop("Confirm import"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop("Please correct these errors in your data where possible, then reupload it using the form above."),
    gettext_noop("Line number"),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    gettext_noop("Skipped"),
    gettext_noop("Value could not be parsed."),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
)
