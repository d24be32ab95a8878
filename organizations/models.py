"""Organizations, the coalition's membership and article, people and their roles, figures."""

from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField

from citations.models import CitedRecord, CitedRecordQuerySet
from records.addresses import page_url
from records.indexes import reader_order_indexes
from records.models import PublicationStatus
from records.partial_dates import PartialDateField
from records.prose import ProseField

# What an organization and a membership show readers of the downloads and the API, and what the
# staff import reads back, in this order (organizations.tables, .api and .resources).
ORGANIZATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "country",
    "website",
    "wikidata",
    "founded",
    "formally_founded",
    "summary",
    "description",
)
MEMBERSHIP_FIELDS = ("member", "coalition", "joined", "left", "note")

# A Wikidata item's id: Q and its number (https://www.wikidata.org/wiki/Q42 is the item Q42).
WIKIDATA_ENTITY = "https://www.wikidata.org/entity/"
wikidata_id = RegexValidator(
    r"\AQ[1-9][0-9]*\Z",
    _("Enter a Wikidata item id: the letter Q followed by the item’s number, such as Q42."),
    code="invalid_wikidata",
)


def wikidata_field():
    return models.CharField(
        _("Wikidata item"),
        # Room for a pasted address, so it gets the message saying what to enter, not a length error.
        max_length=64,
        blank=True,
        validators=[wikidata_id],
        help_text=_("Its Wikidata item id (Q followed by digits), only when a source gives it; leave empty otherwise."),
    )


# The coalition the record is about: its encyclopedia article is the site's home page.
COALITION_SLUG = "allmep"


class OrganizationKind(models.TextChoices):
    COALITION = "coalition", _("coalition")
    GRASSROOTS = "grassroots", _("grassroots coexistence group")
    ACADEMIC_GROUP = "academic_group", _("academic group")
    DEVELOPMENT = "development", _("socio-economic development institution")
    NGO = "ngo", _("non-governmental organization")
    GOVERNMENT_BODY = "government_body", _("government body")
    GOVERNMENT_OFFICE = "government_office", _("government office")
    LEGISLATURE = "legislature", _("legislature")
    UNIVERSITY = "university", _("university")
    INSTITUTE = "institute", _("institute")
    MEDIA = "media", _("media")
    FUND = "fund", _("fund")


class OrganizationQuerySet(CitedRecordQuerySet):
    def with_parent(self):
        return self.select_related("parent")

    def with_published_memberships(self):
        """Each organization's published memberships as ``published_memberships``, with their
        coalitions and citations."""
        memberships = Membership.objects.published().between_published().with_coalition().with_citations()
        return self.prefetch_related(
            models.Prefetch("memberships", queryset=memberships, to_attr="published_memberships")
        )


class Organization(CitedRecord):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    country = CountryField(_("country"), blank=True, db_index=True)
    website = models.URLField(_("website"), blank=True, help_text=_("Leave empty when unknown."))
    wikidata = wikidata_field()
    founded = PartialDateField(_("founded"), blank=True, help_text=_("When it began, formally or not."))
    formally_founded = PartialDateField(_("formally founded"), blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = ProseField(_("description"))

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        permissions = [("publish_organization", _("Can publish organizations"))]
        indexes = [
            # The directory sorts by the name as the reader sees it (records.indexes); the API,
            # exports and admin by the active language's column (modeltranslation's ordering).
            *reader_order_indexes("org", "name"),
            *(models.Index(fields=[f"name_{code}"], name=f"org_name_{code}") for code in ("ar", "en", "he")),
            models.Index(fields=["founded"], name="org_founded"),  # ?sort=founded
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("organizations:organization_detail", "slug", self.slug)

    @property
    def wikidata_url(self):
        return WIKIDATA_ENTITY + self.wikidata if self.wikidata else ""


class MembershipQuerySet(CitedRecordQuerySet):
    def between_published(self):
        """Memberships whose member and coalition are both published: the only ones a reader may
        follow from one organization to the other."""
        published = PublicationStatus.PUBLISHED
        return self.filter(member__status=published, coalition__status=published)

    def with_member(self):
        return self.select_related("member")

    def with_coalition(self):
        return self.select_related("coalition")


class Membership(CitedRecord):
    """An organization's membership of a coalition, between two partial dates."""

    member = models.ForeignKey(
        Organization, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    coalition = models.ForeignKey(
        Organization, verbose_name=_("coalition"), on_delete=models.CASCADE, related_name="member_records"
    )
    joined = PartialDateField(_("joined"), blank=True, db_index=True)
    left = PartialDateField(_("left"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["coalition", "joined", "member"]
        permissions = [("publish_membership", _("Can publish memberships"))]

    def __str__(self):
        return f"{self.member} ∈ {self.coalition}"


class FigureMetric(models.TextChoices):
    MEMBER_ORGANIZATIONS = "member_organizations", _("member organizations")
    PARTICIPANTS = "participants", _("participants")
    CONGRESSIONAL_OFFICES_MET = "congressional_offices_met", _("congressional offices met")
    SHARE_OF_CONGRESSIONAL_OFFICES_MET = "share_of_congressional_offices_met", _("share of congressional offices met")
    MEETINGS_RELATIVE = "meetings_relative", _("meetings compared with an earlier year")


class FigureQualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    TIMES = "times", _("times the earlier figure")


class FigureUnit(models.TextChoices):
    COUNT = "count", _("count")
    PERCENT = "percent", _("percent")
    RATIO = "ratio", _("ratio")


class ReportedFigureQuerySet(CitedRecordQuerySet):
    def member_counts(self):
        """The coalition's size over time: what the membership chart plots."""
        return self.filter(metric=FigureMetric.MEMBER_ORGANIZATIONS)

    def chronological(self):
        return self.order_by("as_of", "pk")

    def by_metric(self):
        """Each metric's figures together, oldest first."""
        return self.order_by("metric", "as_of", "pk")


class ReportedFigure(CitedRecord):
    """A number a source reports at a date: "97 members in August 2016", "more than 250"."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="figures"
    )
    metric = models.CharField(_("metric"), max_length=40, choices=FigureMetric.choices, db_index=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    qualifier = models.CharField(
        _("qualifier"), max_length=20, choices=FigureQualifier.choices, default=FigureQualifier.EXACT
    )
    unit = models.CharField(_("unit"), max_length=10, choices=FigureUnit.choices, default=FigureUnit.COUNT)
    as_of = PartialDateField(_("as of"), blank=True, db_index=True)
    compared_with = PartialDateField(_("compared with"), blank=True, help_text=_("For a ratio: the earlier date."))
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
    )
    meeting = models.ForeignKey(
        "events.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ReportedFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["organization", "metric", "as_of"]
        permissions = [("publish_reportedfigure", _("Can publish reported figures"))]

    def __str__(self):
        return f"{self.get_metric_display()}: {self.get_qualifier_display()} {self.display_value}"

    @property
    def display_value(self):
        value = Decimal(self.value).normalize()
        text = f"{value:f}"
        return f"{text}%" if self.unit == FigureUnit.PERCENT else text


class PersonQuerySet(CitedRecordQuerySet):
    def with_published_roles(self):
        """Each person's published roles as ``published_roles``, with their organizations and citations."""
        roles = Role.objects.published().select_related("organization").with_citations()
        return self.prefetch_related(models.Prefetch("roles", queryset=roles, to_attr="published_roles"))


class Person(CitedRecord):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = ProseField(_("description"))
    wikidata = wikidata_field()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        permissions = [("publish_person", _("Can publish people"))]
        indexes = reader_order_indexes("person", "name")  # the people list's order

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("organizations:person_detail", "slug", self.slug)

    @property
    def wikidata_url(self):
        return WIKIDATA_ENTITY + self.wikidata if self.wikidata else ""


class RoleQuerySet(CitedRecordQuerySet):
    def of_published_people(self):
        """Roles of published people, with the person: a role is shown through its holder."""
        return self.filter(person__status=PublicationStatus.PUBLISHED).select_related("person")

    def chronological(self):
        return self.order_by("start", "pk")


class Role(CitedRecord):
    """A position a person held, as a source describes it, at a time or an event."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("title"), max_length=300)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles",
    )
    country = CountryField(_("country represented"), blank=True)
    is_former = models.BooleanField(_("former"), default=False, help_text=_("Described as former at the time."))
    start = PartialDateField(_("from"), blank=True)
    end = PartialDateField(_("until"), blank=True)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("held at event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles",
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["person", "start"]
        permissions = [("publish_role", _("Can publish roles"))]

    def __str__(self):
        return f"{self.person}: {self.title}"

    @property
    def described_title(self):
        """The title as the sources describe the holder: "former US ambassador", and in each
        language "former" where its grammar puts it («سفير أمريكي سابق», «שגריר לשעבר»)."""
        if self.is_former:
            return pgettext("a former office holder", "former %(title)s") % {"title": self.title}
        return self.title


class ArticleSectionKind(models.TextChoices):
    LEAD = "lead", _("lead")
    AGENDA = "agenda", _("agenda and proposals")
    HISTORY = "history", _("history")
    EXTERNAL_LINKS = "external_links", _("external links")
    OTHER = "other", _("other")


class ArticleSectionQuerySet(CitedRecordQuerySet):
    def in_reading_order(self):
        return self.order_by("position", "pk")


class ArticleSection(CitedRecord):
    """One section of an organization's encyclopedia article, in reading order."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="article_sections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ArticleSectionKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("heading"), max_length=200, blank=True)
    body = ProseField(_("text"))

    objects = ArticleSectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("article section")
        verbose_name_plural = _("article sections")
        ordering = ["organization", "position"]
        permissions = [("publish_articlesection", _("Can publish article sections"))]

    def __str__(self):
        return self.title or self.get_kind_display()


class ProposalQuerySet(CitedRecordQuerySet):
    def with_organizations(self):
        """With what each proposal is modelled on and the organization its outcome is within."""
        return self.select_related("modelled_on", "outcome_organization")


class Proposal(CitedRecord):
    """A proposal on an organization's agenda, what it is modelled on and what came of it."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("proposed by"), on_delete=models.CASCADE, related_name="proposals"
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=300)
    description = ProseField(_("description"))
    modelled_on = models.ForeignKey(
        Organization,
        verbose_name=_("modelled on"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="models_for_proposals",
    )
    outcome = ProseField(_("outcome"))
    outcome_organization = models.ForeignKey(
        Organization,
        verbose_name=_("outcome within"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal_outcomes",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["name"]
        permissions = [("publish_proposal", _("Can publish proposals"))]

    def __str__(self):
        return self.name
