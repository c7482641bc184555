"""Writes of the accounts app: user accounts, roles on org units and API tokens.

Pages, the API and management commands all go through these functions; each checks that the acting user
may do it (PermissionDenied otherwise) and records who did it in the role history.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from metodist.accounts.models import ApiToken, Role, RoleKind
from metodist.accounts.selectors import MANAGE_ROLES, can_manage_account, is_administrator
from metodist.core import scope
from metodist.network.models import OrgUnit

User = get_user_model()


def _require_scope(user, unit: OrgUnit) -> None:
    if not scope.covers(user, unit, MANAGE_ROLES):
        raise PermissionDenied(_("You cannot grant or revoke roles on “%(unit)s”.") % {"unit": unit.name})


def _duplicate_error(*, user, unit: OrgUnit, kind: str) -> ValidationError:
    return ValidationError(
        _("%(user)s already holds the role “%(kind)s” on “%(unit)s”.")
        % {"user": user.get_full_name() or user.username, "kind": RoleKind(kind).label, "unit": unit.name},
        code="duplicate",
    )


def role_grant(*, granted_by, user: AbstractUser, unit: OrgUnit, kind: str) -> Role:
    """Give the user a role on a unit's subtree; refuses units outside the granter's scope and duplicates."""
    _require_scope(granted_by, unit)
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Unknown role.")}, code="kind")
    if unit.is_archived:
        raise ValidationError({"unit": _("“%(unit)s” is archived.") % {"unit": unit.name}}, code="archived")
    if Role.objects.filter(user=user, unit=unit, kind=kind).exists():
        raise _duplicate_error(user=user, unit=unit, kind=kind)
    role = Role(user=user, unit=unit, kind=kind, granted_by=granted_by, granted_at=timezone.now())
    role._history_user = granted_by  # the history names the granter even outside a request
    try:
        # Two submits racing past the check above meet the unique constraint; the second one is refused.
        with transaction.atomic():
            role.save()
    except IntegrityError as exc:
        raise _duplicate_error(user=user, unit=unit, kind=kind) from exc
    scope.forget(user)
    return role


@transaction.atomic
def role_revoke(*, revoked_by, role: Role) -> None:
    """Take a role away. An administrator cannot take away their own right to manage roles."""
    _require_scope(revoked_by, role.unit)
    if role.user_id == revoked_by.pk and MANAGE_ROLES in role.capabilities and not revoked_by.is_superuser:
        raise ValidationError(
            _("You cannot revoke your own administrator role; ask another administrator."), code="own_role"
        )
    role._history_user = revoked_by
    user = role.user
    role.delete()
    scope.forget(user)
    if user.pk == revoked_by.pk:
        scope.forget(revoked_by)


@transaction.atomic
def user_create(
    *,
    created_by,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str | None = None,
) -> AbstractUser:
    """Create an account. Without a password, its owner sets one from the mailed link before logging in."""
    if not is_administrator(created_by):
        raise PermissionDenied(_("You cannot create user accounts."))
    user = User(
        username=username.strip(), first_name=first_name.strip(), last_name=last_name.strip(), email=email
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def password_link_send(
    *, user: AbstractUser, domain: str, use_https: bool, new_account: bool = False
) -> None:
    """Mail the user a one-time link to set their password (the same link as a password reset)."""
    if not user.email:
        raise ValidationError(_("The account has no e-mail address."), code="no_email")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {
        "user": user,
        "domain": domain,
        "protocol": "https" if use_https else "http",
        "link": f"{'https' if use_https else 'http'}://{domain}{path}",
        "new_account": new_account,
    }
    subject = "".join(
        render_to_string("registration/metodist_set_password_subject.txt", context).splitlines()
    )
    body = render_to_string("registration/metodist_set_password_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def user_set_active(*, changed_by, user: AbstractUser, active: bool) -> AbstractUser:
    """Open or close an account; closing it also stops its API tokens (they check the owner is active)."""
    if not can_manage_account(changed_by, user):
        raise PermissionDenied(_("You cannot change this account."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user


def token_create(*, user: AbstractUser, name: str) -> tuple[ApiToken, str]:
    """Issue an API token; answers the token and its key, which is shown once and never stored."""
    if not user.is_active:
        raise PermissionDenied(_("The account is not active."))
    return ApiToken.issue(user, name=name.strip())


@transaction.atomic
def token_revoke(*, user: AbstractUser, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
