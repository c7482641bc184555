"""Writes the demo environment analysis (see `environment_data.py`): a SWOT and a PEST of the regional
library for last year and this year. This year's items that carry over are linked to last year's ones, as
"copy last year's analysis" links them.

Idempotent: an analysis is looked up by unit, year and kind and written only when missing, with its items.
"""

from collections import Counter
from datetime import date

from django.db import transaction

from metodist.demo import environment_data as data
from metodist.demo.events_load import anchor_month
from metodist.marketing.models.environment import AnalysisItem, EnvironmentAnalysis
from metodist.network.models import OrgUnit


def _survey(title: str, unit: OrgUnit):
    if not title:
        return None
    try:
        from metodist.marketing.models.surveys import Survey
    except ImportError:
        return None
    return Survey.objects.filter(unit=unit, title_ru=title, is_template=False).first()


@transaction.atomic
def load_environment(*, today: date | None = None) -> Counter:
    created: Counter = Counter()
    unit = OrgUnit.objects.filter(code=data.UNIT).first()
    if unit is None:
        return created
    this_year = anchor_month(today).year
    # Last year first, so this year's items can point at the items they carry over.
    for spec in sorted(data.ANALYSES, key=lambda s: -s.years_ago):
        year = this_year - spec.years_ago
        if EnvironmentAnalysis.objects.filter(unit=unit, year=year, kind=spec.kind).exists():
            continue
        analysis = EnvironmentAnalysis.objects.create(
            unit=unit, year=year, kind=spec.kind, title=f"{spec.title}, {year}", summary=spec.summary
        )
        created["environment_analyses"] += 1
        before = {
            item.text: item
            for item in AnalysisItem.objects.filter(
                analysis__unit=unit, analysis__kind=spec.kind, analysis__year=year - 1
            )
        }
        items = []
        for order, item in enumerate(spec.items, start=1):
            weight = item.weight
            if spec.years_ago == 0:
                weight = data.THIS_YEAR_WEIGHTS.get((spec.kind, item.text), weight)
            items.append(
                AnalysisItem(
                    analysis=analysis,
                    quadrant=item.quadrant,
                    text=item.text,
                    weight=weight,
                    evidence=item.evidence,
                    indicator_code=item.indicator,
                    indicator_year=year if item.indicator else None,
                    survey=_survey(item.survey, unit),
                    order=order,
                    copied_from=before.get(item.text),
                )
            )
        AnalysisItem.objects.bulk_create(items)
        created["environment_items"] += len(items)
    return created
