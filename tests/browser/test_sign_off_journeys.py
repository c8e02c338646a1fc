"""Issue 17 in a real browser: a scheduled cause is nowhere before its time."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from causes.models import Cause


def test_a_scheduled_cause_appears_nowhere_before_its_time(site, page):
    cause = Cause.objects.get(slug="caffeine")
    cause.publish_at = timezone.now() + datetime.timedelta(days=2)
    cause.save()
    for path in ("/", "/causes/", "/a-z/", "/search/?q=caffeine", "/remedies/cut-down-caffeine-alcohol/"):
        page.goto(path)
        expect(page.locator(f'main a[href="{cause.get_absolute_url()}"]')).to_have_count(0)
    page.goto("/check-your-symptoms/")
    page.get_by_label("None of these").first.check()
    page.get_by_label("Lots of caffeine, such as coffee, tea, energy drinks or cola").check()
    page.get_by_role("button", name="Show my results").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator(f'main a[href="{cause.get_absolute_url()}"]')).to_have_count(0)
    assert page.goto(cause.get_absolute_url()).status == 404
