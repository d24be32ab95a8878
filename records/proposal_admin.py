"""The review queue: publishers accept or reject the changes editors proposed to published records;
editors follow their own proposals here ("my proposed changes").

Who may review a proposal is who may publish its record's kind (``publish_<model>``). Editors see
the proposals they made; researchers, who change nothing, see none.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import kinds, proposals
from .models import ProposedChange
from .proposals import may_publish
from .query_strings import BadRequest

COMMENT_MAX_LENGTH = 2000


def may_change(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def may_edit_records(user):
    """Editors and publishers: staff who may change some kind of record."""
    return any(may_change(user, kind.model) for kind in kinds.all_kinds())


def reviewable_types(user):
    """The content types of the kinds whose proposals ``user`` may review."""
    return [
        ContentType.objects.get_for_model(kind.model).pk for kind in kinds.all_kinds() if may_publish(user, kind.model)
    ]


class AuthorFilter(admin.SimpleListFilter):
    title = _("proposed by")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("me"))]

    def queryset(self, request, queryset):
        return queryset.filter(author=request.user) if self.value() == "1" else queryset


@admin.register(ProposedChange)
class ProposedChangeAdmin(admin.ModelAdmin):
    list_display = ("object_repr", "kind", "author", "created_at", "summary", "state", "reviewer")
    list_display_links = ("object_repr",)
    list_filter = ("state", AuthorFilter)
    list_select_related = ("author", "reviewer")
    search_fields = ("object_repr", "summary")
    list_per_page = 50

    @admin.display(description=_("kind"))
    def kind(self, obj):
        model = obj.model
        return model._meta.verbose_name if model is not None else "—"

    def changelist_view(self, request, extra_context=None):
        # Editors who review nothing see only their own: "my proposed changes".
        reviewer = bool(reviewable_types(request.user))
        title = gettext("Proposed changes") if reviewer else gettext("My proposed changes")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_queryset(self, request):
        visible = Q(author=request.user) | Q(content_type__in=reviewable_types(request.user))
        return super().get_queryset(request).filter(visible)

    # No one adds, edits or deletes a proposal here: it is made by saving a record, and reviewed.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            # Its author, its reviewers, and the colleagues who may edit the record too (the
            # record's form shows them the changes waiting on it).
            model = obj.model
            if obj.author_id == request.user.pk:
                return True
            return model is not None and (may_publish(request.user, model) or may_change(request.user, model))
        return may_edit_records(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: what the proposal changes, and for reviewers, accept or reject."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            proposal = ProposedChange.objects.select_related("author", "reviewer").get(pk=int(object_id))
        except (ValueError, OverflowError, ProposedChange.DoesNotExist):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, proposal):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        reviewer = proposal.model is not None and may_publish(request.user, proposal.model)
        may_review = proposal.is_pending and reviewer
        error = None
        if request.method == "POST":
            if not reviewer:
                raise PermissionDenied
            if proposal.is_pending:
                response, error = self._review(request, proposal)
                if response is not None:
                    return response
            else:  # reviewed by a colleague since this page was opened
                error = gettext("This change was already reviewed.")
        return TemplateResponse(
            request,
            "admin/records/proposedchange/review.html",
            {**self.review_context(request, proposal, may_review), "error": error},
            status=400 if error else 200,
        )

    def _review(self, request, proposal):
        """Accept or reject from the review form: (redirect, None), or (None, what went wrong)."""
        comment = request.POST.get("review_comment", "").strip()
        decision = request.POST.get("decision")
        try:
            if "\x00" in comment:
                raise BadRequest(gettext("The comment holds a character that cannot be kept (NUL)."))
            if len(comment) > COMMENT_MAX_LENGTH:
                raise BadRequest(
                    gettext("The comment is too long (at most %(max)d characters).") % {"max": COMMENT_MAX_LENGTH}
                )
            if decision == "accept":
                proposals.accept(proposal, request.user, comment, edit_version_seen(request))
                message = gettext("Accepted: readers now see this change to “%(record)s”.")
            elif decision == "reject":
                proposals.reject(proposal, request.user, comment)
                message = gettext("Rejected: the change to “%(record)s” stays unpublished, kept in its history.")
            else:
                raise BadRequest(gettext("Choose to accept or to reject the change."))
        except (BadRequest, proposals.ReviewError) as problem:
            return None, str(problem)
        self.message_user(request, message % {"record": proposal.object_repr}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:records_proposedchange_changelist") + "?state__exact=pending"), None

    def review_context(self, request, proposal, may_review):
        record = proposals.current_record(proposal)
        current = proposals.state_of(record) if record is not None else []
        moved_on = record is not None and record.edit_version != proposal.base_edit_version
        others = proposals.pending_for(record).exclude(pk=proposal.pk) if record is not None else []
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Proposed change to “%(record)s”") % {"record": proposal.object_repr},
            "proposal": proposal,
            "record": record,
            "record_url": record_admin_url(record),
            "proposed": proposals.compare(proposal.base, proposal.proposed),
            # What accepting would change now; only differs when the record moved on.
            "on_accept": proposals.compare(current, proposal.proposed) if moved_on else None,
            "moved_on": moved_on,
            "edit_version": record.edit_version if record is not None else "",
            "may_review": may_review,
            "other_proposals": list(others),
            "comment_max_length": COMMENT_MAX_LENGTH,
        }


def record_admin_url(record):
    if record is None:
        return ""
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(record.pk)])
    except NoReverseMatch:
        return ""


def proposal_url(proposal):
    return reverse("admin:records_proposedchange_change", args=[proposal.pk])


def edit_version_seen(request):
    """The record's edit counter when the reviewer opened the review (a hidden field of its form)."""
    value = request.POST.get("edit_version_seen", "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise BadRequest(gettext("The review form is incomplete: open the proposed change again."))
    return int(value)
