"""`/api/v1/report-forms` and `/api/v1/reports`: reading forms, opening, filling and moving reports through
the workflow, within scope, with the conflict and per-key answers."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from metodist.accounts.models import ApiToken
from metodist.reporting import services
from metodist.reporting.models import Report, ReportStatus, Value
from metodist.reporting.periods import Period

WEEK = "2025-W10"
FILLED = {
    "oc_visitors": 40,
    "oc_sessions": 25,
    "oc_trained.children": 3,
    "oc_trained.youth": 2,
    "oc_trained.adults": 5,
    "oc_events": 1,
    "oc_event_participants": 18,
}


class Api:
    """A bearer-key client that sends and reads JSON."""

    def __init__(self, user, **headers):
        _token, key = ApiToken.issue(user, name="test")
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", **headers)

    def get(self, url, params=None):
        return self.client.get(url, params or {})

    def post(self, url, data=None):
        body = json.dumps(data) if data is not None else ""  # no body at all, as `curl -X POST` sends
        return self.client.post(url, body, content_type="application/json")

    def patch(self, url, data):
        return self.client.patch(url, json.dumps(data), content_type="application/json")


def _open(api, form, unit, period=WEEK):
    return api.post("/api/v1/reports", {"form": form.code, "unit": unit.pk, "period": period})


def _report(user, form, unit, period=WEEK, **values):
    report = services.open_report(user=user, form=form, unit=unit, period=Period.parse(period))
    if values:
        report = services.save_values(user=user, report=report, values=values, version=report.version)
    return report


# --- forms ----------------------------------------------------------------------------------------------


def test_forms_list_their_indicators_in_form_order_with_parts(oc_form, lib_form, librarian):
    answer = Api(librarian).get("/api/v1/report-forms")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    weekly = next(item for item in body["items"] if item["code"] == "oc_weekly")
    assert weekly["period_type"] == "week"
    assert weekly["deadline_days"] == 3
    assert weekly["is_open"] is True
    assert weekly["version"] == 1
    assert [i["code"] for i in weekly["indicators"]] == [
        "oc_visitors",
        "oc_sessions",
        "oc_trained",
        "oc_events",
        "oc_event_participants",
    ]
    trained = weekly["indicators"][2]
    assert trained["aggregation"] == "sum"
    assert trained["value_type"] == "integer"
    assert trained["section"] == "Обучение и мероприятия"
    assert [part["code"] for part in trained["parts"]] == ["children", "youth", "adults"]
    assert trained["parts"][0]["name"] == "дети до 14 лет"
    monthly = next(item for item in body["items"] if item["code"] == "lib_monthly")
    stock = next(i for i in monthly["indicators"] if i["code"] == "lib_stock")
    assert (stock["aggregation"], stock["parts"]) == ("last", [])


def test_forms_of_one_unit_and_one_form_by_code(oc_form, lib_form, librarian, net):
    api = Api(librarian)
    assert [
        f["code"] for f in api.get("/api/v1/report-forms", {"unit": net.mukur_oc.pk}).json()["items"]
    ] == ["oc_weekly"]
    assert api.get("/api/v1/report-forms", {"unit": net.kainar.pk}).status_code == 404
    answer = api.get("/api/v1/report-forms/lib_monthly")
    assert answer.status_code == 200
    assert answer.json()["name"] == "Ежемесячная статистика библиотеки"
    assert api.get("/api/v1/report-forms/nonexistent").status_code == 404


def test_the_forms_list_costs_the_same_for_more_forms(net, oc_form, librarian, django_assert_max_num_queries):
    api = Api(librarian)
    api.get("/api/v1/report-forms")  # the key's first use is recorded once
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/report-forms").json()["count"] == 1
    from metodist.reporting.testing import library_monthly

    library_monthly(net.region)
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/report-forms").json()["count"] == 2


# --- opening and reading ----------------------------------------------------------------------------------


def test_posting_twice_opens_one_report(oc_form, librarian, net):
    api = Api(librarian)
    first = _open(api, oc_form, net.mukur_oc)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["form"] == "oc_weekly"
    assert body["unit"] == {"id": net.mukur_oc.pk, "code": "MUK-OC", "name": "Онлайн-центр села Мукур"}
    assert (body["period"], body["period_type"], body["status"], body["version"]) == (
        "2025-W10",
        "week",
        "draft",
        1,
    )
    assert (body["period_start"], body["period_end"], body["due"]) == (
        "2025-03-03",
        "2025-03-09",
        "2025-03-12",
    )
    assert body["values"] == {}
    assert body["can_edit"] is True
    again = _open(api, oc_form, net.mukur_oc)
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert Report.objects.count() == 1


def test_opening_refuses_a_wrong_period_form_or_unit(oc_form, librarian, net):
    api = Api(librarian)
    answer = _open(api, oc_form, net.mukur_oc, period="2025-W60")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "period"
    answer = _open(api, oc_form, net.mukur_oc, period="2025-03")  # a month for a weekly form
    assert answer.status_code == 400
    answer = api.post("/api/v1/reports", {"form": "nope", "unit": net.mukur_oc.pk, "period": WEEK})
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "form"
    answer = _open(api, oc_form, net.mukur)  # a library does not report the online-centre form
    assert answer.status_code == 400
    answer = api.post("/api/v1/reports", {"form": "oc_weekly", "unit": net.mukur_oc.pk, "week": WEEK})
    assert answer.status_code == 422
    assert not Report.objects.exists()


def test_a_librarian_cannot_read_or_open_another_units_report(lib_form, librarian, admin_user, net):
    kainar = _report(admin_user, lib_form, net.kainar, "2025-02", lib_visits=5)
    api = Api(librarian)
    assert api.get(f"/api/v1/reports/{kainar.pk}").status_code == 404
    assert (
        api.patch(f"/api/v1/reports/{kainar.pk}", {"values": {"lib_visits": 6}, "version": 2}).status_code
        == 404
    )
    assert api.post(f"/api/v1/reports/{kainar.pk}/submit").status_code == 404
    answer = _open(api, lib_form, net.kainar, period="2025-03")
    assert answer.status_code == 404
    assert answer.json()["errors"][0]["field"] == "unit"
    assert api.get("/api/v1/reports").json()["count"] == 0
    assert api.get("/api/v1/reports", {"unit": net.kainar.pk}).status_code == 404
    assert Report.objects.count() == 1
    assert services.values_of(kainar)["lib_visits"] == 5


def test_seeing_is_not_entering_a_marketer_gets_403(oc_form, marketer, admin_user, net):
    report = _report(admin_user, oc_form, net.mukur_oc)
    api = Api(marketer)
    assert api.get(f"/api/v1/reports/{report.pk}").status_code == 200
    answer = _open(api, oc_form, net.beskaragay_oc)
    assert answer.status_code == 403
    assert (
        api.patch(f"/api/v1/reports/{report.pk}", {"values": {"oc_visitors": 1}, "version": 1}).status_code
        == 403
    )
    assert Report.objects.count() == 1
    assert not Value.objects.exists()


def test_the_list_filters_within_scope(oc_form, lib_form, admin_user, net):
    mukur_week = _report(admin_user, oc_form, net.mukur_oc)
    besk_week = _report(admin_user, oc_form, net.beskaragay_oc)
    mukur_next = _report(admin_user, oc_form, net.mukur_oc, "2025-W11")
    kainar_month = _report(admin_user, lib_form, net.kainar, "2025-03")
    services.save_values(user=admin_user, report=besk_week, values=FILLED, version=besk_week.version)
    services.submit(user=admin_user, report=besk_week)
    api = Api(admin_user)

    def ids(**params):
        answer = api.get("/api/v1/reports", params)
        assert answer.status_code == 200, answer.content
        return [item["id"] for item in answer.json()["items"]]

    # Latest period first, then in tree order (Beskaragay's path sorts before Abay's).
    assert ids(form="oc_weekly") == [mukur_next.pk, besk_week.pk, mukur_week.pk]
    assert ids(period="2025-W10") == [besk_week.pk, mukur_week.pk]
    assert ids(period="2025-03") == [kainar_month.pk]
    assert ids(unit=net.mukur_oc.pk) == [mukur_next.pk, mukur_week.pk]
    assert ids(under=net.abay.pk, form="lib_monthly") == [kainar_month.pk]
    assert ids(status="submitted") == [besk_week.pk]
    assert ids(limit=1, offset=1) == [besk_week.pk]
    assert "values" not in api.get("/api/v1/reports").json()["items"][0]
    assert api.get("/api/v1/reports", {"status": "lost"}).status_code == 422
    assert api.get("/api/v1/reports", {"period": "March"}).status_code == 422
    assert api.get("/api/v1/reports", {"form": "nope"}).status_code == 404


def test_the_list_costs_the_same_for_more_reports(oc_form, admin_user, net, django_assert_max_num_queries):
    api = Api(admin_user)
    _report(admin_user, oc_form, net.mukur_oc, "2025-W01")
    api.get("/api/v1/reports")
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/reports").json()["count"] == 1
    for week in range(2, 12):
        _report(admin_user, oc_form, net.mukur_oc, f"2025-W{week:02d}")
        _report(admin_user, oc_form, net.beskaragay_oc, f"2025-W{week:02d}")
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/reports").json()["count"] == 21


# --- saving values ----------------------------------------------------------------------------------------


def test_patch_saves_values_and_comments_and_bumps_the_version(oc_form, librarian, net):
    api = Api(librarian)
    report = _open(api, oc_form, net.mukur_oc).json()
    answer = api.patch(
        f"/api/v1/reports/{report['id']}",
        {
            "values": {
                "oc_visitors": 40,
                "oc_sessions": "25",
                "oc_trained.children": 3,
                "oc_trained.adults": 4,
            },
            "comments": {"oc_sessions": "Два компьютера были в ремонте"},
            "version": report["version"],
        },
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["version"] == report["version"] + 1
    assert body["values"] == {
        "oc_visitors": 40,
        "oc_sessions": 25,
        "oc_trained.children": 3,
        "oc_trained.adults": 4,
        "oc_trained": 7,
    }
    assert body["comments"] == {"oc_sessions": "Два компьютера были в ремонте"}
    missing = next(issue for issue in body["issues"] if issue["severity"] == "error")
    assert "oc_events" in missing["keys"]
    # Clearing a value with null.
    answer = api.patch(
        f"/api/v1/reports/{report['id']}", {"values": {"oc_trained.adults": None}, "version": body["version"]}
    )
    assert answer.json()["values"]["oc_trained"] == 3
    assert Value.objects.filter(report_id=report["id"]).count() == 3


def test_wrong_values_answer_422_naming_each_key_and_write_nothing(oc_form, librarian, net):
    api = Api(librarian, HTTP_ACCEPT_LANGUAGE="en")
    report = _open(api, oc_form, net.mukur_oc).json()
    answer = api.patch(
        f"/api/v1/reports/{report['id']}",
        {
            "values": {
                "oc_visitors": "сорок",
                "oc_sessions": -3,
                "oc_events": 1.5,
                "oc_trained": 4,
                "nonsense": 1,
            },
            "comments": {"elsewhere": "?"},
            "version": report["version"],
        },
    )
    assert answer.status_code == 422
    errors = {error["field"]: error["message"] for error in answer.json()["errors"]}
    assert errors == {
        "values.oc_visitors": "Not a number.",
        "values.oc_sessions": "The value cannot be negative.",
        "values.oc_events": "A whole number is expected.",
        "values.oc_trained": "This form has no field “oc_trained”.",  # only its parts are entered
        "values.nonsense": "This form has no field “nonsense”.",
        "comments.elsewhere": "This form has no field “elsewhere”.",
    }
    assert answer.json()["detail"] == "Some values are not valid."
    assert not Value.objects.exists()
    assert Report.objects.get().version == report["version"]
    # A value of a shape no form takes is refused before the form sees it.
    answer = api.patch(f"/api/v1/reports/{report['id']}", {"values": {"oc_visitors": [1]}, "version": 1})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"].startswith("values.oc_visitors")
    answer = api.patch(f"/api/v1/reports/{report['id']}", {"values": {"oc_visitors": 1}})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "version"


def test_a_stale_version_is_a_409_with_both_values(oc_form, librarian, admin_user, net):
    mine, theirs = Api(librarian), Api(admin_user)
    report = _open(mine, oc_form, net.mukur_oc).json()
    seen = report["version"]
    saved = theirs.patch(f"/api/v1/reports/{report['id']}", {"values": {"oc_visitors": 40}, "version": seen})
    assert saved.status_code == 200
    answer = mine.patch(
        f"/api/v1/reports/{report['id']}", {"values": {"oc_visitors": 35, "oc_sessions": 9}, "version": seen}
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["conflicts"] == {
        "oc_visitors": {"yours": 35, "theirs": 40},
        "oc_sessions": {"yours": 9, "theirs": None},
    }
    assert body["version"] == saved.json()["version"]
    assert {error["field"] for error in body["errors"]} == {"values.oc_visitors", "values.oc_sessions"}
    assert body["detail"]
    assert services.values_of(Report.objects.get()) == {"oc_visitors": Decimal(40)}
    # Read again, resend from the current version: saved.
    answer = mine.patch(
        f"/api/v1/reports/{report['id']}", {"values": {"oc_visitors": 35}, "version": body["version"]}
    )
    assert answer.status_code == 200
    assert answer.json()["values"] == {"oc_visitors": 35}


# --- the workflow -------------------------------------------------------------------------------------------


def test_submit_return_fix_accept_and_reopen(oc_form, librarian, admin_user, net):
    mine, reviewer = Api(librarian), Api(admin_user)
    report = _open(mine, oc_form, net.mukur_oc).json()
    url = f"/api/v1/reports/{report['id']}"
    broken = mine.patch(
        url, {"values": {**FILLED, "oc_event_participants": 55}, "version": report["version"]}
    ).json()
    assert any(issue["message"] == "Участников больше, чем посетителей" for issue in broken["issues"])
    answer = mine.post(f"{url}/submit")
    assert answer.status_code == 400
    assert answer.json()["detail"] == "Участников больше, чем посетителей"
    fixed = mine.patch(url, {"values": {"oc_event_participants": 18}, "version": broken["version"]}).json()
    assert fixed["issues"] == []
    answer = mine.post(f"{url}/submit", {})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "submitted"
    assert answer.json()["submitted_at"]
    assert answer.json()["can_edit"] is False
    # Locked while submitted: the service refuses (400), nothing written.
    answer = mine.patch(url, {"values": {"oc_visitors": 41}, "version": fixed["version"]})
    assert answer.status_code == 400
    assert mine.post(f"{url}/accept").status_code == 403  # a librarian does not review
    assert reviewer.post(f"{url}/return", {}).status_code == 422  # the comment is required
    assert reviewer.post(f"{url}/return").status_code == 422
    assert reviewer.post(f"{url}/return", {"comment": "  "}).status_code == 400
    answer = reviewer.post(f"{url}/return", {"comment": "Проверьте число сеансов"})
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["review_comment"]) == (
        "returned",
        "Проверьте число сеансов",
    )
    assert mine.get(url).json()["review_comment"] == "Проверьте число сеансов"  # she sees why
    again = mine.patch(url, {"values": {"oc_sessions": 30}, "version": fixed["version"]}).json()
    assert mine.post(f"{url}/submit", {"comment": ""}).json()["status"] == "submitted"
    answer = reviewer.post(f"{url}/accept")
    assert answer.status_code == 200
    assert answer.json()["status"] == "accepted"
    assert reviewer.post(f"{url}/accept").status_code == 400  # a second click changes nothing
    assert mine.post(f"{url}/reopen", {"reason": "Ошибка"}).status_code == 403
    assert reviewer.post(f"{url}/reopen", {"reason": ""}).status_code == 400
    answer = reviewer.post(f"{url}/reopen", {"reason": "Уточнены данные"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "returned"
    assert answer.json()["values"]["oc_sessions"] == 30
    assert answer.json()["version"] == again["version"]
    assert Report.objects.get().status == ReportStatus.RETURNED


def test_warnings_need_a_comment_to_submit(oc_form, librarian, net):
    api = Api(librarian)
    report = _open(api, oc_form, net.mukur_oc).json()
    url = f"/api/v1/reports/{report['id']}"
    body = api.patch(url, {"values": {**FILLED, "oc_sessions": 400}, "version": report["version"]}).json()
    assert [issue["severity"] for issue in body["issues"]] == ["warning"]
    assert api.post(f"{url}/submit").status_code == 400
    answer = api.post(f"{url}/submit", {"comment": "Курсы для пенсионеров, по 10 сеансов"})
    assert answer.status_code == 200
    assert Report.objects.get().submit_comment == "Курсы для пенсионеров, по 10 сеансов"


def test_a_methodologist_reviews_only_her_district(oc_form, methodist, admin_user, net):
    mukur = _report(admin_user, oc_form, net.mukur_oc, **FILLED)
    services.submit(user=admin_user, report=mukur)
    besk = _report(admin_user, oc_form, net.beskaragay_oc, **FILLED)
    services.submit(user=admin_user, report=besk)
    api = Api(methodist)
    assert api.post(f"/api/v1/reports/{mukur.pk}/accept").status_code == 404
    assert api.post(f"/api/v1/reports/{besk.pk}/accept").status_code == 200
    mukur.refresh_from_db()
    assert mukur.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("path", ["", "/1", "/1/submit"])
def test_no_key_no_answer(path, db):
    response = (
        Client().get(f"/api/v1/reports{path}")
        if path in ("", "/1")
        else Client().post(f"/api/v1/reports{path}")
    )
    assert response.status_code == 401
