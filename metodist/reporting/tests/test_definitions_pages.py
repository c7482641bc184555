"""The definition pages: who may open them, and editing forms, fields, rules and indicators in the browser."""

import pytest
from django.urls import reverse
from django.utils import translation

from metodist.reporting import definitions_services as defs
from metodist.reporting import services
from metodist.reporting.definitions import install_definitions
from metodist.reporting.definitions_forms import LAYOUT_PREFIX, layout_initial
from metodist.reporting.models import FormAssignment, Indicator, ReportForm, ValidationRule
from metodist.reporting.periods import Period


@pytest.fixture
def shipped(net):
    install_definitions()
    return {form.code: form for form in ReportForm.objects.all()}


def _pages(shipped) -> list[str]:
    form = shipped["lib_monthly"]
    rule = form.rules.first()
    indicator = Indicator.objects.get(code="lib_visits")
    return [
        reverse("reporting:form_list"),
        reverse("reporting:form_create"),
        reverse("reporting:form_detail", args=[form.pk]),
        reverse("reporting:form_edit", args=[form.pk]),
        reverse("reporting:form_fields", args=[form.pk]),
        reverse("reporting:rule_create", args=[form.pk]),
        reverse("reporting:rule_edit", args=[rule.pk]),
        reverse("reporting:indicator_list"),
        reverse("reporting:indicator_create"),
        reverse("reporting:indicator_edit", args=[indicator.pk]),
    ]


def test_people_without_manage_forms_get_403(client, client_for, shipped, librarian, outsider):
    for url in _pages(shipped):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url
    for user in (librarian, outsider):
        browser = client_for(user)
        for url in _pages(shipped):
            assert browser.get(url).status_code == 403, url
    form = shipped["lib_monthly"]
    before = ValidationRule.objects.count()
    response = client_for(librarian).post(
        reverse("reporting:rule_create", args=[form.pk]),
        {"expression": "lib_visits >= 0", "severity": "error", "message_ru": "Нет", "is_active": "on"},
    )
    assert response.status_code == 403 and ValidationRule.objects.count() == before


def test_a_district_methodologist_opens_every_page(client_for, shipped, methodist):
    browser = client_for(methodist)
    for url in _pages(shipped):
        assert browser.get(url).status_code == 200, url
    listing = browser.get(reverse("reporting:form_list")).content.decode()
    for code in ("oc_weekly", "lib_monthly", "lib_annual"):
        assert f'data-code="{code}"' in listing
    assert "Еженедельный отчёт онлайн-центра" in listing and "Восточно-Казахстанская область" in listing
    detail = browser.get(reverse("reporting:form_detail", args=[shipped["lib_annual"].pk])).content.decode()
    assert "stock_start + stock_received - stock_withdrawn == stock_end" in detail
    assert "stock_by_language" in detail and "Библиотечный фонд" in detail
    indicators = browser.get(reverse("reporting:indicator_list")).content.decode()
    assert 'data-code="coverage"' in indicators and 'data-code="year_loans"' in indicators


def _layout_post(form, *, note="", rows=None, **extra) -> dict:
    rows = rows if rows is not None else layout_initial(defs.layout_of(form.current_version()))
    data = {
        f"{LAYOUT_PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{LAYOUT_PREFIX}-INITIAL_FORMS": "0",
        "note": note,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value in (None, False, ""):
                continue
            data[f"{LAYOUT_PREFIX}-{index}-{name}"] = "on" if value is True else str(value)
    data.update(extra)
    return data


def test_editing_fields_in_the_browser_makes_a_new_version_once_reports_exist(
    client_for, shipped, admin_user, net
):
    form = shipped["lib_monthly"]
    report = services.open_report(user=admin_user, form=form, unit=net.kainar, period=Period.parse("2025-05"))
    browser = client_for(admin_user)
    url = reverse("reporting:form_fields", args=[form.pk])
    page = browser.get(url).content.decode()
    assert page.count('class="card mt-3 mb-2 bg-body-tertiary layout-section"') == 3
    assert page.count("layout-field") == 10

    # A row action (htmx) adds a blank field to the first section; nothing is saved yet.
    added = browser.post(
        url, _layout_post(form, row_action="field-0"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in added and added.count("layout-field") == 11
    assert form.versions.count() == 1

    rows = layout_initial(defs.layout_of(form.current_version()))
    rows = [row for row in rows if row.get("indicator") != Indicator.objects.get(code="lib_references").pk]
    response = browser.post(url, _layout_post(form, rows=rows, note="без справок"))
    assert response.status_code == 302
    assert list(form.versions.values_list("number", "note")) == [
        (2, "без справок"),
        (1, "Исходная версия формы"),
    ]
    report.refresh_from_db()
    assert report.form_version.number == 1 and "lib_references" in services.field_specs(report)
    detail = browser.get(response.url).content.decode()
    assert "lib_references" not in detail.split('id="rules-title"')[0]
    old = browser.get(response.url + "?version=1").content.decode()
    assert "lib_references" in old.split('id="rules-title"')[0]


def test_a_field_before_any_section_is_refused(client_for, shipped, admin_user):
    form = shipped["oc_weekly"]
    rows = layout_initial(defs.layout_of(form.current_version()))
    rows.insert(0, {"kind": "field", "indicator": Indicator.objects.get(code="oc_events").pk})
    rows[3]["indicator"] = ""  # a blank field row is left out
    with translation.override("ru"):
        response = client_for(admin_user).post(
            reverse("reporting:form_fields", args=[form.pk]), _layout_post(form, rows=rows)
        )
        expected = translation.gettext("Start the form with a section heading.")
    assert response.status_code == 200 and expected in response.content.decode()
    assert form.versions.count() == 1 and form.current_version().sections.count() == 3


def test_a_rule_is_added_once_and_a_bad_one_is_refused_with_a_message(client_for, shipped, methodist):
    form = shipped["lib_monthly"]
    browser = client_for(methodist)
    url = reverse("reporting:rule_create", args=[form.pk])
    before = ValidationRule.objects.count()
    with translation.override("ru"):
        bad = browser.post(url, {"expression": "lib_visits >=", "severity": "error", "message_ru": "Ошибка"})
        prefix = translation.gettext("The expression cannot be read: %(error)s").split("%")[0]
    assert bad.status_code == 200
    page = bad.content.decode()
    assert f'id="id_expression_error">{prefix}' in page and "is-invalid" in page
    assert ValidationRule.objects.count() == before

    good = {
        "expression": "lib_references <= lib_visits",
        "severity": "warning",
        "message_ru": "Справок больше, чем посещений",
        "is_active": "on",
        "submit_key": "k" * 32,
    }
    first = browser.post(url, good)
    second = browser.post(url, good)  # a double click
    assert first.status_code == 302 and second.status_code == 302
    assert ValidationRule.objects.filter(form=form, expression="lib_references <= lib_visits").count() == 1

    rule = ValidationRule.objects.get(expression="lib_references <= lib_visits")
    edit = browser.post(
        reverse("reporting:rule_edit", args=[rule.pk]),
        {**good, "expression": "lib_references <= lib_visits * 2", "severity": "error"},
    )
    assert edit.status_code == 302
    rule.refresh_from_db()
    assert (rule.expression, rule.severity) == ("lib_references <= lib_visits * 2", "error")
    assert browser.post(reverse("reporting:rule_delete", args=[rule.pk])).status_code == 302
    assert not ValidationRule.objects.filter(pk=rule.pk).exists()


def test_header_assignments_and_a_new_form(client_for, shipped, methodist, admin_user, net):
    form = shipped["lib_monthly"]
    services.open_report(user=admin_user, form=form, unit=net.kainar, period=Period.parse("2025-05"))
    browser = client_for(methodist)
    edit = reverse("reporting:form_edit", args=[form.pk])
    header = {
        "name_ru": "Ежемесячная статистика",
        "name_kk": form.name_kk,
        "name_en": form.name_en,
        "period_type": "quarter",  # disabled: reports exist
        "deadline_days": "7",
        "is_open": "on",
        "outlier_factor": "4",
        "outlier_window": "6",
        "order": "2",
    }
    assert browser.post(edit, header).status_code == 302
    form.refresh_from_db()
    assert (form.name_ru, form.period_type, form.deadline_days, form.outlier_window) == (
        "Ежемесячная статистика",
        "month",
        7,
        6,
    )

    add = reverse("reporting:assignment_add", args=[form.pk])
    refused = browser.post(add, {"unit": "ABY", "kinds": ["school_library"]})  # Abay is not hers
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    assert browser.post(add, {"unit": "bsk", "kinds": ["school_library"]}).status_code == 302
    assignment = FormAssignment.objects.get(form=form, unit=net.beskaragay)
    assert assignment.kinds == ["school_library"]
    region_assignment = FormAssignment.objects.get(form=form, unit=net.region)
    assert (
        browser.post(reverse("reporting:assignment_delete", args=[region_assignment.pk])).status_code == 403
    )
    assert browser.post(reverse("reporting:assignment_delete", args=[assignment.pk])).status_code == 302
    assert not FormAssignment.objects.filter(pk=assignment.pk).exists()

    created = browser.post(
        reverse("reporting:form_create"),
        {
            "code": "oc_quarterly",
            "name_ru": "Квартальный отчёт онлайн-центра",
            "period_type": "quarter",
            "deadline_days": "10",
            "is_open": "on",
            "outlier_factor": "3",
            "outlier_window": "4",
            "order": "4",
            "submit_key": "q" * 32,
        },
    )
    new = ReportForm.objects.get(code="oc_quarterly")
    assert created.status_code == 302 and created.url == reverse("reporting:form_fields", args=[new.pk])
    assert new.current_version() is None


def test_indicators_are_created_and_fixed_once_values_exist(client_for, shipped, admin_user, net):
    browser = client_for(admin_user)
    response = browser.post(
        reverse("reporting:indicator_create"),
        {
            "code": "lib_volunteers",
            "name_ru": "Волонтёры библиотеки",
            "value_type": "integer",
            "aggregation": "sum",
            "is_active": "on",
            "submit_key": "v" * 32,
        },
    )
    assert response.status_code == 302 and Indicator.objects.filter(code="lib_volunteers").exists()

    form = shipped["lib_monthly"]
    report = services.open_report(user=admin_user, form=form, unit=net.kainar, period=Period.parse("2025-05"))
    services.save_values(user=admin_user, report=report, values={"lib_visits": "10"}, version=report.version)
    visits = Indicator.objects.get(code="lib_visits")
    url = reverse("reporting:indicator_edit", args=[visits.pk])
    page = browser.get(url).content.decode()
    assert 'name="value_type"' in page and "disabled" in page.split('name="value_type"')[1].split(">")[0]
    posted = {
        "code": "changed",
        "name_ru": "Посещения библиотеки",
        "value_type": "text",
        "aggregation": "sum",
        "is_active": "on",
    }
    assert browser.post(url, posted).status_code == 302
    visits.refresh_from_db()
    assert (visits.code, visits.name_ru, visits.value_type) == (
        "lib_visits",
        "Посещения библиотеки",
        "integer",
    )
