"""Who sees, writes, approves and reopens a plan; an approved plan is read-only until it is reopened."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from metodist.assistance import plans
from metodist.assistance.models import Plan, PlanItem, PlanStatus


@pytest.fixture
def district_plan(net):
    plan = Plan.objects.create(unit=net.beskaragay, year=2026)
    PlanItem.objects.create(plan=plan, kind="visit", quarter=1, target=3, title="Выезды района")
    return plan


@pytest.fixture
def library_plan(net):
    plan = Plan.objects.create(unit=net.beskaragay_lib, year=2026)
    PlanItem.objects.create(plan=plan, kind="event", quarter=2, target=2, title="Библиодесант")
    return plan


@pytest.fixture
def mukur_plan(net):
    plan = Plan.objects.create(unit=net.mukur, year=2026)
    PlanItem.objects.create(plan=plan, kind="event", month=6, target=1, title="Пушкинский день")
    return plan


def _detail(plan):
    return reverse("assistance:plan_detail", args=[plan.pk])


def test_an_outsider_gets_404_for_a_plan_and_its_exports(outsider, client_for, district_plan):
    client = client_for(outsider)
    assert client.get(_detail(district_plan)).status_code == 404
    assert client.get(reverse("assistance:plan_export_docx", args=[district_plan.pk])).status_code == 404
    assert client.get(reverse("assistance:plan_export_xlsx", args=[district_plan.pk])).status_code == 404
    assert client.get(reverse("assistance:plan_list")).status_code == 403


def test_the_mukur_librarian_reads_her_own_plan_but_no_district_plan(
    net, librarian, client_for, district_plan, mukur_plan
):
    abay_plan = Plan.objects.create(unit=net.abay, year=2026)
    client = client_for(librarian)
    assert client.get(_detail(district_plan)).status_code == 404
    # Not even her own district's: plans are read by whoever sees the unit, and she sees only Mukur.
    assert client.get(_detail(abay_plan)).status_code == 404
    assert client.get(_detail(mukur_plan)).status_code == 200
    listed = client.get(reverse("assistance:plan_list"), {"year": 2026}).content.decode()
    assert _detail(mukur_plan) in listed
    assert _detail(district_plan) not in listed and _detail(abay_plan) not in listed


def test_the_librarian_plans_her_own_library_but_does_not_approve_it(net, librarian, client_for):
    client = client_for(librarian)
    answer = client.post(
        reverse("assistance:plan_create"),
        {"unit": net.mukur.pk, "year": 2027, "submit_key": "k" * 32},
    )
    plan = Plan.objects.get(unit=net.mukur, year=2027)
    assert answer.status_code == 302
    assert plans.can_edit(librarian, plan)
    plans.plan_item_add(user=librarian, plan=plan, data={"kind": "event", "target": 4, "title": "Час поэзии"})
    assert plan.items.count() == 1
    assert client.post(reverse("assistance:plan_approve", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    # Kainar is not hers.
    with pytest.raises(PermissionDenied):
        plans.plan_create(user=librarian, unit=net.kainar, year=2027)


def test_the_marketer_reads_plans_but_does_not_write_them(net, marketer, client_for, district_plan):
    client = client_for(marketer)
    assert client.get(_detail(district_plan)).status_code == 200
    assert client.get(reverse("assistance:plan_create")).status_code == 403
    assert client.get(reverse("assistance:plan_edit", args=[district_plan.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        plans.plan_item_add(user=marketer, plan=district_plan, data={"kind": "visit", "target": 1})


def test_a_methodologist_approves_the_plans_of_the_units_below_her_not_her_own(
    net, methodist, admin_user, client_for, district_plan, library_plan
):
    client = client_for(methodist)
    assert client.post(reverse("assistance:plan_approve", args=[library_plan.pk])).status_code == 302
    library_plan.refresh_from_db()
    assert library_plan.status == PlanStatus.APPROVED and library_plan.approved_at is not None
    # Her own district's plan is approved by the region.
    assert client.post(reverse("assistance:plan_approve", args=[district_plan.pk])).status_code == 403
    approve = reverse("assistance:plan_approve", args=[district_plan.pk])
    assert approve not in client.get(_detail(district_plan)).content.decode()
    assert (
        reverse("assistance:plan_approve", args=[library_plan.pk])
        not in client.get(_detail(library_plan)).content.decode()
    )  # approved: the button turns into "reopen"
    plans.plan_approve(user=admin_user, plan=district_plan)
    district_plan.refresh_from_db()
    assert district_plan.status == PlanStatus.APPROVED


def test_an_approved_plan_is_read_only_until_reopened(net, methodist, client_for, library_plan):
    plans.plan_approve(user=methodist, plan=library_plan)
    library_plan.refresh_from_db()
    item = library_plan.items.get()
    client = client_for(methodist)
    edit = reverse("assistance:plan_edit", args=[library_plan.pk])
    assert client.get(edit).status_code == 302
    page = client.get(_detail(library_plan)).content.decode()
    assert edit not in page
    with pytest.raises(ValidationError):
        plans.plan_item_add(user=methodist, plan=library_plan, data={"kind": "visit", "target": 1})
    with pytest.raises(ValidationError):
        plans.plan_item_update(user=methodist, item=item, data={"target": 9})
    with pytest.raises(ValidationError):
        plans.plan_item_delete(user=methodist, item=item)
    item.refresh_from_db()
    assert item.target == 2

    assert client.post(reverse("assistance:plan_reopen", args=[library_plan.pk])).status_code == 302
    library_plan.refresh_from_db()
    assert library_plan.status == PlanStatus.DRAFT and library_plan.approved_at is None
    plans.plan_item_update(user=methodist, item=item, data={"target": 9})
    item.refresh_from_db()
    assert item.target == 9
    assert client.get(edit).status_code == 200


def test_the_librarian_cannot_reopen_her_approved_plan(net, librarian, methodist, admin_user, mukur_plan):
    plans.plan_approve(user=admin_user, plan=mukur_plan)
    with pytest.raises(PermissionDenied):
        plans.plan_reopen(user=librarian, plan=mukur_plan)
    # The Beskaragay methodologist is above nobody in Abay district.
    with pytest.raises(PermissionDenied):
        plans.plan_reopen(user=methodist, plan=mukur_plan)
    mukur_plan.refresh_from_db()
    assert mukur_plan.status == PlanStatus.APPROVED


def test_an_empty_plan_is_not_approved(net, methodist):
    plan = Plan.objects.create(unit=net.kanonerka, year=2026)
    with pytest.raises(ValidationError):
        plans.plan_approve(user=methodist, plan=plan)
