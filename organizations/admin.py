from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from import_export.admin import ImportMixin

from citations.admin import CitationInline
from records.admin import RecordAdmin, RecordInline, in_all_languages

from .models import ArticleSection, Membership, Organization, Person, Proposal, ReportedFigure, Role
from .resources import MembershipResource, OrganizationResource


@admin.register(Organization)
class OrganizationAdmin(ImportMixin, RecordAdmin):
    # Staff import with preview, all or nothing, a revision per row (records.importing).
    resource_classes = [OrganizationResource]
    list_display = ("name", "short_name", "kind", "country", "founded", "status", "updated_at")
    list_filter = ("status", "kind", ("country", CountryFilter))
    search_fields = ("slug", "website", *in_all_languages("name", "short_name", "summary"))
    autocomplete_fields = ("parent",)
    readonly_fields = ("article",)
    inlines = [CitationInline]
    fieldsets = [
        (
            None,
            {"fields": ("name", "short_name", "slug", "kind", "status", "parent", "country", "website", "wikidata")},
        ),
        (_("Dates"), {"fields": ("founded", "formally_founded")}),
        (_("Text"), {"fields": ("summary", "description", "article")}),
    ]

    @admin.display(description=_("article sections"))
    def article(self, obj):
        """The organization's article sections in reading order, each linking to its form."""
        if obj.pk is None:
            return "—"
        sections = obj.article_sections.order_by("position", "pk")
        links = format_html_join(
            "",
            '<li><a href="{}">{}. {}</a> ({})</li>',
            (
                (
                    reverse("admin:organizations_articlesection_change", args=[section.pk]),
                    section.position,
                    section,
                    section.get_status_display(),
                )
                for section in sections
            ),
        )
        add_url = reverse("admin:organizations_articlesection_add") + f"?organization={obj.pk}"
        return format_html(
            '<ol class="article-sections">{}</ol><a class="addlink" href="{}">{}</a>',
            links,
            add_url,
            _("Add a section"),
        )


@admin.register(Membership)
class MembershipAdmin(ImportMixin, RecordAdmin):
    resource_classes = [MembershipResource]
    list_display = ("member", "coalition", "joined", "left", "status")
    list_filter = ("status", ("coalition", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("member", "coalition")
    search_fields = in_all_languages("member__name", "coalition__name", "note")
    autocomplete_fields = ("member", "coalition")
    inlines = [CitationInline]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(RecordAdmin):
    list_display = ("__str__", "organization", "metric", "as_of", "status")
    list_filter = ("status", "metric", "unit", "qualifier")
    list_select_related = ("organization",)
    search_fields = in_all_languages("organization__name", "note")
    autocomplete_fields = ("organization", "event", "meeting")
    inlines = [CitationInline]


class RoleInline(RecordInline):
    model = Role
    fk_name = "person"
    fields = ("title", "organization", "country", "is_former", "start", "end", "status")
    autocomplete_fields = ("organization",)


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ("name", "summary", "status", "updated_at")
    search_fields = ("slug", *in_all_languages("name", "summary"))
    inlines = [RoleInline, CitationInline]
    fields = ("name", "slug", "status", "wikidata", "summary", "description")


@admin.register(Role)
class RoleAdmin(RecordAdmin):
    list_display = ("person", "title", "organization", "country", "start", "end", "status")
    list_filter = ("status", "is_former", ("country", CountryFilter))
    list_select_related = ("person", "organization")
    search_fields = in_all_languages("person__name", "title", "organization__name")
    autocomplete_fields = ("person", "organization", "event")
    inlines = [CitationInline]


@admin.register(ArticleSection)
class ArticleSectionAdmin(RecordAdmin):
    list_display = ("organization", "position", "kind", "__str__", "status")
    list_display_links = ("__str__",)
    list_filter = ("status", "kind", ("organization", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organization",)
    ordering = ("organization", "position", "pk")
    search_fields = in_all_languages("title", "body", "organization__name")
    autocomplete_fields = ("organization",)
    fields = ("organization", "position", "kind", "status", "title", "body")
    inlines = [CitationInline]


@admin.register(Proposal)
class ProposalAdmin(RecordAdmin):
    list_display = ("name", "organization", "modelled_on", "status")
    list_filter = ("status",)
    list_select_related = ("organization", "modelled_on")
    search_fields = ("slug", *in_all_languages("name", "description", "outcome"))
    autocomplete_fields = ("organization", "modelled_on", "outcome_organization")
    fields = ("name", "slug", "status", "organization", "description", "modelled_on", "outcome", "outcome_organization")
    inlines = [CitationInline]
