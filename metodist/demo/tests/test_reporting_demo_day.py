"""Two loads of the demo reports on the same day give the same reports, values and statuses."""

import datetime
from collections import Counter

from metodist.demo.load import _ensure_units, _ensure_users
from metodist.demo.plan import build_plan
from metodist.demo.reporting_load import load_reporting
from metodist.reporting.models import Report, Value


def test_the_same_day_gives_the_same_reports(db):
    plan = build_plan()
    units = _ensure_units(plan, Counter())
    _ensure_users(units, Counter())
    day = datetime.date(2026, 3, 18)
    load_reporting(today=day)
    first = sorted(
        Value.objects.values_list("unit__code", "indicator__code", "category__code", "ref_date", "number")
    )
    statuses = sorted(Report.objects.values_list("unit__code", "period_start", "status", "due"))
    Value.objects.all().delete()
    Report.history.all().delete()
    Report.objects.all().delete()
    load_reporting(today=day)
    assert (
        sorted(
            Value.objects.values_list("unit__code", "indicator__code", "category__code", "ref_date", "number")
        )
        == first
    )
    assert sorted(Report.objects.values_list("unit__code", "period_start", "status", "due")) == statuses
