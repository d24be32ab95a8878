"""The interface catalogues: every Arabic and Hebrew message translated, placeholders and markup kept,
the committed .mo files compiled from the committed .po files, and the translations reaching the pages.

The .po files are read with a small parser of msgctxt/msgid/msgstr blocks and the .mo files with the
GNU format's own layout, so these tests need neither gettext tools nor a catalogue library.
"""

import ast
import gettext
import io
import re
import struct
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import ngettext

from citations.footnotes import archive_line
from citations.models import Source
from records.partial_dates import PartialDate
from tests.answers import assert_saved, change_form_data, csv_choice
from tests.factories import BAD, GOOD

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["ar", "he"]
ALL = ["ar", "he", "en"]


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list = field(default_factory=list)
    flags: set = field(default_factory=set)
    line: int = 0

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags

    @property
    def translated(self):
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy

    def where(self):
        context = f"[{self.context}] " if self.context else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def read_po(path):
    """The entries of a .po file, the header first; obsolete (#~) entries are left out."""
    entries, entry, current = [], None, None

    def finish():
        if entry is not None and current is not None:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None:  # a comment after a message starts the next entry
                finish()
                entry, current = None, None
            entry = entry or Entry(line=number)
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        elif keyword in ("msgctxt", "msgid") and current not in (None, "msgctxt"):
            finish()
            entry = None
        if entry is None:
            entry = Entry(line=number)
        if entry.line == 0:
            entry.line = number
        text = ast.literal_eval(rest)
        if keyword is not None:
            current = keyword
            if keyword.startswith("msgstr"):
                entry.msgstr.append("")
            elif keyword == "msgctxt":
                entry.context = ""
            elif keyword == "msgid_plural":
                entry.msgid_plural = ""
        if current == "msgctxt":
            entry.context += text
        elif current == "msgid":
            entry.msgid += text
        elif current == "msgid_plural":
            entry.msgid_plural += text
        else:
            entry.msgstr[-1] += text
    finish()
    return entries


def read_mo(path):
    """{key: translation} of a GNU .mo file, keys and values as msgfmt writes them."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    catalogue = {}
    for index in range(count):
        length, offset = struct.unpack(order + "2I", data[originals + 8 * index : originals + 8 * index + 8])
        key = data[offset : offset + length].decode()
        length, offset = struct.unpack(order + "2I", data[translations + 8 * index : translations + 8 * index + 8])
        catalogue[key] = data[offset : offset + length].decode()
    return catalogue


def po_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def catalogue(language):
    entries = read_po(po_path(language))
    assert entries[0].msgid == "", "the header comes first"
    return entries[0], entries[1:]


def header_field(header, name):
    match = re.search(rf"^{name}: (.*)$", header.msgstr[0], re.MULTILINE)
    return match.group(1) if match else None


def plural_function(header):
    return gettext.c2py(header_field(header, "Plural-Forms").split("plural=", 1)[1].rstrip(";"))


PYTHON_FORMAT = re.compile(r"%(?:\((\w+)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
MARKUP = re.compile(r"<[^>]+>|\{\{[^}]*\}\}|\[\[[^\]]*\]\]|(?<!\{)\{\w+\}(?!\})")


def placeholders(text):
    return {match.group() for match in PYTHON_FORMAT.finditer(text) if match.group() != "%%"}


def markup(text):
    return sorted(MARKUP.findall(text))


def test_every_catalogue_is_there_and_compiled():
    for language in ALL:
        assert po_path(language).exists(), language
        assert po_path(language).with_suffix(".mo").exists(), f"{language}: run compilemessages"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    header, entries = catalogue(language)
    assert "fuzzy" not in header.flags, "a fuzzy header is left out of the .mo, and its plural rule with it"
    assert entries, "makemessages found no message"
    untranslated = [entry.where() for entry in entries if not entry.translated]
    assert untranslated == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_rule_is_djangos_own(language):
    """Django's own catalogue and ours must agree, or a count in the admin and on our pages picks different forms."""
    header, entries = catalogue(language)
    django_po = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po"
    django_header = read_po(django_po)[0]
    assert header_field(header, "Plural-Forms") == header_field(django_header, "Plural-Forms")
    assert header_field(header, "Language") == language
    forms = int(re.search(r"nplurals=(\d+)", header_field(header, "Plural-Forms")).group(1))
    plurals = [entry for entry in entries if entry.msgid_plural is not None]
    assert plurals, "the catalogue has plural messages"
    assert [entry.where() for entry in plurals if len(entry.msgstr) != forms] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_markup_are_kept(language):
    """A translation keeps every %(name)s, HTML tag and {{ref|…}} / [[…]] of its message. As msgfmt allows, a plural
    form that serves a single number (Arabic's 0, 1 and 2, Hebrew's 1 and 2) may spell the number out instead."""
    header, entries = catalogue(language)
    plural = plural_function(header)
    numbers_of_form = {}
    for number in range(1000):
        numbers_of_form.setdefault(plural(number), set()).add(number)
    problems = []
    for entry in entries:
        if not entry.translated:
            continue
        if entry.msgid_plural is None:
            if placeholders(entry.msgstr[0]) != placeholders(entry.msgid):
                problems.append(f"{entry.where()}: placeholders {sorted(placeholders(entry.msgstr[0]))}")
            if markup(entry.msgstr[0]) != markup(entry.msgid):
                problems.append(f"{entry.where()}: markup {markup(entry.msgstr[0])}")
            continue
        expected = placeholders(entry.msgid_plural)
        for form, text in enumerate(entry.msgstr):
            found = placeholders(text)
            single = len(numbers_of_form.get(form, ())) == 1
            if not (found <= expected if single else found == expected):
                problems.append(f"{entry.where()}: msgstr[{form}] placeholders {sorted(found)}")
            if markup(text) != markup(entry.msgid_plural):
                problems.append(f"{entry.where()}: msgstr[{form}] markup {markup(text)}")
    assert problems == []


def without_creation_date(header):
    """Recent msgfmt leaves POT-Creation-Date out of the .mo, and makemessages changes it on every run."""
    return re.sub(r"^POT-Creation-Date: .*\n", "", header, flags=re.MULTILINE)


@pytest.mark.parametrize("language", ALL)
def test_compiled_catalogue_is_the_po_file(language):
    """The committed .mo holds exactly the translated messages of the committed .po (run compilemessages after
    every edit of a .po file)."""
    header, entries = catalogue(language)
    expected = {"": without_creation_date(header.msgstr[0])}
    for entry in entries:
        if not entry.translated:
            continue
        key = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            key += f"\x00{entry.msgid_plural}"
        expected[key] = "\x00".join(entry.msgstr)
    compiled = read_mo(po_path(language).with_suffix(".mo"))
    compiled[""] = without_creation_date(compiled.get("", ""))
    assert compiled == expected


def test_the_catalogues_hold_the_same_messages():
    """makemessages was run for every language at once; English stays identity (msgids are English, so an English
    msgstr is only for a message whose English reading differs from its id) and has nothing fuzzy."""
    keys = {}
    for language in ALL:
        _, entries = catalogue(language)
        keys[language] = {(entry.context, entry.msgid, entry.msgid_plural) for entry in entries}
    assert keys["ar"] == keys["he"] == keys["en"]
    _, english = catalogue("en")
    assert [entry.where() for entry in english if entry.fuzzy] == []


@pytest.mark.parametrize(
    ("language", "late", "early"),
    [("ar", "أواخر 2003", "أوائل 2004"), ("he", "סוף 2003", "תחילת 2004"), ("en", "late 2003", "early 2004")],
)
def test_partial_dates_read_in_each_language(language, late, early):
    assert PartialDate.parse("2003-36").format_in(language) == late
    assert PartialDate.parse("2004-33").format_in(language) == early


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("ar", {0: "لا مصادر", 1: "مصدر واحد", 2: "مصدران", 5: "5 مصادر", 14: "14 مصدرًا", 100: "100 مصدر"}),
        ("he", {1: "מקור אחד", 2: "שני מקורות", 5: "5 מקורות", 20: "20 מקורות"}),
        ("en", {1: "1 source", 5: "5 sources"}),
    ],
)
def test_counts_take_each_languages_plural_forms(language, counts):
    with translation.override(language):
        for count, text in counts.items():
            assert ngettext("%(counter)s source", "%(counter)s sources", count) % {"counter": count} == text


@pytest.fixture
def dataset(db):
    call_command("load_allmep", stdout=StringIO())


@pytest.fixture
def staff(db):
    return User.objects.create_user("editor", password="x", is_staff=True)


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_coalitions_article_in_arabic_reads_as_arabic_wikipedia(client, dataset, staff):
    client.force_login(staff)
    page = text_of(client.get("/ar/"))
    assert '<h2 id="مراجع">مراجع</h2>' in page
    assert ">عدل</a>]" in page
    assert "أواخر 2003" in page
    for english in (">References<", ">edit<", "late 2003", "Skip to content"):
        assert english not in page


def test_the_coalitions_article_in_hebrew_reads_as_hebrew_wikipedia(client, dataset, staff):
    client.force_login(staff)
    page = text_of(client.get("/he/"))
    assert '<h2 id="הערות-שוליים">הערות שוליים</h2>' in page
    assert ">עריכה</a>]" in page
    assert "סוף 2003" in page
    for english in (">References<", ">edit<", "late 2003", "Skip to content"):
        assert english not in page


def test_readers_see_no_edit_link(client, dataset):
    page = text_of(client.get("/ar/"))
    assert "مراجع" in page
    assert "عدل</a>" not in page


def test_archive_line_of_the_first_reference(client, dataset):
    """Reference 1 (ALLMEP's news item on 97 members) was archived on 29 November 2016."""
    source = Source.objects.get(key="allmep-97-members")
    assert archive_line(source, "ar") == "نسخة محفوظة 29 نوفمبر 2016 على موقع واي باك مشين"
    page = text_of(client.get("/ar/"))
    first = re.search(r'<li id="cite_note-1">.*?</li>', page, re.DOTALL).group()
    assert "نسخة محفوظة 29 نوفمبر 2016 على موقع واي باك مشين" in first


@pytest.mark.parametrize(
    ("path", "status", "expected"),
    [
        ("/ar/events/", 200, ["التسلسل الزمني للفعاليات", "انتقل إلى المحتوى"]),
        ("/he/events/", 200, ["ציר זמן של אירועים", "דילוג לתוכן"]),
        ("/ar/sources/", 200, ["كل المصادر التي يستشهد بها", "عن هذا المصدر"]),
        ("/he/sources/", 200, ["כל המקורות שהרשומה", "על מקור זה"]),
        ("/ar/no-such-page/", 404, ["الصفحة غير موجودة"]),
        ("/he/no-such-page/", 404, ["הדף לא נמצא"]),
    ],
)
def test_reader_pages_show_the_interface_in_their_language(client, dataset, path, status, expected):
    response = client.get(path)
    assert response.status_code == status
    page = response.content.decode()
    for text in expected:
        assert text in page
    assert "Skip to content" not in page


# The admin in Arabic and Hebrew: Django's and django-reversion's own catalogues get some of what editors read wrong
# (records/admin_messages.py keeps our corrections in our catalogues).

ARABIC_MISTAKES = (
    *("نجحت إضافة", "أنقر", "لإعاده", "النسخه", "إسترجع", "اُعيد لنسخه سابقه", "أستعيد", "إستعيد"),
    *("إستيراد", "للإستيراد", "الصطر", "Some rows failed", "Line number", "Import finished"),
)


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    user = User.objects.create_user("rana", password="x", is_staff=True, first_name="Rana")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def organization(db):
    from organizations.models import Organization
    from records.versioning import revision

    with revision("Seed"):
        return Organization.objects.create(
            slug="peres-center", name_ar="مركز بيريس", name_en="Peres Center", kind="ngo"
        )


def admin_page(client, language, view, *args):
    from django.urls import reverse

    with translation.override(language):
        return reverse(f"admin:organizations_organization_{view}", args=args)


def assert_reads(response, expected, mistakes=ARABIC_MISTAKES):
    """The page's text (tags taken out, as a reader reads it) holds every expected phrase and none of the mistakes."""
    page = re.sub(r"<[^>]+>", "", response.content.decode())
    for text in expected:
        assert text in page
    assert [mistake for mistake in mistakes if mistake in page] == []


def test_the_arabic_admin_says_a_change_was_saved_not_added(client, editor, organization):
    client.force_login(editor)
    url = admin_page(client, "ar", "change", organization.pk)
    data = change_form_data(client.get(url))
    data["name_en"] = ["Peres Center for Peace"]
    assert_saved(client.post(url, data))
    assert_reads(client.get(admin_page(client, "ar", "changelist")), ["تم تعديل منظمة «مركز بيريس» بنجاح."])


@pytest.mark.parametrize(
    ("language", "screen", "after"),
    [
        (
            "ar",
            ["اضغط زر «احفظ» أدناه لاسترجاع السجل إلى هذه النسخة.", "استرجاع منظمة إلى نسخة سابقة"],
            "استُرجعت نسخة سابقة حُفظت في",
        ),
        (
            "he",
            ["יש ללחוץ על „שמירה” למטה כדי לשחזר את הרשומה לגרסה זו.", "שחזור ארגון לגרסה קודמת"],
            "שוחזרה גרסה קודמת שנשמרה ב־",
        ),
    ],
    ids=["ar", "he"],
)
def test_the_revert_screen_and_its_summary_read_correctly(client, editor, organization, language, screen, after):
    from records import history

    client.force_login(editor)
    first = history.versions_for(organization).get()
    url = admin_page(client, language, "change", organization.pk)
    data = change_form_data(client.get(url))
    data["name_en"] = ["Peres Center for Peace"]
    assert_saved(client.post(url, data))

    revert_url = admin_page(client, language, "revision", organization.pk, first.pk)
    revert_screen = client.get(revert_url)
    assert_reads(revert_screen, screen)
    assert_saved(client.post(revert_url, change_form_data(revert_screen)))
    assert history.versions_for(organization).first().revision.comment.startswith(after)
    assert_reads(client.get(admin_page(client, language, "history", organization.pk)), [after])


def test_the_arabic_recover_screens_read_correctly(client, admin_user, organization):
    from reversion.models import Version

    client.force_login(admin_user)
    recover_list = admin_page(client, "ar", "recoverlist")
    assert_reads(client.get(recover_list), ["استعادة ما حُذف من منظمات", "لا توجد سجلات محذوفة لاستعادتها."])
    assert client.post(admin_page(client, "ar", "delete", organization.pk), {"post": "yes"}).status_code == 302
    assert_reads(client.get(recover_list), ["اختر تاريخًا من القائمة أدناه لاستعادة سجل محذوف"])
    deleted = Version.objects.get_deleted(type(organization)).get()
    recover_screen = client.get(admin_page(client, "ar", "recover", deleted.pk))
    assert_reads(
        recover_screen, [f"استعادة {deleted.object_repr}", "اضغط زر «احفظ» أدناه لاستعادة السجل في هذه النسخة."]
    )
    assert change_form_data(recover_screen)


def test_deleting_a_cited_source_says_what_protects_it(client, admin_user):
    from django.urls import reverse

    from citations.models import Citation, Source
    from organizations.models import Organization

    source = Source.objects.create(key="overview", title="ALLMEP overview")
    organization = Organization.objects.create(slug="allmep", name_ar="التحالف", kind="coalition")
    Citation.objects.create(source=source, content_object=organization, claim="name")
    client.force_login(admin_user)
    with translation.override("ar"):
        url = reverse("admin:citations_source_delete", args=[source.pk])
    assert_reads(client.get(url), ["لا يمكن حذف المصدر «ALLMEP overview» دون حذف العناصر المحمية المرتبطة به التالية:"])


def test_the_arabic_import_screens_read_correctly(client, admin_user):
    from django.urls import reverse

    client.force_login(admin_user)
    with translation.override("ar"):
        url = reverse("admin:organizations_organization_import")
        process_url = reverse("admin:organizations_organization_process_import")
    form = client.get(url)
    assert_reads(form, ["استيراد", "الملف المراد استيراده", "سيستورد هذا المستورِد الحقول التالية"])

    def upload(text):
        upload = io.BytesIO(text.encode())
        upload.name = "organizations.csv"
        return client.post(url, {"import_file": upload, "format": csv_choice(form)})

    assert_reads(upload(BAD), ["لم تجتز بعض الصفوف التحقق", "صحّح هذه الأخطاء في بياناتك"])
    preview = upload(GOOD)
    assert_reads(preview, ["فيما يلي معاينة للبيانات التي ستُستورد.", "تأكيد الاستيراد"])
    done = client.post(process_url, preview.context["confirm_form"].initial, follow=True)
    assert_reads(done, ["انتهى الاستيراد: أُضيف 2، وحُدِّث 0، وحُذف 0، وتُرك 0 دون تغيير من منظمات."])


def test_our_corrections_name_messages_the_packages_really_use():
    """A correction whose msgid differs from the package's by a character would never be used."""
    import ast as python_ast

    import axes
    import import_export
    import reversion

    module = Path(settings.BASE_DIR) / "records" / "admin_messages.py"
    msgids = [
        node.args[0].value
        for node in python_ast.walk(python_ast.parse(module.read_text()))
        if isinstance(node, python_ast.Call) and getattr(node.func, "id", "") == "gettext_noop"
    ]
    assert msgids
    # The packages' own catalogues, and their code and templates (django-reversion's catalogues are older than it).
    packages = [
        Path(django.__file__).parent / "contrib" / "admin",
        *(Path(p.__file__).parent for p in (reversion, axes, import_export)),
    ]
    known = {
        entry.msgid
        for package in packages
        for po in package.glob("locale/*/LC_MESSAGES/django.po")
        for entry in read_po(po)
    }
    code = " ".join(
        path.read_text() for package in packages[1:] for path in package.rglob("*") if path.suffix in (".py", ".html")
    )
    in_templates = re.compile(r"%\((\w+)\)s")
    unused = [
        msgid
        for msgid in msgids
        if msgid not in known and msgid not in code and in_templates.sub(r"{{\1}}", msgid) not in code
    ]
    assert unused == []
