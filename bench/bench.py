"""`make bench`: the site's speed as ratios measured in one run, written to bench/results.md.

It starts gunicorn with the production settings on 127.0.0.1 (a port of its own) over a fresh SQLite
database holding 10x the seed content, and drives it with wrk (Debian's package). Machines here are
shared and noisy, so every figure is the median of alternating rounds, and targets are ratios to a
static file and to a minimal template view measured in the same rounds. It also times the pure
matching function, and sends 50 connections for 60 seconds across the pages, counting errors.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.md"
ROUNDS = 3
SECONDS = 5
CONNECTIONS = 16
MATCH_TARGET_MS = 5.0
UNCACHED_TARGET = 0.25  # issue 18: an uncached article, as a ratio to the minimal view
SEARCH_TARGET_MS = 20.0  # issue 12: a search answers within this, at the median, with 10x the seed content
SEARCHES = ["twitching", "cramping", "pins and needles", "neuropaty", "xylophone"]

# Targets from issue 9, as ratios so they hold on any machine.
PAGES = {
    "static": "/static/css/site.css",
    "minimal": "/bench/minimal/",
    "home": "/",
    "article": "/causes/caffeine/",
    "article uncached": "/causes/caffeine/?uncached=1",  # a query string always bypasses the page cache
    "faq": "/faq/",
    "questionnaire": "/check-your-symptoms/",
    "search": "/search/?q=twitching",  # never cached: every request runs the search
}
WEIGHT_PAGES = {
    "home": "/",
    "causes": "/causes/",
    "article": "/causes/nerve-damage/",
    "remedies": "/remedies/",
    "remedy": "/remedies/supplements/",
    "faq": "/faq/",
    "about": "/about/",
    "privacy": "/privacy/",
    "questionnaire": "/check-your-symptoms/",
    "questionnaire, all on one page": "/check-your-symptoms/all/",
}


# --- The pure matching function -------------------------------------------------------------


def _timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def bench_matching(n_causes: int = 1000, n_options: int = 300, repeat: int = 300) -> list[str]:
    from causes.urgency import ORDER
    from questionnaire.matching import AnswerOption, CauseData, match

    rng = random.Random(2026)  # noqa: S311 - reproducible synthetic data, not security
    causes = [CauseData(i, f"cause-{i}", f"Cause {i}", rng.choice(ORDER)) for i in range(n_causes)]
    answers = [
        AnswerOption(
            id=i,
            label=f"Option {i}",
            urgency=rng.choice(["", "", "", *ORDER]),
            advice=f"Advice {i}. See a doctor.",
            weights=tuple((rng.randrange(n_causes), rng.choice([-3, -2, -1, 1, 2, 3])) for _ in range(8)),
        )
        for i in range(n_options)
    ]
    lines = []
    for chosen in (answers, answers[:12]):
        median, p95 = _timed(lambda chosen=chosen: match(causes, chosen), repeat)
        verdict = (
            "" if len(chosen) < n_options else f" (target < {MATCH_TARGET_MS:g} ms: {_meets(median < MATCH_TARGET_MS)})"
        )
        lines.append(
            f"matching {n_causes} causes x {len(chosen)} answers: median {median:.2f} ms, p95 {p95:.2f} ms{verdict}"
        )
    return lines


# --- 10x content ----------------------------------------------------------------------------


def copy_content_nine_times() -> None:
    """Nine more published copies of every cause, remedy and FAQ, linked as the originals are."""
    from causes.models import Cause, Faq, Remedy

    causes = list(Cause.objects.prefetch_related("remedies", "sources", "warning_signs"))
    remedies = list(Remedy.objects.prefetch_related("sources"))
    faqs = list(Faq.objects.prefetch_related("causes", "sources"))
    for n in range(1, 10):
        copies = [_save_copy(remedy, n, "title", sources=remedy.sources.all()) for remedy in remedies]
        for cause in causes:
            _save_copy(
                cause,
                n,
                "title",
                remedies=[*cause.remedies.all(), *copies[:3]],
                sources=cause.sources.all(),
                warning_signs=cause.warning_signs.all(),
            )
        for faq in faqs:
            _save_copy(faq, n, "question", causes=faq.causes.all(), sources=faq.sources.all())


def _save_copy(item, n: int, title_field: str, **links):
    """Save a published copy of `item`, its title and slug numbered n, with these many-to-many links."""
    import copy

    from django.db.models.base import ModelState

    from editorial.lifecycle import Status

    clone = copy.copy(item)
    clone.pk = clone.id = None
    clone._state = ModelState()
    setattr(clone, title_field, f"{getattr(item, title_field)} {n}")
    clone.slug = f"{item.slug}-{n}"
    clone.status = Status.PUBLISHED
    clone.save()
    for name, related in links.items():
        getattr(clone, name).set(related)
    return clone


def prepare_database(ten_times: bool) -> None:
    """Run inside the bench's environment: migrate, load the seed, multiply it by ten."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.core.cache import cache

    cache.clear()  # pages, versions and stamps from an earlier run's database must not be served from this one
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    call_command("load_glossary", verbosity=0)
    call_command("load_synonyms", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    if ten_times:
        copy_content_nine_times()


# --- The served site ------------------------------------------------------------------------


def _page_cache_env() -> dict[str, str]:
    """Redis for the page cache when one answers on this machine (its database 15), else each worker's own.

    The bench makes no edits, so a version per worker serves the same pages either way.
    """
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port or 6379
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return {"REDIS_URL": url}
    return {"DJANGO_PAGE_CACHE": "1"}


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """A gunicorn serving the site on a free local port with this environment; yields its base URL.

    It yields only once a worker has answered an HTTP request, and stops with gunicorn's own log when
    the server exits or does not answer within a minute, so a failed start never reads as a refusal.
    """
    # gunicorn inherits a socket already bound to a port the system chose: a port looked up and then
    # released could be taken by another process (a parallel test worker, say) before gunicorn binds it.
    with socket.socket() as sock, tempfile.TemporaryFile() as log:
        sock.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        command = [str(Path(sys.executable).with_name("gunicorn")), "toesite.wsgi", "--bind", f"fd://{sock.fileno()}"]
        server = subprocess.Popen(  # noqa: S603
            [*command, "--workers", str(workers)], cwd=ROOT, env=env, stderr=log, pass_fds=[sock.fileno()]
        )
        try:
            _wait_until_served(server, base, log)
            yield base
        except AssertionError as error:  # a test failed against this server: say what the server logged
            log.seek(0)
            error.add_note(f"gunicorn's log:\n{log.read().decode(errors='replace')[-4000:]}")
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)


VCL = ROOT / "deploy" / "varnish" / "site.vcl"


@contextlib.contextmanager
def varnish(backend: str) -> Iterator[str]:
    """varnishd with deploy/varnish/site.vcl in front of `backend` (a base URL); yields its own base URL.

    It listens on a port the system chooses (`-a 127.0.0.1:0`, read back with varnishadm, so no port
    is looked up and released first), in a working directory of its own, and stops at the end.
    """
    port = urllib.parse.urlsplit(backend).port
    with tempfile.TemporaryDirectory() as work:
        os.chmod(work, 0o755)  # noqa: S103 - varnishd's worker runs as its own user and reads the VCL here
        vcl = Path(work) / "site.vcl"
        vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{port}";', 1))
        command = ["varnishd", "-F", "-a", "127.0.0.1:0", "-f", str(vcl), "-n", work, "-s", "malloc,256m"]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
        try:
            yield f"http://127.0.0.1:{_listening_port(server, work)}"
        finally:
            server.terminate()
            server.wait(timeout=30)


def _listening_port(server: subprocess.Popen, work: str) -> str:
    deadline = time.monotonic() + 30
    ask = ["varnishadm", "-n", work, "debug.listen_address"]
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"varnishd stopped: {server.stderr.read().decode(errors='replace')[-2000:]}")
        found = subprocess.run(ask, capture_output=True, text=True, check=False)  # noqa: S603
        if found.returncode == 0 and (match := re.search(r"127\.0\.0\.1 (\d+)", found.stdout)):
            return match.group(1)
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("varnishd did not start listening within 30 seconds")


def _wait_until_served(server: subprocess.Popen, base: str, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=5)
        try:
            connection.request("GET", "/")
            connection.getresponse()  # any HTTP answer, even a redirect, means a worker is serving
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
        finally:
            connection.close()
    server.terminate()
    server.wait(timeout=30)
    log.seek(0)
    tail = log.read().decode(errors="replace")[-4000:]
    raise RuntimeError(f"gunicorn did not serve {base} (exit code {server.returncode}):\n{tail}")


def production_env(**values: str) -> dict[str, str]:
    """This environment without its Django, database and Redis settings, plus these values."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return {
        **keep,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SITE_URL": "http://127.0.0.1",
        **values,
    }


@contextlib.contextmanager
def served_site(workers: int, *, ten_times: bool = True) -> Iterator[str]:
    """gunicorn with the production settings over a fresh database (10x the seed); yields its base URL."""
    with _served_site(workers, ten_times=ten_times) as (base, _):
        yield base


@contextlib.contextmanager
def _served_site(workers: int, *, ten_times: bool = True) -> Iterator[tuple[str, dict[str, str]]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = production_env(
            DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", **_page_cache_env()
        )
        prepare = [sys.executable, "-m", "bench.bench", "--prepare", *(["--ten-times"] if ten_times else [])]
        subprocess.run(prepare, cwd=ROOT, env=env, check=True)  # noqa: S603
        with gunicorn(env, workers) as base:
            yield base, env


# --- Varnish in front (issue 27) ------------------------------------------------------------

SAVE_EVERY = 5  # seconds between an editor's saves while readers load every page
SAVES_SECONDS = 15  # each p99 run: quiet, then with saves
FRONT_TARGETS = {"article": 0.9, "of django": 10.0, "saves p99": 1.5}


def save_every(seconds: float, duration: float) -> None:
    """Run inside the bench's environment: save a different published cause every `seconds`, as an editor would.

    Each save goes through the model's save, so it stamps its keys and purges FRONT_CACHES after it commits.
    """
    import django

    django.setup()
    from causes.models import Cause

    causes = list(Cause.objects.published().order_by("pk"))
    # One save before the window, as an app server that has served pages before: a new process's first
    # save also compiles every template the pages it builds again use, which is start-up, not the save.
    causes[-1].save()
    print("ready", flush=True)  # set up: the caller starts its window now, so every save falls inside it
    sys.stdin.readline()
    end = time.monotonic() + duration
    n = 0
    while time.monotonic() < end:
        time.sleep(seconds)
        cause = causes[n % len(causes)]
        cause.summary = f"{cause.summary.rstrip(' 0123456789')} {n}"
        cause.save()
        n += 1


def _sitemap_paths(base: str) -> list[str]:
    with _open(base + "/sitemap.xml") as response:
        xml = response.read().decode()
    return [urllib.parse.urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", xml)]


def _paths_script(directory: str, paths: list[str]) -> str:
    path = Path(directory) / "sitemap.lua"
    path.write_text(
        f"local paths = {{{', '.join(_lua(p) for p in paths)}}}\nlocal i = 0\n"
        "request = function() i = i % #paths + 1; return wrk.format(nil, paths[i]) end\n"
    )
    return str(path)


def _warm(base: str, paths: list[str]) -> None:
    for path in paths:
        with contextlib.suppress(OSError), _open(base + path) as response:
            response.read()


def bench_front(workers: int) -> dict[str, Any] | None:
    """Varnish in front of gunicorn: the cached article against Varnish's static file and Django's own page;
    then p99 over every sitemap page, quiet and with a save every SAVE_EVERY seconds, through Varnish and
    straight to gunicorn, ROUNDS times each (the median, and each round's ratio under "<where> ratios");
    then through Varnish once more with the machine split in two (FRONT_CORES, APP_CORES).
    None when there is no varnishd or no Redis (the saver must share the page cache)."""
    if not shutil.which("varnishd") or "REDIS_URL" not in _page_cache_env():
        return None
    with _served_site(workers) as (app, env), varnish(app) as front, tempfile.TemporaryDirectory() as scripts:
        targets = {
            "varnish article": front + PAGES["article"],
            "varnish static": front + PAGES["static"],
            "django article": app + PAGES["article"],
        }
        rounds: dict[str, list[Load]] = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, url in targets.items():
                rounds[name].append(wrk(url))
        loads = {name: _median(runs) for name, runs in rounds.items()}
        paths = _sitemap_paths(app)
        script = _paths_script(scripts, paths)
        saver_env = {**env, "FRONT_CACHES": front.removeprefix("http://")}
        for where, base in (("gunicorn", app), ("varnish", front)):
            _pairs(loads, where, [quiet_and_saves(base, script, paths, saver_env) for _ in range(ROUNDS)])
        if len(os.sched_getaffinity(0)) >= 2:  # as a cache machine in front of app machines would be
            with pinned(FRONT_CORES, APP_CORES):
                pairs = [
                    quiet_and_saves(front, script, paths, saver_env, (FRONT_CORES, APP_CORES)) for _ in range(ROUNDS)
                ]
                _pairs(loads, "varnish, own core", pairs)
        loads["sitemap pages"] = Load(len(paths), 0, 0, 0, 0)
    return loads


def _pairs(loads: dict[str, Any], where: str, pairs: list[tuple[Load, Load]]) -> None:
    loads[f"{where} quiet"] = _median([quiet for quiet, _ in pairs])
    loads[f"{where} saves"] = _median([saves for _, saves in pairs])
    loads[f"{where} ratios"] = [saves.p99_ms / quiet.p99_ms for quiet, saves in pairs]


# The saves through Varnish once more, with the machine split in two: varnishd and wrk on one core, gunicorn
# and the saver on the other. On one shared machine a save's rebuilds take the cores from the load generator
# and the cache; a cache machine in front of app machines (docs/scaling.md) keeps them apart.
FRONT_CORES, APP_CORES = {1}, {0}


def _descendants(pid: int) -> Iterator[int]:
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                yield int(child)
                yield from _descendants(int(child))


@contextlib.contextmanager
def pinned(front: set[int], app: set[int]) -> Iterator[None]:
    """Every thread of this process's varnishd on the `front` cores, of everything else it started on `app`."""
    cores = {}
    for pid in set(_descendants(os.getpid())):
        with contextlib.suppress(OSError):
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            cores[pid] = front if name.startswith(("varnishd", "cache-")) else app

    def pin(every: set[int] | None) -> None:
        for pid, own in cores.items():
            with contextlib.suppress(OSError):
                for task in Path(f"/proc/{pid}/task").iterdir():
                    with contextlib.suppress(OSError):
                        os.sched_setaffinity(int(task.name), every or own)

    pin(None)
    try:
        yield
    finally:
        pin(os.sched_getaffinity(0))


def quiet_and_saves(
    base: str, script: str, paths: list[str], env: dict[str, str], cores: tuple[set[int], set[int]] | None = None
) -> tuple[Load, Load]:
    """p99 over every sitemap page for SAVES_SECONDS, quiet, then while a cause is saved every SAVE_EVERY s.

    The saver is started and set up before the second window opens: on a busy machine Django's start-up
    alone can take seconds, which would push saves out of the window. `cores`: wrk's, then the saver's.
    """
    readers, saver_cores = cores or (None, None)
    _warm(base, paths)
    quiet = wrk(base + "/", seconds=SAVES_SECONDS, script=script, cores=readers)
    saver = subprocess.Popen(  # noqa: S603
        [
            *_on(saver_cores),
            *(sys.executable, "-m", "bench.bench", "--save-every", str(SAVE_EVERY), str(SAVES_SECONDS)),
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if saver.stdout.readline().strip() != "ready":
            raise RuntimeError("the saver did not start")
        saver.stdin.write("go\n")
        saver.stdin.flush()
        saves = wrk(base + "/", seconds=SAVES_SECONDS, script=script, cores=readers)
    finally:
        saver.wait(timeout=60)
    return quiet, saves


def _on(cores: set[int] | None) -> list[str]:
    """The start of a command that runs on these cores only (none: any)."""
    return ["taskset", "-c", ",".join(map(str, sorted(cores)))] if cores else []


def bench_saves(workers: int) -> list[str]:
    """Only the reader cost of saves straight to gunicorn, ROUNDS times (`--saves-only`: a quick look)."""
    with _served_site(workers) as (app, env), tempfile.TemporaryDirectory() as scripts:
        paths = _sitemap_paths(app)
        script = _paths_script(scripts, paths)
        ratios = []
        for _ in range(ROUNDS):
            quiet, saves = quiet_and_saves(app, script, paths, env)
            ratios.append(saves.p99_ms / quiet.p99_ms)
        rounds = ", ".join(f"{ratio:.2f}" for ratio in ratios)
        return [
            f"p99 with a save every {SAVE_EVERY} s, straight to gunicorn: {statistics.median(ratios):.2f} times the "
            f"quiet p99, median of {ROUNDS} rounds ({rounds}); {os.getloadavg()[0]:.1f} load average"
        ]


def _median(runs: list[Load]) -> Load:
    return Load(
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        errors=sum(r.errors for r in runs),
        bad=sum(r.bad for r in runs),
    )


def front_report(loads: dict[str, Any] | None) -> list[str]:
    if loads is None:
        return ["## Varnish in front (issue 27)", "", "Not measured: needs varnishd and Redis on this machine.", ""]
    article, static, django = (loads[n].rps for n in ("varnish article", "varnish static", "django article"))
    rows = [name for name, load in loads.items() if isinstance(load, Load) and name != "sitemap pages"]
    spikes = {where: statistics.median(loads[f"{where} ratios"]) for where in ("gunicorn", "varnish")}
    return [
        "## Varnish in front (issue 27)",
        "",
        f"varnishd with deploy/varnish/site.vcl in front of the same gunicorn ({os.getloadavg()[0]:.1f} load "
        f"average at the end). The first three rows: median of {ROUNDS} alternating rounds of {SECONDS} s. "
        f"Then {CONNECTIONS} connections cycling all {loads['sitemap pages'].rps:.0f} sitemap pages for "
        f"{SAVES_SECONDS} s, quiet and then while a cause is saved every {SAVE_EVERY} s (each save purges Varnish), "
        f"{ROUNDS} rounds of the pair: the rows are medians, the ratios the median of the rounds' ratios.",
        "",
        "| target | req/s | p50 ms | p99 ms | socket errors | non-2xx/3xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {name} | {loads[name].rps:,.0f} | {loads[name].p50_ms:.2f} | {loads[name].p99_ms:.2f} "
            f"| {loads[name].errors} | {loads[name].bad} |"
            for name in rows
        ),
        "",
        f"- cached article through Varnish: {article / static:.2f} of Varnish's static file "
        f"(target {FRONT_TARGETS['article']:.1f}): {_meets(article / static >= FRONT_TARGETS['article'])}",
        f"- cached article through Varnish: {article / django:.1f} times Django's own cached page "
        f"(target {FRONT_TARGETS['of django']:.0f}): {_meets(article / django >= FRONT_TARGETS['of django'])}",
        *(
            f"- p99 with a save every {SAVE_EVERY} s, {where}: {spike:.2f} times the quiet p99 (rounds: "
            f"{', '.join(f'{ratio:.2f}' for ratio in loads[f'{where} ratios'])}; target "
            f"{FRONT_TARGETS['saves p99']}): {_meets(spike <= FRONT_TARGETS['saves p99'])}"
            for where, spike in spikes.items()
        ),
        *(
            [
                f"- the same through Varnish, with varnishd and wrk on core {_cores(FRONT_CORES)} and gunicorn and "
                f"the saver on core {_cores(APP_CORES)}, as a cache machine in front of app machines would be: "
                f"{statistics.median(pinned_ratios):.2f} times the quiet p99 (rounds: "
                f"{', '.join(f'{ratio:.2f}' for ratio in pinned_ratios)}). For comparison only: the target is "
                "judged on the shared machine, above."
            ]
            if (pinned_ratios := loads.get("varnish, own core ratios"))
            else []
        ),
        "",
    ]


def _cores(cores: set[int]) -> str:
    return ", ".join(map(str, sorted(cores)))


# --- Load -----------------------------------------------------------------------------------


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    bad: int  # responses that are not 2xx or 3xx


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(
    url: str,
    *,
    connections: int = CONNECTIONS,
    seconds: int = SECONDS,
    script: str | None = None,
    cores: set[int] | None = None,
) -> Load:
    # As a browser asks: compressed where the server can (whitenoise and the page cache store it so).
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Accept-Encoding: gzip"]
    command += ["-H", f"{PROXY_HEADER[0]}: {PROXY_HEADER[1]}", url]
    if script:
        command[1:1] = ["-s", script]
    out = subprocess.run([*_on(cores), *command], capture_output=True, text=True, check=True).stdout  # noqa: S603
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return Load(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        errors=errors,
        bad=int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
    )


# What the HTTPS proxy in front of gunicorn adds to every request (README, Deploying).
PROXY_HEADER = ("X-Forwarded-Proto", "https")


def _open(url: str):
    request = urllib.request.Request(url, headers=dict([PROXY_HEADER]))  # noqa: S310 - our own server
    return urllib.request.urlopen(request)  # noqa: S310 - our own server


def _post_script(base: str, directory: str, *, step: bool = False) -> str:
    """A wrk script that POSTs a typical set of answers as a browser sends them from our own form.

    The one-page form's answers get the results. With `step`, the answers to the first half of the
    questions are sent as the middle question's page sends them ("Continue"), and get the next question.
    """
    with _open(base + WEIGHT_PAGES["questionnaire, all on one page"]) as response:
        html = response.read().decode()
    options: dict[str, str] = {}
    for name, value in re.findall(r'name="([\w-]+)" value="(\d+)"', html):
        options.setdefault(name, value)  # the first answer of each question, in the questions' order
    red_flags = re.search(r'name="red-flags" value="(\d+)"[^>]*>\s*<label[^>]*>\s*None of these', html)
    form = {**options, "red-flags": red_flags.group(1)}
    if step:
        middle = len(form) // 2
        form = {**dict(list(form.items())[:middle]), "step": str(middle), "go": "next"}
    path = Path(directory) / ("step.lua" if step else "post.lua")
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {_lua(urllib.parse.urlencode(form))}\n"
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Origin"] = {_lua(base.replace("http://", "https://"))}\n'
        'wrk.headers["Sec-Fetch-Site"] = "same-origin"\n'
    )
    return str(path)


def _mix_script(directory: str) -> str:
    """A wrk script that cycles through every page type."""
    paths = ", ".join(_lua(path) for path in [*WEIGHT_PAGES.values(), PAGES["static"]])
    path = Path(directory) / "mix.lua"
    path.write_text(
        f"local paths = {{{paths}}}\nlocal i = 0\n"
        "request = function() i = i % #paths + 1; return wrk.format(nil, paths[i]) end\n"
    )
    return str(path)


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_weights(base: str) -> dict[str, tuple[int, int]]:
    """Each page type's HTML and CSS, gzipped as a browser would receive them (level 6), in bytes."""
    css_urls = set()
    weights = {}
    for name, path in WEIGHT_PAGES.items():
        html = _open(base + path).read()
        css = re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)
        css_urls.update(css)
        css_bytes = sum(len(gzip.compress(_open(base + url.decode()).read())) for url in css)
        weights[name] = (len(gzip.compress(html)), css_bytes)
    return weights


def search_latency(base: str, repeat: int = 40) -> tuple[float, float]:
    """Median and 95th percentile in ms of a search page, one request at a time (a reader's wait), over SEARCHES."""
    urls = [f"{base}/search/?{urllib.parse.urlencode({'q': q})}" for q in SEARCHES]
    for url in urls:  # warm: the synonyms and the published text are kept under the content version
        _open(url).read()
    times = []
    for _ in range(repeat):
        for url in urls:
            start = time.perf_counter()
            _open(url).read()
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


# --- Report ---------------------------------------------------------------------------------


def _meets(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def run(workers: int = 3) -> str:
    lines = bench_matching()
    with served_site(workers) as base, tempfile.TemporaryDirectory() as scripts:
        targets = {name: (base + path, None) for name, path in PAGES.items()}
        targets["questionnaire POST"] = (base + PAGES["questionnaire"], _post_script(base, scripts))
        targets["questionnaire step POST"] = (base + PAGES["questionnaire"], _post_script(base, scripts, step=True))
        rounds: dict[str, list[Load]] = {name: [] for name in targets}
        for _ in range(ROUNDS):  # alternate the targets so machine noise hits them alike
            for name, (url, script) in targets.items():
                rounds[name].append(wrk(url, script=script))
        loads = {
            name: Load(
                rps=statistics.median(r.rps for r in runs),
                p50_ms=statistics.median(r.p50_ms for r in runs),
                p99_ms=statistics.median(r.p99_ms for r in runs),
                errors=sum(r.errors for r in runs),
                bad=sum(r.bad for r in runs),
            )
            for name, runs in rounds.items()
        }
        soak = wrk(base + "/", connections=50, seconds=60, script=_mix_script(scripts))
        search = search_latency(base)
    with served_site(1, ten_times=False) as base:  # page weight as readers get it: the seed content
        weights = page_weights(base)
    cache_note = "Redis" if "REDIS_URL" in _page_cache_env() else "each gunicorn worker's own memory (no Redis here)"
    front = bench_front(workers)
    return report(lines, loads, weights, soak, workers, cache_note, search) + "\n" + "\n".join(front_report(front))


def report(
    matching: list[str],
    loads: dict[str, Load],
    weights,
    soak: Load,
    workers: int,
    cache_note: str,
    search: tuple[float, float],
) -> str:
    static, minimal = loads["static"].rps, loads["minimal"].rps
    uncached = loads["article uncached"].rps / minimal
    ratio = {name: load.rps / static for name, load in loads.items()}
    checks = [
        ("a cached public page (home)", ratio["home"], 0.80, "of the static file"),
        ("a cached article", ratio["article"], 0.80, "of the static file"),
        ("the cached FAQ", ratio["faq"], 0.80, "of the static file"),
        ("an uncached article", uncached, 0.40, "of the minimal view"),
        ("the empty questionnaire", loads["questionnaire"].rps / minimal, 0.50, "of the minimal view"),
    ]
    out = [
        "# `make bench` results",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')} on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}. "
        f"gunicorn with {workers} workers and the production settings, SQLite with 10x the seed content; "
        f"wrk with 2 threads, {CONNECTIONS} connections and Accept-Encoding: gzip, {SECONDS} s a target, "
        f"median of {ROUNDS} alternating rounds. "
        "The load generator shares the machine's cores with the server: read the ratios, not the absolute numbers.",
        "",
        "| target | req/s | ratio to static | p50 ms | p99 ms | socket errors | non-2xx/3xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {name} | {load.rps:,.0f} | {ratio[name]:.2f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} "
            f"| {load.errors} | {load.bad} |"
            for name, load in loads.items()
        ),
        "",
        "## Targets (issue 9)",
        "",
        *(
            f"- {what}: {value:.2f} {of} (target {target:.2f}): {_meets(value >= target)}"
            for what, value, target, of in checks
        ),
        f"- questionnaire POST p99 at {CONNECTIONS} connections: {loads['questionnaire POST'].p99_ms:.1f} ms "
        f"(target < 50 ms): {_meets(loads['questionnaire POST'].p99_ms < 50)}",
        f"- questionnaire step POST (issue 19: the middle question's Continue) p99 at {CONNECTIONS} connections: "
        f"{loads['questionnaire step POST'].p99_ms:.1f} ms (target < 50 ms, as the POST): "
        f"{_meets(loads['questionnaire step POST'].p99_ms < 50)}",
        f"- The page cache used {cache_note}.",
        "",
        "## Targets (issue 18)",
        "",
        f"- an uncached article: {uncached:.2f} of the minimal view (target {UNCACHED_TARGET:.2f}): "
        f"{_meets(uncached >= UNCACHED_TARGET)}. Its article is kept per content version; the frame, the "
        "query for the cause and the middleware run on every request.",
        "",
        "## Search (issue 12)",
        "",
        f"One request at a time, {', '.join(SEARCHES)} in turn, 10x the seed content: median {search[0]:.1f} ms, "
        f"p95 {search[1]:.1f} ms (target < {SEARCH_TARGET_MS:g} ms at the median): "
        f"{_meets(search[0] < SEARCH_TARGET_MS)}.",
        "",
        "## Page weight with the seed content: HTML + CSS, gzipped (target 14 KB; the questionnaire's pages 20 KB)",
        "",
        "| page | HTML | CSS | total | target |",
        "| --- | ---: | ---: | ---: | --- |",
        *(
            f"| {name} | {html / 1024:.1f} KB | {css / 1024:.1f} KB | {(html + css) / 1024:.1f} KB | "
            f"{_meets((html + css) / 1024 <= (20 if name.startswith('questionnaire') else 14))} |"
            for name, (html, css) in weights.items()
        ),
        "",
        "## 50 connections for 60 seconds, cycling through every page type",
        "",
        f"{soak.rps:,.0f} req/s, p50 {soak.p50_ms:.1f} ms, p99 {soak.p99_ms:.1f} ms, "
        f"{soak.errors} socket errors, {soak.bad} responses not 2xx/3xx: "
        f"{_meets(soak.errors == 0 and soak.bad == 0)} (target: none).",
        "",
        "## Matching (pure function, no database)",
        "",
        *(f"- {line}" for line in matching),
        "",
    ]
    return "\n".join(out)


def main() -> int:
    if "--prepare" in sys.argv:
        prepare_database(ten_times="--ten-times" in sys.argv)
        return 0
    if "--save-every" in sys.argv:
        at = sys.argv.index("--save-every")
        save_every(float(sys.argv[at + 1]), float(sys.argv[at + 2]))
        return 0
    if not shutil.which("wrk"):
        print("make bench needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    if "--saves-only" in sys.argv:  # only the saves' cost straight to gunicorn, printed, not written
        print("\n".join(bench_saves(3)))
        return 0
    if "--front-only" in sys.argv:  # only the Varnish section, printed, not written (a quick look)
        print("\n".join(front_report(bench_front(3))))
        return 0
    text = run()
    RESULTS.write_text(text)
    print(text)
    print(f"Written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
