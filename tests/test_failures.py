"""When the database stops answering: cached pages still served, the rest a quick styled error page,
/health/ says down, and the site recovers by itself when the database is back.

Runs where DATABASE_URL and REDIS_URL point at PostgreSQL and Redis (CI's second pass). The shared
PostgreSQL is never stopped: gunicorn reaches it through a throw-away TCP relay this test starts,
which can forward to it ("up") or hold every connection without a word ("down", a hung server).
"""

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection

from bench.bench import gunicorn, production_env
from tests.conftest import load_seed
from tests.test_two_servers import SHARED, Browser

pytestmark = pytest.mark.skipif(not SHARED, reason="needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")


class Relay:
    """A TCP relay to PostgreSQL that can be switched off: then it accepts and never answers."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.up = True
        self.open: list[socket.socket] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def down(self) -> None:
        """The database hangs: open connections are cut, new ones get no answer."""
        self.up = False
        for sock in self.open:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.open.clear()

    def _accept(self) -> None:
        while True:
            client, _ = self.server.accept()
            if not self.up:
                self.open.append(client)  # held open, never answered
                continue
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)


@contextlib.contextmanager
def _site_through(relay: Relay) -> Iterator[str]:
    db = connection.settings_dict
    env = production_env(
        DATABASE_URL=f"postgres://{db['USER']}@127.0.0.1:{relay.port}/{db['NAME']}",
        REDIS_URL=os.environ["REDIS_URL"],
        DJANGO_SSL_REDIRECT="0",
    )
    with gunicorn(env) as base:
        yield base


def _timed(browser: Browser, path: str) -> tuple[int, str, float]:
    start = time.monotonic()
    status, html = browser.request(path)
    return status, html, time.monotonic() - start


@pytest.mark.django_db(transaction=True)
def test_database_down_then_back(settings):
    settings.DEBUG = False
    load_seed()
    db = connection.settings_dict
    relay = Relay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    with _site_through(relay) as base:
        reader = Browser(base)
        status, html, _ = _timed(reader, "/causes/caffeine/")  # now in the page cache
        assert status == 200 and "Too much caffeine" in html
        assert reader.request("/health/") == (200, "up\n")

        relay.down()
        status, html, seconds = _timed(reader, "/causes/caffeine/")
        assert status == 200 and "Too much caffeine" in html  # from the page cache, no database needed
        status, html, seconds = _timed(reader, "/causes/")  # not cached: needs the database
        assert status == 500 and "Sorry, something went wrong" in html and seconds < 3
        status, html, seconds = _timed(reader, "/health/")
        assert (status, html) == (503, "down\n") and seconds < 3

        relay.up = True  # the database is back; nobody restarts anything
        assert reader.request("/causes/")[0] == 200
        assert reader.request("/health/") == (200, "up\n")
