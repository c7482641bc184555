"""The demo's coordination: agreements of the regional library with college and school libraries, one of
them expiring soon, each with its text as a DOCX file; joint work with the colleges; a rerun adds nothing."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from docx import Document

from metodist.assistance import coordination
from metodist.assistance.models import CoordinationAgreement, FieldVisit
from metodist.demo.coordination_load import load_coordination
from metodist.network.models import UnitKind

NOVEMBER = datetime.date(2026, 11, 26)


def test_the_regional_library_has_agreements_with_colleges_and_a_school_each_with_its_docx(demo):
    agreements = CoordinationAgreement.objects.select_related("owner_unit", "partner_unit")
    assert {a.owner_unit.code for a in agreements} == {"VKOUB"}
    kinds = {a.partner_unit.kind for a in agreements}
    assert kinds == {UnitKind.COLLEGE_LIBRARY, UnitKind.SCHOOL_LIBRARY}
    colleges = {a.partner_unit.code for a in agreements if a.partner_unit.kind == UnitKind.COLLEGE_LIBRARY}
    assert 2 <= len(colleges) <= 3
    for agreement in agreements:
        assert coordination.is_other_department(agreement.partner_unit)
        assert agreement.subject and agreement.joint_plan and agreement.file
    agreement = agreements.get(partner_unit__code="SEM-PED", number="14")
    with agreement.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "о сотрудничестве и координации деятельности № 14" in text
    assert agreement.partner_unit.name_ru in text
    for line in agreement.joint_plan.splitlines():
        assert line in text


def test_one_agreement_expires_soon_and_the_colleges_have_joint_visits(demo, client):
    methodist = get_user_model().objects.get(username="methodist")
    expiring = list(coordination.expiring_agreements(methodist, today=timezone.localdate()))
    assert [a.partner_unit.code for a in expiring] == ["SEM-MED"]
    client.force_login(methodist)
    piece = client.get(reverse("assistance:agreement_expiring"))
    assert "Семипалатинского медицинского колледжа" in piece.text
    for code in ("SEM-PED", "SEM-MED"):
        agreement = (
            CoordinationAgreement.objects.filter(partner_unit__code=code).order_by("-valid_from").first()
        )
        visits = FieldVisit.objects.filter(destinations=agreement.partner_unit, end__gte=agreement.valid_from)
        assert visits.exists()


def test_dates_hang_from_the_anchor_month_and_a_second_load_adds_nothing(demo):
    assert load_coordination() == {}
    assert load_coordination(today=timezone.localdate() + datetime.timedelta(days=40)) == {}
    CoordinationAgreement.objects.all().delete()
    assert load_coordination(today=NOVEMBER)["agreements"] == 5
    agreement = CoordinationAgreement.objects.get(partner_unit__code="SEM-PED", number="14")
    assert (agreement.signed_on, agreement.valid_to) == (
        datetime.date(2025, 2, 12),
        datetime.date(2028, 2, 11),
    )
    expiring = CoordinationAgreement.objects.get(partner_unit__code="SEM-MED")
    assert expiring.valid_to == datetime.date(2026, 11, 1) + datetime.timedelta(days=45)
    assert load_coordination(today=NOVEMBER) == {}
