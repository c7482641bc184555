"""Issue 4 in the browser: the Mukur librarian fills the weekly report of her online centre in Russian, meets
a validation error, fixes it and submits; the methodologist returns the report with a comment; the librarian
fixes it and submits again; it is accepted; the completeness of Mukur's district (Abay: the demo network, like
the real one, has Mukur in Abay district, not in Beskaragay) shows the report accepted."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from metodist.network.models import OrgUnit
from metodist.reporting.models import Report, ReportForm, ReportStatus
from metodist.reporting.periods import Period, PeriodType
from metodist.reporting.services import values_of

pytestmark = pytest.mark.browser

RETURN_COMMENT = "Проверьте число обученных взрослых: сверьте его с журналом курсов компьютерной грамотности"


def _log_out(page: Page) -> None:
    page.locator(".navbar .dropdown-toggle").last.click()
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_load_state()


def _fill(page: Page, key: str, value: str) -> None:
    """Type a value and leave the field, as a person does: the field saves itself (htmx) and says so."""
    cell = page.locator(f"#cell-{key}")
    field = page.locator(f"#cell-{key}-value")
    field.fill(value)
    field.press("Tab")
    expect(cell).to_have_class(re.compile(r"entry-state-saved"))


def _completeness_row(page: Page, url: str, code: str) -> dict[str, str]:
    """The figures of one unit's row of the completeness page."""
    page.goto(url)
    cells = page.locator(f"#completeness-table tr[data-unit='{code}'] td").all_inner_texts()
    names = ("expected", "submitted", "percent", "on_time", "late", "accepted", "returned", "missing")
    return dict(zip(names, (cell.strip() for cell in cells), strict=True))


def _usual_week(online_centre: OrgUnit, form: ReportForm) -> dict[str, int]:
    """Figures like the centre's last accepted week, so only the error the test makes is found."""
    last = (
        Report.objects.filter(unit=online_centre, form=form, status=ReportStatus.ACCEPTED)
        .order_by("-period_start")
        .first()
    )
    return {key: int(value) for key, value in values_of(last).items() if value is not None}


def test_mukur_fills_the_weekly_report_it_is_returned_fixed_and_accepted(
    demo, page, open_page, log_in, screenshot, failed_responses
):
    centre = OrgUnit.objects.get(code="MUK-OC")
    form = ReportForm.objects.get(code="oc_weekly")
    week = Period.containing(PeriodType.WEEK, timezone.localdate())
    usual = _usual_week(centre, form)
    assert not Report.objects.filter(unit=centre, form=form, period_start=week.start).exists()

    # The librarian opens this week's report from her list of reports.
    log_in("mukur")
    page.goto("/reporting/")
    opener = page.locator(
        f"form:has(input[name=period][value='{week.code}']):has(input[name=unit][value='{centre.pk}'])"
    )
    opener.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("Еженедельный отчёт онлайн-центра")

    # She types the week's figures (people trained by age group: the total adds up as she types); event
    # participants outnumber the visitors: an error, shown at once.
    typed = [key for key in usual if not any(other.startswith(key + ".") for other in usual)]
    for key, value in ((key, usual[key]) for key in typed):
        if key != "oc_event_participants":
            _fill(page, key.replace(".", "-"), str(value))
    _fill(page, "oc_event_participants", str(usual["oc_visitors"] + 15))
    issues = page.locator("#report-issues")
    expect(issues).to_contain_text("Участников мероприятий не может быть больше, чем посетителей за неделю")
    page.locator("#submit-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-danger")).to_contain_text("Отчёт не отправлен")
    screenshot(page, "1-validation-error")
    report = Report.objects.get(unit=centre, form=form, period_start=week.start)
    assert report.status == ReportStatus.DRAFT

    # She fixes the figure and submits.
    _fill(page, "oc_event_participants", str(usual["oc_event_participants"]))
    expect(issues).not_to_contain_text("Участников мероприятий")
    page.locator("#submit-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-info")).to_contain_text("Отправлен")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    _log_out(page)

    # The methodologist sees it arrive in the completeness of Abay district (Mukur's district), then finds
    # it in her acceptance queue and returns it with a comment.
    log_in("methodist")
    abay = OrgUnit.objects.get(code="ABY")
    completeness = f"/reporting/completeness/?form={form.pk}&period={week.code}&unit={abay.pk}"
    mukur = _completeness_row(page, completeness, "ABY-MUK")
    assert (mukur["expected"], mukur["submitted"], mukur["accepted"], mukur["missing"]) == (
        "1",
        "1",
        "0",
        "0",
    )
    page.goto("/reporting/review/")
    page.locator("#id_form").select_option(label=form.name_ru)
    page.locator("#id_period").select_option(week.code)
    page.locator("form[role=search] button[type=submit]").click()
    page.locator(f"a[href='/reporting/reports/{report.pk}/']").first.click()
    page.wait_for_load_state()
    page.locator("#return-comment").fill(RETURN_COMMENT)
    page.locator("form:has(#return-comment) button[type=submit]").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    _log_out(page)

    # The librarian sees why, fixes the figure and submits again.
    log_in("mukur")
    page.goto("/reporting/")
    expect(page.locator("body")).to_contain_text(RETURN_COMMENT)
    page.goto(f"/reporting/reports/{report.pk}/")
    expect(page.locator(".alert-warning")).to_contain_text(RETURN_COMMENT)
    screenshot(page, "2-returned")
    adults = usual["oc_trained.adults"] - 1 if usual["oc_trained.adults"] else 1
    _fill(page, "oc_trained-adults", str(adults))
    page.locator("#submit-form button[type=submit]").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert values_of(report)["oc_trained.adults"] == adults
    _log_out(page)

    # The methodologist accepts it; the report is locked.
    log_in("methodist")
    page.goto(f"/reporting/reports/{report.pk}/")
    page.locator(f"form[action='/reporting/reports/{report.pk}/accept/'] button").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success[role=status]")).to_contain_text("Принят")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    screenshot(page, "3-accepted")

    # The completeness of the district shows the report accepted.
    mukur = _completeness_row(page, completeness, "ABY-MUK")
    assert (mukur["submitted"], mukur["accepted"], mukur["on_time"]) == ("1", "1", "1")
    screenshot(page, "4-completeness")

    assert failed_responses == []
