import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from health_check import checks

from core import purge

HEALTH_CHECKS = (checks.Database(), checks.Cache())


@never_cache
@require_http_methods(["GET", "HEAD"])
def health(request) -> HttpResponse:
    """For load balancers: "up" (200) when the database, the cache and each front cache's purge answer, else 503.

    Nothing more: which service failed, and why, is logged by django-health-check, not shown. Its
    checks are async; they run on an event loop of their own in a worker thread, so this view works
    under any server, whether or not the calling thread already runs a loop.
    """

    async def run_all():
        return await asyncio.gather(*(check.get_result() for check in HEALTH_CHECKS))

    with ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, run_all()).result()
    up = not any(result.error for result in results) and not purge.unpurgeable()
    return HttpResponse("up\n" if up else "down\n", status=200 if up else 503, content_type="text/plain")
