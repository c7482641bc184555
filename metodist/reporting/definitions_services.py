"""Writes of the definition pages: indicators, a form's header, assignments, rules and fields.

    form_fields_save(user=u, form=form, sections=[SectionInput(...)], note="…")

A form's fields are versioned: while no report uses the current version it is rewritten in place; once a
report does, `new_version` adds the next version and only new reports get it, so every past report keeps
the sections and fields it was filled in. Every write needs `manage_forms` somewhere (definitions are
shared by the whole network); an assignment also needs it on the unit it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metodist.core import scope
from metodist.core.models import translated
from metodist.network.models import OrgUnit
from metodist.reporting import rules
from metodist.reporting.models import (
    FormAssignment,
    FormField,
    FormSection,
    FormVersion,
    Indicator,
    Report,
    ReportForm,
    ValidationRule,
    Value,
)
from metodist.reporting.selectors import MANAGE_FORMS
from metodist.reporting.services import field_specs

# Fields of an indicator that give meaning to the values already stored: fixed once there are values.
VALUE_SHAPING = ("value_type", "category_set")


def can_manage_forms(user) -> bool:
    return scope.prefixes(user, MANAGE_FORMS) != ()


def _require_manage(user) -> None:
    if not can_manage_forms(user):
        raise PermissionDenied(_("You cannot change report forms and indicators."))


def _require_unit(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE_FORMS):
        raise PermissionDenied(_("You cannot assign forms to “%(unit)s”.") % {"unit": unit.name})


def _apply(obj, data: dict, names) -> None:
    for name in names:
        if name in data:
            setattr(obj, name, data[name])


# --- indicators ------------------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "name_ru",
    "name_kk",
    "name_en",
    "description",
    "value_type",
    "measure",
    "aggregation",
    "category_set",
    "allow_negative",
    "is_active",
)


def indicator_has_values(indicator: Indicator) -> bool:
    return indicator.pk is not None and Value.objects.filter(indicator=indicator).exists()


@transaction.atomic
def indicator_create(*, user, data: dict) -> Indicator:
    _require_manage(user)
    indicator = Indicator(code=data.get("code", ""))
    _apply(indicator, data, INDICATOR_FIELDS)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, user, indicator: Indicator, data: dict) -> Indicator:
    """Change an indicator; its code never changes (rules and uploads name it), nor, once values are
    stored, its value type or split."""
    _require_manage(user)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator_has_values(stored):
        changed = [name for name in VALUE_SHAPING if name in data and data[name] != getattr(stored, name)]
        if changed:
            raise ValidationError(
                {
                    name: _("Values of this indicator are already stored; this cannot change any more.")
                    for name in changed
                }
            )
    _apply(stored, data, INDICATOR_FIELDS)
    stored.full_clean()
    stored.save()
    return stored


# --- a form's header -------------------------------------------------------------------------------------

FORM_FIELDS = (
    "name_ru",
    "name_kk",
    "name_en",
    "description",
    "period_type",
    "deadline_days",
    "is_open",
    "entry_closed_before",
    "outlier_factor",
    "outlier_window",
    "order",
)


def form_has_reports(form: ReportForm) -> bool:
    return form.pk is not None and Report.objects.filter(form=form).exists()


@transaction.atomic
def form_create(*, user, data: dict) -> ReportForm:
    """A new form without fields yet (its first version is made when the fields are saved)."""
    _require_manage(user)
    form = ReportForm(code=data.get("code", ""))
    _apply(form, data, FORM_FIELDS)
    form.full_clean()
    form.save()
    return form


@transaction.atomic
def form_update(*, user, form: ReportForm, data: dict) -> ReportForm:
    _require_manage(user)
    stored = ReportForm.objects.select_for_update().get(pk=form.pk)
    if "period_type" in data and data["period_type"] != stored.period_type and form_has_reports(stored):
        raise ValidationError(
            {"period_type": _("Reports on this form are already filed; its period cannot change any more.")}
        )
    _apply(stored, data, FORM_FIELDS)
    stored.full_clean()
    stored.save()
    return stored


# --- assignments -----------------------------------------------------------------------------------------


@transaction.atomic
def assignment_add(*, user, form: ReportForm, unit: OrgUnit, kinds: list[str]) -> FormAssignment:
    """Units of `kinds` under `unit` report on the form (no kinds: `unit` alone)."""
    _require_manage(user)
    _require_unit(user, unit)
    kinds = sorted(set(kinds))
    for assignment in form.assignments.filter(unit=unit):
        if sorted(assignment.kinds) == kinds:
            raise ValidationError(_("The form is already assigned so."))
    return FormAssignment.objects.create(form=form, unit=unit, kinds=kinds)


@transaction.atomic
def assignment_delete(*, user, assignment: FormAssignment) -> None:
    _require_manage(user)
    _require_unit(user, assignment.unit)
    assignment.delete()


# --- rules -----------------------------------------------------------------------------------------------

RULE_FIELDS = ("expression", "severity", "message_ru", "message_kk", "message_en", "is_active")


def form_codes(form: ReportForm) -> set[str]:
    """The names a rule of the form may use: its indicators' codes and `code.part`s (current version)."""
    version = form.current_version()
    if version is None:
        return set()
    specs = field_specs(version)
    return set(specs) | {spec.indicator.code for spec in specs.values()}


def check_expression(form: ReportForm, expression: str) -> str:
    """The expression, stripped, when it parses and names only the form's fields; else ValidationError."""
    expression = (expression or "").strip()
    try:
        used = rules.names(expression)
    except rules.RuleError as exc:
        raise ValidationError({"expression": str(exc)}) from exc
    unknown = sorted(used - form_codes(form))
    if unknown:
        raise ValidationError(
            {
                "expression": _("The form has no field %(codes)s. Use the codes of its indicators.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return expression


def _save_rule(rule: ValidationRule, data: dict) -> ValidationRule:
    _apply(rule, data, RULE_FIELDS)
    rule.expression = check_expression(rule.form, rule.expression)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def rule_create(*, user, form: ReportForm, data: dict) -> ValidationRule:
    _require_manage(user)
    return _save_rule(ValidationRule(form=form), data)


@transaction.atomic
def rule_update(*, user, rule: ValidationRule, data: dict) -> ValidationRule:
    _require_manage(user)
    return _save_rule(ValidationRule.objects.select_for_update().get(pk=rule.pk), data)


@transaction.atomic
def rule_delete(*, user, rule: ValidationRule) -> None:
    _require_manage(user)
    rule.delete()


# --- sections and fields ---------------------------------------------------------------------------------


@dataclass
class FieldInput:
    indicator: Indicator
    required: bool = True
    carry_from: Indicator | None = None


@dataclass
class SectionInput:
    name_ru: str
    name_kk: str = ""
    name_en: str = ""
    fields: list[FieldInput] = field(default_factory=list)

    @property
    def name(self) -> str:
        return translated(self, "name")


def layout_of(version: FormVersion | None) -> list[SectionInput]:
    """A version's sections and fields as inputs (what the fields page starts from)."""
    if version is None:
        return []
    sections: dict[int, SectionInput] = {}
    for section in version.sections.order_by("order", "id"):
        sections[section.pk] = SectionInput(section.name_ru, section.name_kk, section.name_en)
    for form_field in version.fields_in_order().select_related("carry_from"):
        sections[form_field.section_id].fields.append(
            FieldInput(form_field.indicator, form_field.required, form_field.carry_from)
        )
    return list(sections.values())


def _signature(sections: list[SectionInput]) -> list:
    return [
        (
            (s.name_ru.strip(), s.name_kk.strip(), s.name_en.strip()),
            [(f.indicator.pk, bool(f.required), f.carry_from.pk if f.carry_from else None) for f in s.fields],
        )
        for s in sections
    ]


def _check_layout(sections: list[SectionInput]) -> None:
    errors = []
    if not any(section.fields for section in sections):
        errors.append(_("A form needs at least one field."))
    seen: set[int] = set()
    for position, section in enumerate(sections, start=1):
        if not section.name_ru.strip():
            errors.append(_("Section %(number)s needs a name in Russian.") % {"number": position})
        if not section.fields:
            errors.append(
                _("Section %(number)s has no fields: add fields to it or delete it.") % {"number": position}
            )
        for form_field in section.fields:
            if form_field.indicator.pk in seen:
                errors.append(
                    _("“%(indicator)s” is on the form twice.") % {"indicator": form_field.indicator.name}
                )
            seen.add(form_field.indicator.pk)
    if errors:
        raise ValidationError(errors)


def _write_sections(version: FormVersion, sections: list[SectionInput]) -> None:
    for order, section_input in enumerate(sections):
        section = FormSection.objects.create(
            version=version,
            order=order,
            name_ru=section_input.name_ru.strip(),
            name_kk=section_input.name_kk.strip(),
            name_en=section_input.name_en.strip(),
        )
        FormField.objects.bulk_create(
            [
                FormField(
                    section=section,
                    indicator=field_input.indicator,
                    order=position,
                    required=field_input.required,
                    carry_from=field_input.carry_from,
                )
                for position, field_input in enumerate(section_input.fields)
            ]
        )


@transaction.atomic
def new_version(form: ReportForm, *, user, sections: list[SectionInput], note: str = "") -> FormVersion:
    """Add the form's next version with these sections and fields; reports already filed keep theirs."""
    _require_manage(user)
    _check_layout(sections)
    form = ReportForm.objects.select_for_update().get(pk=form.pk)
    current = form.current_version()
    version = FormVersion.objects.create(
        form=form, number=(current.number + 1) if current else 1, note=note.strip()[:300]
    )
    _write_sections(version, sections)
    return version


@transaction.atomic
def form_fields_save(*, user, form: ReportForm, sections: list[SectionInput], note: str = "") -> FormVersion:
    """Save the form's sections and fields: in the current version while no report uses it, else in a
    new version (`new_version`). Nothing changes when the layout is the same."""
    _require_manage(user)
    _check_layout(sections)
    form = ReportForm.objects.select_for_update().get(pk=form.pk)
    current = form.current_version()
    if current is not None and _signature(layout_of(current)) == _signature(sections):
        return current
    if current is None or current.reports.exists():
        return new_version(form, user=user, sections=sections, note=note)
    current.sections.all().delete()
    _write_sections(current, sections)
    if note.strip():
        current.note = note.strip()[:300]
        current.save(update_fields=["note"])
    return current
