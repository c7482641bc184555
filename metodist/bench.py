"""`make bench`: how fast Metodist answers with a national network, on SQLite and on PostgreSQL.

    python -m metodist.bench [--section all|registry|reporting] [--engine auto|sqlite|postgresql]
                             [--units 4000] [--libraries 4000] [--years 5] [--runs 20] [--debug]

Two sections, each in a throwaway database of its own (a child process per section and engine):

- **registry**: the demo plus the synthetic network of `--units` units (`metodist.demo.synthetic`); the
  registry pages and the API, timed as the administrator of the synthetic country;
- **reporting**: `metodist synth --libraries N --years Y` (`metodist.reporting.synth`); the roll-up of
  one indicator over a year through `/api/v1/values` (for the whole country by region, and for one
  district by village) against the same aggregate as one raw SQL query on the same database, with the
  ratio; the completeness page, the data-entry page, the acceptance queue and "my reports"; the XLSX
  upload of a month for 500 libraries (`metodist.bench_upload`, when present). The plans (EXPLAIN) of
  the raw roll-ups are printed after the table.

Each request is timed `--runs` times after a warm-up (median and 95th percentile) with Django's test
client, and its SQL queries are counted once. A page that fails is reported in the table, not raised.
Runs with the production settings (DEBUG off) unless `--debug` is given.

Engines: SQLite always; PostgreSQL as well when a PostgreSQL 15 server is installed, started and thrown
away per section by `scripts/with-postgres.sh` (`--engine` picks one). To measure an EMPTY PostgreSQL
database of your own instead, set METODIST_BENCH_DATABASE_URL and choose one section: the bench
migrates and fills it.
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

SECTIONS = ("registry", "reporting")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
WITH_POSTGRES = Path(__file__).resolve().parent.parent / "scripts" / "with-postgres.sh"
# Goals of the reporting roll-ups (issue 4): within 2× of the raw SQL and under 300 ms end to end.
GOAL_RATIO = 2.0
GOAL_MS = 300.0
GOAL_UPLOAD = 20_000  # values a second


def _configure(var_dir: str, *, debug: bool, engine: str) -> None:
    """Point the settings at the temporary directory before Django reads them."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "metodist.settings"
    os.environ["METODIST_VAR_DIR"] = var_dir
    os.environ["METODIST_STATIC_ROOT"] = os.path.join(var_dir, "static")
    os.environ["METODIST_MEDIA_ROOT"] = os.path.join(var_dir, "media")
    os.environ.pop("METODIST_CACHE_DIR", None)
    # Never the configured database: the bench writes millions of rows. The one exception is the
    # throwaway server scripts/with-postgres.sh started for this child (--engine postgresql).
    started_for_us = os.environ.get("METODIST_DATABASE_URL") if engine == "postgresql" else None
    os.environ.pop("METODIST_DATABASE_URL", None)
    url = os.environ.get("METODIST_BENCH_DATABASE_URL") or started_for_us
    if url:
        os.environ["METODIST_DATABASE_URL"] = url
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
    raw_ms: list[float] = field(default_factory=list)  # the same aggregate as one raw SQL query
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self) -> float | None:
        if len(self.times_ms) < 2:
            return self.median
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[18]

    @property
    def raw_median(self) -> float | None:
        return statistics.median(self.raw_ms) if self.raw_ms else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.raw_median:
            return None
        return self.median / self.raw_median

    def as_json(self) -> dict:
        return asdict(self) | {
            "median": self.median,
            "p95": self.p95,
            "raw_median": self.raw_median,
            "ratio": self.ratio,
        }


def _measure(client, label: str, url: str, *, runs: int, htmx: bool = False, headers=None) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = dict(headers or {}) | ({"HX-Request": "true"} if htmx else {})
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


def _fmt(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _setup(debug: bool) -> dict[str, float]:
    """Django set up, the database migrated, static files collected: the seconds of each step."""
    import django

    django.setup()
    from django.core.management import call_command

    _, migrate_s = _timed(lambda: call_command("migrate", verbosity=0, interactive=False))
    if not debug:
        call_command("collectstatic", verbosity=0, interactive=False)
    return {"migrate": migrate_s}


# --- registry ---------------------------------------------------------------------------------------------


def _registry_targets(root) -> list[tuple[str, str, bool]]:
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


def _print_registry_table(results: list[Result]) -> None:
    width = max(len(r.label) for r in results)
    print(f"{'request':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'queries':>7}  {'KiB':>6}  status")
    for r in results:
        size = "—" if r.size is None else f"{r.size / 1024:.0f}"
        queries = "—" if r.queries is None else str(r.queries)
        print(
            f"{r.label:<{width}}  {_fmt(r.median):>9}  {_fmt(r.p95):>8}  {queries:>7}  {size:>6}  {r.status}"
        )
    for r in results:
        if r.status != "ok":
            print(f"  failed: {r.label}: {r.url}", file=sys.stderr)


def run_registry(*, units: int, runs: int, debug: bool) -> dict:
    steps = _setup(debug)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from metodist.demo.load import load_demo
    from metodist.demo.synthetic import build_synthetic

    _, steps["load_demo()"] = _timed(load_demo)
    root, steps[f"build_synthetic({units})"] = _timed(lambda: build_synthetic(units))

    # No setup_test_environment(): its instrumented template rendering would slow every page down.
    client = Client()
    client.force_login(_administrator(root))
    targets = _registry_targets(root)
    results = [_measure(client, label, url, runs=runs, htmx=htmx) for label, url, htmx in targets]

    print(
        f"Metodist bench, registry: {units} synthetic units on {connection.vendor}, {runs} runs a request, "
        f"DEBUG {settings.DEBUG}"
    )
    for label, seconds in steps.items():
        print(f"  {label:<24} {seconds:6.2f} s")
    print()
    _print_registry_table(results)
    return {
        "section": "registry",
        "engine": connection.vendor,
        "steps": steps,
        "rows": [r.as_json() for r in results],
        "ok": all(r.status == "ok" for r in results),
    }


# --- reporting --------------------------------------------------------------------------------------------

ROLLUP_INDICATOR = "lib_visits"


@dataclass
class Rollup:
    """One roll-up: the subtree, the days and the child path length, as the API and raw SQL see them."""

    label: str
    under: object  # OrgUnit
    year: int
    indicator_id: int

    def sql(self) -> tuple[str, list]:
        """The same aggregate as `/api/v1/values?group_by=unit`, as one query on the roll-up index."""
        from django.db import connection

        from metodist.network.models import OrgUnit
        from metodist.reporting.models import Value
        from metodist.reporting.selectors import path_range

        low, high = path_range(self.under.path)
        day = connection.ops.adapt_datefield_value
        sql = (
            f"SELECT substr(unit_path, 1, %s) AS child, SUM(number) FROM {Value._meta.db_table} "  # noqa: S608
            "WHERE indicator_id = %s AND unit_path >= %s AND unit_path < %s "
            "AND ref_date >= %s AND ref_date <= %s AND number IS NOT NULL "
            "GROUP BY substr(unit_path, 1, %s) ORDER BY 1"
        )
        child_length = len(self.under.path) + OrgUnit.steplen
        first, last = datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        return sql, [child_length, self.indicator_id, low, high, day(first), day(last), child_length]

    def url(self) -> str:
        return (
            f"/api/v1/values?indicator={ROLLUP_INDICATOR}&under={self.under.pk}&period_from={self.year}"
            "&group_by=unit&limit=500"
        )


def _plan(rollup: Rollup) -> str:
    from django.db import connection

    sql, params = rollup.sql()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def _measure_rollup(client, rollup: Rollup, *, runs: int, headers: dict) -> Result:
    """The API roll-up against the raw query, timed in turns (so a busy moment of the machine falls on
    both alike); the two must agree on every group's sum."""
    from decimal import Decimal

    from django.db import connection

    url = rollup.url()
    result = _measure(client, rollup.label, url, runs=0, headers=headers)  # warm-up and query count
    if result.status != "ok":
        return result
    sql, params = rollup.sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url, headers=headers)
            result.times_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            result.raw_ms.append((time.perf_counter() - started) * 1000)
    answer = client.get(url, headers=headers).json()
    api_total = sum(Decimal(str(item["value"])) for item in answer["items"] if item["value"] is not None)
    raw_total = sum(Decimal(str(value)) for _path, value in rows if value is not None)
    result.note = f"{answer['count']} groups, total {api_total:,.0f}"
    if api_total != raw_total or answer["count"] != len(rows):
        result.status = f"API {api_total} ≠ SQL {raw_total}"
    return result


def _completeness_url(form, period, under) -> str | None:
    """The completeness page, if this build of Metodist has it (another part of the work)."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("reporting:completeness")
    except NoReverseMatch:
        return None
    return f"{url}?form={form.pk}&period={period.code}&unit={under.pk}"


def _upload() -> Result:
    """`metodist.bench_upload.bench_upload(libraries=500)`, if this build of Metodist has it."""
    result = Result(label="XLSX upload, a month of 500 libraries", url="metodist.bench_upload", times_ms=[])
    try:
        from metodist.bench_upload import bench_upload
    except ImportError:
        result.status = "not available"
        return result
    try:
        answer = bench_upload(libraries=500)
    except Exception as exc:
        result.status = f"{type(exc).__name__}: {exc}"[:70]
        return result
    result.status = "ok"
    shown = [key for key in ("values", "upload_seconds", "raw_seconds") if key in answer] or list(answer)
    result.note = ", ".join(f"{key} {answer[key]}" for key in shown)
    rates = {key: value for key, value in answer.items() if "per_second" in key or key.endswith("_per_s")}
    upload = next((value for key, value in rates.items() if "raw" not in key), None)
    raw = next((value for key, value in rates.items() if "raw" in key), None)
    # In this row the "median" is values a second, not milliseconds (the table says so).
    result.times_ms = [float(upload)] if upload is not None else []
    result.raw_ms = [float(raw)] if raw is not None else []
    return result


def _pages(client, root, form, *, runs: int) -> list[Result]:
    """The completeness page, a data-entry page, the acceptance queue and "my reports"."""
    from django.urls import reverse

    from metodist.network.models import OrgUnit
    from metodist.reporting.models import Report, ReportStatus
    from metodist.reporting.selectors import in_subtree

    latest = (
        Report.objects.filter(in_subtree("unit__path", root.path), form=form, status=ReportStatus.ACCEPTED)
        .order_by("-period_start", "unit__path")
        .select_related("unit")
        .first()
    )
    results = []
    completeness = _completeness_url(form, latest.period, root) if latest else None
    if completeness is None:
        results.append(Result("completeness page, the country", "", [], status="not available"))
    else:
        results.append(_measure(client, "completeness page, the country", completeness, runs=runs))
        district = OrgUnit.objects.get(path=latest.unit.path[: OrgUnit.steplen * 3])
        url = _completeness_url(form, latest.period, district)
        results.append(_measure(client, "completeness page, a district", url, runs=runs))
    if latest is not None:
        url = reverse("reporting:report_detail", args=[latest.pk])
        results.append(_measure(client, "data-entry page, a monthly report", url, runs=runs))
    results.append(_measure(client, "acceptance queue", reverse("reporting:review_queue"), runs=runs))
    results.append(
        _measure(client, "my reports (20 units a page)", reverse("reporting:my_reports"), runs=runs)
    )
    return results


def _rollups(root) -> list[Rollup]:
    from metodist.network.models import OrgUnit, UnitKind
    from metodist.reporting.models import Indicator, Report
    from metodist.reporting.selectors import in_subtree

    indicator = Indicator.objects.get(code=ROLLUP_INDICATOR)
    latest = Report.objects.filter(in_subtree("unit__path", root.path), form__code="lib_monthly").latest(
        "period_start"
    )
    year = latest.period_start.year - 1  # the last whole year of reports
    district = (
        OrgUnit.objects.filter(in_subtree("path", root.path), kind=UnitKind.DISTRICT)
        .order_by("-numchild", "path")
        .first()
    )
    return [
        Rollup(f"API roll-up {year}, the country by region", root, year, indicator.pk),
        Rollup(f"API roll-up {year}, a district by village", district, year, indicator.pk),
    ]


def _print_reporting_table(results: list[Result]) -> None:
    print("| measurement | median ms | p95 ms | queries | raw SQL ms | ratio | status | note |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for r in results:
        queries = "—" if r.queries is None else str(r.queries)
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        median, p95 = _fmt(r.median), _fmt(r.p95)
        if r.url == "metodist.bench_upload":  # values a second, not milliseconds
            median, p95 = (f"{r.median:,.0f} values/s" if r.median else "—"), "—"
            ratio = "—" if r.ratio is None else f"{r.ratio:.2f}× raw"
        raw = _fmt(r.raw_median)
        if r.url == "metodist.bench_upload" and r.raw_median:
            raw = f"{r.raw_median:,.0f} values/s"
        print(f"| {r.label} | {median} | {p95} | {queries} | {raw} | {ratio} | {r.status} | {r.note} |")


def run_reporting(*, libraries: int, years: int, runs: int, debug: bool) -> dict:
    steps = _setup(debug)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from metodist.accounts.models import ApiToken
    from metodist.reporting.models import Report, ReportForm
    from metodist.reporting.selectors import in_subtree
    from metodist.reporting.synth import synth_build

    summary, steps["synth"] = _timed(lambda: synth_build(libraries=libraries, years=years))
    root = summary.root
    user = _administrator(root)
    client = Client()
    client.force_login(user)
    _token, key = ApiToken.issue(user, name="bench")
    bearer = {"Authorization": f"Bearer {key}"}

    rollups = _rollups(root)
    results = [_measure_rollup(client, rollup, runs=runs, headers=bearer) for rollup in rollups]
    # The same request for one library (a dozen values): what a request costs besides its aggregate.
    library = (
        Report.objects.filter(in_subtree("unit__path", root.path), form__code="lib_monthly").first().unit
    )
    one = Rollup("", library, rollups[0].year, rollups[0].indicator_id).url()
    results.append(
        _measure(client, "API roll-up of one library (fixed cost)", one, runs=runs, headers=bearer)
    )
    results += _pages(client, root, ReportForm.objects.get(code="lib_monthly"), runs=runs)
    results.append(_upload())
    plans = {rollup.label: _plan(rollup) for rollup in rollups}

    print(
        f"Metodist bench, reporting: {summary.libraries} libraries, {summary.online_centres} online "
        f"centres ({summary.units} units) × {years} years on {connection.vendor}, {runs} runs a request, "
        f"DEBUG {settings.DEBUG}"
    )
    print(
        f"  synth: {summary.reports:,} reports and {summary.values:,} values ({summary.first} to "
        f"{summary.last}) in {steps['synth']:.1f} s: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.seconds.items())
    )
    print()
    _print_reporting_table(results)
    print()
    for label, plan in plans.items():
        print(f"Plan of the raw query, {label.removeprefix('API ')}:")
        print("    " + plan.replace("\n", "\n    "))
    ok = all(r.status in ("ok", "not available") for r in results)
    return {
        "section": "reporting",
        "engine": connection.vendor,
        "steps": steps | {f"synth: {k}": v for k, v in summary.seconds.items()},
        "build": {
            "libraries": summary.libraries,
            "online_centres": summary.online_centres,
            "units": summary.units,
            "reports": summary.reports,
            "values": summary.values,
            "seconds": steps["synth"],
        },
        "rows": [r.as_json() for r in results],
        "plans": plans,
        "ok": ok,
    }


# --- running the sections -----------------------------------------------------------------------------------


def _child(args) -> int:
    with tempfile.TemporaryDirectory(prefix="metodist-bench-") as var_dir:
        _configure(var_dir, debug=args.debug, engine=args.engine)
        try:
            if args.section == "registry":
                outcome = run_registry(units=args.units, runs=args.runs, debug=args.debug)
            else:
                outcome = run_reporting(
                    libraries=args.libraries, years=args.years, runs=args.runs, debug=args.debug
                )
        finally:
            from django.db import connections

            connections.close_all()
    if args.json:
        Path(args.json).write_text(json.dumps(outcome, default=str))
    return 0 if outcome["ok"] else 1


def _engines(choice: str) -> list[str]:
    postgres = (PG_BIN / "postgres").exists() and WITH_POSTGRES.exists() and shutil.which("bash")
    if choice == "sqlite":
        return ["sqlite"]
    if choice == "postgresql":
        if not postgres:
            raise SystemExit(f"No PostgreSQL 15 server in {PG_BIN} (or no {WITH_POSTGRES}).")
        return ["postgresql"]
    return ["sqlite", "postgresql"] if postgres else ["sqlite"]


def _print_summary(outcomes: list[dict]) -> None:
    """The reporting figures of every engine side by side."""
    reporting = [o for o in outcomes if o["section"] == "reporting"]
    if not reporting:
        return
    engines = [o["engine"] for o in reporting]
    print()
    print("Reporting, side by side (median ms, queries; raw SQL and ratio for the roll-ups):")
    print()
    print("| measurement | " + " | ".join(engines) + " |")
    print("|---|" + "---|" * len(engines))
    build = [o["build"] for o in reporting]
    cells = [
        f"{b['seconds']:.0f} s: {b['reports']:,} reports, {b['values']:,} values ({b['libraries']} libraries)"
        for b in build
    ]
    print("| build (`metodist synth`) | " + " | ".join(cells) + " |")
    labels = list(dict.fromkeys(row["label"] for outcome in reporting for row in outcome["rows"]))
    for label in labels:
        cells = []
        for outcome in reporting:
            r = next((row for row in outcome["rows"] if row["label"] == label), None)
            if r is None:
                cells.append("—")
            elif r["status"] != "ok":
                cells.append(r["status"])
            elif r["url"] == "metodist.bench_upload":
                rate = f"{r['median']:,.0f} values/s" if r["median"] else "—"
                raw = f", raw {r['raw_median']:,.0f} values/s" if r["raw_median"] else ""
                goal = " ✓" if r["median"] and r["median"] >= GOAL_UPLOAD else " ✗"
                cells.append(rate + raw + goal)
            elif r["raw_median"] is not None:
                fast = "✓" if r["median"] < GOAL_MS else "✗"
                close = "✓" if r["ratio"] <= GOAL_RATIO else "✗"
                cells.append(
                    f"{r['median']:.1f} ms {fast}, {r['queries']} q; raw {r['raw_median']:.1f} ms, "
                    f"{r['ratio']:.2f}× {close}"
                )
            else:
                cells.append(f"{r['median']:.1f} ms, {r['queries']} q")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    print(
        f"Goals: under {GOAL_MS:g} ms end to end, within {GOAL_RATIO:g}× of the raw SQL; "
        f"upload at least {GOAL_UPLOAD:,} values a second (✓ met, ✗ missed)."
    )


def _parent(args) -> int:
    sections = SECTIONS if args.section == "all" else (args.section,)
    status = 0
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="metodist-bench-results-") as results_dir:
        for engine in _engines(args.engine):
            for section in sections:
                out = os.path.join(results_dir, f"{engine}-{section}.json")
                command = [
                    sys.executable,
                    "-m",
                    "metodist.bench",
                    "--child",
                    f"--section={section}",
                    f"--engine={engine}",
                    f"--units={args.units}",
                    f"--libraries={args.libraries}",
                    f"--years={args.years}",
                    f"--runs={args.runs}",
                    f"--json={out}",
                ] + (["--debug"] if args.debug else [])
                if engine == "postgresql":
                    command = ["bash", str(WITH_POSTGRES), *command]
                env = {k: v for k, v in os.environ.items() if k != "METODIST_BENCH_DATABASE_URL"}
                print(f"\n=== {section} on {engine} ===\n", flush=True)
                code = subprocess.call(command, env=env)  # noqa: S603 - this very program
                status = status or code
                if os.path.exists(out):
                    outcomes.append(json.loads(Path(out).read_text()))
    _print_summary(outcomes)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metodist.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=("all", *SECTIONS), default="all", help="what to measure")
    parser.add_argument(
        "--engine",
        choices=("auto", "sqlite", "postgresql"),
        default="auto",
        help="auto: SQLite, and PostgreSQL when a PostgreSQL 15 server is installed",
    )
    parser.add_argument("--units", type=int, default=4000, help="size of the synthetic network (registry)")
    parser.add_argument("--libraries", type=int, default=4000, help="libraries of the synthetic country")
    parser.add_argument("--years", type=int, default=5, help="years of reports of the synthetic country")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
    parser.add_argument("--debug", action="store_true", help="run with DEBUG on")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if os.environ.get("METODIST_BENCH_DATABASE_URL"):
        if args.section == "all":
            parser.error(
                "with METODIST_BENCH_DATABASE_URL, choose one --section: each needs an empty database"
            )
        args.engine = "postgresql"
        return _child(args)
    if args.child:
        return _child(args)
    return _parent(args)


if __name__ == "__main__":
    sys.exit(main())
