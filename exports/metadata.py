"""What every export says about itself: the record's title and the content licence."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

TITLE = _("The record of the Alliance for Middle East Peace (ALLMEP)")

# The first dataset reproduces this article; CC BY-SA asks every copy to credit it.
SOURCE_ARTICLE = "التحالف من أجل السلام في الشرق الأوسط (منظمة غير حكومية)"
ATTRIBUTION = _(
    "Content shared under %(license)s. Based on the Arabic Wikipedia article «%(article)s» "
    "and its contributors, shared under the same licence."
)


def attribution():
    return str(ATTRIBUTION) % {"license": settings.CONTENT_LICENSE["title"], "article": SOURCE_ARTICLE}


def license_info():
    return {**settings.CONTENT_LICENSE, "attribution": attribution()}
