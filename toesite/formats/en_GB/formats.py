"""The admin's one way to write a time (FORMAT_MODULE_PATH): 24-hour "14:42", UK day-month order, read and shown.

Django's own en-GB formats write "2:42 p.m." in history and lists beside the "14:42" of our own pages.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

# What a date or time typed into a form may look like: the day first, as in the UK, never the US's month
# first ("12/24/2026" is refused, not read as 24 December). The first is how a form shows a date or time.
# Django's forms also take the ISO form "2026-12-24" (its ISO_INPUT_FORMATS).
DATE_INPUT_FORMATS = ["%d/%m/%Y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"]
