"""What test modules build and share: records, users, files and samples.

`make_record()` is the page tests' record (the coalition's article and its sources); `build_record()` is a
smaller one in three languages for downloads, the API and citation formats. Both hold drafts that readers
must never see. The full dataset is loaded by `load_allmep` in the tests that need it; `LOADED` names the
models it fills."""

import datetime

from django.contrib.auth.models import Group, User

from citations.models import ArchiveProvider, Citation, LinkStatus, Source
from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import (
    ArticleSection,
    Membership,
    Organization,
    Person,
    Proposal,
    ReportedFigure,
    Role,
)
from records.versioning import revision

PUBLISHED = "published"
DRAFT = "draft"


def cite(record, source, claim="", position=0, locator=""):
    return Citation.objects.create(
        source=source, content_object=record, claim=claim, position=position, locator=locator
    )


# The page tests' record: the coalition's article with the article's five sources, its membership
# figures, a member, an event with a session, a meeting, a person, and a draft of each kind that
# readers must never see.


def make_sources():
    def source(key, title, **kwargs):
        kwargs.setdefault("status", PUBLISHED)
        kwargs.setdefault("archive_provider", ArchiveProvider.WAYBACK)
        return Source.objects.create(key=key, title=title, language="en", **kwargs)

    return {
        "members": source(
            "allmep-97-members",
            "ALLMEP adds 3 new members, bringing coalition to 97",
            publisher_ar="أخبار ALLMEP",
            publisher_en="ALLMEP news",
            publication_date="2016-08-18",
            archive_date=datetime.date(2016, 11, 29),
        ),
        "stanford": source(
            "stanford-coexistence",
            "Promoting People-to-People Coexistence in the Middle East",
            publisher_ar="جامعة ستانفورد",
            publisher_en="Stanford University",
            archive_date=datetime.date(2012, 11, 28),
            link_status=LinkStatus.DEAD,
        ),
        "summit": source("allmep-summit-2009", "2009 ALLMEP Summit", archive_date=datetime.date(2012, 2, 6)),
        "cohen": source(
            "cohen-op-ed-2009",
            "Op-Ed: Establishing an International Fund for Israeli-Palestinian Peace",
            authors="Cohen, Michael M.",
            publication_date="2009-03-19",
            archive_date=datetime.date(2009, 5, 24),
        ),
        "overview": source("allmep-overview", "Overview", archive_date=datetime.date(2016, 7, 2)),
        "draft": source("draft-source", "Not yet published", status=DRAFT),
    }


def make_record():
    sources = make_sources()
    coalition = Organization.objects.create(
        slug="allmep",
        status=PUBLISHED,
        kind="coalition",
        name_ar="التحالف من أجل السلام في الشرق الأوسط",
        name_en="Alliance for Middle East Peace",
        name_he="הברית לשלום במזרח התיכון",
        short_name="ALLMEP",
        founded="2003-36",
        formally_founded="2006",
        summary_en="A coalition of NGOs.",
    )
    cite(coalition, sources["overview"], "founded")
    cite(coalition, sources["overview"], "formally_founded")
    sections = [
        ArticleSection.objects.create(
            organization=coalition,
            status=PUBLISHED,
            kind="lead",
            position=0,
            body_ar="تحالف يضم أكثر من 90 منظمة{{ref|allmep-97-members}}، من مجموعات شتى{{ref|stanford-coexistence}}.",
            body_en="A coalition of more than 90 NGOs{{ref|allmep-97-members}} "
            "of many kinds{{ref|stanford-coexistence}}.",
        ),
        ArticleSection.objects.create(
            organization=coalition,
            status=PUBLISHED,
            kind="agenda",
            position=1,
            title_ar="الأجندة والمقترحات",
            title_en="Agenda and proposals",
            body_ar="صندوق دولي{{ref|allmep-summit-2009}}. مكتب{{ref|cohen-op-ed-2009}}. "
            "صندوق أيرلندا{{ref|cohen-op-ed-2009}}.",
            body_en="An international fund{{ref|allmep-summit-2009}}. An office{{ref|cohen-op-ed-2009}}. "
            "The Irish model{{ref|cohen-op-ed-2009}}.",
        ),
        ArticleSection.objects.create(
            organization=coalition,
            status=PUBLISHED,
            kind="history",
            position=2,
            title_ar="التاريخ",
            title_en="History",
            body_ar="بدأ أواخر 2003{{ref|allmep-overview}}.",
            body_en="It began in late 2003{{ref|allmep-overview}}.",
        ),
        ArticleSection.objects.create(
            organization=coalition,
            status=DRAFT,
            kind="other",
            position=3,
            title_en="Draft section",
            body_en="Secret draft text.",
        ),
        ArticleSection.objects.create(
            organization=coalition,
            status=PUBLISHED,
            kind="external_links",
            position=4,
            title_ar="وصلات خارجية",
            title_en="External links",
        ),
    ]
    figures = []
    for value, as_of, source in [
        (14, "2004", "overview"),
        (27, "2005", "overview"),
        (44, "2007", "overview"),
        (97, "2016-08", "members"),
    ]:
        figure = ReportedFigure.objects.create(
            organization=coalition, status=PUBLISHED, metric="member_organizations", value=value, as_of=as_of
        )
        cite(figure, sources[source], "value")
        figures.append(figure)
    ReportedFigure.objects.create(
        organization=coalition, status=DRAFT, metric="member_organizations", value=500, as_of="2020"
    )

    member = Organization.objects.create(
        slug="just-vision", status=PUBLISHED, kind="ngo", name_ar="جست فيجن", name_en="Just Vision", country="US"
    )
    membership = Membership.objects.create(member=member, coalition=coalition, status=PUBLISHED, joined="2005")
    cite(membership, sources["overview"], "joined")
    draft_org = Organization.objects.create(slug="secret-org", status=DRAFT, kind="ngo", name_en="Secret Org")
    Membership.objects.create(member=draft_org, coalition=coalition, status=PUBLISHED, joined="2004")

    # Created first, so that the role's and the person's primary keys differ.
    Person.objects.create(slug="secret-person", status=DRAFT, name_en="Secret Person")
    person = Person.objects.create(slug="hazem-fahmy", status=PUBLISHED, name_ar="حازم فهمي", name_en="Hazem Fahmy")

    conference = Event.objects.create(
        slug="summer-conference-2005",
        status=PUBLISHED,
        kind="conference",
        title_ar="مؤتمر صيفي عن التعايش",
        title_en="Summer conference on coexistence",
        title_he="כנס קיץ על דו-קיום",
        start="2005-06",
        place_en="Washington, D.C.",
        country="US",
        organizer=coalition,
        countries_represented=["TN", "YE", "SE", "SA", "AF"],
    )
    cite(conference, sources["overview"], "start")
    panel = Event.objects.create(
        slug="panel-2005",
        status=PUBLISHED,
        kind="panel",
        title_ar="حلقة نقاش",
        title_en="Panel discussion",
        title_he="דיון בפאנל",
        start="2005-06",
        parent=conference,
    )
    role = Role.objects.create(
        person=person,
        status=PUBLISHED,
        title_ar="السفير المصري",
        title_en="Egyptian ambassador",
        country="EG",
        event=panel,
    )
    cite(role, sources["overview"], "title")
    participant = EventParticipant.objects.create(event=panel, person=person, role_en="panellist", position=0)
    cite(participant, sources["overview"])
    EventPartner.objects.create(event=conference, organization=member, role_en="co-sponsor")
    Event.objects.create(slug="secret-event", status=DRAFT, kind="summit", title_en="Secret summit", start="2005")

    meeting = Meeting.objects.create(
        slug="summit-meetings-2009",
        status=PUBLISHED,
        title_ar="لقاءات القمة",
        title_en="Summit meetings",
        organization=coalition,
        date="2009-03",
    )
    meeting.counterparts.add(member)
    cite(meeting, sources["cohen"], "date")
    Meeting.objects.create(slug="secret-meeting", status=DRAFT, title_en="Secret meeting", organization=coalition)

    return {
        "sources": sources,
        "coalition": coalition,
        "sections": sections,
        "figures": figures,
        "member": member,
        "person": person,
        "conference": conference,
        "panel": panel,
        "meeting": meeting,
    }


# The downloads' record.

# Prose in the site's markup, and what a reader of a download sees of it.
PROSE_EN = (
    "The ''coalition'' met '''twice''' with [[organization:just-vision|Just Vision]].{{ref|allmep-overview|p. 2}}\n\n"
    "It held the [[event:coexistence-conference-2005]]\nin 2005."
)


PLAIN_EN = "The coalition met twice with Just Vision.\n\nIt held the coexistence-conference-2005 in 2005."


PROSE_AR = "عقد [[organization:allmep|التحالف]] ''مؤتمرًا''.{{ref|allmep-overview}}"


PLAIN_AR = "عقد التحالف مؤتمرًا."


def build_record():
    """A small record in three languages, with drafts that must never be exported."""
    overview = Source.objects.create(
        key="allmep-overview",
        title="Overview",
        publisher_ar="موقع التحالف",
        publisher_en="ALLMEP website",
        archive_url="https://web.archive.org/web/20160702000000/allmep.example/overview",
        archive_date=datetime.date(2016, 7, 2),
        archive_provider="wayback",
        status=PUBLISHED,
    )
    stanford = Source.objects.create(
        key="stanford-coexistence",
        kind="report",
        title="Promoting People-to-People Coexistence in the Middle East",
        authors="Cohen, Michael M.; Stanford University",
        publisher_en="Stanford University",
        publication_date="2009-03-19",
        archive_date=datetime.date(2012, 11, 28),
        archive_provider="wayback",
        link_status=LinkStatus.DEAD,
        status=PUBLISHED,
    )
    secret = Source.objects.create(key="draft-source", title="Not yet checked", status=DRAFT)
    allmep = Organization.objects.create(
        slug="allmep",
        name_ar="التحالف من أجل السلام في الشرق الأوسط",
        name_en="Alliance for Middle East Peace",
        name_he="הברית לשלום במזרח התיכון",
        short_name_en="ALLMEP",
        kind="coalition",
        country="US",
        founded="2003-36",
        formally_founded="2006",
        summary_en='=HYPERLINK("http://evil.example")',
        description_en=PROSE_EN,
        description_ar=PROSE_AR,
        status=PUBLISHED,
    )
    just_vision = Organization.objects.create(
        slug="just-vision",
        name_ar="جست فيجن",
        name_en="Just Vision",
        kind="ngo",
        summary_en="+1 and -1, @ and tab",
        status=PUBLISHED,
    )
    hidden = Organization.objects.create(slug="hidden-org", name_en="Hidden draft", kind="ngo", status=DRAFT)
    cite(allmep, overview, "founded")
    cite(allmep, stanford)
    cite(allmep, secret)
    joined = Membership.objects.create(member=just_vision, coalition=allmep, joined="2004-02", status=PUBLISHED)
    Membership.objects.create(member=hidden, coalition=allmep, joined="2005", status=PUBLISHED)
    cite(joined, overview)
    ReportedFigure.objects.create(
        organization=allmep, metric="member_organizations", value=97, as_of="2016-08", status=PUBLISHED
    )
    ReportedFigure.objects.create(organization=allmep, metric="participants", value=250, status=DRAFT)
    conference = Event.objects.create(
        slug="coexistence-conference-2005",
        title_ar="مؤتمر التعايش",
        title_en="Coexistence conference",
        title_he="כנס דו-קיום",
        kind="conference",
        start="2005-06",
        organizer=allmep,
        countries_represented=["TN", "YE"],
        status=PUBLISHED,
    )
    Event.objects.create(slug="secret-event", title_en="Draft event", kind="panel", status=DRAFT)
    meeting = Meeting.objects.create(
        slug="capitol-hill-2004",
        title_en="First meeting",
        organization=allmep,
        date="2004-02",
        event=conference,
        status=PUBLISHED,
    )
    meeting.counterparts.add(just_vision, hidden)
    Person.objects.create(slug="hazem-fahmy", name_ar="حازم فهمي", name_en="Hazem Fahmy", status=PUBLISHED)
    Person.objects.create(slug="draft-person", name_en="Draft person", status=DRAFT)
    return {"allmep": allmep, "just_vision": just_vision, "overview": overview, "stanford": stanford}


def edit_a_person():
    """A second published version of one person, so the history lists two and the diff shows a change.
    The summary says what the article says of him."""
    person = Person.objects.get(slug="hazem-fahmy")
    with revision("Summary from the article"):
        person.summary_ar = "السفير المصري"
        person.summary_en = "Egyptian ambassador"
        person.summary_he = "שגריר מצרים"
        person.save()
    return person


# The models `manage.py load_allmep` fills.
LOADED = [
    Organization,
    Source,
    Citation,
    Person,
    Role,
    Event,
    EventParticipant,
    EventPartner,
    Meeting,
    ReportedFigure,
    Proposal,
    ArticleSection,
]


def staff_member(username, group):
    user = User.objects.create_user(username, f"{username}@example.org", "not-used-here-1234", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


# Organizations as staff import them in the admin: a good file and one with a bad row.
HEADER = "id,name_ar,name_en,name_he,kind,parent,country,founded,summary_en\n"


GOOD = HEADER + (
    "peace-now-example,سلام الآن,Peace Example,שלום לדוגמה,ngo,,IL,2004-02,A grassroots group\n"
    "just-vision,جست فيجن,Just Vision,ג'אסט ויז'ן,ngo,,US,2003,\n"
)


BAD = HEADER + ("peace-now-example,سلام الآن,Peace Example,,ngo,,IL,2004-02,\nbroken,مكسور,Broken,,ngo,,IL,Feb 2004,\n")


def collected_static_root(directory):
    """A STATIC_ROOT as collectstatic leaves it, for subprocesses run with the production settings
    (DJANGO_STATIC_ROOT) that check the site but serve no page: only the manifest, of no file."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    return str(directory)
