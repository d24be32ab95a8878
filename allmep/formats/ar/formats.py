# Dates as Arabic Wikipedia prints them: "18 أغسطس 2016", with Western digits; a time after the
# Arabic comma on the 24-hour clock: "3 ديسمبر 2026، 07:05".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
