"""Base classes of the staff admin: versioned, translated, conflict-safe editing.

:class:`VersionedAdmin` is django-reversion's ``VersionAdmin`` with modeltranslation's tabbed
translation fields, an edit summary that becomes the revision comment, and a history page that
compares two versions (with :mod:`records.history`), and the translation status of its languages
(:mod:`records.translation_admin`). :class:`RecordAdmin` adds what records
have: refusal of edits that would overwrite a colleague's (:class:`records.forms.RecordForm`) and
the publication state, which only holders of the model's ``publish_<model>`` permission change.
"""

from contextlib import nullcontext
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.timezone import template_localtime
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.utils import build_localized_fieldname
from reversion import get_comment, is_active, set_comment
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals

from . import history, proposals, versioning
from .forms import EDIT_SUMMARY, EDIT_VERSION_SEEN, VERSION_SEEN, RecordForm, VersionedForm
from .models import PublicationStatus
from .partial_dates import PartialDateField
from .proposal_admin import proposal_url
from .query_strings import BadRequest, int_parameter
from .translation_admin import PANEL, TranslationStatusMixin


def in_all_languages(*names):
    """Every language column of translated fields, for search_fields: name → name_ar, name_en, name_he."""
    return tuple(build_localized_fieldname(name, code) for name in names for code, _name in settings.LANGUAGES)


def saved_edit_version(model, pk):
    """A record's edit counter as saved, its row locked until the end of the transaction."""
    try:
        saved = model._base_manager.select_for_update().filter(pk=pk)
        return saved.values_list("edit_version", flat=True).first() or 0
    except (ValueError, ValidationError):  # not a key of this model: the view answers 404
        return 0


def saved_status(model, pk):
    """A record's publication status as saved; a record that no longer exists is a draft."""
    try:
        saved = model._base_manager.filter(pk=pk).values_list("status", flat=True).first()
    except (ValueError, ValidationError):
        saved = None
    return saved or PublicationStatus.DRAFT


class _Proposed(Exception):
    """Carries what a save would have saved out of the transaction that rolls it back."""

    def __init__(self, state):
        self.state = state


class _ShowRevertForm(Exception):
    """Carries the rendered form of an old version out of the transaction that is rolled back."""

    def __init__(self, response):
        self.response = response


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered changelist of a big PostgreSQL table from the planner's statistics.

    ``COUNT(*)`` reads the whole table: with hundreds of thousands of citations that is most of
    a changelist's time. An unfiltered list takes ``pg_class.reltuples`` (kept by autovacuum and
    ANALYZE) when it says the table is big; a filtered or searched list, a small table, a table
    never analysed or another database counts exactly, as Django does.
    """

    EXACT_BELOW = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and not query.distinct and not query.combinator:
            connection = connections[self.object_list.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                        [connection.ops.quote_name(query.model._meta.db_table)],
                    )
                    row = cursor.fetchone()
                if row and row[0] >= self.EXACT_BELOW:
                    return row[0]
        return super().count


class WidgetsMixin:
    """Form fields as the admin needs them: addresses assumed https, text in its own direction.

    Text inputs get the writing direction of what is typed into them: a translation column its
    language's, whatever the admin's language is, so English reads left to right in the Arabic
    admin; identifiers, addresses and dates left to right; other free text (a source's title, a
    quote) follows its first strong letter.
    """

    LEFT_TO_RIGHT_FIELDS = (models.SlugField, models.URLField, models.EmailField, PartialDateField, models.DateField)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if not isinstance(widget, (forms.TextInput, forms.Textarea, forms.URLInput, forms.EmailInput)):
            return formfield
        language = getattr(db_field, "language", None) if hasattr(db_field, "translated_field") else None
        if language:
            widget.attrs["lang"] = language
            widget.attrs["dir"] = "rtl" if get_language_info(language)["bidi"] else "ltr"
        elif isinstance(db_field, self.LEFT_TO_RIGHT_FIELDS):
            widget.attrs["dir"] = "ltr"
        else:
            widget.attrs["dir"] = "auto"
        return formfield


class PublicationMixin:
    """The publication state is read-only without the model's publish permission."""

    def has_publish_permission(self, request, obj=None):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request) and "status" not in fields:
            fields.append("status")
        return fields


class VersionedAdmin(TranslationStatusMixin, WidgetsMixin, VersionAdmin, TranslationAdmin):
    """Admin of a versioned, translated model, with the translation status of its languages."""

    form = VersionedForm
    history_latest_first = True
    list_per_page = 50
    # Big tables: no second COUNT(*) for "N in all" beside a filtered list, and no exact count of
    # an unfiltered one (see EstimatedCountPaginator).
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    edit_fields = (EDIT_SUMMARY,)

    class Media:
        # modeltranslation's TabbedTranslationAdmin, with our copy of jQuery UI instead of a CDN's.
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            "vendor/jquery-ui/jquery-ui.min.js",
            "modeltranslation/js/tabbed_translation_fields.js",
            "admin-extra/admin.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css", "admin-extra/translation-tabs.css")}

    def get_fieldsets(self, request, obj=None):
        """The model's fieldsets, the translation status, then the edit summary (and hidden edit bookkeeping) last."""
        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            fields = [name for name in options.get("fields", ()) if name not in (*self.edit_fields, PANEL)]
            if fields:
                fieldsets.append((title, {**options, "fields": fields}))
        return [
            *fieldsets,
            *self.translation_status_fieldset(request, obj),
            (None, {"fields": list(self.edit_fields), "classes": ("edit-summary",)}),
        ]

    # The edit summary becomes the revision comment. VersionAdmin sets the comment to Django's
    # change message when it logs the change, after save_model: keep the summary over it.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        summary = form.cleaned_data.get(EDIT_SUMMARY, "").strip()
        if summary and is_active():
            set_comment(summary)

    def log_addition(self, request, obj, message):
        summary = get_comment() if is_active() else ""
        entry = super().log_addition(request, obj, message)
        if summary:
            set_comment(summary)
        return entry

    def log_change(self, request, obj, message):
        summary = get_comment() if is_active() else ""
        entry = super().log_change(request, obj, message)
        if summary:
            set_comment(summary)
        return entry

    # Reverting and recovering: django-reversion's view, restoring only this record and the rows it
    # follows. Its own view reverts the whole revision, and a revision may hold other records (a bulk
    # action, an import of many rows): reverting one of them must not undo editors' work on the others.

    def recover_view(self, request, version_id, extra_context=None):
        # Only a deleted record is recovered: a record that exists is reverted from its history.
        version = get_object_or_404(Version, pk=version_id, content_type=self.versioned_content_type())
        try:
            exists = self.model._base_manager.filter(pk=version.object_id).exists()
        except (ValueError, ValidationError):
            exists = False
        if exists:
            raise Http404(gettext("This record was not deleted: revert it from its history instead."))
        return super().recover_view(request, version_id, extra_context)

    def versioned_content_type(self):
        return ContentType.objects.get_for_model(self.model)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # django-reversion finds the version by its number and the object's key alone: a version of
        # another kind of record with the same key would be restored through this model's form.
        if version.content_type_id != self.versioned_content_type().pk:
            raise Http404(gettext("This is not a version of this record."))
        if not connections[version.db].features.uses_savepoints:
            raise ImproperlyConfigured("Cannot use VersionAdmin with a database that does not support savepoints.")
        # Viewing an old version reverts it inside a transaction that is rolled back: no signal may
        # act on that (search index, page stamp). A real revert lets them run.
        signals = (pre_save, post_save, pre_delete, post_delete, m2m_changed)
        signal_context = mute_signals(*signals) if request.method == "GET" else nullcontext()
        try:
            with transaction.atomic(using=version.db), signal_context:
                versioning.revert_record(version)
                with self.create_revision(request):
                    response = self.changeform_view(request, quote(version.object_id), request.path, extra_context)
                    if request.method == "POST" and response.status_code == 302:
                        set_comment(
                            gettext("Reverted to previous version, saved on %(datetime)s")
                            % {"datetime": localize(template_localtime(version.revision.date_created))}
                        )
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()  # with the old version in the database, before the rollback
                        raise _ShowRevertForm(response)
                    else:
                        raise RevertError(
                            gettext("Could not load %(object_repr)s version - not found")
                            % {"object_repr": version.object_repr}
                        )
        except (RevertError, models.ProtectedError) as error:
            messages.error(request, str(error))
            return redirect(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
        except _ShowRevertForm as shown:
            return shown.response
        return response

    # History: the revisions with radio buttons to pick two, and the comparison of two.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="{}_{}_compare".format(*info),
        )
        return [compare, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        versions = list(history.versions_for(obj))
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse("{}:{}_{}_revision".format(*info), args=(quote(obj.pk), version.pk)),
                "previous": versions[index + 1] if index + 1 < len(versions) else None,
            }
            for index, version in enumerate(versions)
        ]
        context = {
            "action_list": action_list,
            "compare_url": reverse("{}:{}_{}_compare".format(*info), args=(quote(obj.pk),)),
            "can_revert": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """What changed between two versions of one object (``?from=<version>&to=<version>``).

        Without ``from``, or with ``from`` equal to ``to``, it shows what ``to`` itself changed,
        against the version before it (nothing before the first one), as the reader's diff does.
        """
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": gettext("Compare versions of %(object)s") % {"object": obj},
            "history_url": reverse("{}:{}_{}_history".format(*info), args=(quote(obj.pk),)),
        }
        try:
            from_id, to_id = int_parameter(request, "from", required=False), int_parameter(request, "to")
            older, newer = history.compared_versions(obj, from_id, to_id)
        except BadRequest as error:
            context["error"] = str(error)
        except Version.DoesNotExist:
            context["error"] = gettext("Choose two versions of this record in its history to compare them.")
        if "error" in context:
            return TemplateResponse(request, "reversion/compare.html", context, status=400)
        context.update(
            older=older,
            newer=newer,
            changes=history.diff(older, newer),
            citation_changes=history.citation_changes(older, newer),
            revert_url=reverse("{}:{}_{}_revision".format(*info), args=(quote(obj.pk), older.pk)) if older else "",
        )
        return TemplateResponse(request, "reversion/compare.html", context)


class RecordAdmin(PublicationMixin, VersionedAdmin):
    """Admin of a record: edit conflicts refused, publication by permission, and changes to a
    published record by those who may not publish it kept for review (:mod:`records.proposals`)."""

    form = RecordForm
    edit_fields = (EDIT_SUMMARY, EDIT_VERSION_SEEN, VERSION_SEEN)
    actions = ["publish_selected", "unpublish_selected"]
    list_filter = ("status",)
    change_form_template = "admin/records/change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.edit_version_before_revert = getattr(request, "edit_version_before_revert", None)
        return form

    def has_delete_permission(self, request, obj=None):
        # Deleting a published record takes it from readers: a publisher's decision.
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    # Reviewed changes: the save runs as usual, what it saved is read and kept as a proposal,
    # and the transaction is rolled back (records.proposals).

    def proposes(self, request, object_id):
        """Whether this request's save becomes a proposal: a published record, an editor who may not publish it."""
        return (
            request.method == "POST"
            and object_id is not None
            and not getattr(request, "proposing", False)
            and not self.has_publish_permission(request)
            and saved_status(self.model, unquote(object_id)) == PublicationStatus.PUBLISHED
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Around django-reversion's change_view, whose revision is saved when it returns: inside,
        # the revision would be saved after the rollback.
        if self.proposes(request, object_id):
            return self.propose(
                request, object_id, partial(super().change_view, request, object_id, form_url, extra_context)
            )
        context = self.proposal_context(request, object_id)
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def propose(self, request, object_id, save):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            return save()  # the admin's own answer to a missing record
        base = proposals.state_of(record)
        request.proposing = True
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = save()
                saved = self.model._base_manager.filter(pk=record.pk).first()
                if saved is not None and saved.edit_version != record.edit_version:
                    raise _Proposed(proposals.state_of(saved))
            return response
        except _Proposed as captured:
            proposed = captured.state
        finally:
            request.proposing = False
        summary = request.POST.get(EDIT_SUMMARY, "").strip()[:500]
        proposal = proposals.propose(record, base, proposed, request.user, summary, record.edit_version)
        if proposal is None:
            self.message_user(request, gettext("Nothing was changed."), messages.INFO)
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            gettext(
                "Your change to “%(record)s” waits for a publisher's review. Readers see the published "
                "version until it is accepted."
            )
            % {"record": record},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(proposal_url(proposal))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # "Changed successfully" would be untrue of a save that became a proposal.
        if getattr(request, "proposing", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def proposal_context(self, request, object_id):
        """The change form's notices: the record's pending proposals, and that saving proposes
        (for staff who may change the record: researchers see nothing of the review)."""
        record = self.get_object(request, unquote(object_id)) if object_id is not None else None
        if record is None or not self.has_change_permission(request, record):
            return {}
        pending = [(proposal, proposal_url(proposal)) for proposal in proposals.pending_for(record)]
        return {
            "pending_proposals": pending,
            "saving_proposes": record.is_published and not self.has_publish_permission(request),
        }

    def history_view(self, request, object_id, extra_context=None):
        """The history, with the changes proposed to the record: pending, accepted and rejected."""
        record = self.get_object(request, unquote(object_id))
        context = {}
        if record is not None and self.has_change_permission(request, record):
            proposed = proposals.proposed_for(record)
            context["proposals"] = [(proposal, proposal_url(proposal)) for proposal in proposed]
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    # django-reversion writes the old version into the row before it builds and checks the
    # change form; read the counter first, keep the row locked, and let the form use that.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        view = partial(super().revision_view, request, object_id, version_id, extra_context)
        if self.proposes(request, object_id):
            # The revert writes the old version first: roll back all of it.
            return self.propose(request, object_id, partial(self._locked_revision_view, request, object_id, view))
        return self._locked_revision_view(request, object_id, view)

    def _locked_revision_view(self, request, object_id, view):
        with transaction.atomic(using=router.db_for_write(self.model)):
            request.edit_version_before_revert = saved_edit_version(self.model, unquote(object_id))
            request.status_before_revert = saved_status(self.model, unquote(object_id))
            return view()

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        with transaction.atomic(using=router.db_for_write(self.model)):
            request.edit_version_before_revert = saved_edit_version(self.model, version.object_id)
            request.status_before_revert = saved_status(self.model, version.object_id)
            return super().recover_view(request, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # A revert or a recovery writes the old version's status into the row; without the
        # publish permission the record keeps the status it had (a recovered one is a draft).
        before = getattr(request, "status_before_revert", None)
        if before is not None and not self.has_publish_permission(request):
            obj.status = before
        super().save_model(request, obj, form, change)

    @admin.action(permissions=["publish"], description=_("Publish the selected records"))
    def publish_selected(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.PUBLISHED)

    @admin.action(permissions=["publish"], description=_("Withdraw the selected records to draft"))
    def unpublish_selected(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.DRAFT)

    def _set_status(self, request, queryset, status):
        # One save per record (never QuerySet.update()): each is versioned and counted.
        changed = 0
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save()
            self.log_change(request, obj, [{"changed": {"fields": ["status"]}}])
            changed += 1
        if status == PublicationStatus.PUBLISHED:
            message = ngettext("Published %(count)d record.", "Published %(count)d records.", changed)
        else:
            message = ngettext("Withdrew %(count)d record to draft.", "Withdrew %(count)d records to draft.", changed)
        message %= {"count": changed}
        if is_active():
            set_comment(message)
        self.message_user(request, message)


class RecordInline(WidgetsMixin, PublicationMixin, TranslationTabularInline):
    """A tabular inline of records (e.g. a person's roles), publication by permission."""

    extra = 0
    show_change_link = True
