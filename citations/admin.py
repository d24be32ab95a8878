from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationGenericTabularInline

from records.admin import RecordAdmin, VersionedAdmin, WidgetsMixin, in_all_languages
from records.proposals import may_publish
from records.versioning import record_of

from .linkcheck_admin import LastCheckFilter, LinkCheckInline, LinkHealthFilter, check_links_now
from .models import Citation, Source


def ref_marker(key):
    """The marker that cites this source in prose."""
    return "{{ref|" + key + "}}"


class CitationInline(WidgetsMixin, TranslationGenericTabularInline):
    """The citations of a record, under its own form (every record admin with citations has it)."""

    model = Citation
    fields = ("source", "claim", "locator", "quote", "position")
    autocomplete_fields = ("source",)
    ordering = ("position", "pk")
    extra = 0
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})}}

    def get_queryset(self, request):
        # Each row is labelled with its source's title (Citation.__str__).
        return super().get_queryset(request).select_related("source")


class HasArchiveFilter(admin.SimpleListFilter):
    title = _("archived copy")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("yes", _("archived")), ("no", _("not archived"))]

    def queryset(self, request, queryset):
        archived = ~Q(archive_url="") | Q(archive_date__isnull=False)
        if self.value() == "yes":
            return queryset.filter(archived)
        if self.value() == "no":
            return queryset.exclude(archived)
        return queryset


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("key", "marker", "title", "publisher", "publication_date", "link_status", "has_archive", "status")
    list_display_links = ("key", "title")
    list_filter = ("status", "link_status", HasArchiveFilter, LinkHealthFilter, LastCheckFilter, "kind", "language")
    actions = [*RecordAdmin.actions, check_links_now]
    inlines = [LinkCheckInline]
    search_fields = ("key", "title", "authors", "url", *in_all_languages("title_translation", "publisher"))
    autocomplete_fields = ("publisher_organization",)
    readonly_fields = ("marker",)
    fieldsets = [
        (None, {"fields": ("key", "marker", "status", "kind", "title", "title_translation", "language", "authors")}),
        (_("Publication"), {"fields": ("publisher", "publisher_organization", "publication_date")}),
        (_("Link"), {"fields": ("url", "access_date", "link_status", "link_override")}),
        (_("Archived copy"), {"fields": ("archive_url", "archive_date", "archive_provider")}),
    ]

    @admin.display(description=_("prose marker"))
    def marker(self, obj):
        if not obj.key:
            return "—"
        return format_html(
            '<span class="ref-marker-copy"><code class="ref-marker" dir="ltr">{}</code>'
            '<button type="button" class="copy-marker" data-copy="{}" data-copied="{}">{}</button></span>',
            ref_marker(obj.key),
            ref_marker(obj.key),
            _("Copied"),
            _("Copy"),
        )

    @admin.display(description=_("archived"), boolean=True)
    def has_archive(self, obj):
        return obj.has_archive


@admin.register(Citation)
class CitationAdmin(VersionedAdmin):
    list_display = ("source", "cited_by", "claim", "locator", "position")
    list_filter = ("content_type",)
    list_select_related = ("source", "content_type")
    search_fields = ("source__key", "source__title", "claim", "quote", *in_all_languages("locator"))
    autocomplete_fields = ("source",)
    fields = ("source", "content_type", "object_id", "claim", "locator", "quote", "position")

    # A citation of a published record is part of what readers see: staff who may not publish
    # that record change it from the record's own form, where the change waits for review.

    def reviewed_for(self, request, content_type, object_id):
        """Whether a change to a citation of this record (or row: an event's participant) must go
        through the review of the record it belongs to."""
        model = content_type.model_class() if content_type is not None else None
        cited = model._base_manager.filter(pk=object_id).first() if model is not None else None
        record = record_of(cited)
        if record is None or may_publish(request.user, type(record)):
            return False
        return record.is_published

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.reviewed_for(request, obj.content_type, obj.object_id):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.reviewed_for(request, obj.content_type, obj.object_id):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class CitationForm(form):
            def clean(self):
                cleaned_data = super().clean()
                content_type, object_id = cleaned_data.get("content_type"), cleaned_data.get("object_id")
                if object_id is not None and model_admin.reviewed_for(request, content_type, object_id):
                    raise ValidationError(
                        _(
                            "The record this cites is published: add or change its citations in its own "
                            "form, where the change waits for a publisher's review."
                        )
                    )
                return cleaned_data

        return CitationForm

    @admin.display(description=_("cited by"), ordering="content_type")
    def cited_by(self, obj):
        # A link to the citing record's admin page, without loading every citing record.
        content_type = obj.content_type
        try:
            url = reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[obj.object_id])
        except NoReverseMatch:
            return f"{content_type.name} #{obj.object_id}"
        return format_html('<a href="{}">{} #{}</a>', url, content_type.name, obj.object_id)
