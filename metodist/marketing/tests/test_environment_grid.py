"""SWOT and PEST: scope, the 2×2 grid editor (htmx), copying last year's items and the comparison."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from metodist.marketing import environment
from metodist.marketing.models.environment import AnalysisItem, EnvironmentAnalysis

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def swot(net, marketer):
    analysis = environment.analysis_create(
        user=marketer, data={"unit": net.regional, "year": 2025, "kind": "swot", "title": "SWOT ВКОУБ 2025"}
    )
    for quadrant, text, weight in [
        ("S", "Единственный в области фонд редких книг на казахском языке", 5),
        ("W", "Износ компьютерного парка в сельских филиалах", 4),
        ("O", "Программа «Цифровой Казахстан»", 3),
        ("T", "Сокращение ставок библиотекарей в сёлах", 4),
    ]:
        environment.item_save(
            user=marketer, analysis=analysis, data={"quadrant": quadrant, "text": text, "weight": weight}
        )
    return analysis


def test_the_list_shows_analyses_in_scope_and_hides_the_others(net, swot, librarian, client_for):
    mukur = EnvironmentAnalysis.objects.create(unit=net.mukur, year=2025, kind="pest", title="PEST Мукур")
    page = client_for(librarian).get(reverse("marketing:environment_list"))
    assert page.status_code == 200
    assert "PEST Мукур" in page.content.decode()
    assert "SWOT ВКОУБ 2025" not in page.content.decode()
    assert (
        client_for(librarian).get(reverse("marketing:environment_detail", args=[swot.pk])).status_code == 404
    )
    assert (
        client_for(librarian).get(reverse("marketing:environment_detail", args=[mukur.pk])).status_code == 200
    )


def test_an_outsider_sees_no_analysis(swot, outsider, client_for):
    client = client_for(outsider)
    assert client.get(reverse("marketing:environment_list")).status_code == 403
    assert client.get(reverse("marketing:environment_pdf", args=[swot.pk])).status_code == 404


def test_the_grid_shows_the_four_swot_quadrants_with_their_items(swot, marketer, client_for):
    page = client_for(marketer).get(reverse("marketing:environment_detail", args=[swot.pk])).content.decode()
    for code in "SWOT":
        assert f'id="quadrant-{code}"' in page
    assert "Износ компьютерного парка" in page


def test_a_librarian_can_read_but_not_edit_the_analysis_of_her_library(net, librarian, client_for):
    analysis = EnvironmentAnalysis.objects.create(unit=net.mukur, year=2025, kind="swot")
    client = client_for(librarian)
    page = client.get(reverse("marketing:environment_detail", args=[analysis.pk])).content.decode()
    assert "Добавить" not in page and 'hx-get="/marketing/environment/' not in page
    answer = client.post(
        reverse("marketing:environment_item_add", args=[analysis.pk]),
        {"quadrant": "S", "text": "Читальный зал", "weight": 3},
    )
    assert answer.status_code == 403
    assert not analysis.items.exists()


def test_adding_an_item_with_htmx_answers_the_quadrant_with_it(swot, marketer, client_for):
    client = client_for(marketer)
    url = reverse("marketing:environment_item_add", args=[swot.pk])
    form = client.get(url + "?quadrant=O", **HTMX)
    assert (
        form.status_code == 200 and "<form" in form.content.decode() and "<html" not in form.content.decode()
    )
    answer = client.post(
        url,
        {"quadrant": "O", "text": "Грант акимата на модернизацию", "weight": "5", "submit_key": "k" * 32},
        **HTMX,
    )
    assert answer.status_code == 200
    assert answer["HX-Retarget"] == "#quadrant-O"
    body = answer.content.decode()
    assert 'id="quadrant-O"' in body and "Грант акимата на модернизацию" in body
    assert swot.items.filter(quadrant="O").count() == 2


def test_a_double_submit_of_a_new_item_saves_it_once(swot, marketer, client_for):
    client = client_for(marketer)
    url = reverse("marketing:environment_item_add", args=[swot.pk])
    data = {"quadrant": "S", "text": "Опытные методисты", "weight": "4", "submit_key": "a" * 32}
    client.post(url, data, **HTMX)
    client.post(url, data, **HTMX)
    assert swot.items.filter(text="Опытные методисты").count() == 1


def test_a_weight_outside_one_to_five_is_refused_and_the_text_kept(swot, marketer, client_for):
    answer = client_for(marketer).post(
        reverse("marketing:environment_item_add", args=[swot.pk]),
        {"quadrant": "S", "text": "Новый сайт библиотеки", "weight": "9"},
        **HTMX,
    )
    body = answer.content.decode()
    assert answer.status_code == 200 and "is-invalid" in body
    assert "Новый сайт библиотеки" in body
    assert not swot.items.filter(text="Новый сайт библиотеки").exists()


def test_editing_an_item_changes_its_weight(swot, marketer, client_for):
    item = swot.items.get(quadrant="W")
    answer = client_for(marketer).post(
        reverse("marketing:environment_item_edit", args=[item.pk]),
        {"quadrant": "W", "text": item.text, "weight": "2", "evidence": "Средний возраст ПК — 9 лет"},
        **HTMX,
    )
    assert answer.status_code == 200
    item.refresh_from_db()
    assert (item.weight, item.evidence) == (2, "Средний возраст ПК — 9 лет")


def test_deleting_an_item_with_htmx_answers_the_quadrant_without_it(swot, marketer, client_for):
    item = swot.items.get(quadrant="T")
    answer = client_for(marketer).post(reverse("marketing:environment_item_delete", args=[item.pk]), **HTMX)
    assert answer.status_code == 200 and "Сокращение ставок" not in answer.content.decode()
    assert not AnalysisItem.objects.filter(pk=item.pk).exists()


def test_a_quadrant_of_another_kind_is_refused(swot, marketer):
    with pytest.raises(ValidationError):
        environment.item_save(
            user=marketer, analysis=swot, data={"quadrant": "P", "text": "Закон", "weight": 3}
        )


def test_an_unknown_indicator_code_is_refused(swot, marketer):
    with pytest.raises(ValidationError) as error:
        environment.item_save(
            user=marketer,
            analysis=swot,
            data={
                "quadrant": "S",
                "text": "Рост посещений",
                "weight": 3,
                "indicator_code": "nope",
                "indicator_year": 2025,
            },
        )
    assert "indicator_code" in error.value.message_dict


def test_a_second_analysis_of_the_same_unit_year_and_kind_is_refused(net, swot, marketer, client_for):
    answer = client_for(marketer).post(
        reverse("marketing:environment_create"),
        {"unit": net.regional.pk, "year": 2025, "kind": "swot", "title": "Ещё один"},
    )
    assert answer.status_code == 200 and 'id="id_year_error"' in answer.content.decode()
    assert EnvironmentAnalysis.objects.filter(unit=net.regional, year=2025, kind="swot").count() == 1


def test_a_methodologist_cannot_create_an_analysis(net, methodist):
    with pytest.raises(PermissionDenied):
        environment.analysis_create(
            user=methodist, data={"unit": net.beskaragay, "year": 2025, "kind": "pest"}
        )


def test_creating_next_year_copies_last_years_items(net, swot, marketer, client_for):
    answer = client_for(marketer).post(
        reverse("marketing:environment_create"),
        {
            "unit": net.regional.pk,
            "year": 2026,
            "kind": "swot",
            "copy_previous": "on",
            "submit_key": "b" * 32,
        },
    )
    new = EnvironmentAnalysis.objects.get(unit=net.regional, year=2026, kind="swot")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{new.pk}/")
    assert sorted(new.items.values_list("quadrant", "text", "weight")) == sorted(
        swot.items.values_list("quadrant", "text", "weight")
    )
    assert all(item.copied_from_id for item in new.items.all())


def test_copying_twice_copies_nothing_the_second_time(net, swot, marketer):
    new = environment.analysis_create(
        user=marketer, data={"unit": net.regional, "year": 2026, "kind": "swot"}
    )
    assert environment.analysis_copy_previous(user=marketer, analysis=new) == 4
    with pytest.raises(ValidationError):
        environment.analysis_copy_previous(user=marketer, analysis=new)
    assert new.items.count() == 4


def test_the_comparison_names_added_removed_and_reweighted_items(net, swot, marketer, client_for):
    new = environment.analysis_create(
        user=marketer, data={"unit": net.regional, "year": 2026, "kind": "swot"}, copy_previous=True
    )
    strength = new.items.get(quadrant="S")
    environment.item_save(
        user=marketer,
        analysis=new,
        item=strength,
        data={"text": strength.text + " (оцифровано 40 %)", "weight": 5},
    )
    environment.item_save(user=marketer, analysis=new, item=new.items.get(quadrant="W"), data={"weight": 5})
    new.items.get(quadrant="T").delete()
    environment.item_save(
        user=marketer, analysis=new, data={"quadrant": "T", "text": "Отток молодёжи в города", "weight": 3}
    )

    previous, quadrants = environment.comparison(new)
    assert previous == swot
    by_code = {q.code: q for q in quadrants}
    assert [r.status for r in by_code["S"].rows] == ["same"]  # followed through the edited text
    assert [(r.status, r.change) for r in by_code["W"].rows] == [("heavier", 1)]
    assert sorted(r.status for r in by_code["T"].rows) == ["added", "removed"]
    assert (by_code["T"].added, by_code["T"].removed, by_code["W"].changed) == (1, 1, 1)
    page = client_for(marketer).get(reverse("marketing:environment_compare", args=[new.pk])).content.decode()
    assert "Отток молодёжи в города" in page and "Сокращение ставок библиотекарей в сёлах" in page


def test_an_item_links_a_reported_figure_and_a_survey(net, swot, marketer, admin_user):
    from metodist.marketing import surveys
    from metodist.marketing.tests.conftest import build_survey, submit
    from metodist.reporting import services
    from metodist.reporting.periods import Period
    from metodist.reporting.testing import library_monthly

    form = library_monthly(net.region)
    for month, visits in (("2025-01", 100), ("2025-02", 150)):
        report = services.open_report(
            user=admin_user, form=form, unit=net.regional, period=Period.parse(month)
        )
        services.save_values(
            user=admin_user, report=report, values={"lib_visits": visits}, version=report.version
        )
    survey = build_survey(marketer, net.regional)
    (link,) = surveys.links_create(user=marketer, survey=survey, units=[net.regional])
    submit(link, {"overall": 4, "nps": 10})
    submit(link, {"overall": 5, "nps": 5})
    item = environment.item_save(
        user=marketer,
        analysis=swot,
        data={
            "quadrant": "S",
            "text": "Рост посещений",
            "weight": 4,
            "indicator_code": "lib_visits",
            "indicator_year": 2025,
            "survey": survey,
        },
    )
    figures = environment.evidence_of([item], net.regional)[item.pk]
    assert figures[0].shown == "250"
    # satisfaction: (4/5 + 5/5) / 2 = 90 %; NPS: one promoter, one detractor of two = 0
    assert "90,0" in figures[1].shown and "NPS 0,0" in figures[1].shown
