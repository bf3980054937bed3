"""English dates as QiaoJia writes them: "5 Mar 2025", one 24-hour clock ("14:00"), never 07/08/2025.
Django's own English formats (month first, "8 a.m.") are ambiguous to the platform's readers.
Chinese uses Django's zh formats ("2025年3月5日 14:00"). See `qiaojia.core.formats`."""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
