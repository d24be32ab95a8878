"""The staff admin's change forms.

Every versioned model's form asks for an edit summary, which becomes the revision comment.
A record's form also remembers the record's edit counter as it was when the form was built and
refuses to save over a colleague's save made since (see :class:`RecordForm`).
"""

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import history

EDIT_SUMMARY = "edit_summary"
EDIT_VERSION_SEEN = "edit_version_seen"
VERSION_SEEN = "version_seen"


class VersionedForm(forms.ModelForm):
    edit_summary = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=500,
        help_text=_("What you changed and why, in a sentence. It is shown in the history."),
        widget=forms.TextInput(attrs={"size": 80, "dir": "auto"}),
    )


class RecordForm(VersionedForm):
    """A record's change form that cannot silently overwrite a concurrent edit.

    ``edit_version_seen`` carries the record's edit counter as saved when the form was built,
    read from the database (a revert view renders an instance holding old values). On submit,
    :meth:`clean` reads the counter again with the row locked; if it moved on, the save is
    refused with a message naming who saved and each changed field with its saved value. Fields
    the editor left alone take the colleague's values, the editor's own input stays, and the
    hidden counter is brought up to date, so submitting again saves deliberately.
    ``version_seen`` is the latest saved version at that time, which tells what changed since.
    """

    edit_version_seen = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version_seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Set by RecordAdmin.get_form while a revert or a recovery runs: django-reversion writes the
    # old version into the row before the form is built, so the counter read before that stands.
    edit_version_before_revert = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[EDIT_VERSION_SEEN].initial = self._saved_edit_version()
            self.fields[VERSION_SEEN].initial = self._latest_version_id()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self._refuse_concurrent_edit(cleaned_data)
        return cleaned_data

    def _saved_edit_version(self):
        if self.edit_version_before_revert is not None:
            return self.edit_version_before_revert
        saved = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        return saved.values_list("edit_version", flat=True).first() or 0

    def _latest_version_id(self):
        return history.versions_for(self.instance).values_list("pk", flat=True).first()

    def _refuse_concurrent_edit(self, cleaned_data):
        seen = cleaned_data.get(EDIT_VERSION_SEEN)
        if self.edit_version_before_revert is not None:
            if seen != self.edit_version_before_revert:
                self.add_error(None, self._saved_since_message(self.instance))
                self._set_data(EDIT_VERSION_SEEN, self.edit_version_before_revert)
            return
        # The admin saves inside a transaction: the lock holds until this save is committed, so
        # a colleague's save cannot slip in between this check and ours.
        saved = type(self.instance)._base_manager.select_for_update().filter(pk=self.instance.pk).first()
        if saved is None or seen == saved.edit_version:
            return
        current = history.values_of(saved)
        seen_version = history.versions_for(saved).filter(pk=cleaned_data.get(VERSION_SEEN)).first()
        if seen_version is not None:
            changes = history.diff_values(type(saved), seen_version.field_dict, current)
            self._take_untouched_changes(seen_version.field_dict, current, cleaned_data)
        else:
            changes = self._differences_from_input(saved, current)
        self.add_error(None, self._conflict_messages(saved, changes))
        self._set_data(EDIT_VERSION_SEEN, saved.edit_version)
        self._set_data(VERSION_SEEN, self._latest_version_id())

    def _conflict_messages(self, saved, changes):
        messages = [self._saved_since_message(saved)]
        if not changes:
            messages.append(
                gettext("Its citations or other rows edited with it changed: look at them before saving again.")
            )
        for change in changes:
            label = f"{change.label} ({change.language_name})" if change.language else change.label
            value = Truncator(change.new).chars(200) or gettext("(empty)")
            messages.append(gettext("%(field)s is now: “%(value)s”") % {"field": label, "value": value})
        messages.append(
            gettext(
                "Fields you had not edited now show the saved values; fields you edited keep your text. "
                "Review them, then save again to keep this version."
            )
        )
        return messages

    def _saved_since_message(self, saved):
        latest = history.versions_for(saved).first()
        if latest is None or latest.pk == self.cleaned_data.get(VERSION_SEEN):
            return gettext("This record was saved again after you opened it. Your changes are not saved yet.")
        revision = latest.revision
        author = (revision.user.get_full_name() or revision.user.get_username()) if revision.user else ""
        params = {
            "user": author or gettext("an unnamed script"),
            "date": date_format(timezone.localtime(revision.date_created), "DATETIME_FORMAT"),
        }
        return (
            gettext("%(user)s saved this record on %(date)s, after you opened it. Your changes are not saved yet.")
            % params
        )

    def _editable_model_fields(self):
        """(form field name, model field) of the fields this form edits."""
        model_fields = {f.name: f for f in type(self.instance)._meta.get_fields() if f.concrete}
        return [(name, model_fields[name]) for name in self.fields if name in model_fields]

    def _take_untouched_changes(self, seen_values, current, cleaned_data):
        """Show the colleague's value in each field they changed and this editor did not."""
        for name, model_field in self._editable_model_fields():
            before, after = seen_values.get(model_field.attname), current.get(model_field.attname)
            if name not in cleaned_data or _same(before, after):
                continue
            if _same(before, _as_stored(cleaned_data[name])):
                self._set_data(name, after)

    def _differences_from_input(self, saved, current):
        """Without the version the editor saw, list where their input differs from the saved record."""
        differences = []
        submitted = {
            model_field.attname: _as_stored(self.cleaned_data[name])
            for name, model_field in self._editable_model_fields()
            if name in self.cleaned_data
        }
        for change in history.diff_values(type(saved), submitted, current):
            if change.name in self.cleaned_data:
                differences.append(change)
        return differences

    def _set_data(self, name, value):
        """Replace what the browser sent for one field, as the browser would have sent ``value``."""
        bound_field = self[name]
        widget = bound_field.field.widget
        widget = getattr(widget, "widget", widget)  # the admin wraps related-object widgets
        data = self.data.copy()
        prepared = bound_field.field.prepare_value(value)
        if isinstance(widget, forms.CheckboxInput):
            data.setlist(bound_field.html_name, ["on"] if prepared else [])
        else:
            formatted = widget.format_value(prepared)
            if isinstance(formatted, (list, tuple)):
                data.setlist(bound_field.html_name, [str(item) for item in formatted])
            else:
                data[bound_field.html_name] = "" if formatted is None else str(formatted)
        self.data = data


def _as_stored(value):
    """A cleaned form value in the shape django-reversion stores: related objects by key."""
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "values_list"):
        return list(value.values_list("pk", flat=True))
    return value


def _same(a, b):
    return history.comparable(a) == history.comparable(b)
