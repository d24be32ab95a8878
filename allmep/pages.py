"""What the history pages (allmep.views), Memento (allmep.memento) and recent changes share: the
address of a version's page, and the pages that say why an address has no answer."""

from django.shortcuts import render
from django.urls import reverse


def version_url(record, version):
    """The permanent address of ``record``'s page as it was in ``version``, in the active language."""
    return reverse(
        "records:version", kwargs={"label": record._meta.label_lower, "pk": record.pk, "version": version.pk}
    )


def not_found(request, message):
    """The 404 page, saying why."""
    return render(request, "404.html", {"message": message}, status=404)


def bad_request(request, error):
    return render(request, "records/bad_request.html", {"message": str(error), "seo_noindex": True}, status=400)
