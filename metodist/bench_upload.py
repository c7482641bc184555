"""How fast a month of reports is uploaded from XLSX: 500 libraries, one row each, 20 values a row.

    from metodist.bench_upload import bench_upload
    result = bench_upload(libraries=500)
    # {"values": 10000, "upload_values_per_second": …, "raw_values_per_second": …, …}

Builds in the current database, once, a separate root "Бенчмарк загрузки отчётов" (code `BENCH-UPL`) with
the libraries, a monthly form of 20 values assigned to them and an administrator of that root. Then it
writes a filled template of last month (values from a fixed seed) and measures, inside a transaction
that is rolled back at the end (so a rerun measures the same work and leaves nothing behind):

- the upload: `parse_upload` (read and check the file) + `upload_apply` (write reports, values, history);
- for comparison, a raw `executemany` INSERT of the same value rows, prepared in advance (on PostgreSQL
  the upload itself loads values with COPY, so it may beat this row-by-row baseline there).

The commit is not timed. Nothing is printed: `make bench` prints the answer.
"""

from __future__ import annotations

import io
import random
import time

from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook
from simple_history.utils import bulk_create_with_history

from metodist.accounts.models import Role, RoleKind
from metodist.network.models import OrgUnit, UnitKind
from metodist.reporting.models import (
    Category,
    CategorySet,
    FormAssignment,
    FormField,
    FormSection,
    FormVersion,
    Indicator,
    Report,
    ReportForm,
    Value,
)
from metodist.reporting.periods import Period, PeriodType
from metodist.reporting.xlsx_io import NAME_KEY, UNIT_KEY, form_columns, parse_upload, upload_apply

ROOT_CODE = "BENCH-UPL"
FORM_CODE = "bench_upload_monthly"
USERNAME = "bench-upload"
SEED = 2013
SPLIT = (("bench_users", "Пользователи"), ("bench_loans", "Книговыдача"))
PLAIN = (
    ("bench_visits", "Посещения"),
    ("bench_visits_events", "Посещения массовых мероприятий"),
    ("bench_events", "Массовые мероприятия"),
    ("bench_exhibitions", "Книжные выставки"),
    ("bench_received", "Поступило документов"),
    ("bench_withdrawn", "Выбыло документов"),
    ("bench_periodicals", "Подписка на периодику"),
    ("bench_remote_users", "Удалённые пользователи"),
    ("bench_site_visits", "Посещения сайта"),
    ("bench_references", "Выполнено справок"),
    ("bench_consultations", "Консультации"),
    ("bench_home_delivery", "Обслужено на дому"),
    ("bench_clubs", "Клубы по интересам"),
    ("bench_club_members", "Участники клубов"),
)
PARTS = (("children", "дети до 14 лет"), ("youth", "молодёжь 15–30 лет"), ("adults", "взрослые"))


def _step(position: int) -> str:
    return OrgUnit._int2str(position).rjust(OrgUnit.steplen, OrgUnit.alphabet[0])


def _root() -> OrgUnit:
    root = OrgUnit.objects.filter(code=ROOT_CODE).first()
    if root is not None:
        return root
    last = OrgUnit.objects.filter(depth=1).order_by("-path").first()
    path = _step(1 if last is None else OrgUnit._str2int(last.path) + 1)
    return OrgUnit.objects.create(
        path=path,
        depth=1,
        numchild=0,
        code=ROOT_CODE,
        name_ru="Бенчмарк загрузки отчётов",
        kind=UnitKind.REGION,
    )


def _libraries(root: OrgUnit, count: int) -> list[OrgUnit]:
    """The root's libraries, added up to `count` in one bulk insert."""
    have = root.numchild
    if have < count:
        bulk_create_with_history(
            [
                OrgUnit(
                    path=root.path + _step(number),
                    depth=root.depth + 1,
                    numchild=0,
                    code=f"{ROOT_CODE}-{number:04d}",
                    name_ru=f"Сельская библиотека №{number}",
                    name_kk=f"№{number} ауылдық кітапхана",
                    kind=UnitKind.LIBRARY,
                )
                for number in range(have + 1, count + 1)
            ],
            OrgUnit,
            batch_size=500,
        )
        OrgUnit.objects.filter(pk=root.pk).update(numchild=count)
    return list(
        OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("path")[:count]
    )


def _form(root: OrgUnit) -> ReportForm:
    form = ReportForm.objects.filter(code=FORM_CODE).first()
    if form is not None:
        return form
    ages, _created = CategorySet.objects.get_or_create(code="bench_age", defaults={"name_ru": "Возраст"})
    for order, (code, name) in enumerate(PARTS):
        Category.objects.get_or_create(
            category_set=ages, code=code, defaults={"name_ru": name, "order": order}
        )
    indicators = [
        Indicator.objects.get_or_create(code=code, defaults={"name_ru": name, "category_set": ages})[0]
        for code, name in SPLIT
    ] + [Indicator.objects.get_or_create(code=code, defaults={"name_ru": name})[0] for code, name in PLAIN]
    form = ReportForm.objects.create(
        code=FORM_CODE, name_ru="Ежемесячная статистика (бенчмарк)", period_type=PeriodType.MONTH
    )
    version = FormVersion.objects.create(form=form, number=1)
    section = FormSection.objects.create(version=version, name_ru="Основные показатели")
    FormField.objects.bulk_create(
        FormField(section=section, indicator=item, order=order) for order, item in enumerate(indicators)
    )
    FormAssignment.objects.create(form=form, unit=root, kinds=[UnitKind.LIBRARY])
    return form


def _user(root: OrgUnit):
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"first_name": "Бенчмарк", "last_name": "Загрузки"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Role.objects.get_or_create(user=user, unit=root, kind=RoleKind.ADMINISTRATOR)
    return user


def _workbook(form: ReportForm, period: Period, units: list[OrgUnit]) -> bytes:
    """A filled template, as a person would upload it: plausible numbers from a fixed seed."""
    columns = form_columns(form.current_version())
    rng = random.Random(SEED)  # noqa: S311 (plausible figures, not secrets)
    workbook = Workbook()  # not write-only: as Excel does, it writes the sheet's dimensions
    sheet = workbook.active
    sheet.title = period.code
    sheet.append([form.code, period.code])
    sheet.append([UNIT_KEY, NAME_KEY, *(column.key for column in columns)])
    sheet.append(["Код", "Библиотека", *(column.label for column in columns)])
    for unit in units:
        sheet.append([unit.code, unit.name_ru, *(rng.randint(0, 900) for _column in columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _take_values(form: ReportForm, period: Period) -> tuple[list[tuple], list[str]]:
    """The value rows the upload wrote, as the database holds them, deleted again (history rows too)."""
    quote = connection.ops.quote_name
    columns = [f.column for f in Value._meta.concrete_fields if not f.primary_key]
    table, history = quote(Value._meta.db_table), quote(Value.history.model._meta.db_table)
    reports = f"SELECT id FROM {quote(Report._meta.db_table)} WHERE form_id = %s AND period_start = %s"  # noqa: S608
    params = [form.pk, connection.ops.adapt_datefield_value(period.start)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {table} WHERE report_id IN ({reports})",  # noqa: S608
            params,
        )
        rows = cursor.fetchall()
        cursor.execute(f"DELETE FROM {history} WHERE report_id IN ({reports})", params)  # noqa: S608
        cursor.execute(f"DELETE FROM {table} WHERE report_id IN ({reports})", params)  # noqa: S608
    return rows, columns


def _raw_insert(rows: list[tuple], columns: list[str]) -> float:
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model's meta)
        quote(Value._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return time.perf_counter() - started


def bench_upload(libraries: int = 500) -> dict:
    """Measure the upload of one month for `libraries` libraries; answers the timings and speeds."""
    with transaction.atomic():
        root = _root()
        units = _libraries(root, libraries)
        form = _form(root)
        user = _user(root)
    period = Period.containing(PeriodType.MONTH, timezone.localdate()).previous()
    content = _workbook(form, period, units)

    with transaction.atomic():
        started = time.perf_counter()
        plan = parse_upload(content, form=form, user=user)
        parsed = time.perf_counter()
        if plan.errors:
            transaction.set_rollback(True)
            first = plan.errors[0]
            raise RuntimeError(
                f"the bench file does not check: row {first.row} {first.column}: {first.message}"
            )
        summary = upload_apply(plan, user=user)
        applied = time.perf_counter()

        # The same value rows again, straight into the table: what the database itself can do.
        rows, columns = _take_values(form, period)
        raw_seconds = _raw_insert(rows, columns)
        transaction.set_rollback(True)

    values = summary.values_written
    upload_seconds = applied - started
    return {
        "database": connection.vendor,
        "libraries": len(units),
        "values": values,
        "reports": summary.reports_created + summary.reports_changed,
        "parse_seconds": round(parsed - started, 4),
        "apply_seconds": round(applied - parsed, 4),
        "upload_seconds": round(upload_seconds, 4),
        "upload_values_per_second": round(values / upload_seconds) if upload_seconds else None,
        "raw_rows": len(rows),
        "raw_seconds": round(raw_seconds, 4),
        "raw_values_per_second": round(len(rows) / raw_seconds) if raw_seconds else None,
    }
