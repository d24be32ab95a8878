"""What a citation backs, as readers call it: a citation's claim is a key, most often the name of a
field of the record it cites ("founded"), sometimes a statement that has no field of its own
("contact_with_us_officials", which the article's text states). Each needs a label in every
reader language."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A citation of a record's prose, not of one of its fields: its claim starts with this.
PROSE_CLAIM_PREFIX = "prose:"
# Statements with no field of their own, and fields whose own name says too little beside the
# others on a source's page, by (app_label.model, claim).
LABELS = {
    ("organizations.organization", "member_kinds"): _("kinds of members"),
    ("organizations.organization", "contact_with_us_officials"): _("contact with US officials"),
    # A role's "title" is the position held, not a heading.
    ("organizations.role", "title"): pgettext_lazy("a position a person held", "position"),
}
TEXT = _("text")
# A key typed in the admin that is neither a field nor named above: said plainly rather than shown raw.
OTHER_CLAIM = _("another statement")


def claim_label(model, claim):
    """The reader's name for what a citation of a ``model`` record with this ``claim`` backs."""
    if not claim or claim.startswith(PROSE_CLAIM_PREFIX):
        return TEXT
    label = LABELS.get((model._meta.label_lower, claim))
    if label is not None:
        return label
    try:
        field = model._meta.get_field(claim)
    except FieldDoesNotExist:
        return OTHER_CLAIM
    if field.auto_created and not field.concrete:
        # A reverse relation ("participants", "partners"): named by the related records.
        return field.related_model._meta.verbose_name_plural
    return field.verbose_name
