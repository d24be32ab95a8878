"""Staff imports (django-import-export in the admin): the mirror of the list downloads.

Each app declares the resources of its kinds (``<app>/resources.py``) on :class:`RecordResource`.

An import takes the columns a CSV/XLSX export gives (``id`` is the slug, one column per
language), shows a preview with each row's errors, and then saves all rows or none. Each saved
row is a revision of its own, by the importing user, with a comment naming the file and row,
so the history page shows where every imported value came from. Imported records keep their
publication state (new ones are drafts): publishing stays an editor's decision.

Prose is read from its markup column (``description_markup_ar``…); the plain text an export
shows beside it (``description_ar``…) is for reading and is not imported.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from modeltranslation.fields import TranslationField

from . import history
from .languages import LANGUAGE_CODES, per_language
from .models import PublicationStatus
from .proposals import may_publish
from .prose import ProseField
from .tables import FORMULA_TRIGGERS, markup_column
from .versioning import revision


class RecordResource(resources.ModelResource):
    """All or nothing, model validation on every row, one revision per saved row."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if isinstance(django_field, ProseField) and isinstance(django_field, TranslationField):
            field.column_name = markup_column(django_field.translated_field.name, django_field.language)
        return field

    def import_data(self, dataset, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        # A list download puts an apostrophe before formula-like text (exports.writers.neutralise):
        # take it off, so an exported file edited in a spreadsheet imports back as it was.
        for name, value in row.items():
            if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_TRIGGERS:
                row[name] = value[1:]

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if instance.pk is None or user is None or may_publish(user, type(instance)):
            return
        saved = type(instance)._base_manager.filter(pk=instance.pk).first()
        if saved is None or saved.status != PublicationStatus.PUBLISHED:
            return
        if history.changed_fields(type(instance), history.values_of(saved), history.values_of(instance)):
            raise ValidationError(
                _(
                    "“%(record)s” is published: changes to it are reviewed by a publisher. Change it in its "
                    "form, or ask a publisher to import this row."
                )
                % {"record": instance}
            )

    def save_instance(self, instance, is_create, row, **kwargs):
        comment = _("Imported from %(file)s, row %(row)s") % {
            "file": kwargs.get("file_name") or _("a file"),
            "row": kwargs.get("row_number", "?"),
        }
        user = kwargs.get("user")
        with revision(comment, user=user if user is not None and user.is_authenticated else None):
            super().save_instance(instance, is_create, row, **kwargs)


def import_columns(model, names):
    """The import's column names for the model's fields ``names``: one per language for a translated field."""
    return per_language(model, names, lambda name: [f"{name}_{language}" for language in LANGUAGE_CODES])
