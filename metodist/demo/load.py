"""Writes the demo network (see `plan.py`) to the database.

Idempotent: every row is looked up by its natural key (a unit by `code`, a person by unit and name, a
passport by unit and year, a user by user name) and only what is missing is added; nothing that exists is
changed, so a second run neither fails nor touches a row, and a demo user keeps a password they changed.
"""

from collections import Counter
from dataclasses import asdict

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from metodist.accounts.models import Role, RoleKind
from metodist.demo import network_data as data
from metodist.demo.assistance_load import load_assistance
from metodist.demo.coordination_load import load_coordination
from metodist.demo.environment_load import load_environment
from metodist.demo.events_load import load_events
from metodist.demo.letters_load import load_letters
from metodist.demo.marketing_load import load_marketing
from metodist.demo.materials_load import load_materials
from metodist.demo.outreach_load import load_outreach
from metodist.demo.partners_load import load_partners
from metodist.demo.plan import UnitPlan, build_plan
from metodist.demo.plans_load import load_plans
from metodist.demo.practices_load import load_practices
from metodist.demo.promotion_load import load_promotion
from metodist.demo.reporting_load import load_reporting
from metodist.network.models import LibraryPassport, OrgUnit, QualificationRecord, StaffMember


def _create_unit(fields: dict, parent: OrgUnit | None) -> OrgUnit:
    candidate = OrgUnit(**fields)
    candidate.check_parent_kind(parent)
    candidate.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return OrgUnit.objects.add_root(instance=candidate)
    # The manager reads the parent row afresh (numchild, last child's path) before adding to it.
    return OrgUnit.objects.add_child(parent, instance=candidate)


def _ensure_units(plan: UnitPlan, created: Counter) -> dict[str, OrgUnit]:
    codes = [node.code for node in plan.walk()]
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}

    def visit(node: UnitPlan, parent: OrgUnit | None) -> None:
        unit = units.get(node.code)
        if unit is None:
            unit = _create_unit(node.fields, parent)
            units[node.code] = unit
            created["units"] += 1
        for child in node.children:
            visit(child, unit)

    visit(plan, None)
    return units


def _ensure_users(units: dict[str, OrgUnit], created: Counter) -> dict:
    user_model = get_user_model()
    users = {}
    password = None
    for spec in data.DEMO_USERS:
        user = user_model.objects.filter(username=spec.username).first()
        if user is None:
            # One slow hash for all the demo logins: they share the published password anyway.
            password = password or make_password(data.DEMO_PASSWORD)
            user = user_model.objects.create(
                username=spec.username,
                password=password,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=spec.email or f"{spec.username}@example.kz",
                is_staff=spec.is_staff,
            )
            created["users"] += 1
        _, role_created = Role.objects.get_or_create(user=user, unit=units[spec.unit_code], kind=spec.role)
        created["roles"] += role_created
        users[spec.username] = user
    return users


def _ensure_staff(plan: UnitPlan, units: dict[str, OrgUnit], users: dict, created: Counter) -> None:
    unit_ids = [units[node.code].pk for node in plan.walk() if node.staff]
    members = {
        (unit_id, name): pk
        for unit_id, name, pk in StaffMember.objects.filter(unit_id__in=unit_ids).values_list(
            "unit_id", "full_name", "pk"
        )
    }
    new_members: list[tuple[StaffMember, list]] = []
    for node in plan.walk():
        unit = units[node.code]
        for person in node.staff:
            if (unit.pk, person.full_name) in members:
                continue
            member = StaffMember(
                unit=unit,
                full_name=person.full_name,
                position=person.position,
                education=person.education,
                started_on=person.started_on,
                user=users.get(person.username),
            )
            member.full_clean(exclude=["unit", "user"])
            new_members.append((member, person.qualifications))
    if new_members:
        bulk_create_with_history([member for member, _ in new_members], StaffMember, batch_size=500)
        created["staff"] += len(new_members)
    for member, _ in new_members:
        members[(member.unit_id, member.full_name)] = member.pk

    have = set(
        QualificationRecord.objects.filter(staff_member__unit_id__in=unit_ids).values_list(
            "staff_member_id", "title", "started_on"
        )
    )
    records = []
    for node in plan.walk():
        unit = units[node.code]
        for person in node.staff:
            member_id = members[(unit.pk, person.full_name)]
            for item in person.qualifications:
                if (member_id, item.title, item.started_on) in have:
                    continue
                record = QualificationRecord(staff_member_id=member_id, **asdict(item))
                record.full_clean(exclude=["staff_member"])
                records.append(record)
    QualificationRecord.objects.bulk_create(records, batch_size=500)
    created["qualifications"] += len(records)


def _ensure_passports(plan: UnitPlan, units: dict[str, OrgUnit], created: Counter) -> None:
    unit_ids = [units[node.code].pk for node in plan.walk() if node.passports]
    have = set(LibraryPassport.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "year"))
    passports = []
    for node in plan.walk():
        unit = units[node.code]
        for item in node.passports:
            if (unit.pk, item.year) in have:
                continue
            passport = LibraryPassport(unit=unit, **asdict(item))
            passport.full_clean(exclude=["unit"])
            passports.append(passport)
    if passports:
        bulk_create_with_history(passports, LibraryPassport, batch_size=500)
    created["passports"] += len(passports)


@transaction.atomic
def load_demo() -> Counter:
    """Add the missing parts of the demo network; answers how many rows of each sort were created."""
    created: Counter = Counter()
    plan = build_plan()
    units = _ensure_units(plan, created)
    users = _ensure_users(units, created)
    _ensure_staff(plan, units, users, created)
    _ensure_passports(plan, units, created)
    created.update(load_events())  # the seed's event and a year of others; adds only what is missing
    created.update(load_assistance())  # a year of the methodologist's consultations; idempotent too
    created.update(load_letters())  # daily correspondence with the online centres
    created.update(load_materials())  # the library of methodological materials
    created.update(load_practices())  # best practices and who adopted them
    created.update(load_coordination())  # agreements with libraries of other departments
    created.update(load_reporting())  # report forms and two years of reports of the whole network
    created.update(load_marketing())  # surveys with their responses, partners, services, PR
    created.update(load_partners())  # partner organisations, agreements and joint work
    created.update(load_promotion())  # services, campaigns, media mentions and press releases
    created.update(load_environment())  # SWOT and PEST of the regional library (after the surveys)
    created.update(load_outreach())  # Knigonosha and Orange windows
    created.update(load_plans())  # the centre's annual plan (after the records it is measured against)
    return +created  # drop the sorts of which nothing was added


def grant_demo_administrator(unit: OrgUnit) -> None:
    """Let the demo `admin` administer another tree too (the synthetic network), if that login exists."""
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is not None:
        Role.objects.get_or_create(user=admin, unit=unit, kind=RoleKind.ADMINISTRATOR)


def demo_totals() -> dict[str, int]:
    """What the demo region holds now, for the summary of the command."""
    from metodist.network.models import LIBRARY_KINDS, TERRITORY_KINDS, UnitKind

    region = OrgUnit.objects.filter(code=data.REGION["code"]).first()
    if region is None:
        return {}
    units = OrgUnit.objects.under(region)
    return {
        "territories": units.filter(kind__in=TERRITORY_KINDS).count(),
        "libraries": units.filter(kind__in=LIBRARY_KINDS - {UnitKind.ONLINE_CENTRE}).count(),
        "online_centres": units.filter(kind=UnitKind.ONLINE_CENTRE).count(),
        "departments": units.filter(kind=UnitKind.DEPARTMENT).count(),
        "staff": StaffMember.objects.filter(unit__path__startswith=region.path).count(),
        "qualifications": QualificationRecord.objects.filter(
            staff_member__unit__path__startswith=region.path
        ).count(),
        "passports": LibraryPassport.objects.filter(unit__path__startswith=region.path).count(),
    }
