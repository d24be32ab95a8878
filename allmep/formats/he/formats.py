# "3 בדצמבר 2026", and a time on the 24-hour clock after a comma: "3 בדצמבר 2026, 07:05".
DATE_FORMAT = "j בF Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j בF Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
