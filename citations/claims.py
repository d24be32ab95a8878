"""What a citation backs, as readers call it: a citation's claim is a key, most often the name of a
field of the record it cites ("founded"), sometimes a statement that has no field of its own
("contact_with_us_officials", which the article's text states). Each needs a label in every
reader language."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from records import kinds

# A citation of a record's prose, not of one of its fields: its claim starts with this.
PROSE_CLAIM_PREFIX = "prose:"
TEXT = _("text")
# A key typed in the admin that is neither a field nor named above: said plainly rather than shown raw.
OTHER_CLAIM = _("another statement")


def claim_label(model, claim):
    """The reader's name for what a citation of a ``model`` record with this ``claim`` backs."""
    if not claim or claim.startswith(PROSE_CLAIM_PREFIX):
        return TEXT
    # Statements with no field of their own, and fields whose own name says too little beside the
    # others on a source's page, are named by the kind (RecordKind.claim_labels).
    kind = kinds.kind_of(model)
    label = kind.claim_labels.get(claim) if kind is not None else None
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
