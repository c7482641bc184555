"""`make bench`: how fast the registry answers with a national network of 4,000 units.

    python -m metodist.bench [--units 4000] [--runs 20] [--debug]

Builds the synthetic network (`metodist.demo.synthetic`) in a throwaway SQLite database under a temporary
directory, then requests the registry pages and the API with Django's test client as the administrator
of the synthetic country and prints, per page, the median and 95th percentile time and the number of
SQL queries. A page that fails is reported in the table, not raised. Runs with the production settings
(DEBUG off) unless `--debug` is given.

To measure PostgreSQL instead, set METODIST_BENCH_DATABASE_URL to an EMPTY throwaway database: the
bench migrates and fills it.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass


def _configure(var_dir: str, *, debug: bool) -> None:
    """Point the settings at the temporary directory before Django reads them."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "metodist.settings"
    os.environ["METODIST_VAR_DIR"] = var_dir
    os.environ["METODIST_STATIC_ROOT"] = os.path.join(var_dir, "static")
    os.environ["METODIST_MEDIA_ROOT"] = os.path.join(var_dir, "media")
    os.environ.pop("METODIST_CACHE_DIR", None)
    # Never the configured database: the bench writes thousands of rows.
    os.environ.pop("METODIST_DATABASE_URL", None)
    if os.environ.get("METODIST_BENCH_DATABASE_URL"):
        os.environ["METODIST_DATABASE_URL"] = os.environ["METODIST_BENCH_DATABASE_URL"]
    os.environ["METODIST_DEBUG"] = "1" if debug else "0"
    os.environ["METODIST_ALLOWED_HOSTS"] = "testserver"  # the host name of Django's test client
    if not debug:
        os.environ["METODIST_SECRET_KEY"] = "metodist-bench-only-" + "x" * 40
        os.environ["METODIST_SSL_REDIRECT"] = "0"


@dataclass
class Result:
    label: str
    url: str
    times_ms: list[float]
    queries: int | None = None
    size: int | None = None
    status: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self) -> float | None:
        if len(self.times_ms) < 2:
            return self.median
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[18]


def _measure(client, label: str, url: str, *, runs: int, htmx: bool = False) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = {"HX-Request": "true"} if htmx else {}
    result = Result(label=label, url=url, times_ms=[])

    def get():
        return client.get(url, headers=headers)

    try:
        response = get()  # warm-up: template compilation, first-query caches
        if response.status_code != 200:
            result.status = f"HTTP {response.status_code}"
            return result
        for _ in range(runs):
            started = time.perf_counter()
            get()
            result.times_ms.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = get()
        result.queries = len(queries.captured_queries)
        result.size = len(response.content)
        result.status = "ok"
    except Exception as exc:  # a broken page is a result of the bench, not its end
        result.status = f"{type(exc).__name__}: {exc}"[:70]
    return result


def _timed(action: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def _administrator(root):
    from django.contrib.auth import get_user_model

    from metodist.accounts.models import Role, RoleKind

    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_staff": True})
    Role.objects.get_or_create(user=user, unit=root, kind=RoleKind.ADMINISTRATOR)
    return user


def _targets(root) -> list[tuple[str, str, bool]]:
    """(label, url, htmx) of the requests to time, picked from the synthetic tree."""
    from django.db.models import Count

    from metodist.network.models import OrgUnit, UnitKind

    units = OrgUnit.objects.under(root)
    region = units.filter(kind=UnitKind.REGION).order_by("path").first()
    district = units.filter(kind=UnitKind.DISTRICT).order_by("-numchild", "path").first()
    library = units.filter(kind=UnitKind.LIBRARY).order_by("path")[units.count() // 3]
    # The most common village name: a search with many hits.
    common = (
        units.filter(kind=UnitKind.SETTLEMENT)
        .values("name_ru")
        .annotate(hits=Count("id"))
        .order_by("-hits", "name_ru")
        .first()
    )
    word = common["name_ru"].removeprefix("село ")
    return [
        ("tree page", "/network/", False),
        ("expand the country (htmx)", f"/network/units/{root.pk}/children/", True),
        ("expand a region (htmx)", f"/network/units/{region.pk}/children/", True),
        ("expand a district (htmx)", f"/network/units/{district.pk}/children/", True),
        (f"search “{word}”", f"/network/?q={word}", False),
        ("search by code prefix", f"/network/?q={district.code}", False),
        ("unit card: library", f"/network/units/{library.pk}/", False),
        ("unit card: district", f"/network/units/{district.pk}/", False),
        ("unit card: country", f"/network/units/{root.pk}/", False),
        ("API units, limit 100", "/api/v1/units?limit=100", False),
        ("API units under a region", f"/api/v1/units?limit=100&under={region.pk}", False),
        ("API units, search", f"/api/v1/units?limit=100&q={word}", False),
    ]


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _print_table(results: list[Result]) -> None:
    width = max(len(r.label) for r in results)
    print(f"{'request':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'queries':>7}  {'KiB':>6}  status")
    for r in results:
        size = "—" if r.size is None else f"{r.size / 1024:.0f}"
        queries = "—" if r.queries is None else str(r.queries)
        print(
            f"{r.label:<{width}}  {_fmt(r.median):>9}  {_fmt(r.p95):>8}  {queries:>7}  {size:>6}  {r.status}"
        )
    failed = [r for r in results if r.status != "ok"]
    for r in failed:
        print(f"  failed: {r.label}: {r.url}", file=sys.stderr)


def run(*, units: int, runs: int, debug: bool) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from metodist.demo.load import load_demo
    from metodist.demo.synthetic import build_synthetic

    _, migrate_s = _timed(lambda: call_command("migrate", verbosity=0, interactive=False))
    if not debug:
        call_command("collectstatic", verbosity=0, interactive=False)
    _, demo_s = _timed(load_demo)
    root, build_s = _timed(lambda: build_synthetic(units))

    # No setup_test_environment(): its instrumented template rendering would slow every page down.
    client = Client()
    client.force_login(_administrator(root))
    results = [_measure(client, label, url, runs=runs, htmx=htmx) for label, url, htmx in _targets(root)]

    engine = connection.vendor
    print(
        f"Metodist bench: {units} synthetic units on {engine}, {runs} runs a request, DEBUG {settings.DEBUG}"
    )
    for label, seconds in (
        ("migrate", migrate_s),
        ("load_demo()", demo_s),
        (f"build_synthetic({units})", build_s),
    ):
        print(f"  {label:<24} {seconds:6.2f} s")
    print()
    _print_table(results)
    return 0 if all(r.status == "ok" for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metodist.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=4000, help="size of the synthetic network")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--debug", action="store_true", help="run with DEBUG on")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="metodist-bench-") as var_dir:
        _configure(var_dir, debug=args.debug)
        try:
            return run(units=args.units, runs=args.runs, debug=args.debug)
        finally:
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
