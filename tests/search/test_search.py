"""Search: Arabic normalization, matching in each reader language, drafts, bad input, ranking, cost."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.management import call_command
from django.db import connection
from django.db.models import Value
from django.urls import reverse
from django.utils.translation import override

from citations.models import Source
from events.models import Event, Meeting
from organizations.models import ArticleSection, Organization, Person
from search.indexing import indexed_models
from search.models import SearchDocument
from search.normalize import normalize, strip_clitics, terms
from search.queries import MAX_QUERY_LENGTH, matching
from tests.answers import found, plain, search

# --- Normalization: one function for the text and the query ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مُنَظَّمَاتٌ", "منظمات"),  # fatha, damma, shadda, tanween
        ("هٰذا", "هذا"),  # superscript alef U+0670
        ("مـنـظـمـات", "منظمات"),  # tatweel
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمن", "امن"),
        ("ٱلسلام", "السلام"),  # alef wasla
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("منظمة", "منظمه"),  # ta marbuta
        ("٢٠٠٤", "2004"),
        ("Café PEACE", "cafe peace"),
        ("שָׁלוֹם", "שלום"),  # niqqud
        ("ab\u200fc\u200d", "abc"),  # bidi mark and joiner vanish
    ],
)
def test_normalize_applies_each_rule(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("word", ["والمنظمات", "المنظمات", "فالمنظمات", "بالمنظمات", "للمنظمات", "ومنظمات", "منظمات"])
def test_clitic_prefixes_do_not_change_the_term(word):
    assert terms(word) == ["منظمات"]


def test_clitics_are_stripped_only_while_a_stem_is_left():
    assert strip_clitics("الله") == "الله"
    assert strip_clitics("وجه") == "وجه"
    assert strip_clitics("والحب") == "الحب"
    # A root beginning with و loses it in the text and in the query alike.
    assert terms("الوزارة ووزارة وزارة") == ["زاره", "زاره", "زاره"]


def test_any_white_space_separates_words_and_none_joins_them():
    text = "والسلام\u00a0Peace\tشالوم\u2003\u3000co\u0301existence\n\u200fالمنظمات"
    assert terms(text) == ["سلام", "peace", "شالوم", "coexistence", "منظمات"]
    assert terms(text + " " + text) == terms(text) * 2  # the second time from the remembered words


def test_terms_split_on_punctuation_and_control_characters():
    assert terms("peace,coexistence\x00ALLMEP") == ["peace", "coexistence", "allmep"]
    assert terms("!!! ... ؟ ،") == []


# --- Records ----------------------------------------------------------------------------------


def organization(slug, status="published", **fields):
    fields.setdefault("kind", "ngo")
    return Organization.objects.create(slug=slug, status=status, **fields)


@pytest.fixture
def records(db):
    return {
        "coalition": organization(
            "coalition",
            name_ar="تحالف السلام",
            name_en="Peace Coalition",
            name_he="קואליציית השלום",
            description_ar="يضم أكثر من 90 من المنظمات غير الحكومية.",
            description_en="It brings together more than 90 non-governmental organizations.",
            description_he="היא מאגדת יותר מ-90 ארגונים לא ממשלתיים.",
        ),
        "person": Person.objects.create(slug="ahmad", name_ar="أحمد سليم", name_en="Ahmad Salim", status="published"),
        "event": Event.objects.create(
            slug="summit",
            kind="summit",
            title_ar="مُؤْتَمَرُ التَّعَايُشِ",
            title_en="Coexistence summit",
            description_ar="لقاء من أجل ٱلسلام.",
            status="published",
        ),
        "draft": organization("secret", status="draft", name_ar="منظمة سرية", name_en="Secret organization"),
    }


def test_a_prefixed_query_finds_the_bare_word(client, records):
    response = search(client, "والمنظمات")
    assert plain(found(response)) == ["تحالف السلام"]
    assert "<mark>المنظمات</mark>" in response.content.decode()


def test_a_query_without_hamza_finds_the_name_with_it(client, records):
    response = search(client, "احمد")
    assert plain(found(response)) == ["أحمد سليم"]
    assert "<mark>أحمد</mark>" in response.content.decode()


def test_a_query_without_tashkeel_finds_text_with_it(client, records):
    assert plain(found(search(client, "مؤتمر التعايش"))) == ["مُؤْتَمَرُ التَّعَايُشِ"]


def test_alef_wasla_matches_plain_alef_both_ways(client, records):
    assert plain(found(search(client, "السلام"))) == ["تحالف السلام", "مُؤْتَمَرُ التَّعَايُشِ"]
    assert plain(found(search(client, "ٱلسلام"))) == ["تحالف السلام", "مُؤْتَمَرُ التَّعَايُشِ"]


def test_english_and_hebrew_readers_search_their_language(client, records):
    assert plain(found(search(client, "organizations", "en"))) == ["Peace Coalition"]
    assert plain(found(search(client, "coexistence", "en"))) == ["Coexistence summit"]
    assert plain(found(search(client, "ארגונים", "he"))) == ["קואליציית השלום"]
    # The Arabic page does not answer in English words it does not show.
    assert found(search(client, "organizations", "ar")) == []


def test_a_reader_sees_the_fallback_text_of_an_untranslated_record(client, records):
    # The person has no Hebrew name: Hebrew pages show the English one, and search finds it.
    assert plain(found(search(client, "Salim", "he"))) == ["Ahmad Salim"]


def test_every_kind_of_record_is_searchable(client, records):
    Source.objects.create(key="report", title="Harmony report", status="published")
    Meeting.objects.create(
        slug="hill", title_en="Harmony meeting", organization=records["coalition"], status="published"
    )
    ArticleSection.objects.create(
        organization=records["coalition"],
        kind="history",
        title_en="History",
        body_en="Harmony grew.",
        status="published",
    )
    response = search(client, "harmony", "en")
    assert sorted(str(result.kind) for result in response.context["results"]) == [
        "Article section",
        "Meeting",
        "Source",
    ]


def test_results_link_to_the_record_pages(client, records):
    section = ArticleSection.objects.create(
        organization=records["coalition"], kind="lead", body_ar="نص عن التعايش", status="published"
    )
    response = search(client, "التعايش")
    urls = {result.url for result in response.context["results"]}
    with override("ar"):
        assert urls == {records["event"].get_absolute_url(), f"{reverse('organizations:home')}#section-{section.pk}"}


def test_drafts_never_appear(client, records):
    assert found(search(client, "سرية")) == []
    assert found(search(client, "secret", "en")) == []
    coalition = records["coalition"]
    coalition.status = "draft"
    coalition.save()
    assert found(search(client, "تحالف")) == []
    coalition.status = "published"
    coalition.save()
    assert plain(found(search(client, "تحالف"))) == ["تحالف السلام"]
    coalition.delete()
    assert found(search(client, "تحالف")) == []
    assert not SearchDocument.objects.filter(title="تحالف السلام").exists()


def test_article_sections_follow_their_organization(client, records):
    secret = records["draft"]
    ArticleSection.objects.create(organization=secret, kind="lead", body_en="Hidden harmony", status="published")
    assert found(search(client, "harmony", "en")) == []
    secret.status = "published"
    secret.save()
    # A section without a heading (the article's lead) is titled with the article's name.
    assert plain(found(search(client, "harmony", "en"))) == ["Secret organization"]


def test_a_title_match_ranks_before_a_body_match(client, db):
    organization("body", name_en="Alpha group", description_en="Works for reconciliation.")
    organization("title", name_en="Reconciliation network", description_en="A network.")
    assert plain(found(search(client, "reconciliation", "en"))) == ["Reconciliation network", "Alpha group"]
    organization("body-ar", name_ar="مجموعة ألف", description_ar="تعمل من أجل المصالحة.")
    organization("title-ar", name_ar="شبكة المصالحة", description_ar="شبكة.")
    assert plain(found(search(client, "مصالحة"))) == ["شبكة المصالحة", "مجموعة ألف"]


def test_record_text_is_escaped_in_titles_and_snippets(client, db):
    organization("xss", name_en="<b>Harmony</b>", description_en="<script>alert('harmony')</script>")
    html = search(client, "harmony", "en").content.decode()
    assert "<script>alert" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;<mark>Harmony</mark>&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(&#x27;<mark>harmony</mark>&#x27;)" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!! ??? ...",
        "\x00",
        "\x01\x1f\x7f",
        "\u202e\u200f",
        "\u064e\u0640",  # a lone fatha and a tatweel
        "😀🕊️",
        "' & | ! : * ( ) <-> \\",
        "%' OR 1=1 --",
        "a:* & b",
        "ﷺ ﻻ",
        "𝔄𝔩𝔩𝔪𝔢𝔭",
        "x" * MAX_QUERY_LENGTH,
        "中" * MAX_QUERY_LENGTH,
        "سلام " * (MAX_QUERY_LENGTH // 5),
    ],
)
def test_odd_queries_get_a_page_never_an_error(client, records, query):
    response = search(client, query)
    assert response.status_code == 200


def test_empty_query_gets_a_hint(client, records):
    response = search(client, "  ", "en")
    assert "Type a name" in response.content.decode()


def test_punctuation_only_query_says_so(client, records):
    response = search(client, "!!!", "en")
    assert "has no letters or digits to search for" in response.content.decode()


def test_an_absurdly_long_query_is_refused_with_a_clear_message(client, records):
    response = search(client, "سلام " * 2000, "en")
    assert response.status_code == 400
    assert "10000 characters long" in response.content.decode()
    assert f"limited to {MAX_QUERY_LENGTH} characters" in response.content.decode()


def test_a_long_question_is_searched_by_its_first_words(client, records):
    response = search(client, "peace coalition " + " ".join(f"word{n}" for n in range(20)), "en")
    assert response.status_code == 200
    assert "Only the first 10 words were searched for." in response.content.decode()


def test_bad_page_numbers_fall_back_to_a_real_page(client, records):
    assert search(client, "السلام", page="abc").status_code == 200
    assert search(client, "السلام", page="999999").context["page"].number == 1


def test_no_results_points_to_other_languages(client, records):
    response = search(client, "organizations", "ar")
    assert [(count, code) for _name, count, _url, code in response.context["elsewhere"]] == [(1, "en")]
    assert '<a href="/en/search/?q=organizations" hreflang="en">' in response.content.decode()
    nothing = search(client, "zzzz", "en").content.decode()
    assert "0 results for" in nothing
    assert "Try fewer words" in nothing


def test_results_are_paginated_and_queries_bounded(client, records, django_assert_max_num_queries):
    for number in range(25):
        organization(f"org-{number}", name_en=f"Harmony {number}")
        Person.objects.create(slug=f"person-{number}", name_en=f"Harmony person {number}", status="published")
        Source.objects.create(key=f"source-{number}", title=f"Harmony {number}", status="published")
    # The page's records are fetched with one query per kind of record, however many results:
    # the content stamp, the count, the page, then at most one query per indexed model.
    with django_assert_max_num_queries(3 + len(indexed_models())):
        response = search(client, "harmony", "en")
    assert response.context["page"].paginator.count == 75
    assert len(response.context["results"]) == 20
    second = search(client, "harmony", "en", page=3)
    assert second.context["page"].number == 3
    assert 'rel="prev"' in second.content.decode()


def test_rebuild_search_index_restores_the_index(client, records):
    SearchDocument.objects.all().delete()
    assert found(search(client, "احمد")) == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert plain(found(search(client, "احمد"))) == ["أحمد سليم"]
    assert not SearchDocument.objects.filter(object_id=records["draft"].pk, content_type__model="organization").exists()


# --- PostgreSQL -------------------------------------------------------------------------------


def test_arabic_text_is_analysed_with_the_arabic_configuration(postgres_only, client, db):
    # The arabic stemmer relates the singular to the plural; a word-for-word match would not.
    organization("plural", name_ar="شبكة", description_ar="تعمل مع منظمات كثيرة.")
    assert plain(found(search(client, "منظمة"))) == ["شبكة"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('arabic', 'منظمات')::text")
        (expected,) = cursor.fetchone()
    vector = SearchDocument.objects.get(language="ar", title="شبكة").vector
    assert expected.split(":")[0] in vector


def test_english_text_is_stemmed(postgres_only, client, db):
    organization("talks", name_en="Talks", description_en="It supports negotiation.")
    assert plain(found(search(client, "negotiations", "en"))) == ["Talks"]


def test_search_uses_the_gin_index(without_rum_index, records):
    """Without the RUM index (tests/search/test_rum.py), matches are found through the GIN index."""
    content_type = ContentType.objects.get_for_model(Organization)
    SearchDocument.objects.bulk_create(
        SearchDocument(
            content_type=content_type,
            object_id=10**9 + number,  # beyond any key earlier tests used (sequences never roll back)
            language=language,
            title=f"filler {number}",
            vector=SearchVector(Value(f"filler{number} text{number % 97}"), config="simple"),
        )
        # Enough rows per language that the language condition alone is no cheaper than the term.
        for number in range(5000)
        for language in ("ar", "en", "he")
    )
    with connection.cursor() as cursor:
        # The rows just written wait in the index's pending list, which the planner costs by its
        # size; how big it is depends on what earlier tests left there. Merge it, so the plan
        # depends on this test's rows only.
        cursor.execute("SELECT gin_clean_pending_list('search_document_vector_gin'::regclass)")
        cursor.execute("ANALYZE search_searchdocument")
        # On a table this small a sequential scan may still be cheaper; forbid it to see the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching(["سلام"], "ar").explain()
    assert "Bitmap Index Scan" in plan
    assert "search_document_vector_gin" in plan
