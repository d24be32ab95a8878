"""Dates known to a year, a month, a day, or a part of a year ("late 2003").

A partial date is stored as its EDTF string (Library of Congress Extended Date/Time Format):
``2003``, ``2004-02``, ``2016-08-18``, and for "late 2003" the fourth-quarter code ``2003-36``
(EDTF level 2 sub-year grouping). EDTF strings of the same year sort in calendar order, so the
column sorts and filters by year with plain string comparisons, and exports lose nothing.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

YEAR = "year"
MONTH = "month"
DAY = "day"
EARLY_YEAR = "early"
LATE_YEAR = "late"

# EDTF level 2 quarter codes: 33 is January–March, 36 is October–December.
_QUARTER_CODES = {EARLY_YEAR: 33, LATE_YEAR: 36}
_QUARTER_MONTHS = {33: (1, 3), 36: (10, 12)}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


@dataclass(frozen=True, order=False)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    part: str | None = None  # EARLY_YEAR or LATE_YEAR, only with a bare year

    @classmethod
    def parse(cls, value):
        """Read an EDTF string; raise ValueError with a message an editor can act on."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        text = (value or "").strip()
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(
                gettext("Enter a date as YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-33 / YYYY-36 for early / late in a year.")
            )
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if month in _QUARTER_MONTHS and day is None:
            part = EARLY_YEAR if month == 33 else LATE_YEAR
            return cls(year, part=part)
        if month is not None and not 1 <= month <= 12:
            raise ValueError(gettext("%(month)s is not a month.") % {"month": month})
        if day is not None:
            try:
                datetime.date(year, month, day)
            except ValueError:
                raise ValueError(gettext("%(date)s is not a day of the calendar.") % {"date": text}) from None
        return cls(year, month, day)

    @property
    def precision(self):
        if self.part:
            return self.part
        if self.day:
            return DAY
        if self.month:
            return MONTH
        return YEAR

    @property
    def edtf(self):
        if self.part:
            return f"{self.year:04d}-{_QUARTER_CODES[self.part]}"
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def lower(self):
        """The first day the date can mean."""
        if self.part:
            return datetime.date(self.year, _QUARTER_MONTHS[_QUARTER_CODES[self.part]][0], 1)
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def upper(self):
        """The last day the date can mean."""
        if self.part:
            last_month = _QUARTER_MONTHS[_QUARTER_CODES[self.part]][1]
            return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])
        if self.day:
            return self.lower
        month = self.month or 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def csl(self):
        """CSL-JSON date: date-parts as far as known; a part of a year also as a literal."""
        parts = [self.year] + ([self.month] if self.month else []) + ([self.day] if self.day else [])
        value = {"date-parts": [parts]}
        if self.part:
            value["literal"] = self.format_in("en")
        return value

    def format_in(self, language):
        from django.utils import translation

        with translation.override(language):
            return self.format()

    def format(self):
        """The date in the active language: «فبراير 2004», "February 2004", «פברואר 2004»."""
        if self.day:
            return date_format(self.lower, "DATE_FORMAT")
        if self.month:
            return date_format(self.lower, "YEAR_MONTH_FORMAT")
        if self.part == LATE_YEAR:
            return pgettext("partial date", "late %(year)s") % {"year": self.year}
        if self.part == EARLY_YEAR:
            return pgettext("partial date", "early %(year)s") % {"year": self.year}
        return str(self.year)

    def __str__(self):
        return self.edtf

    def _key(self):
        return self.edtf

    def __lt__(self, other):
        return self._key() < other._key()


class PartialDateField(models.CharField):
    """A model field holding a :class:`PartialDate` as its EDTF string."""

    description = _("Partial date (EDTF)")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text",
            _("YYYY, YYYY-MM or YYYY-MM-DD; YYYY-33 for early and YYYY-36 for late in a year."),
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        kwargs.pop("help_text", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if not value:
            return None
        return PartialDate.parse(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        return value.edtf if value else ("" if not self.null else None)

    def run_validators(self, value):
        # Length validators measure the stored EDTF text, not the value object.
        super().run_validators(value.edtf if isinstance(value, PartialDate) else value)

    def value_to_string(self, obj):
        value = self.to_python(self.value_from_object(obj))
        return value.edtf if value else ""

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", PartialDateFormField)
        kwargs.setdefault("max_length", 10)
        return super().formfield(**kwargs)


class PartialDateFormField(forms.CharField):
    """Shows and compares the EDTF text, so an untouched date does not count as a change."""

    def prepare_value(self, value):
        return value.edtf if isinstance(value, PartialDate) else value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def run_validators(self, value):
        super().run_validators(self.prepare_value(value))

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return (self.prepare_value(initial) or "") != (self.prepare_value(data) or "")
