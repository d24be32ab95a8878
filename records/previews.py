"""Staff preview: a record opens on its public page for staff who may view it, drafts included.

A draft's page then says it is a preview (``templates/includes/preview_banner.html``) and asks
not to be indexed. Like every page a logged-in user gets, it is neither read from nor kept in the
page cache, and browsers and proxies are told not to store it (``records.caching``), so nothing
staff are shown reaches readers; readers still get 404 for a draft.
"""

from django.urls import reverse


def may_preview(user, model):
    """Staff who may see ``model``'s records in the admin (its view or change permission)."""
    opts = model._meta
    return (
        user.is_active
        and user.is_staff
        and (
            user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )
    )


def viewable(request, queryset):
    """The records of ``queryset`` this request may open on their pages: the published ones, or
    all of them for staff who may preview them."""
    return queryset if may_preview(request.user, queryset.model) else queryset.published()


def preview_context(record):
    """What a record's page adds to its context when readers cannot see the record: the preview
    banner, with the record's admin page, and noindex."""
    if record.is_published:
        return {}
    opts = record._meta
    edit_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    return {"preview": {"edit_url": edit_url}, "seo_noindex": True}
