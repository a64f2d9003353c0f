"""Arabic dates as Moroccan readers write them: day, month name, year, and the 24-hour clock.

Django's `ar` module has no DATETIME_FORMAT nor SHORT_DATETIME_FORMAT, so `/ar/` pages and
notices fell back to the US defaults ("ديسمبر 6, 2026, 10:30 م", "12/06/2026"). Month names
come from Django's Arabic catalogue (يناير … ديسمبر). The right-to-left marks keep the
numeric dates in day/month/year order inside Arabic text.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
