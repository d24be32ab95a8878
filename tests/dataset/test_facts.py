"""The record says what the source article says: FACTS.md walked bullet by bullet.

Every bullet of FACTS.md (the vendored copy the dataset was built from) is mapped to a check
below by a stable prefix of its text. A bullet without a check fails the walk, so a fact added
to FACTS.md cannot go unchecked. Each check looks at the structured records in Arabic, English
and Hebrew and at the citations that tie them to the source the bullet names ([1]…[5]).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from citations.footnotes import Footnotes, backlink_label
from citations.models import ArchiveProvider, LinkStatus, Source
from dataset.loader import SEED
from events.models import Event, EventKind, Meeting
from organizations.models import (
    ArticleSection,
    FigureMetric,
    FigureQualifier,
    FigureUnit,
    Organization,
    OrganizationKind,
    Person,
    Proposal,
    ReportedFigure,
)
from records import prose
from records.models import PublicationStatus
from records.partial_dates import DAY, LATE_YEAR, MONTH, YEAR

LANGUAGES = ("ar", "en", "he")
FACTS = SEED / "FACTS.md"
ARTICLE = SEED / "allmep-ar.txt"
# The shared seed the project started from, beside the repository when it is checked out there.
SHARED_SEED = settings.BASE_DIR.parent / "shared" / "seed"

# The article's reference numbers and the keys its prose cites them by.
REFERENCE_KEYS = {
    1: "allmep-97-members",
    2: "stanford-coexistence",
    3: "allmep-summit-2009",
    4: "cohen-op-ed-2009",
    5: "allmep-overview",
}


@pytest.fixture
def dataset(db):
    call_command("load_allmep", stdout=StringIO())


# -- reading FACTS.md ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    text: str

    @property
    def refs(self):
        """Source keys of the bullet's [n] / [na] references, in order."""
        numbers = dict.fromkeys(int(n) for n in re.findall(r"\[(\d)[a-e]?\]", self.text))
        return [REFERENCE_KEYS[n] for n in numbers]


def facts(text):
    """The bullets ("- …" and "1. …") of a Markdown page, continuation lines joined."""
    bullets, current = [], None
    for line in text.splitlines():
        if re.match(r"^(?:- |\d+\. )", line):
            current = [line.removeprefix("- ")]
            bullets.append(current)
        elif current is not None and line.startswith("  ") and line.strip():
            current.append(line.strip())
        else:
            current = None
    return [Fact(" ".join(parts)) for parts in bullets]


def check_for(fact):
    matches = [prefix for prefix in FACT_CHECKS if fact.text.startswith(prefix)]
    return FACT_CHECKS[matches[0]] if len(matches) == 1 else None


# -- helpers the checks share ----------------------------------------------------------------------


def org(slug):
    return Organization.objects.get(slug=slug)


def texts(instance, name):
    return {language: getattr(instance, f"{name}_{language}") or "" for language in LANGUAGES}


def assert_texts(instance, name, **expected):
    assert set(expected) == set(LANGUAGES), "give the expected text in every language"
    assert texts(instance, name) == expected, f"{instance!r}.{name}"


def assert_mentions(instance, name, **phrases):
    """The field says each phrase in each language (markup aside)."""
    assert set(phrases) == set(LANGUAGES), "give the phrases in every language"
    for language, wanted in phrases.items():
        text = prose.plain_text(getattr(instance, f"{name}_{language}"))
        for phrase in wanted:
            assert phrase in text, f"{instance!r}.{name}_{language} does not say {phrase!r}: {text!r}"


def cited(instance, claim):
    return [c.source.key for c in instance.citations.filter(claim=claim).order_by("position").select_related("source")]


def assert_cited(instance, claim, refs, exact=True):
    """The claim is backed by the bullet's sources (exactly, or at least)."""
    keys = cited(instance, claim)
    assert keys, f"{instance!r}: no citation for {claim!r}"
    if exact:
        assert set(keys) == set(refs), f"{instance!r}.{claim} cites {keys}, the article {refs}"
    else:
        assert set(refs) <= set(keys), f"{instance!r}.{claim} cites {keys}, the article {refs}"
    assert all(Source.objects.get(key=key).is_published for key in keys)


def section(kind):
    return ArticleSection.objects.get(organization__slug="allmep", kind=kind)


def assert_paragraph(kind, index, refs, links=(), **phrases):
    """Paragraph ``index`` of a section of the coalition's article says the fact in every language,
    cites the bullet's sources with {{ref}} markers and links the records it names."""
    assert set(phrases) == set(LANGUAGES), "give the phrases in every language"
    body = texts(section(kind), "body")
    for language, wanted in phrases.items():
        paragraph = prose.paragraphs(body[language])[index]
        text = prose.plain_text(paragraph)
        for phrase in wanted:
            assert phrase in text, f"{kind} ¶{index} ({language}) does not say {phrase!r}: {text!r}"
        keys = [marker.key for marker in prose.markers(paragraph)]
        assert set(refs) <= set(keys), f"{kind} ¶{index} ({language}) cites {keys}, the article {refs}"
        for link in links:
            assert link in prose.links(paragraph), f"{kind} ¶{index} ({language}) does not link {link}"


def assert_date(value, edtf, precision):
    assert value is not None and value.edtf == edtf and value.precision == precision, f"{value} ≠ {edtf}"


def figure(**lookup):
    return ReportedFigure.objects.get(organization__slug="allmep", **lookup)


def assert_figure(item, value, qualifier=FigureQualifier.EXACT, unit=FigureUnit.COUNT):
    assert (item.value, item.qualifier, item.unit) == (Decimal(value), qualifier, unit), str(item)


def counterparts(meeting):
    return set(meeting.counterparts.values_list("slug", flat=True))


# -- one check per fact --------------------------------------------------------------------------


def check_name(fact):
    coalition = org("allmep")
    assert_texts(
        coalition,
        "name",
        ar="التحالف من أجل السلام في الشرق الأوسط",
        en="Alliance for Middle East Peace",
        he="הברית לשלום במזרח התיכון",
    )
    assert_texts(coalition, "short_name", ar="ALLMEP", en="ALLMEP", he="ALLMEP")
    assert coalition.kind == OrganizationKind.COALITION
    # An NGO: the article's own title says «(منظمة غير حكومية)».
    assert_mentions(
        coalition,
        "summary",
        ar=["منظمة غير حكومية"],
        en=["non-governmental organization"],
        he=["ארגון לא ממשלתי"],
    )
    for claim in ("name", "short_name", "kind", "summary"):
        assert_cited(coalition, claim, fact.refs)
    assert_paragraph(
        "lead",
        0,
        fact.refs,
        ar=["التحالف من أجل السلام في الشرق الأوسط (بالإنجليزية: Alliance for Middle East Peace)(ALLMEP)"],
        en=["Alliance for Middle East Peace (ALLMEP)"],
        he=["הברית לשלום במזרח התיכון", "(ALLMEP)"],
    )


def check_more_than_90(fact):
    coalition = org("allmep")
    assert coalition.kind == OrganizationKind.COALITION
    item = figure(metric=FigureMetric.MEMBER_ORGANIZATIONS, qualifier=FigureQualifier.MORE_THAN)
    assert_figure(item, 90, FigureQualifier.MORE_THAN)
    assert item.as_of is None
    assert_cited(item, "value", fact.refs)
    assert_mentions(
        coalition,
        "summary",
        ar=[
            "أكثر من 90 منظمة غير حكومية",
            "المصالحة بين الإسرائيليين والفلسطينيين، وبين العرب واليهود في الشرق الأوسط",
        ],
        en=["more than 90 NGOs", "reconciliation between Israelis and Palestinians, and between Arabs and Jews"],
        he=["יותר מ-90 ארגונים לא ממשלתיים", "הפיוס בין ישראלים לפלסטינים, ובין ערבים ליהודים במזרח התיכון"],
    )
    assert_paragraph(
        "lead",
        0,
        fact.refs,
        ar=["مجموعة تضم أكثر من 90 منظمة غير حكومية", "بين الإسرائيليين والفلسطينيين، وبين العرب واليهود"],
        en=["more than 90 non-governmental organizations", "between Arabs and Jews in the Middle East"],
        he=["יותר מ-90 ארגונים לא ממשלתיים", "בין ישראלים לפלסטינים, ובין ערבים ליהודים"],
    )


def check_member_kinds(fact):
    assert_cited(org("allmep"), "member_kinds", fact.refs)
    assert_paragraph(
        "lead",
        0,
        fact.refs,
        ar=["مجموعات التعايش الأصيلة", "والمجموعات الأكاديمية", "ومؤسسات التنمية الاجتماعية والاقتصادية"],
        en=["grassroots coexistence groups", "academic groups", "socio-economic development institutions"],
        he=["קבוצות דו-קיום שורשיות", "קבוצות אקדמיות", "מוסדות לפיתוח חברתי-כלכלי"],
    )


def fund_proposal():
    return Proposal.objects.get(slug="international-fund-for-israeli-palestinian-peace")


def check_fund_proposal(fact):
    proposal = fund_proposal()
    assert proposal.organization.slug == "allmep"
    assert_texts(
        proposal,
        "name",
        ar="الصندوق الدولي للسلام الإسرائيلي الفلسطيني",
        en="International Fund for Israeli-Palestinian Peace",
        he="הקרן הבינלאומית לשלום ישראלי-פלסטיני",
    )
    assert_mentions(
        proposal,
        "description",
        ar=["صندوق دولي مستقل للسلام الإسرائيلي الفلسطيني لدعم وتشجيع الجهود المبذولة لبناء السلام في المنطقة"],
        en=["independent International Fund for Israeli-Palestinian Peace to support and encourage peace-building"],
        he=["קרן בינלאומית עצמאית לשלום ישראלי-פלסטיני", "מאמצים לבניית שלום באזור"],
    )
    assert_cited(proposal, "name", fact.refs, exact=False)
    assert_cited(proposal, "description", fact.refs, exact=False)
    assert_paragraph(
        "agenda",
        0,
        fact.refs,
        ar=["أحد مقترحات التحالف هو إنشاء صندوق دولي مستقل للسلام الإسرائيلي الفلسطيني"],
        en=["an independent International Fund for Israeli-Palestinian Peace", "peace-building efforts in the region"],
        he=["קרן בינלאומית עצמאית לשלום ישראלי-פלסטיני", "לבניית שלום באזור"],
    )


def check_first_advocacy(fact):
    proposal = fund_proposal()
    usaid, cmm = org("usaid"), org("usaid-cmm")
    assert proposal.outcome_organization == cmm
    assert cmm.parent == usaid
    assert cmm.kind == OrganizationKind.GOVERNMENT_OFFICE and usaid.kind == OrganizationKind.GOVERNMENT_BODY
    assert_texts(
        cmm,
        "name",
        ar="مكتب إدارة النزاعات والتخفيف",
        en="Office of Conflict Management and Mitigation",
        he="המשרד לניהול סכסוכים ולמיתונם",
    )
    assert_texts(
        usaid,
        "name",
        ar="الوكالة الأمريكية للتنمية الدولية",
        en="US Agency for International Development",
        he="הסוכנות האמריקנית לפיתוח בינלאומי",
    )
    assert usaid.short_name_en == "USAID" and usaid.country.code == "US"
    assert_mentions(
        proposal,
        "outcome",
        ar=["أمنت دعوة التحالف الأولية في واشنطن الأموال المخصصة لهذه المنظمات"],
        en=["first advocacy in Washington secured funds set aside for these organizations"],
        he=["פעילות ההסברה הראשונה של הברית בוושינגטון הבטיחה כספים שיועדו לארגונים אלה"],
    )
    for instance, claim in ((proposal, "outcome"), (proposal, "outcome_organization"), (cmm, "name"), (cmm, "parent")):
        assert_cited(instance, claim, fact.refs)
    assert_cited(usaid, "name", fact.refs, exact=False)
    assert_paragraph(
        "agenda",
        0,
        fact.refs,
        links=[("organization", "usaid-cmm"), ("organization", "usaid")],
        ar=["داخل مكتب إدارة النزاعات والتخفيف في الوكالة الأمريكية للتنمية الدولية"],
        en=["within the Office of Conflict Management and Mitigation of the US Agency for International Development"],
        he=["במסגרת המשרד לניהול סכסוכים ולמיתונם של הסוכנות האמריקנית לפיתוח בינלאומי"],
    )


def check_widened_plan(fact):
    proposal, fund = fund_proposal(), org("international-fund-for-ireland")
    assert proposal.modelled_on == fund
    assert fund.kind == OrganizationKind.FUND
    assert_texts(
        fund, "name", ar="الصندوق الدولي لأيرلندا", en="International Fund for Ireland", he="הקרן הבינלאומית לאירלנד"
    )
    assert_mentions(
        fund,
        "summary",
        ar=["دورًا بارزًا في إيجاد حل مستدام في أيرلندا الشمالية"],
        en=["prominent role in reaching a lasting settlement in Northern Ireland"],
        he=["תפקיד בולט בהשגת הסדר בר-קיימא בצפון אירלנד"],
    )
    assert_mentions(
        proposal,
        "description",
        ar=["لاحقًا بتوسيع خطته", "على غرار الصندوق الدولي لأيرلندا"],
        en=["later widened the plan", "modelled on the International Fund for Ireland"],
        he=["מאוחר יותר הרחיבה הברית את תוכניתה", "על פי הדגם של הקרן הבינלאומית לאירלנד"],
    )
    for instance, claim in ((proposal, "modelled_on"), (fund, "name"), (fund, "summary")):
        assert_cited(instance, claim, fact.refs)
    assert_paragraph(
        "agenda",
        0,
        fact.refs,
        links=[("organization", "international-fund-for-ireland")],
        ar=["على غرار الصندوق الدولي لأيرلندا والذي لعب دورًا بارزًا في إيجاد حل مستدام في أيرلندا الشمالية"],
        en=["modelled on the International Fund for Ireland", "lasting settlement in Northern Ireland"],
        he=["על פי הדגם של הקרן הבינלאומית לאירלנד", "הסדר בר-קיימא בצפון אירלנד"],
    )


def check_informal_2003(fact):
    coalition = org("allmep")
    assert_date(coalition.founded, "2003-36", LATE_YEAR)
    assert coalition.founded.format_in("en") == "late 2003"
    assert_cited(coalition, "founded", fact.refs)
    assert_paragraph(
        "history",
        0,
        fact.refs,
        ar=["كائتلاف غير رسمي في أواخر عام 2003"],
        en=["began as an informal coalition in late 2003"],
        he=["כקואליציה בלתי רשמית בסוף 2003"],
    )


def check_first_meeting(fact):
    conference = Event.objects.get(slug="first-coexistence-conference-2004")
    meeting = Meeting.objects.get(slug="first-meeting-2004")
    assert conference.kind == EventKind.CONFERENCE
    assert_date(conference.start, "2004-02", MONTH)
    formatted = {language: conference.start.format_in(language) for language in LANGUAGES}
    assert formatted == {"ar": "فبراير 2004", "en": "February 2004", "he": "פברואר 2004"}
    assert conference.country.code == "US"
    assert_texts(
        conference,
        "place",
        ar="كابيتول هيل، واشنطن العاصمة",
        en="Capitol Hill, Washington, D.C.",
        he="גבעת הקפיטול, וושינגטון הבירה",
    )
    assert_texts(
        conference,
        "title",
        ar="أول مؤتمر تعاوني سنوي في الشرق الأوسط",
        en="First annual Middle East coexistence conference",
        he="הכנס השנתי הראשון לדו-קיום במזרח התיכון",
    )
    assert (meeting.organization.slug, meeting.event) == ("allmep", conference)
    assert_date(meeting.date, "2004-02", MONTH)
    participant = conference.participants.get()
    assert participant.organization.slug == "allmep"
    for instance, claim in ((conference, "start"), (conference, "place"), (conference, "country")):
        assert_cited(instance, claim, fact.refs)
    for claim in ("title", "date", "event"):
        assert_cited(meeting, claim, fact.refs)
    assert_cited(participant, "role", fact.refs)
    assert_paragraph(
        "history",
        0,
        fact.refs,
        links=[("meeting", "first-meeting-2004"), ("event", "first-coexistence-conference-2004")],
        ar=["أول اجتماعتها في فبراير 2004، في أول مؤتمر تعاوني سنوي في الشرق الأوسط في كابيتول هيل في واشنطن العاصمة"],
        en=["its first meeting in February 2004", "first annual Middle East coexistence conference on Capitol Hill"],
        he=["פגישתה הראשונה בפברואר 2004", "כנס הדו-קיום השנתי הראשון במזרח התיכון בגבעת הקפיטול"],
    )


def check_formally_founded(fact):
    coalition = org("allmep")
    assert_date(coalition.formally_founded, "2006", YEAR)
    assert_cited(coalition, "formally_founded", fact.refs)
    assert_paragraph(
        "history",
        0,
        fact.refs,
        ar=["تأسس التحالف رسميًا في عام 2006"],
        en=["formally founded in 2006"],
        he=["נוסדה רשמית ב-2006"],
    )


def check_membership(fact):
    assert set(fact.refs) == {REFERENCE_KEYS[5], REFERENCE_KEYS[1]}
    for value, year in ((14, "2004"), (27, "2005"), (44, "2007")):
        item = figure(metric=FigureMetric.MEMBER_ORGANIZATIONS, as_of=year)
        assert_figure(item, value)
        assert_date(item.as_of, year, YEAR)
        assert_cited(item, "value", [REFERENCE_KEYS[5]])
    latest = figure(metric=FigureMetric.MEMBER_ORGANIZATIONS, as_of="2016-08")
    assert_figure(latest, 97)
    assert_date(latest.as_of, "2016-08", MONTH)
    assert_cited(latest, "value", [REFERENCE_KEYS[1]])
    assert Source.objects.get(key=REFERENCE_KEYS[1]).title == "ALLMEP adds 3 new members, bringing coalition to 97"
    assert_paragraph(
        "history",
        0,
        [REFERENCE_KEYS[5]],
        ar=["ونمى 14 منظمة في عام 2004 إلى 27 في عام 2005 و 44 منظمة في عام 2007"],
        en=["from 14 organizations in 2004 to 27 in 2005 and 44 organizations in 2007"],
        he=["מ-14 ארגונים ב-2004 ל-27 ב-2005 ול-44 ארגונים ב-2007"],
    )


def check_met_officials(fact):
    meeting = Meeting.objects.get(slug="officials-of-usaid-and-state-department")
    assert meeting.organization.slug == "allmep"
    assert counterparts(meeting) == {"usaid", "us-state-department"}
    assert_texts(org("us-state-department"), "name", ar="وزارة الخارجية", en="State Department", he="משרד החוץ")
    assert_mentions(
        meeting,
        "description",
        ar=["بمسؤولين في الوكالة الأمريكية للتنمية الدولية ووزارة الخارجية"],
        en=["met officials of USAID and the State Department"],
        he=["עם פקידים מהסוכנות האמריקנית לפיתוח בינלאומי וממשרד החוץ"],
    )
    assert_cited(meeting, "counterparts", fact.refs)
    assert_cited(org("us-state-department"), "name", fact.refs, exact=False)
    assert_paragraph(
        "history",
        1,
        fact.refs,
        links=[("meeting", "officials-of-usaid-and-state-department")],
        ar=["التق التحالف بمسؤولين بالوكالة الأمريكية للتنمية الدولية ووزارة الخارجية"],
        en=["met officials of the US Agency for International Development and the State Department"],
        he=["נפגשה עם פקידים מהסוכנות האמריקנית לפיתוח בינלאומי וממשרד החוץ"],
    )


def check_jerusalem(fact):
    event = Event.objects.get(slug="jerusalem-event-2006")
    assert_date(event.start, "2006", YEAR)
    assert_texts(event, "place", ar="القدس", en="Jerusalem", he="ירושלים")
    assert not event.country, "the article gives Jerusalem no country; neither does the record"
    assert event.organizer.slug == "allmep"
    assert_mentions(
        event,
        "description",
        ar=["ممثلين عن المنظمات غير الحكومية ودبلوماسيين أمريكيين"],
        en=["representatives of NGOs and American diplomats"],
        he=["נציגים של ארגונים לא ממשלתיים ודיפלומטים אמריקנים"],
    )
    for claim in ("start", "place", "organizer", "description"):
        assert_cited(event, claim, fact.refs)
    assert_paragraph(
        "history",
        1,
        fact.refs,
        links=[("event", "jerusalem-event-2006")],
        ar=["حدثها في القدس عام 2006 الذي ضم ممثلين عن المنظمات غير الحكومية ودبلوماسيين أمريكيين"],
        en=["its 2006 event in Jerusalem, which brought together representatives of NGOs and American diplomats"],
        he=["אירוע בירושלים ב-2006 שכינס נציגים של ארגונים לא ממשלתיים ודיפלומטים אמריקנים"],
    )


def check_continuous_contact(fact):
    assert_cited(org("allmep"), "contact_with_us_officials", fact.refs)
    assert_paragraph(
        "history",
        1,
        fact.refs,
        ar=["على اتصال مستمر مع المسؤولين الأمريكيين المعنيين بتمويل المنظمات غير الحكومية"],
        en=["in continuous contact with the US officials concerned with funding NGOs"],
        he=["בקשר רציף עם הגורמים האמריקנים העוסקים במימון ארגונים לא ממשלתיים"],
    )


def check_annual_event(fact):
    event = Event.objects.get(slug="annual-event-washington")
    assert event.kind == EventKind.ANNUAL_EVENT
    assert event.organizer.slug == "allmep"
    assert_texts(event, "place", ar="واشنطن", en="Washington", he="וושינגטון")
    assert event.country.code == "US"
    assert event.start is None, "the article dates no single edition"
    for claim in ("title", "place", "country", "organizer"):
        assert_cited(event, claim, fact.refs)
    assert_paragraph(
        "history",
        2,
        fact.refs,
        links=[("event", "annual-event-washington")],
        ar=["تستضيف التحالف حدثًا سنويًا في واشنطن"],
        en=["hosts an annual event in Washington"],
        he=["מקיימת אירוע שנתי בוושינגטון"],
    )


def check_summer_conference(fact):
    conference = Event.objects.get(slug="summer-conference-2005")
    assert conference.kind == EventKind.CONFERENCE
    assert_date(conference.start, "2005-06", MONTH)
    assert conference.organizer.slug == "allmep"
    assert {country.code for country in conference.countries_represented} == {"TN", "YE", "SE", "SA", "AF"}
    with translation.override("en"):
        names = {country.name for country in conference.countries_represented}
    assert names == {"Tunisia", "Yemen", "Sweden", "Saudi Arabia", "Afghanistan"}
    roles = {p.organization.slug: texts(p, "role") for p in conference.participants.all()}
    assert roles == {
        "us-congress": {"ar": "أعضاء في الكونغرس", "en": "members of Congress", "he": "חברי קונגרס"},
        "us-state-department": {
            "ar": "مسؤولون في وزارة الخارجية",
            "en": "State Department officials",
            "he": "פקידי משרד החוץ",
        },
    }
    for participant in conference.participants.all():
        assert_cited(participant, "role", fact.refs)
    assert_mentions(
        conference,
        "description",
        ar=[
            "سفراء من الشرق الأوسط",
            "وزعماء دينيين يهود ومسلمين",
            "وأعضاء في الكونغرس",
            "ومسؤولين في وزارة الخارجية",
            "وكبار الناشطين المؤيدين لإسرائيل وللعرب",
            "ونشطاء من المنظمات غير الحكومية في الشرق الأوسط لمناقشة أجندة التحالف للتعايش",
        ],
        en=[
            "ambassadors from the Middle East",
            "Jewish and Muslim religious leaders",
            "members of Congress",
            "State Department officials",
            "senior pro-Israel and pro-Arab activists",
            "NGO activists from the Middle East, to discuss the coalition's coexistence agenda",
        ],
        he=[
            "שגרירים מהמזרח התיכון",
            "מנהיגים דתיים יהודים ומוסלמים",
            "חברי הקונגרס",
            "פקידי משרד החוץ",
            "פעילים בכירים תומכי ישראל ותומכי הערבים",
            "ופעילים מארגונים לא ממשלתיים במזרח התיכון, כדי לדון בסדר היום של הברית לדו-קיום",
        ],
    )
    participants = figure(metric=FigureMetric.PARTICIPANTS)
    assert_figure(participants, 250, FigureQualifier.MORE_THAN)
    assert participants.event == conference
    assert_date(participants.as_of, "2005-06", MONTH)
    assert_cited(participants, "value", fact.refs)
    for claim in ("start", "organizer", "countries_represented", "participants"):
        assert_cited(conference, claim, fact.refs)
    assert_paragraph(
        "history",
        2,
        fact.refs,
        links=[("event", "summer-conference-2005")],
        ar=[
            "ففي يونيو 2005، عقدت مؤتمرًا صيفيًا حول التعايش",
            "شارك أكثر من 250 شخصًا، بمن فيهم دبلوماسيون من تونس واليمن والسويد والمملكة العربية السعودية وأفغانستان",
        ],
        en=[
            "in June 2005 it held a summer conference on coexistence",
            "More than 250 people took part, among them diplomats from Tunisia, Yemen, Sweden, Saudi Arabia and "
            "Afghanistan",
        ],
        he=["ביוני 2005 קיימה כנס קיץ על דו-קיום", "יותר מ-250 איש, ובהם דיפלומטים מתוניסיה, מתימן, משוודיה"],
    )


PANEL = [
    # slug, names, role title, country, former, organization
    (
        "hazem-fahmy",
        {"ar": "حازم فهمي", "en": "Hazem Fahmy", "he": "חאזם פהמי"},
        {"ar": "السفير المصري", "en": "Egyptian ambassador", "he": "השגריר המצרי"},
        "EG",
        False,
        None,
    ),
    (
        "firas-bin-raad",
        {"ar": "فراس بن رعد", "en": "Firas bin Raad", "he": "פיראס בן ראעד"},
        {"ar": "الأمير الأردني", "en": "Jordanian prince", "he": "הנסיך הירדני"},
        "JO",
        False,
        None,
    ),
    (
        "hasan-abdel-rahman",
        {"ar": "حسن عبد الرحمن", "en": "Hasan Abdel Rahman", "he": "חסן עבד אל-רחמן"},
        {"ar": "الممثل الرئيسي الفلسطيني", "en": "Palestinian chief representative", "he": "הנציג הפלסטיני הראשי"},
        "PS",
        False,
        None,
    ),
    (
        "arlette-conzemius-paccoud",
        {"ar": "أرليت كونزيميوس باكود", "en": "Arlette Conzemius-Paccoud", "he": "ארלט קונזמיוס-פאקו"},
        {
            "ar": "سفير لوكسمبورغ (أثناء رئاسة الاتحاد الأوروبي)",
            "en": "Luxembourg's ambassador (during Luxembourg's presidency of the European Union)",
            "he": "שגריר לוקסמבורג (בעת נשיאות לוקסמבורג באיחוד האירופי)",
        },
        "LU",
        False,
        None,
    ),
    (
        "philip-wilcox",
        {"ar": "فيليب ويلكوكس", "en": "Philip Wilcox", "he": "פיליפ וילקוקס"},
        {"ar": "سفير أمريكي", "en": "US ambassador", "he": "שגריר ארצות הברית"},
        "US",
        True,
        "washington-institute-for-the-middle-east",
    ),
]


def check_panel(fact):
    panel = Event.objects.get(slug="panel-2005")
    assert panel.kind == EventKind.PANEL
    assert panel.parent.slug == "summer-conference-2005", "the panel is a session of the June 2005 conference"
    assert_date(panel.start, "2005-06", MONTH)
    participants = list(panel.participants.order_by("position"))
    assert [p.person.slug for p in participants] == [row[0] for row in PANEL]
    for participant in participants:
        assert_texts(participant, "role", ar="مشارك في حلقة النقاش", en="panellist", he="משתתף בפאנל")
        assert_cited(participant, "role", fact.refs)
    for slug, names, title, country, former, organization in PANEL:
        person = Person.objects.get(slug=slug)
        assert texts(person, "name") == names
        assert_cited(person, "name", fact.refs)
        role = person.roles.get(event=panel)
        assert texts(role, "title") == title
        assert (role.country.code, role.is_former) == (country, former)
        assert (role.organization.slug if role.organization else None) == organization
        assert_cited(role, "title", fact.refs)
    institute = org("washington-institute-for-the-middle-east")
    assert institute.kind == OrganizationKind.INSTITUTE and not institute.country
    assert_texts(
        institute,
        "name",
        ar="معهد واشنطن للشرق الأوسط",
        en="Washington Institute for the Middle East",
        he="מכון וושינגטון למזרח התיכון",
    )
    assert_cited(institute, "name", fact.refs)
    assert_cited(panel, "participants", fact.refs)
    assert_paragraph(
        "history",
        3,
        fact.refs,
        links=[("event", "panel-2005")] + [("person", row[0]) for row in PANEL],
        ar=[names["ar"] for _, names, *_ in PANEL]
        + [
            "للسفير المصري",
            "والأمير الأردني",
            "والممثل الرئيسي الفلسطيني",
            "وسفير لوكسمبورغ (أثناء رئاسة الاتحاد الأوروبي)",
        ]
        + ["والسفير الأمريكي السابق فيليب ويلكوكس من معهد واشنطن للشرق الأوسط"],
        en=[names["en"] for _, names, *_ in PANEL]
        + ["the former US ambassador Philip Wilcox of the Washington Institute for the Middle East"],
        he=[names["he"] for _, names, *_ in PANEL]
        + ["ושגריר ארצות הברית לשעבר פיליפ וילקוקס ממכון וושינגטון למזרח התיכון"],
    )


def check_more_than_30_offices(fact):
    meeting = Meeting.objects.get(slug="more-than-30-congressional-offices")
    offices = org("us-congressional-offices")
    assert counterparts(meeting) == {"us-congressional-offices"}
    assert offices.parent.slug == "us-congress"
    assert_texts(offices, "name", ar="مكاتب الكونغرس", en="Congressional offices", he="משרדי הקונגרס")
    item = figure(metric=FigureMetric.CONGRESSIONAL_OFFICES_MET, meeting=meeting)
    assert_figure(item, 30, FigureQualifier.MORE_THAN)
    assert_cited(item, "value", fact.refs)
    assert_mentions(
        meeting,
        "description",
        ar=["مع أكثر من 30 مكتبًا للكونغرس، فيما يتعلق بعمل المنظمات غير الحكومية في المصالحة"],
        en=["more than 30 congressional offices about the reconciliation work of NGOs"],
        he=["יותר מ-30 משרדים בקונגרס בנוגע לעבודת הפיוס של ארגונים לא ממשלתיים"],
    )
    assert_cited(meeting, "counterparts", fact.refs)
    assert_paragraph(
        "history",
        3,
        fact.refs,
        links=[("meeting", "more-than-30-congressional-offices")],
        ar=["اجتمع أعضاء أيضًا مع أكثر من 30 مكتبًا للكونجرس، فيما يتعلق بعمل المنظمات غير الحكومية في المصالحة"],
        en=["Members also met more than 30 congressional offices about the reconciliation work of NGOs"],
        he=["חברים נפגשו גם עם יותר מ-30 משרדים בקונגרס בנוגע לעבודת הפיוס של ארגונים לא ממשלתיים"],
    )


def check_screening(fact):
    screening = Event.objects.get(slug="encounter-point-screening-2006")
    assert screening.kind == EventKind.SCREENING
    assert_date(screening.start, "2006-03", MONTH)
    assert_mentions(screening, "title", ar=["«نقطة احتكاك»"], en=["Encounter Point"], he=["Encounter Point"])
    partners = {p.organization.slug: p for p in screening.partners.all()}
    assert set(partners) == {"allmep", "just-vision"}
    assert_texts(partners["allmep"], "role", ar="شارك في الرعاية", en="co-sponsor", he="שותפה בחסות")
    assert_texts(partners["just-vision"], "role", ar="صاحبة الفيلم", en="maker of the film", he="יוצרת הסרט")
    for partner in partners.values():
        assert_cited(partner, "role", fact.refs)
    assert_texts(org("just-vision"), "name", ar="جست فيجن", en="Just Vision", he="ג'אסט ויז'ן")
    assert_mentions(
        screening,
        "description",
        ar=["في رعاية واستعراض وعرض فيلم وثائقي جديد حول جهود التعايش", "نقطة احتكاك", "جست فيجن"],
        en=["co-sponsored, previewed and screened a new documentary about coexistence efforts", "Just Vision's film"],
        he=["שותפה בחסות, בהצגה המוקדמת ובהקרנה של סרט תיעודי חדש על מאמצי דו-קיום", "ג'אסט ויז'ן"],
    )
    meeting = Meeting.objects.get(slug="more-than-37-congressional-offices-2006")
    assert meeting.event == screening
    assert_date(meeting.date, "2006-03", MONTH)
    assert counterparts(meeting) == {"us-congressional-offices"}
    for language in LANGUAGES:
        assert ("organization", "just-vision") in prose.links(getattr(meeting, f"description_{language}"))
    item = figure(metric=FigureMetric.CONGRESSIONAL_OFFICES_MET, meeting=meeting)
    assert_figure(item, 37, FigureQualifier.MORE_THAN)
    assert item.event == screening
    for instance, claim in (
        (screening, "start"),
        (screening, "partners"),
        (meeting, "counterparts"),
        (meeting, "event"),
        (item, "value"),
        (org("just-vision"), "name"),
    ):
        assert_cited(instance, claim, fact.refs)
    assert_paragraph(
        "history",
        4,
        fact.refs,
        links=[
            ("event", "encounter-point-screening-2006"),
            ("organization", "just-vision"),
            ("meeting", "more-than-37-congressional-offices-2006"),
        ],
        ar=["في مارس 2006، شارك التحالف في رعاية واستعراض وعرض فيلم وثائقي", "بأكثر من 37 مكتبًا للكونجرس"],
        en=["In March 2006 the coalition co-sponsored, previewed and screened", "more than 37 congressional offices"],
        he=["במרץ 2006 הייתה הברית שותפה בחסות", "יותר מ-37 משרדים בקונגרס"],
    )


def check_summit_2009(fact):
    summit = Event.objects.get(slug="allmep-summit-2009")
    assert summit.kind == EventKind.SUMMIT and summit.organizer.slug == "allmep"
    assert_date(summit.start, "2009-03", MONTH)
    meeting = Meeting.objects.get(slug="summit-meetings-2009")
    assert meeting.event == summit
    assert_date(meeting.date, "2009-03", MONTH)
    assert counterparts(meeting) == {"us-congress", "us-state-department", "usaid", "white-house"}
    assert_texts(org("white-house"), "name", ar="البيت الأبيض", en="White House", he="הבית הלבן")
    assert_texts(org("us-congress"), "name", ar="الكونغرس", en="Congress", he="הקונגרס")
    assert_cited(summit, "start", fact.refs)
    assert_cited(summit, "title", fact.refs, exact=False)
    for claim in ("date", "event", "counterparts"):
        assert_cited(meeting, claim, fact.refs)
    assert_cited(org("white-house"), "name", fact.refs)
    assert_paragraph(
        "history",
        5,
        fact.refs,
        links=[
            ("event", "allmep-summit-2009"),
            ("organization", "us-congress"),
            ("organization", "us-state-department"),
            ("organization", "usaid"),
            ("organization", "white-house"),
        ],
        ar=["في مارس 2009، التقى أعضاء القمة من التحالف مع أعضاء الكونغرس ووزارة الخارجية"],
        en=["In March 2009 the coalition's summit members met members of Congress"],
        he=["במרץ 2009 נפגשו חברי הפסגה של הברית עם חברי הקונגרס"],
    )


def check_meetings_doubled(fact):
    doubled = figure(metric=FigureMetric.MEETINGS_RELATIVE)
    assert_figure(doubled, 2, FigureQualifier.TIMES, FigureUnit.RATIO)
    assert_date(doubled.as_of, "2009", YEAR)
    assert_date(doubled.compared_with, "2008", YEAR)
    share = figure(metric=FigureMetric.SHARE_OF_CONGRESSIONAL_OFFICES_MET)
    assert_figure(share, 10, FigureQualifier.MORE_THAN, FigureUnit.PERCENT)
    assert share.display_value == "10%"
    assert_date(share.as_of, "2009", YEAR)
    for item in (doubled, share):
        assert_cited(item, "value", fact.refs)
    assert_paragraph(
        "history",
        5,
        fact.refs,
        ar=[
            "مع زيادة الاهتمام بفكرة ألصندوق الدولي",
            "ضاعف التحالف عدد اجتماعاته في عام 2009 مقارنة بعام 2008، واجتمع مع أكثر من 10% من مكاتب الكونغرس",
        ],
        en=[
            "growing interest in the idea of the international fund",
            "doubled its number of meetings in 2009 compared with 2008, and met more than 10% of congressional offices",
        ],
        he=[
            "עם גבור העניין ברעיון הקרן הבינלאומית",
            "הכפילה הברית את מספר פגישותיה ב-2009 לעומת 2008, ונפגשה עם יותר מ-10% ממשרדי הקונגרס",
        ],
    )


# What the reference list says of each source; the article gives no URL for any of them.
SOURCES = {
    1: {
        "title": "ALLMEP adds 3 new members, bringing coalition to 97",
        "publisher": {"ar": "أخبار ALLMEP", "en": "ALLMEP news", "he": "חדשות ALLMEP"},
        "publisher_organization": "allmep",
        "publication_date": ("2016-08-18", DAY),
        "authors": "",
        "archive_date": date(2016, 11, 29),
        "link_status": LinkStatus.UNKNOWN,
        "uses": 1,
    },
    2: {
        "title": "Promoting People-to-People Coexistence in the Middle East",
        "publisher": {"ar": "جامعة ستانفورد", "en": "Stanford University", "he": "אוניברסיטת סטנפורד"},
        "publisher_organization": "stanford-university",
        "publication_date": None,
        "authors": "",
        "archive_date": date(2012, 11, 28),
        "link_status": LinkStatus.DEAD,
        "uses": 1,
    },
    3: {
        "title": "2009 ALLMEP Summit",
        "publisher": {"ar": "موقع المجموعة", "en": "The group's website", "he": "אתר הקבוצה"},
        "publisher_organization": "allmep",
        "publication_date": None,
        "authors": "",
        "archive_date": date(2012, 2, 6),
        "link_status": LinkStatus.UNKNOWN,
        "uses": 1,
    },
    4: {
        "title": "Op-Ed: Establishing an International Fund for Israeli-Palestinian Peace",
        "publisher": {
            "ar": "خدمة الأرضية المشتركة الإخبارية",
            "en": "Common Ground News Service",
            "he": "שירות החדשות Common Ground",
        },
        "publisher_organization": "common-ground-news-service",
        "publication_date": ("2009-03-19", DAY),
        "authors": "Cohen, Michael M.",
        "archive_date": date(2009, 5, 24),
        "link_status": LinkStatus.UNKNOWN,
        "uses": 2,
    },
    5: {
        "title": "Overview",
        "publisher": {"ar": "موقع ALLMEP", "en": "ALLMEP website", "he": "אתר ALLMEP"},
        "publisher_organization": "allmep",
        "publication_date": None,
        "authors": "",
        "archive_date": date(2016, 7, 2),
        "link_status": LinkStatus.UNKNOWN,
        "uses": 5,
    },
}


def article_markers(language):
    """Every {{ref}} marker of the coalition's article, in reading order."""
    sections = ArticleSection.objects.filter(organization__slug="allmep").order_by("position")
    return [marker.key for s in sections for marker in prose.markers(getattr(s, f"body_{language}"))]


def check_reference(number):
    def check(fact):
        expected = SOURCES[number]
        source = Source.objects.get(key=REFERENCE_KEYS[number])
        assert source.title == expected["title"] and f'"{source.title}"' in fact.text
        assert source.language == "en" and source.status == PublicationStatus.PUBLISHED
        assert texts(source, "publisher") == expected["publisher"]
        assert source.publisher_organization.slug == expected["publisher_organization"]
        assert all(texts(source, "title_translation")[language] for language in ("ar", "he"))
        if expected["publication_date"]:
            assert_date(source.publication_date, *expected["publication_date"])
        else:
            assert source.publication_date is None
        assert source.authors == expected["authors"]
        assert (source.archive_date, source.archive_provider) == (expected["archive_date"], ArchiveProvider.WAYBACK)
        assert source.link_status == expected["link_status"]
        assert source.url == "" and source.archive_url == "", "the article gives no URL: none may be invented"
        for language in LANGUAGES:
            uses = article_markers(language).count(source.key)
            assert uses == expected["uses"], f"{source.key} is cited {uses}× in the {language} article"
        if expected["uses"] > 1:
            # FACTS.md lists the Arabic backlink letters of a reused reference: «أ ب», «أ ب ت ث ج».
            letters = " ".join(backlink_label(index, "ar") for index in range(expected["uses"]))
            assert f": {letters})" in fact.text
        if number == 4:
            author = Person.objects.get(slug="michael-m-cohen")
            assert_texts(author, "name", ar="مايكل م. كوهين", en="Michael M. Cohen", he="מייקל מ. כהן")
            assert texts(author.roles.get(), "title") == {"ar": "حاخام", "en": "Rabbi", "he": "רב"}
            assert_cited(author, "name", [source.key])
            assert_cited(author.roles.get(), "title", [source.key])
            for language in LANGUAGES:
                assert ("source", source.key) in prose.links(getattr(author, f"description_{language}"))

    return check


FACT_CHECKS = {
    "Name: Alliance for Middle East Peace (ALLMEP)": check_name,
    "A coalition of more than 90 NGOs": check_more_than_90,
    "Its members span a wide range of groups": check_member_kinds,
    "Proposes an independent International Fund": check_fund_proposal,
    "Its first advocacy in Washington secured funds": check_first_advocacy,
    "It later widened the plan": check_widened_plan,
    "Began as an informal coalition in late 2003": check_informal_2003,
    "The group held its first meeting in February 2004": check_first_meeting,
    "Formally founded in 2006": check_formally_founded,
    "Membership: 14 organizations in 2004": check_membership,
    "Met officials of USAID and the State Department": check_met_officials,
    "Its 2006 event in Jerusalem": check_jerusalem,
    "It is in continuous contact with the US officials": check_continuous_contact,
    "Hosts an annual event in Washington": check_annual_event,
    "June 2005: a summer conference on coexistence": check_summer_conference,
    "Its programme included a panel discussion": check_panel,
    "Members also met more than 30 congressional offices": check_more_than_30_offices,
    "March 2006: the coalition co-sponsored": check_screening,
    "March 2009: the coalition's summit members met": check_summit_2009,
    "With growing interest in the international fund": check_meetings_doubled,
    '1. "ALLMEP adds 3 new members': check_reference(1),
    '2. "Promoting People-to-People Coexistence': check_reference(2),
    '3. "2009 ALLMEP Summit"': check_reference(3),
    '4. (cited twice: أ ب) "Op-Ed: Establishing': check_reference(4),
    '5. (cited five times: أ ب ت ث ج) "Overview"': check_reference(5),
}


# -- the tests -----------------------------------------------------------------------------------


def test_vendored_seed_is_the_shared_seed():
    missing = [name for name in ("FACTS.md", "allmep-ar.txt") if not (SHARED_SEED / name).exists()]
    if missing:
        pytest.skip(f"no shared seed beside the repository ({SHARED_SEED})")
    assert FACTS.read_text(encoding="utf-8") == (SHARED_SEED / "FACTS.md").read_text(encoding="utf-8")
    assert ARTICLE.read_text(encoding="utf-8") == (SHARED_SEED / "allmep-ar.txt").read_text(encoding="utf-8")


def test_a_fact_without_a_check_fails_the_walk():
    page = FACTS.read_text(encoding="utf-8") + "\n- A new fact nobody has checked yet. [5]\n"
    unchecked = [fact.text for fact in facts(page) if check_for(fact) is None]
    assert unchecked == ["A new fact nobody has checked yet. [5]"]


def test_every_fact_of_facts_md_is_in_the_record(dataset):
    walked = facts(FACTS.read_text(encoding="utf-8"))
    assert len(walked) == len(FACT_CHECKS) == 25
    failures, used = [], set()
    for fact in walked:
        check = check_for(fact)
        if check is None:
            failures.append(f"no check for this fact: {fact.text}")
            continue
        used.add(check)
        try:
            check(fact)
        except AssertionError as error:
            failures.append(f"{fact.text[:70]}…\n    {error}")
    assert not failures, "\n".join(failures)
    assert used == set(FACT_CHECKS.values()), "a check matches no fact of FACTS.md"


def wikitext(paragraph, numbers):
    """A prose paragraph as the article prints it: links as their label, markers as [n]."""

    def replace(match):
        if match["ref"]:
            return f"[{numbers[match['ref_key'].strip()]}]"
        if match["link"]:
            return (match["link_label"] or match["link_slug"]).strip()
        return ""

    return prose.TOKEN.sub(replace, paragraph)


def article_blocks():
    """The vendored article as (heading, [paragraphs]); the lead's heading is None."""
    blocks = [block.strip() for block in ARTICLE.read_text(encoding="utf-8").split("\n\n")]
    title, sections = blocks[0], [(None, [])]
    for block in blocks[1:]:
        if block.endswith(" عدل") and "\n" not in block:  # MediaWiki's "edit" link after a heading
            sections.append((block.removesuffix(" عدل"), []))
        else:
            sections[-1][1].append(block)
    return title, sections


def test_arabic_article_is_reproduced_verbatim_with_markers_in_place(dataset):
    title, blocks = article_blocks()
    assert title == f"{org('allmep').name_ar} (منظمة غير حكومية)"
    references = dict(blocks).pop("مراجع")
    sections = list(ArticleSection.objects.filter(organization__slug="allmep").order_by("position"))
    expected = [(heading or "", paragraphs) for heading, paragraphs in blocks if heading != "مراجع"]
    assert [(s.kind, s.title_ar or "") for s in sections] == [
        ("lead", ""),
        ("agenda", "جدول الأعمال والمقترحات"),
        ("history", "التاريخ"),
        ("external_links", "وصلات خارجية"),
    ]
    keys = list(dict.fromkeys(article_markers("ar")))
    numbers = {key: index + 1 for index, key in enumerate(keys)}
    assert numbers == {key: number for number, key in REFERENCE_KEYS.items()}
    actual = [(s.title_ar or "", [wikitext(p, numbers) for p in prose.paragraphs(s.body_ar)]) for s in sections]
    assert actual == expected
    # The reference list names the same sources, in the same order, with the same broken-link mark.
    lines = [line.strip() for line in references[0].splitlines()]
    for number, key in REFERENCE_KEYS.items():
        source = Source.objects.get(key=key)
        assert lines[number - 1].startswith(f"{number}. ^") and source.title in lines[number - 1]
        assert ("[وصلة مكسورة]" in lines[number - 1]) == (source.link_status == LinkStatus.DEAD)


def test_translations_carry_the_same_markers_and_links(dataset):
    for item in ArticleSection.objects.filter(organization__slug="allmep"):
        arabic = [prose.markers(p) for p in prose.paragraphs(item.body_ar)]
        for language in ("en", "he"):
            body = getattr(item, f"body_{language}")
            assert [prose.markers(p) for p in prose.paragraphs(body)] == arabic, f"{item.kind} ({language})"
            assert sorted(prose.links(body)) == sorted(prose.links(item.body_ar)), f"{item.kind} ({language})"
            assert bool(getattr(item, f"title_{language}")) == bool(item.title_ar)


@pytest.mark.parametrize(
    ("language", "letters"),
    [("ar", ["أ ب", "أ ب ت ث ج"]), ("en", ["a b", "a b c d e"]), ("he", ["א ב", "א ב ג ד ה"])],
)
def test_footnotes_number_the_sources_as_the_article_does(dataset, language, letters):
    sections = ArticleSection.objects.filter(organization__slug="allmep").order_by("position")
    with translation.override(language):
        bodies = [item.body for item in sections]
        footnotes = Footnotes.for_texts(*bodies)
        for body in bodies:
            footnotes.render(body)
        references = [(ref.number, ref.source.key, len(ref.uses)) for ref in footnotes.references]
        backlinks = [" ".join(label for _, label in ref.backlinks) for ref in footnotes.references]
    uses = {1: 1, 2: 1, 3: 1, 4: 2, 5: 5}
    assert references == [(number, REFERENCE_KEYS[number], count) for number, count in uses.items()]
    assert backlinks[3:] == letters


def test_external_links_section_is_empty_and_no_url_is_invented(dataset):
    item = section("external_links")
    assert texts(item, "body") == {"ar": "", "en": "", "he": ""}
    assert texts(item, "title") == {"ar": "وصلات خارجية", "en": "External links", "he": "קישורים חיצוניים"}
    assert not Source.objects.exclude(url="").exists()
    assert not Source.objects.exclude(archive_url="").exists()
    assert not Organization.objects.exclude(website="").exists()
