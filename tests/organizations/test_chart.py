"""The membership chart: server-drawn SVG from the sourced figures, with its data table."""

import re
from decimal import Decimal

import pytest

from organizations import charts
from organizations.models import FigureQualifier, ReportedFigure
from records.partial_dates import PartialDate
from tests.factories import make_record


@pytest.fixture
def record(db):
    return make_record()


def figure(value, as_of, qualifier=FigureQualifier.EXACT):
    return ReportedFigure(
        metric="member_organizations",
        value=Decimal(value),
        as_of=PartialDate.parse(as_of) if as_of else None,
        qualifier=qualifier,
    )


def test_points_follow_time_and_value():
    chart = charts.line_chart([figure(97, "2016-08"), figure(14, "2004"), figure(44, "2007"), figure(27, "2005")])
    values = [point.figure.value for point in chart.points]
    assert values == [14, 27, 44, 97]
    xs = [point.x for point in chart.points]
    ys = [point.y for point in chart.points]
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # SVG y grows downwards
    assert all(chart.left <= x <= chart.right for x in xs)
    assert all(chart.top <= y <= chart.bottom for y in ys)
    assert [tick.label for tick in chart.y_ticks] == ["0", "20", "40", "60", "80", "100"]
    # A year is drawn at its middle: 2004 lies between the 2004 and 2005 ticks.
    first_year = {tick.label: tick.position for tick in chart.x_ticks}["2004"]
    assert chart.points[0].x > first_year


def test_an_exact_figure_wins_over_more_than_on_the_same_date_and_undated_ones_are_left_out():
    exact = figure(97, "2016-08")
    more_than = figure(90, "2016-08", FigureQualifier.MORE_THAN)
    chart = charts.line_chart([more_than, exact, figure(14, "2004"), figure(5, "")])
    assert [point.figure for point in chart.points][-1] is exact
    assert len(chart.points) == 2
    assert charts.latest([figure(14, "2004"), exact]) is exact


def test_no_chart_from_fewer_than_two_dated_figures():
    assert charts.line_chart([figure(14, "2004")]) is None
    assert charts.line_chart([]) is None


def chart_html(page):
    return re.search(r'<figure class="chart".*?</figure>', page, re.S).group()


def test_home_page_draws_the_chart_with_a_linked_point_per_source_and_a_data_table(client, record):
    page = client.get("/ar/").content.decode()
    chart = chart_html(page)
    svg = re.search(r"<svg.*?</svg>", chart, re.S).group()
    assert 'role="group"' in svg and "<title" in svg
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="middle">(\d+)</text>\s*<title>', svg)
    assert labels == ["14", "27", "44", "97"]
    links = re.findall(r'<g class="point">\s*<a href="([^"]+)">', svg)
    assert links == ["/ar/sources/allmep-overview/"] * 3 + ["/ar/sources/allmep-97-members/"]
    # Coordinates are plain numbers even where the locale writes decimals with a comma.
    points = re.search(r'<polyline class="series" points="([^"]+)"', svg).group(1)
    assert re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+){3}", points)

    table = re.search(r'<table class="data">.*?</table>', chart, re.S).group()
    assert "<caption>" in table
    assert table.count('<th scope="col"') == 3
    row = r'<tr>\s*<th scope="row">(.*?)</th>\s*<td class="number">(.*?)</td>\s*<td>(.*?)</td>'
    rows = re.findall(row, table, re.S)
    assert [value.strip() for _date, value, _source in rows] == ["14", "27", "44", "97"]
    assert "أغسطس 2016" in rows[-1][0]
    for _date, _value, source in rows:
        number = re.search(r'<a href="#cite_note-(\d+)"', source).group(1)
        assert f'<li id="cite_note-{number}">' in page  # the footnote leads to the reference


def test_the_chart_leaves_out_draft_figures(client, record):
    chart = chart_html(client.get("/en/").content.decode())
    assert ">500<" not in chart


def test_the_organization_page_has_the_chart_too(client, record):
    page = client.get("/he/organizations/allmep/").content.decode()
    assert "97" in chart_html(page)


def test_the_dataset_chart_has_the_articles_four_figures(client, db):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_allmep", stdout=StringIO())
    chart = chart_html(client.get("/en/").content.decode())
    for value in ("14", "27", "44", "97"):
        assert f">{value}</text>" in chart
