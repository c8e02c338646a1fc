"""The admin's one way to write a time (FORMAT_MODULE_PATH): 24-hour "14:42", UK day-month order.

Django's own en-GB formats write "2:42 p.m." in history and lists beside the "14:42" of our own pages.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
