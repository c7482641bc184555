"""A few consultations for the assistance tests: given by the Beskaragay methodologist and the region."""

import datetime

import pytest

from metodist.assistance.models import Consultation, ConsultationKind, ConsultationMode, Direction


def consult(consultant, unit, to_unit, *, topic="Заполнение паспорта библиотеки", directions=(), **fields):
    fields.setdefault("date", datetime.date(2025, 3, 10))
    consultation = Consultation.objects.create(
        consultant=consultant, consultant_unit=unit, to_unit=to_unit, topic=topic, **fields
    )
    consultation.directions.set(Direction.objects.filter(code__in=directions))
    return consultation


@pytest.fixture
def given(net, admin_user):
    """To Mukur (phone, reporting), to Kainar (on site group, online centres), to Mukur OC (online)."""
    return {
        "mukur": consult(admin_user, net.method_dept, net.mukur, directions=["reporting"]),
        "kainar": consult(
            admin_user,
            net.method_dept,
            net.kainar,
            topic="Работа онлайн-центра: учёт посетителей",
            mode=ConsultationMode.ON_SITE,
            form=ConsultationKind.GROUP,
            people_count=4,
            directions=["online_centres", "reporting"],
        ),
        "mukur_oc": consult(
            admin_user,
            net.method_dept,
            net.mukur_oc,
            topic="Еженедельный отчёт онлайн-центра",
            mode=ConsultationMode.ONLINE,
            date=datetime.date(2025, 4, 2),
            directions=["online_centres"],
        ),
    }
