"""Geometry of the membership-over-time chart, drawn by the template as inline SVG.

The server computes every coordinate so the chart needs no JavaScript; the template draws the
axes, the line and one linked point per sourced figure, and prints the same figures as a table.
"""

import datetime
import math
from dataclasses import dataclass, field

from .models import FigureQualifier, FigureUnit

# A small drawing area, so that its 15-unit labels stay readable when a phone scales it down.
WIDTH = 480
HEIGHT = 270
# Room for the value labels on the left and the year labels underneath.
MARGIN_START = 40
MARGIN_END = 20
MARGIN_TOP = 28
MARGIN_BOTTOM = 36
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


@dataclass
class Point:
    figure: object
    x: float
    y: float

    @property
    def label_y(self):
        return self.y - 12

    @property
    def source(self):
        """The first published source of the figure, for the point's link."""
        for citation in self.figure.citation_list():
            if citation.source.is_published:
                return citation.source
        return None


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class LineChart:
    points: list
    x_ticks: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def left(self):
        return MARGIN_START

    @property
    def right(self):
        return self.width - MARGIN_END

    @property
    def top(self):
        return MARGIN_TOP

    @property
    def bottom(self):
        return self.height - MARGIN_BOTTOM

    @property
    def polyline(self):
        return " ".join(f"{point.x:.1f},{point.y:.1f}" for point in self.points)

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


def chartable(figures):
    """One figure per date: counts with a date, an exact figure preferred to "more than"."""
    by_date = {}
    for figure in figures:
        if not figure.as_of or figure.unit != FigureUnit.COUNT:
            continue
        key = figure.as_of.edtf
        current = by_date.get(key)
        rank = (figure.qualifier == FigureQualifier.EXACT, figure.value)
        if current is None or rank > (current.qualifier == FigureQualifier.EXACT, current.value):
            by_date[key] = figure
    return sorted(by_date.values(), key=lambda figure: _middle(figure.as_of))


def latest(figures):
    """The most recent dated figure (exact preferred), for "members: 97 (August 2016)"."""
    figures = chartable(figures)
    return figures[-1] if figures else None


def _middle(partial_date):
    """A partial date as a day number: the middle of what it can mean ("2004" is mid-2004)."""
    return (partial_date.lower.toordinal() + partial_date.upper.toordinal()) / 2


def _nice_step(maximum, ticks=5):
    for step in NICE_STEPS:
        if maximum / step <= ticks:
            return step
    return 10 ** math.ceil(math.log10(maximum))


def line_chart(figures):
    """A LineChart of the figures over time, or None when fewer than two have dates."""
    figures = chartable(figures)
    if len(figures) < 2:
        return None
    chart = LineChart(points=[])
    first_year = figures[0].as_of.year
    last_year = figures[-1].as_of.year + 1
    # Half a year of room before the first point keeps its value label clear of the y axis labels.
    x_start = _year_start(first_year) - 183
    x_end = _year_start(last_year)
    step = _nice_step(float(max(figure.value for figure in figures)))
    y_max = step * math.ceil(float(max(figure.value for figure in figures)) / step)

    def x_of(day):
        return chart.left + (day - x_start) / (x_end - x_start) * (chart.right - chart.left)

    def y_of(value):
        return chart.bottom - float(value) / y_max * (chart.bottom - chart.top)

    chart.points = [Point(figure, x_of(_middle(figure.as_of)), y_of(figure.value)) for figure in figures]
    year_step = max(1, math.ceil((last_year - first_year) / 6))
    chart.x_ticks = [Tick(x_of(_year_start(year)), str(year)) for year in range(first_year, last_year + 1, year_step)]
    chart.y_ticks = [Tick(y_of(value), str(value)) for value in range(0, int(y_max) + 1, step)]
    return chart


def _year_start(year):
    return datetime.date(year, 1, 1).toordinal()
