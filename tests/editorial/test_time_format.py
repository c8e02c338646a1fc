"""One time format in the admin: 24-hour "14:42" with the UK day-month order, never "2:42 p.m."."""

import datetime

from django.utils import formats, timezone


def test_times_are_written_24_hour_with_the_day_first():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 7, 14, 42))
    assert formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") == "7 December 2026, 14:42"
    assert formats.time_format(moment.time()) == "14:42"
    assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "07/12/2026"
