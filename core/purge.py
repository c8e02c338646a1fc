"""Purge changed pages from the front caches (Varnish) in FRONT_CACHES, after each change commits.

Pages carry an `xkey` header naming what they show (core/cache.py); a purge names the keys a change
touched, and the cache drops every page that carries one of them. A failed purge is tried again,
then logged; the health check reports a front cache that cannot be purged. Another kind of front
cache (a CDN's purge API) is another class with the same `purge` method.
"""

import http.client
import logging
import time
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger(__name__)

ATTEMPTS = 3
TIMEOUT = 2.0  # seconds: an editor's save waits for the purge
HEALTH_KEY = "health-check"  # a key no page carries: purging it proves the purge path works


class VarnishPurger:
    """Varnish with deploy/varnish/site.vcl: `PURGE /` with the keys in an `xkey-purge` header."""

    def __init__(self, address: str) -> None:
        self.address = address.removeprefix("http://").rstrip("/")

    def __str__(self) -> str:
        return self.address

    def purge(self, keys: Iterable[str]) -> None:
        """Drop every page that carries one of these keys; raises OSError if Varnish did not."""
        connection = http.client.HTTPConnection(self.address, timeout=TIMEOUT)
        try:
            connection.request("PURGE", "/", headers={"xkey-purge": " ".join(sorted(keys))})
            response = connection.getresponse()
            response.read()
        except http.client.HTTPException as error:
            raise OSError(str(error)) from error
        finally:
            connection.close()
        if response.status != 200:
            raise OSError(f"{self.address} answered {response.status} {response.reason}")


def front_caches() -> list[VarnishPurger]:
    return [VarnishPurger(address) for address in settings.FRONT_CACHES]


def purge_front_caches(keys: Iterable[str]) -> None:
    """Purge these keys from every front cache, trying each up to three times; failures are logged."""
    keys = sorted(keys)
    if not keys:
        return
    for front in front_caches():
        for attempt in range(1, ATTEMPTS + 1):
            try:
                front.purge(keys)
                break
            except OSError as error:
                if attempt == ATTEMPTS:
                    logger.error("Could not purge %s from front cache %s: %s", " ".join(keys), front, error)
                else:
                    time.sleep(0.05 * attempt)


def unpurgeable() -> list[str]:
    """The front caches that refuse or miss a purge now (for the health check)."""
    failed = []
    for front in front_caches():
        try:
            front.purge([HEALTH_KEY])
        except OSError:
            failed.append(str(front))
    return failed
