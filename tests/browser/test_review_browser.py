"""Reviewed changes and old versions in a real browser (Debian's chromium through Playwright), in Arabic,
English and Hebrew, on a 360px phone and a 1280px desktop.

An editor proposes a change to a published organization of the ALLMEP dataset through the admin's change
form; a publisher finds it in the queue, reads its diff on the review page and accepts it; readers then see
it. An old version's permanent link reads as the page was, marked as old, with its footnotes then.
Screenshots go to screenshots/ for people to look at. Fixtures (browser, allmep_site) are in conftest.py."""

from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from citations.models import Source
from organizations.models import Organization
from records.history import versions_for
from records.models import ProposedChange
from records.versioning import revision
from tests.answers import assert_saved, axe_violations, change_form_data, change_url, describe_violations, visit
from tests.factories import staff_member

LANGUAGES = [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")]
WIDTHS = [360, 1280]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "a-long-staff-password-1"
SLUG = "white-house"  # a published organization of the dataset, its name cited by one source
OLD_NAME = "White House"
NEW_NAME = "White House of the United States"
NEW_LOCATOR = "p. 4"
SUMMARY = "Full name, page of the op-ed"
COMMENT = "Checked against the op-ed"
OLD_SOURCE = "Op-Ed: Establishing an International Fund for Israeli-Palestinian Peace"  # cites the name


STAFF_GROUPS = "organizations.migrations.0002_staff_groups"


@pytest.fixture(autouse=True)
def staff_groups(allmep_site):
    """The staff groups as their migration makes them: the live server's database is flushed after each test,
    and the groups with it. (serialized_rollback does not bring them back here: Django keeps the database's
    serialized copy on a connection object, which the browser's event loop does not see.)"""
    migration = import_module(STAFF_GROUPS)
    if Group.objects.filter(name__in=migration.GROUPS).count() < len(migration.GROUPS):
        state = MigrationLoader(connection).project_state(("organizations", "0002_staff_groups"))
        migration.create_groups(state.apps, SimpleNamespace(connection=connection))


def staff(username, group):
    user = staff_member(username, group)
    user.set_password(PASSWORD)
    user.save()
    return user


def tab(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def log_in(page, base, language, username):
    visit(page, f"{base}/{language}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/{language}/admin/")


def assert_fits(page, what):
    """Nothing on the page is wider than the viewport; if something is, name the outermost culprits."""
    width, viewport = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    if width > viewport:
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => {
                const box = e.getBoundingClientRect(), parent = e.parentElement.getBoundingClientRect();
                return (box.right > innerWidth + 1 || box.left < -1) && box.width > 0
                    && !(parent.right > innerWidth + 1 || parent.left < -1);
            }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''))"""
        )
        pytest.fail(f"{what}: {width}px wide in a {viewport}px viewport; sticking out: {culprits}")


def assert_language(page, language, direction):
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [language, direction]


def assert_axe_clean(page):
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


TEXT_BOXES = """([selector, pieces]) => {
    // Where pieces of an element's text are drawn, however its markup splits the text.
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let text = '';
    while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
    const at = offset => {
        const [node, start] = nodes.findLast(([, start]) => start <= offset);
        return [node, offset - start];
    };
    return pieces.map(piece => {
        const start = text.indexOf(piece);
        if (start < 0) return null;
        const range = document.createRange();
        range.setStart(...at(start));
        const [node, offset] = at(start + piece.length - 1);
        range.setEnd(node, offset + 1);
        const box = range.getBoundingClientRect();
        return {left: box.left, right: box.right};
    });
}"""


def assert_reads_in_order(page, selector, first, then, direction):
    """``first`` is read before ``then``, each in one piece: in Arabic and Hebrew, to its left."""
    boxes = page.evaluate(TEXT_BOXES, [selector, [first, then]])
    assert None not in boxes, (selector, first, then, page.locator(selector).inner_text())
    before, after = boxes
    if direction == "rtl":
        assert after["right"] <= before["left"] + 1, (first, then, boxes)
    else:
        assert after["left"] >= before["right"] - 1, (first, then, boxes)


def chosen_state(page):
    """The choice the queue's filter by state shows as chosen."""
    return page.locator("#changelist-filter details").first.locator("li.selected a").inner_text().strip()


def propose_in_the_change_form(page, base, language, organization):
    """The editor changes the English name and the citation's page in its row, with a summary, and saves."""
    visit(page, f"{base}/{language}/admin/organizations/organization/{organization.pk}/change/")
    assert page.locator(".proposal-notice").first.is_visible()  # told before saving that it will wait
    page.click('a[href="#tab_id_name_en"]')  # the English tab of the name's languages
    page.fill("#id_name_en", NEW_NAME)
    citations = page.locator(".inline-group[id^='citations-']")
    citations.locator("a[href$='-0-locator_en']").click()
    citations.locator("input[name$='-0-locator_en']").fill(NEW_LOCATOR)
    page.fill("#id_edit_summary", SUMMARY)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/records/proposedchange/*/change/")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_an_editor_proposes_and_a_publisher_reviews_and_accepts(allmep_site, browser, language, direction, width):
    base = allmep_site.url
    organization = Organization.objects.get(slug=SLUG)
    staff("editor", "Editors")
    staff("publisher", "Publishers")
    SCREENSHOTS.mkdir(exist_ok=True)

    # The editor saves through the change form; the record waits, readers keep the old name.
    context, page = tab(browser, width)
    log_in(page, base, language, "editor")
    propose_in_the_change_form(page, base, language, organization)
    with translation.override(language):
        told = gettext(
            "Your change to “%(record)s” waits for a publisher's review. Readers see the published "
            "version until it is accepted."
        ) % {"record": str(organization)}
    assert page.locator("ul.messagelist li.success").inner_text().strip() == told
    context.close()
    proposal = ProposedChange.objects.get()
    assert (proposal.state, proposal.summary) == ("pending", SUMMARY)
    organization.refresh_from_db()
    assert organization.name_en == OLD_NAME

    # The publisher opens the queue, then the review page.
    context, page = tab(browser, width)
    log_in(page, base, language, "publisher")
    with translation.override(language):
        pending = str(ProposedChange.State.PENDING.label)
    visit(page, f"{base}/{language}/admin/records/proposedchange/")
    page.locator("#changelist-filter a", has_text=pending).click()
    page.wait_for_url("**/admin/records/proposedchange/?state__exact=pending")
    assert chosen_state(page) == pending
    page.evaluate("document.fonts.ready")
    page.screenshot(path=SCREENSHOTS / f"review-queue-{language}-{width}.png", full_page=True)
    assert_language(page, language, direction)
    if width == 360:
        assert_fits(page, "the queue")
    page.locator(f"#result_list a[href*='/proposedchange/{proposal.pk}/change/']").click()
    page.wait_for_url(f"**/admin/records/proposedchange/{proposal.pk}/change/**")

    assert_language(page, language, direction)
    inserted = page.locator("table.version-diff td.diff-text[lang=en] ins").all_inner_texts()
    assert any("of the United States" in text for text in inserted), inserted
    row_inserted = page.locator("ul.row-changes li.row-changed .diff-text[lang=en] ins").all_inner_texts()
    assert any(NEW_LOCATOR in text for text in row_inserted), row_inserted
    assert SUMMARY in page.locator(".proposal-summary").inner_text()
    # Who proposed it, then when, each in one piece (an English name does not carry off the day in Arabic).
    with translation.override(language):
        when = formats.date_format(timezone.localtime(proposal.created_at), "DATETIME_FORMAT")
    assert_reads_in_order(page, ".proposal-summary dd:nth-of-type(2)", "editor", when, direction)
    # The summary's quotation marks open where the page's reader starts, whatever its language.
    assert page.locator(".proposal-summary q").evaluate("q => getComputedStyle(q).direction") == direction
    page.fill("#id_review_comment", COMMENT)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=SCREENSHOTS / f"review-{language}-{width}.png", full_page=True)
    if width == 360:
        assert_fits(page, "the review page")
    # The comment box and the buttons stay inside the page's column, the buttons big enough to tap.
    column = page.locator("#content-main").bounding_box()
    for control in [page.locator("#id_review_comment"), *page.locator("form.proposal-review button").all()]:
        box = control.bounding_box()
        assert column["x"] - 1 <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"] + 1, box
    for button in page.locator("form.proposal-review button").all():
        assert button.bounding_box()["height"] >= 24
    assert_axe_clean(page)

    page.click("button[name=decision][value=accept]")
    # Back to the queue of changes waiting for review, its filter saying so.
    page.wait_for_url("**/admin/records/proposedchange/?*")
    assert chosen_state(page) == pending
    with translation.override(language):
        accepted = gettext("Accepted: readers now see this change to “%(record)s”.") % {"record": proposal.object_repr}
    assert page.locator("ul.messagelist li.success").inner_text().strip() == accepted
    context.close()

    proposal.refresh_from_db()
    assert (proposal.state, proposal.review_comment) == ("accepted", COMMENT)
    # Readers now see the new name (on the English page: the English name is what changed).
    context, page = tab(browser, width)
    visit(page, f"{base}/en/organizations/{SLUG}/")
    assert page.locator("h1 bdi").inner_text() == NEW_NAME
    visit(page, f"{base}/{language}/organizations/{SLUG}/")
    assert_language(page, language, direction)
    context.close()


def propose_replacing_the_citation(organization, editor):
    """The editor removes the citation of the name and cites another source instead, in one save (posted as
    the change form would post it)."""
    client = Client()
    client.force_login(editor)
    url = change_url(organization)
    data = change_form_data(client.get(url))
    prefix = next(
        name.removesuffix("-TOTAL_FORMS")
        for name in data
        if name.startswith("citations-") and name.endswith("-TOTAL_FORMS")
    )
    for name, value in list(data.items()):
        if name.startswith(f"{prefix}-__prefix__-"):
            data[name.replace("__prefix__", "1")] = value
    data[f"{prefix}-TOTAL_FORMS"] = ["2"]
    data[f"{prefix}-0-DELETE"] = ["on"]
    data[f"{prefix}-1-source"] = [str(Source.objects.get(key="allmep-overview").pk)]
    data[f"{prefix}-1-claim"] = ["name"]
    data["edit_summary"] = ["Cited from the overview"]
    assert_saved(client.post(url, data))
    return ProposedChange.objects.get()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_added_and_removed_rows_read_on_the_review_page(allmep_site, browser, language, direction):
    organization = Organization.objects.get(slug=SLUG)
    editor = staff("editor", "Editors")
    staff("publisher", "Publishers")
    proposal = propose_replacing_the_citation(organization, editor)
    SCREENSHOTS.mkdir(exist_ok=True)
    context, page = tab(browser, 360)
    log_in(page, allmep_site.url, language, "publisher")
    visit(page, f"{allmep_site.url}/{language}/admin/records/proposedchange/{proposal.pk}/change/")
    page.screenshot(path=SCREENSHOTS / f"review-rows-{language}-360.png", full_page=True)
    with translation.override(language):
        added, removed = gettext("added"), gettext("removed")
    assert page.locator("ul.row-changes > li.row-added > strong").inner_text() == added
    assert page.locator("ul.row-changes > li.row-removed > strong").inner_text() == removed
    assert "Overview" in page.locator("ul.row-changes > li.row-added").inner_text()
    assert OLD_SOURCE in page.locator("ul.row-changes > li.row-removed").inner_text()
    assert_fits(page, "the review page")
    assert_axe_clean(page)  # the words "added" and "removed" are legible
    context.close()


# An old version's permanent link.

OLD_NAMES = {"ar": "البيت الأبيض", "en": "White House", "he": "הבית הלבן"}
NEW_NAMES = {"ar": "البيت الأبيض الأمريكي", "en": "The White House", "he": "הבית הלבן האמריקני"}


@pytest.fixture
def renamed(allmep_site):
    """The organization renamed in every language and its name cited from another source, in a new revision."""
    organization = Organization.objects.get(slug=SLUG)
    old = versions_for(organization).first()
    with revision("Full name; cited from the overview"):
        for language, name in NEW_NAMES.items():
            setattr(organization, f"name_{language}", name)
        organization.save()
        citation = organization.citations.get()
        citation.source = Source.objects.get(key="allmep-overview")
        citation.save()
    return allmep_site.url, organization, old


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_an_old_version_reads_as_it_was_on_a_phone_and_a_desktop(renamed, browser, language, direction):
    base, organization, old = renamed
    SCREENSHOTS.mkdir(exist_ok=True)
    with translation.override(language):
        banner_text = gettext("Read the current page")
    for width in WIDTHS:
        context, page = tab(browser, width)
        visit(page, f"{base}/{language}/history/organizations.organization/{organization.pk}/versions/{old.pk}/")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=SCREENSHOTS / f"old-version-{language}-{width}.png", full_page=True)

        assert_language(page, language, direction)
        assert page.locator('meta[name=robots][content="noindex"]').count() == 1
        banner = page.locator(".old-version-banner")
        assert banner.is_visible()
        assert banner.bounding_box()["y"] < page.locator("h1").bounding_box()["y"], "the banner comes first"
        # The old text and its footnotes then: the op-ed, not the overview cited now.
        assert page.locator("h1 bdi").first.inner_text() == OLD_NAMES[language]
        marker = page.locator("p.lead-sentence sup.reference a").first
        assert marker.is_visible()
        references = page.locator("ol.references > li").all_inner_texts()
        assert any(OLD_SOURCE in text for text in references), references
        assert not any("Overview" in text for text in references), references
        if width == 360:
            assert_fits(page, "the old version")
        assert_axe_clean(page)

        # The footnote marker leads to its reference, and the banner's link to the current page.
        marker.click()
        page.wait_for_url("**#cite_note-*")
        assert page.locator(":target").inner_text() == references[0]
        banner.get_by_role("link", name=banner_text).click()
        page.wait_for_url(f"{base}/{language}/organizations/{SLUG}/")
        assert page.locator(".old-version-banner").count() == 0
        assert page.locator("h1 bdi").first.inner_text() == NEW_NAMES[language]
        assert page.locator('meta[name=robots][content="noindex"]').count() == 0
        # The name is cited from the overview now (the op-ed is still listed, for the meeting it backs).
        page.locator("p.lead-sentence sup.reference a").first.click()
        page.wait_for_url("**#cite_note-*")
        assert "Overview" in page.locator(":target").inner_text()
        context.close()
