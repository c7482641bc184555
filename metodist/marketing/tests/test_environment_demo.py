"""The demo SWOT and PEST of the regional library: written once, linked across the years."""

import datetime

from metodist.demo.environment_load import load_environment
from metodist.marketing import environment
from metodist.marketing.models.environment import EnvironmentAnalysis

TODAY = datetime.date(2026, 3, 10)


def test_the_demo_holds_a_swot_and_a_pest_of_the_regional_library_for_two_years(net):
    created = load_environment(today=TODAY)
    assert created["environment_analyses"] == 4
    found = set(EnvironmentAnalysis.objects.filter(unit=net.regional).values_list("kind", "year"))
    assert found == {("swot", 2025), ("swot", 2026), ("pest", 2025), ("pest", 2026)}
    swot = EnvironmentAnalysis.objects.get(unit=net.regional, kind="swot", year=2026)
    assert swot.items.filter(quadrant="T", text="Сокращение ставок библиотекарей в сёлах").exists()
    assert {q.code for q in environment.grid(swot, with_evidence=False) if q.items} == set("SWOT")


def test_a_second_demo_run_adds_nothing(net):
    load_environment(today=TODAY)
    assert not load_environment(today=TODAY)


def test_the_demo_comparison_shows_carried_reweighted_added_and_removed_items(net):
    load_environment(today=TODAY)
    swot = EnvironmentAnalysis.objects.get(unit=net.regional, kind="swot", year=2026)
    previous, quadrants = environment.comparison(swot)
    statuses = [row.status for q in quadrants for row in q.rows]
    assert previous.year == 2025
    assert {"added", "removed", "heavier", "same"} <= set(statuses)
