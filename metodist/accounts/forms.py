"""Forms of the account pages: login (throttled), passwords, users, roles and API tokens."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from metodist.accounts import throttle
from metodist.accounts.models import RoleKind
from metodist.core.forms import BootstrapMixin
from metodist.network.models import OrgUnit

User = get_user_model()


class LoginForm(BootstrapMixin, auth_forms.AuthenticationForm):
    """The login form; refuses attempts after too many failures before looking at the password."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("The login or the password is wrong. Both are case-sensitive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Login")

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()
        try:
            throttle.check(self.request, username)
        except throttle.Throttled as exc:
            raise ValidationError(exc.message, code="throttled") from None
        try:
            super().clean()
        except ValidationError:
            throttle.failed(self.request, username)
            raise
        throttle.succeeded(self.request, username)
        return self.cleaned_data


class PasswordResetForm(BootstrapMixin, auth_forms.PasswordResetForm):
    def get_users(self, email):
        # Accounts created with "send a link" have no usable password yet; their owners may ask again.
        email_field = User.get_email_field_name()
        return User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})


class SetPasswordForm(BootstrapMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(BootstrapMixin, auth_forms.PasswordChangeForm):
    pass


class UserCreateForm(BootstrapMixin, forms.ModelForm):
    """A new account: either an initial password, or a link mailed to the owner to set it."""

    send_link = forms.BooleanField(
        label=_("Send a link to set the password by e-mail"),
        required=False,
        help_text=_("The new user chooses their own password; the link works for a few days."),
    )
    password1 = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty when sending a link."),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email"]
        labels = {"username": _("Login")}

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This login is taken."), code="unique")
        return username

    def clean(self):
        data = super().clean()
        if data.get("send_link"):
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("An e-mail address is needed to send the link."))
            data["password1"] = data["password2"] = ""
            return data
        password1, password2 = data.get("password1"), data.get("password2")
        if not password1:
            self.add_error("password1", _("Enter an initial password or choose to send a link."))
        elif password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        else:
            candidate = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def _post_clean(self):
        # The service builds and validates the user; the model form only checks the fields.
        pass


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, login or e-mail"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("all roles")), *RoleKind.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Within"), required=False, queryset=OrgUnit.objects.none(), empty_label=_("all my units")
    )
    status = forms.ChoiceField(
        label=_("Account"),
        required=False,
        choices=[("", _("all accounts")), ("active", _("active")), ("inactive", _("deactivated"))],
    )

    def __init__(self, *args, units: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = _indented_label
        self.fields["q"].widget.attrs.update({"class": "form-control", "type": "search"})
        for name in ("kind", "unit", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        active = {"active": True, "inactive": False}.get(data.get("status") or "")
        return {
            "text": data.get("q") or "",
            "kind": data.get("kind") or "",
            "unit": data.get("unit"),
            "active": active,
        }


def _indented_label(unit: OrgUnit) -> str:
    # Non-breaking spaces survive in <option> text and show the tree without JavaScript.
    return "\u00a0\u00a0" * max(unit.depth - 1, 0) + f"{unit.name} ({unit.code})"


class RoleGrantForm(BootstrapMixin, forms.Form):
    """Role kind and unit. The select offers `options` (a search result); any unit of `units` is accepted."""

    # No preselected role: a slip of the hand must not make someone an administrator.
    kind = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *RoleKind.choices])
    unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.none(),
        help_text=_("The role covers the unit and everything under it."),
    )

    def __init__(self, *args, units: QuerySet, options: list[OrgUnit], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units
        shown = list(options)
        chosen = self._chosen_unit(units)
        if chosen is not None and chosen not in shown:
            shown.insert(0, chosen)
        # Offer only the search result: a national network has thousands of units.
        field.widget.choices = [("", "---------")] + [(u.pk, _indented_label(u)) for u in shown]

    def _chosen_unit(self, units: QuerySet) -> OrgUnit | None:
        value = self.data.get(self.add_prefix("unit")) if self.is_bound else self.initial.get("unit")
        if not value:
            return None
        if isinstance(value, OrgUnit):
            return value
        try:
            return units.filter(pk=value).first()
        except (ValueError, TypeError):
            return None


class TokenCreateForm(BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “statistics upload script”."),
    )
