# Dates as Arabic Wikipedia prints them: "18 أغسطس 2016", with Western digits.
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
