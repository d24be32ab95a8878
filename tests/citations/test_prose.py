import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from citations.footnotes import Footnotes, backlink_label
from citations.models import Source
from organizations.models import ArticleSection, Organization
from records import prose


@pytest.fixture
def sources(db):
    return [
        Source.objects.create(key="overview", title="Overview", status="published"),
        Source.objects.create(key="summit", title="2009 ALLMEP Summit", status="published"),
        Source.objects.create(key="draft-source", title="Not yet", status="draft"),
    ]


def test_markup_is_escaped_and_marked_up(sources):
    text = "''Coexistence'' <script>alert(1)</script> & '''peace'''{{ref|overview}}"
    html = prose.render(text, Footnotes(Source.objects.all()))
    assert "<em>Coexistence</em>" in html
    assert "<strong>peace</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html


def test_footnotes_number_by_first_use_and_reuse_keeps_the_number(sources):
    footnotes = Footnotes(Source.objects.all())
    html = footnotes.render("A{{ref|summit}} B{{ref|overview}} C{{ref|summit}}\n\nD{{ref|overview|p. 2}}")
    assert html.count('href="#cite_note-1" aria-describedby="cite_note-1-text">[1]') == 2
    assert html.count('href="#cite_note-2" aria-describedby="cite_note-2-text">[2]') == 2
    summit, overview = footnotes.references
    assert (summit.source.key, overview.source.key) == ("summit", "overview")
    assert overview.locators == ["p. 2"]
    assert [anchor for anchor, _label in summit.backlinks] == ["cite_ref-1-0", "cite_ref-1-1"]


def test_a_draft_source_is_never_shown_to_readers(sources):
    footnotes = Footnotes.for_texts("x{{ref|draft-source}}")
    html = footnotes.render("x{{ref|draft-source}}")
    assert "cite_note" not in html
    assert footnotes.references == []


@pytest.mark.parametrize(("language", "labels"), [("ar", "أبتثج"), ("en", "abcde"), ("he", "אבגדה")])
def test_backlink_letters_follow_the_reader_language(language, labels):
    assert "".join(backlink_label(i, language) for i in range(5)) == labels


def test_unknown_marker_is_refused_at_save_with_a_clear_message(sources):
    coalition = Organization.objects.create(slug="allmep", name="ALLMEP", kind="coalition")
    section = ArticleSection(
        organization=coalition, kind="lead", body_ar="نص{{ref|overview}}", body_en="Text{{ref|nope}}"
    )
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "body_en" in error.value.message_dict
    assert "{{ref|nope}}" in " ".join(error.value.message_dict["body_en"])
    assert "body_ar" not in error.value.message_dict


def test_links_to_missing_records_are_refused(sources):
    # The messages in English, whatever language an earlier test left active (Arabic is the default).
    with translation.override("en"):
        with pytest.raises(ValidationError, match="links to no existing record"):
            prose.validate_prose("[[organization:ghost|Ghost]]")
        with pytest.raises(ValidationError, match="is not a kind of record"):
            prose.validate_prose("[[planet:mars|Mars]]")


def test_plain_text_drops_markup_and_keeps_link_labels():
    text = "''The'' [[organization:allmep|coalition]] grew.{{ref|overview}}"
    assert prose.plain_text(text) == "The coalition grew."


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_brackets_that_close_and_open_again_are_set_apart(sources, language):
    """The article writes «(بالإنجليزية: Alliance for Middle East Peace)(ALLMEP)»; the record keeps its
    text as written, and the page sets the two brackets apart as print does."""
    text = "'''التحالف''' (بالإنجليزية: Alliance for Middle East Peace)(ALLMEP) هو مجموعة.{{ref|overview}}"
    with translation.override(language):
        html = prose.render(text, Footnotes(Source.objects.all()))
    assert ")(" not in html.replace("</bdi>", "").replace("<bdi>", "")
    assert ") (" in html.replace("</bdi>", "").replace("<bdi>", "")


def test_plain_text_keeps_paragraphs_apart_and_lines_within_them_together():
    text = "First ''line''\nsame paragraph.  \n \n\n[[person:someone]] {{ref|overview}}\nsecond one.\n"
    assert prose.plain_text(text) == "First line same paragraph.\n\nsomeone second one."
