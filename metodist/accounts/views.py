"""Pages of the accounts app: login and passwords, the user's own profile with API tokens, and for
administrators the users of their part of the network and the roles they hold."""

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from metodist.accounts import selectors, services
from metodist.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    RoleGrantForm,
    SetPasswordForm,
    TokenCreateForm,
    UserCreateForm,
    UserSearchForm,
)

logger = logging.getLogger(__name__)

# The key of a new API token waits here between the POST that makes it and the page that shows it once.
_NEW_TOKEN_SESSION_KEY = "accounts_new_api_token"  # noqa: S105 - a session key name, not a secret
USERS_PER_PAGE = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"nav_active": "login"}


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {"nav_active": "profile"}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
    extra_context = {"nav_active": "profile"}


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    # Our own names: django.contrib.admin's registration/ templates would win over same-named ones.
    email_template_name = "registration/metodist_password_reset_email.txt"
    subject_template_name = "registration/metodist_password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# The user's own page: roles and API tokens.


def _render_profile(request: HttpRequest, *, token_form: TokenCreateForm, new_token: dict | None = None):
    return render(
        request,
        "accounts/profile.html",
        {
            "nav_active": "profile",
            "roles": selectors.own_roles(request.user),
            "tokens": selectors.own_tokens(request.user),
            "token_form": token_form,
            "new_token": new_token,
        },
    )


@never_cache  # the page may show a new token's key: keep it out of the browser's cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_token = request.session.pop(_NEW_TOKEN_SESSION_KEY, None)
    return _render_profile(request, token_form=TokenCreateForm(), new_token=new_token)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, token_form=form)
    token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
    request.session[_NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "name": token.name, "key": key}
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.own_token_get_or_404(request.user, pk)
    services.token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name or token.prefix})
    return redirect("accounts:profile")


# Users and roles, for administrators.


def administrator_required(view):
    """Logged in, and allowed to manage roles somewhere (or a superuser); others get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@administrator_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserSearchForm(request.GET or None, units=selectors.filter_units(request.user))
    users = selectors.user_list(request.user, **form.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav_active": "accounts", "form": form, "page": page, "query": query.urlencode()}
    template = "accounts/user_list.html#results" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


@administrator_required
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                created_by=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password1"] or None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The account “%(login)s” is created.") % {"login": account.username})
            if data["send_link"]:
                _send_link(request, account, new_account=True)
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_create.html", {"nav_active": "accounts", "form": form})


def _send_link(request: HttpRequest, account, *, new_account: bool) -> None:
    try:
        services.password_link_send(
            user=account, domain=request.get_host(), use_https=request.is_secure(), new_account=new_account
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except OSError:
        logger.exception("Could not send the password link to user %s", account.pk)
        messages.error(request, _("The e-mail could not be sent. Check the mail settings and try again."))
    else:
        messages.success(
            request, _("A link to set the password was sent to %(email)s.") % {"email": account.email}
        )


def _grant_form(request: HttpRequest, data=None, *, unit_q: str = "") -> tuple[RoleGrantForm, bool]:
    options, more = selectors.unit_options(request.user, text=unit_q)
    form = RoleGrantForm(
        data,
        units=selectors.grantable_units(request.user),
        options=options,
        initial={"kind": request.GET.get("kind", "")},
    )
    return form, more


def _user_detail_context(request: HttpRequest, account) -> dict:
    roles, roles_elsewhere = selectors.user_roles(request.user, account)
    grant_form, more_options = _grant_form(request)
    return {
        "nav_active": "accounts",
        "account": account,
        "roles": roles,
        "roles_elsewhere": roles_elsewhere,
        "history": selectors.role_history(request.user, account),
        "can_manage_account": selectors.can_manage_account(request.user, account),
        "grant_form": grant_form,
        "more_options": more_options,
        "unit_q": "",
    }


@administrator_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_or_404(request.user, pk)
    return render(request, "accounts/user_detail.html", _user_detail_context(request, account))


@administrator_required
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the grant form (or, for htmx, the unit select for a search); POST: grant the role."""
    account = selectors.user_get_or_404(request.user, pk)
    if request.method == "POST":
        form, more = _grant_form(request, request.POST)
        if form.is_valid():
            try:
                role = services.role_grant(
                    granted_by=request.user,
                    user=account,
                    unit=form.cleaned_data["unit"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Granted the role “%(kind)s” on “%(unit)s”.")
                    % {"kind": role.get_kind_display(), "unit": role.unit.name},
                )
                return redirect("accounts:user_detail", pk=account.pk)
        unit_q = ""
    else:
        unit_q = request.GET.get("unit_q", "")[:100]
        form, more = _grant_form(request, unit_q=unit_q)
    context = {
        "nav_active": "accounts",
        "account": account,
        "grant_form": form,
        "more_options": more,
        "unit_q": unit_q,
    }
    if request.htmx:
        return render(request, "accounts/_role_grant_form.html#unit_field", context)
    return render(request, "accounts/role_grant.html", context)


@administrator_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    role = selectors.role_get_or_404(request.user, pk)
    try:
        services.role_revoke(revoked_by=request.user, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Revoked the role “%(kind)s” on “%(unit)s”.")
            % {"kind": role.get_kind_display(), "unit": role.unit.name},
        )
    return redirect("accounts:user_detail", pk=role.user_id)


@administrator_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_or_404(request.user, pk)
    active = request.POST.get("active") == "1"
    services.user_set_active(changed_by=request.user, user=account, active=active)
    if active:
        messages.success(request, _("The account is active again."))
    else:
        messages.success(request, _("The account is deactivated: its owner can no longer log in."))
    return redirect("accounts:user_detail", pk=account.pk)


@administrator_required
@require_POST
def user_send_link(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.user_get_or_404(request.user, pk)
    if not selectors.can_manage_account(request.user, account):
        raise PermissionDenied
    _send_link(request, account, new_account=False)
    return redirect("accounts:user_detail", pk=account.pk)
