"""factory_boy factories for tests of every app."""

import factory
from django.contrib.auth import get_user_model

from metodist.accounts.models import Role, RoleKind
from metodist.network.models import LibraryPassport, OrgUnit, StaffMember, UnitKind


def add_unit(parent: OrgUnit | None = None, **fields) -> OrgUnit:
    """Create an org unit in the tree (treebeard needs add_root/add_child rather than save)."""
    fields.setdefault("kind", UnitKind.REGION if parent is None else UnitKind.LIBRARY)
    fields.setdefault("name_ru", f"Единица {fields.get('code', '')}".strip())
    fields.setdefault("code", f"U{OrgUnit.objects.count() + 1:05d}")
    if parent is None:
        return OrgUnit.objects.add_root(create_kwargs=fields)
    parent.refresh_from_db()
    return OrgUnit.objects.add_child(parent, create_kwargs=fields)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Айгуль"
    last_name = "Серикова"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-42")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = RoleKind.LIBRARIAN


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    full_name = factory.Sequence(lambda n: f"Сотрудник {n}")
    position = "библиотекарь"


class PassportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LibraryPassport

    year = 2024
    computers = 4
    computers_for_users = 2
