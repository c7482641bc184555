"""The shipped definitions install once and respect edits; fields are versioned; rules are checked."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from metodist.reporting import definitions_services as defs
from metodist.reporting import services
from metodist.reporting.definitions import FORMS, INDICATORS, install_definitions
from metodist.reporting.models import (
    Category,
    CategorySet,
    DerivedIndicator,
    FormAssignment,
    FormField,
    FormSection,
    FormVersion,
    Indicator,
    ReportForm,
    Severity,
    ValidationRule,
)
from metodist.reporting.periods import Period
from metodist.reporting.rules import parse_rule
from metodist.reporting.selectors import expected_units

MODELS = (
    CategorySet,
    Category,
    Indicator,
    DerivedIndicator,
    ReportForm,
    FormVersion,
    FormSection,
    FormField,
    ValidationRule,
    FormAssignment,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def shipped(net):
    install_definitions()
    return {form.code: form for form in ReportForm.objects.all()}


# --- installing -------------------------------------------------------------------------------------------


def test_installing_twice_adds_nothing_and_keeps_what_people_changed(net):
    first = install_definitions()
    assert first["report_forms"] == 4 and first["indicators"] == len(INDICATORS)
    assert first["form_assignments"] == 3 and first["derived_indicators"] == 4
    after_first = _counts()
    assert after_first["ReportForm"] == 4 and after_first["FormField"] == first["form_fields"]

    # A methodologist renames an indicator, removes an assignment and switches a rule off.
    visitors = Indicator.objects.get(code="oc_visitors")
    visitors.name_ru = "Посетители (все)"
    visitors.save()
    FormAssignment.objects.filter(form__code="lib_annual").delete()
    rule = ValidationRule.objects.filter(form__code="oc_weekly").first()
    rule.is_active = False
    rule.save()

    assert install_definitions() == {}
    assert Indicator.objects.get(code="oc_visitors").name_ru == "Посетители (все)"
    assert not FormAssignment.objects.filter(form__code="lib_annual").exists()
    assert ValidationRule.objects.get(pk=rule.pk).is_active is False
    counts = _counts()
    assert counts == {**after_first, "FormAssignment": after_first["FormAssignment"] - 1}


def test_a_missing_indicator_is_added_back_without_touching_the_others(net):
    install_definitions()
    DerivedIndicator.objects.filter(code="coverage").delete()
    assert install_definitions() == {"derived_indicators": 1}
    coverage = DerivedIndicator.objects.get(code="coverage")
    assert coverage.per_population and coverage.factor == Decimal(100) and coverage.denominator is None


def test_the_shipped_forms_are_assigned_and_well_formed(net, shipped):
    week = Period.parse("2025-W10")
    assert set(expected_units(shipped["oc_weekly"], week, net.region)) == {net.mukur_oc, net.beskaragay_oc}
    libraries = {net.mukur, net.kainar, net.kanonerka, net.beskaragay_lib, net.regional}
    assert set(expected_units(shipped["lib_monthly"], Period.parse("2025-03"), net.region)) == libraries
    assert set(expected_units(shipped["lib_annual"], Period.parse("2025"), net.region)) == libraries
    assert [f.deadline_days for f in (shipped[d.code] for d in FORMS)] == [3, 5, 20]
    for rule in ValidationRule.objects.all():
        parse_rule(rule.expression)
        assert rule.message_ru and rule.message_kk and rule.message_en
        assert rules_names_are_on_the_form(rule)
    stock_start = FormField.objects.get(indicator__code="stock_start")
    assert stock_start.carry_from.code == "stock_end"
    assert Indicator.objects.get(code="stock_end").aggregation == "last"
    for indicator in Indicator.objects.all():
        assert indicator.name_ru and indicator.name_kk and indicator.name_en


def rules_names_are_on_the_form(rule) -> bool:
    from metodist.reporting import rules

    return rules.names(rule.expression) <= defs.form_codes(rule.form)


def test_the_weekly_rules_block_and_warn(net, librarian, shipped):
    report = services.open_report(
        user=librarian, form=shipped["oc_weekly"], unit=net.mukur_oc, period=Period.parse("2025-W10")
    )
    values = {
        "oc_visitors": "30",
        "oc_sessions": "400",
        "oc_egov_services": "12",
        "oc_consultations": "9",
        "oc_trained.children": "1",
        "oc_trained.youth": "2",
        "oc_trained.adults": "3",
        "oc_events": "1",
        "oc_event_participants": "45",
    }
    report = services.save_values(user=librarian, report=report, values=values, version=report.version)
    issues = services.check_report(report)
    broken = {issue.detail.split(":")[0]: issue.severity for issue in issues}
    assert broken == {
        "oc_event_participants <= oc_visitors": Severity.ERROR,
        "oc_sessions <= oc_visitors * 10": Severity.WARNING,
    }


def test_the_annual_form_checks_the_stock_and_its_carry_over(net, admin_user, shipped):
    form = shipped["lib_annual"]

    def annual(year, **values):
        report = services.open_report(user=admin_user, form=form, unit=net.mukur, period=Period.parse(year))
        return services.save_values(user=admin_user, report=report, values=values, version=report.version)

    annual("2024", stock_start=10000, stock_received=300, stock_withdrawn=200, stock_end=10100)
    report = annual(
        "2025",
        stock_start=10000,  # not last year's 10 100
        stock_received=400,
        stock_withdrawn=100,
        stock_end=10200,  # 10 000 + 400 − 100 = 10 300
        **{"stock_by_language.kk": 6000, "stock_by_language.ru": 4000, "stock_by_language.other": 200},
    )
    messages = {issue.message for issue in services.check_report(report) if issue.is_error}
    stock_rule = ValidationRule.objects.get(form=form, expression__startswith="stock_start +")
    assert stock_rule.message in messages
    carried = [i for i in services.check_report(report) if i.keys == ["stock_start"]]
    assert len(carried) == 1 and carried[0].is_error


# --- versions of the fields -------------------------------------------------------------------------------


def _fill_month(user, form, unit, month, **values):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(month))
    return services.save_values(user=user, report=report, values=values, version=report.version)


def test_changing_the_fields_of_a_used_version_makes_a_new_one_and_old_reports_keep_theirs(
    net, admin_user, shipped
):
    form = shipped["lib_monthly"]
    first = form.current_version()
    old = _fill_month(admin_user, form, net.mukur, "2025-03", lib_references="12", lib_visits="300")
    volunteers = defs.indicator_create(
        user=admin_user, data={"code": "lib_volunteers", "name_ru": "Волонтёры библиотеки"}
    )
    layout = defs.layout_of(first)
    layout[1].fields = [f for f in layout[1].fields if f.indicator.code != "lib_references"]
    layout[0].fields.append(defs.FieldInput(volunteers, required=True))

    second = defs.form_fields_save(
        user=admin_user, form=form, sections=layout, note="волонтёры вместо справок"
    )

    assert (first.number, second.number) == (1, 2)
    assert second.note == "волонтёры вместо справок"
    old.refresh_from_db()
    assert old.form_version_id == first.pk
    assert "lib_references" in services.field_specs(old) and "lib_volunteers" not in services.field_specs(old)
    assert services.values_of(old)["lib_references"] == 12
    # Each report is checked against its own version's fields.
    assert "lib_volunteers" not in {key for issue in services.check_report(old) for key in issue.keys}

    new = _fill_month(admin_user, form, net.mukur, "2025-04", lib_visits="280")
    assert new.form_version_id == second.pk
    assert "lib_volunteers" in {key for issue in services.check_report(new) for key in issue.keys}
    assert "lib_volunteers" in services.field_specs(new) and "lib_references" not in services.field_specs(new)
    with pytest.raises(ValidationError):
        _fill_month(admin_user, form, net.mukur, "2025-04", lib_references="5")

    # The same layout again changes nothing.
    again = defs.form_fields_save(user=admin_user, form=form, sections=defs.layout_of(second))
    assert again == second and form.versions.count() == 2


def test_a_version_nobody_used_is_rewritten_in_place(net, admin_user, shipped):
    form = shipped["oc_weekly"]
    version = form.current_version()
    layout = defs.layout_of(version)
    layout.reverse()
    saved = defs.form_fields_save(user=admin_user, form=form, sections=layout)
    assert saved.pk == version.pk and form.versions.count() == 1
    assert [s.name_ru for s in defs.layout_of(saved)] == ["Обучение и мероприятия", "Услуги", "Посещения"]


def test_a_layout_must_make_sense(net, admin_user, shipped):
    form = shipped["oc_weekly"]
    visitors = Indicator.objects.get(code="oc_visitors")
    twice = [defs.SectionInput("Раз", fields=[defs.FieldInput(visitors)]), defs.SectionInput("Два")]
    twice[1].fields.append(defs.FieldInput(visitors))
    with translation.override("en"), pytest.raises(ValidationError) as wrong:
        defs.form_fields_save(user=admin_user, form=form, sections=twice)
    assert wrong.value.messages == ["“Visitors of the online centre” is on the form twice."]
    with translation.override("en"), pytest.raises(ValidationError) as empty:
        defs.form_fields_save(user=admin_user, form=form, sections=[defs.SectionInput("", fields=[])])
    assert empty.value.messages == [
        "A form needs at least one field.",
        "Section 1 needs a name in Russian.",
        "Section 1 has no fields: add fields to it or delete it.",
    ]
    assert form.versions.count() == 1 and FormSection.objects.filter(version__form=form).count() == 3


# --- rules, headers and indicators ------------------------------------------------------------------------


def _rule(**data):
    return {"severity": Severity.ERROR, "message_ru": "Проверьте", "is_active": True, **data}


def test_a_rule_with_bad_syntax_or_unknown_codes_is_refused_with_a_message(net, methodist, shipped):
    form = shipped["lib_monthly"]
    before = ValidationRule.objects.count()
    with translation.override("en"):
        with pytest.raises(ValidationError) as syntax:
            defs.rule_create(user=methodist, form=form, data=_rule(expression="lib_visits >="))
        assert syntax.value.message_dict["expression"][0].startswith("The expression cannot be read")
        with pytest.raises(ValidationError) as no_comparison:
            defs.rule_create(user=methodist, form=form, data=_rule(expression="lib_visits + 1"))
        assert "must compare two sides" in no_comparison.value.message_dict["expression"][0]
        with pytest.raises(ValidationError) as unknown:
            defs.rule_create(
                user=methodist, form=form, data=_rule(expression="lib_loans.kz <= lib_visits + oc_visitors")
            )
        assert unknown.value.message_dict["expression"] == [
            "The form has no field lib_loans.kz, oc_visitors. Use the codes of its indicators."
        ]
    assert ValidationRule.objects.count() == before
    rule = defs.rule_create(user=methodist, form=form, data=_rule(expression="  lib_loans.kk <= lib_loans "))
    assert rule.expression == "lib_loans.kk <= lib_loans"


def test_only_people_who_manage_forms_change_definitions(net, librarian, outsider, methodist, shipped):
    form = shipped["lib_monthly"]
    for user in (librarian, outsider):
        with pytest.raises(PermissionDenied):
            defs.rule_create(user=user, form=form, data=_rule(expression="lib_visits >= 0"))
        with pytest.raises(PermissionDenied):
            defs.indicator_create(user=user, data={"code": "x_new", "name_ru": "Новый"})
        with pytest.raises(PermissionDenied):
            defs.form_fields_save(user=user, form=form, sections=defs.layout_of(form.current_version()))
    # The Beskaragay methodologist manages forms, but assigns them only within her district.
    with pytest.raises(PermissionDenied):
        defs.assignment_add(user=methodist, form=form, unit=net.abay, kinds=["library"])
    with pytest.raises(PermissionDenied):
        defs.assignment_delete(user=methodist, assignment=form.assignments.get())
    added = defs.assignment_add(user=methodist, form=form, unit=net.beskaragay, kinds=["school_library"])
    assert added.kinds == ["school_library"]
    with pytest.raises(ValidationError):
        defs.assignment_add(user=methodist, form=form, unit=net.beskaragay, kinds=["school_library"])


def test_what_gives_stored_values_their_meaning_cannot_change(net, admin_user, shipped):
    form = shipped["lib_monthly"]
    visits = Indicator.objects.get(code="lib_visits")
    defs.indicator_update(user=admin_user, indicator=visits, data={"value_type": "decimal"})  # no values yet
    defs.indicator_update(user=admin_user, indicator=visits, data={"value_type": "integer"})
    _fill_month(admin_user, form, net.mukur, "2025-03", lib_visits="300")
    with pytest.raises(ValidationError) as refused:
        defs.indicator_update(
            user=admin_user, indicator=visits, data={"value_type": "decimal", "name_ru": "X"}
        )
    assert set(refused.value.message_dict) == {"value_type"}
    visits.refresh_from_db()
    assert (visits.value_type, visits.name_ru) == ("integer", "Посещения")
    defs.indicator_update(user=admin_user, indicator=visits, data={"name_en": "Visits to the library"})
    assert Indicator.objects.get(pk=visits.pk).name_en == "Visits to the library"

    with pytest.raises(ValidationError) as period:
        defs.form_update(user=admin_user, form=form, data={"period_type": "quarter"})
    assert set(period.value.message_dict) == {"period_type"}
    defs.form_update(
        user=admin_user,
        form=form,
        data={"deadline_days": 7, "entry_closed_before": datetime.date(2025, 1, 1)},
    )
    form.refresh_from_db()
    assert (form.period_type, form.deadline_days) == ("month", 7)
