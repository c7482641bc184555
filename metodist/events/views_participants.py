"""Pages of participants: the list with attendance, invitations, the public registration, check-in by QR.

The public pages (registration, invitation answers, self-cancel) need no login: the token in the link is
the key. Everything else goes through the events selectors and so through the user's scope.
"""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.events import participants as services
from metodist.events.models import HOLDS_PLACE, Event, Participant, ParticipantStatus
from metodist.events.selectors import MANAGE, can_manage, get_event_or_404

SIGNIN_BLANK_ROWS = 5
SIGNIN_MAX_BLANK_ROWS = 200


# --- forms ------------------------------------------------------------------------------------------


def _check_phone(phone: str) -> str:
    digits = services.phone_digits(phone)
    if phone.strip() and not 5 <= len(digits) <= 15:
        raise ValidationError(_("Enter a phone number of 5 to 15 digits."), code="phone")
    return phone.strip()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # Indent by depth so the select reads as the tree.
        return "\u2003" * max(0, obj.depth - 1) + obj.name


class StaffGroupInviteForm(BootstrapMixin, forms.Form):
    unit = UnitChoiceField(
        label=gettext_lazy("Unit (all staff of it and of the units under it)"),
        queryset=None,
        required=False,
    )
    position = forms.ChoiceField(label=gettext_lazy("Position"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="group", **kwargs)
        self.fields["unit"].queryset = scope.units(user).filter(archived_at__isnull=True).order_by("path")
        self.fields["unit"].empty_label = _("all units I see")
        self.fields["position"].choices = [("", _("any position"))] + [
            (p, p) for p in services.staff_positions(user)
        ]

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not data.get("position"):
            raise ValidationError(_("Choose a unit, a position or both."), code="empty")
        return data


class StaffPickForm(forms.Form):
    staff = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Staff members"),
        queryset=None,
        error_messages={"required": gettext_lazy("Tick at least one person.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="pick", **kwargs)
        self.fields["staff"].queryset = services.current_staff(user)


class OutsideInviteForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=300, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="outside", **kwargs)

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])


class RegistrationForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
        help_text=gettext_lazy("An e-mail address or a phone number is enough."),
    )

    def clean_phone(self) -> str:
        return _check_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if "email" in data and "phone" in data and not data["email"] and not data["phone"]:
            raise ValidationError(_("Give an e-mail address or a phone number."), code="no_contact")
        return data


def _apply_error(form: forms.Form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


# --- the participants page ----------------------------------------------------------------------------


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in ParticipantStatus.values else ""


def _page_context(request: HttpRequest, event: Event, **forms_) -> dict:
    user = request.user
    manage = can_manage(user, event)
    status = _status_filter(request)
    rows = event.participants.select_related("unit").order_by("created_at", "pk")
    if status:
        rows = rows.filter(status=status)
    counts = services.status_counts(event)
    context = {
        "nav_active": "events",
        "event": event,
        "participants": rows,
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in ParticipantStatus.choices],
        "total": sum(counts.values()),
        "attended": event.participants.filter(attended=True).count(),
        "places_left": services.places_left(event),
        "can_manage": manage,
    }
    if manage:
        q = request.GET.get("q", "").strip()[:100]
        context.update(
            group_form=forms_.get("group_form") or StaffGroupInviteForm(user=user),
            pick_form=forms_.get("pick_form"),
            outside_form=forms_.get("outside_form") or OutsideInviteForm(),
            q=q,
            staff_results=services.staff_search(user, q),
            public_url=request.build_absolute_uri(reverse("events:register", args=[event.public_token])),
        )
    return context


@login_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk)
    context = _page_context(request, event)
    target = request.htmx.target if request.htmx else None
    if target == "participant-rows":
        return render(request, "events/participants.html#rows", context)
    if target == "staff-results":
        return render(request, "events/participants.html#staff_results", context)
    return render(request, "events/participants.html", context)


def _back(event: Event) -> HttpResponse:
    return redirect("events:participants", pk=event.pk)


def _report_invited(request: HttpRequest, result: services.InviteResult) -> None:
    if result.invited:
        messages.success(
            request,
            _("Invited: %(invited)s. Invitations sent by e-mail: %(mailed)s.")
            % {"invited": len(result.invited), "mailed": result.mailed},
        )
    if result.already:
        messages.info(
            request, _("Already on the list, not invited again: %(count)s.") % {"count": result.already}
        )
    if not result.invited and not result.already:
        messages.warning(request, _("Nobody matches: no current staff there."))


@login_required
@require_POST
def invite_group(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    form = StaffGroupInviteForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "events/participants.html", _page_context(request, event, group_form=form))
    staff = services.current_staff(
        request.user, unit=form.cleaned_data["unit"], position=form.cleaned_data["position"]
    )
    result = services.participants_invite_staff(
        user=request.user, event=event, staff=staff, base_url=_base_url(request)
    )
    _report_invited(request, result)
    return _back(event)


@login_required
@require_POST
def invite_pick(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    form = StaffPickForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("staff", [])))
        return _back(event)
    result = services.participants_invite_staff(
        user=request.user, event=event, staff=form.cleaned_data["staff"], base_url=_base_url(request)
    )
    _report_invited(request, result)
    return _back(event)


@login_required
@require_POST
def invite_outside(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    form = OutsideInviteForm(request.POST)
    if form.is_valid():
        try:
            participant, mailed = services.participant_invite_outside(
                user=request.user, event=event, base_url=_base_url(request), **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_error(form, exc)
        else:
            if mailed:
                text = _("%(name)s is invited; the invitation was sent by e-mail.")
            else:
                text = _("%(name)s is invited; give them the invitation link yourself.")
            messages.success(request, text % {"name": participant.full_name})
            return _back(event)
    return render(request, "events/participants.html", _page_context(request, event, outside_form=form))


def _participant_of(event: Event, participant_pk: int) -> Participant:
    return get_object_or_404(event.participants.select_related("unit"), pk=participant_pk)


@login_required
@require_POST
def participant_attended(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    participant = services.attendance_mark(
        user=request.user,
        participant=_participant_of(event, participant_pk),
        attended=request.POST.get("attended") in ("on", "1", "true"),
    )
    if request.htmx:
        event.refresh_from_db()
        context = {
            "event": event,
            "p": participant,
            "can_manage": True,
            "attended": event.participants.filter(attended=True).count(),
            "oob": True,
        }
        return render(request, "events/participants.html#row_and_totals", context)
    return _back(event)


@login_required
@require_POST
def participant_withdraw(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk, MANAGE)
    participant = _participant_of(event, participant_pk)
    promoted = services.participant_withdraw(
        user=request.user, participant=participant, base_url=_base_url(request)
    )
    messages.success(request, _("%(name)s is taken off the list.") % {"name": participant.full_name})
    for person in promoted:
        messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": person.full_name})
    return _back(event)


@login_required
def signin_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_or_404(request.user, pk)
    try:
        blank = int(request.GET.get("blank", SIGNIN_BLANK_ROWS))
    except ValueError:
        blank = SIGNIN_BLANK_ROWS
    blank = max(0, min(blank, SIGNIN_MAX_BLANK_ROWS))
    # Everyone expected, and those who came although not expected (waiting, declined), sign.
    people = list(
        event.participants.select_related("unit")
        .filter(Q(status__in=HOLDS_PLACE) | Q(attended=True))
        .order_by("full_name", "pk")
    )
    return render(
        request,
        "events/signin_sheet.html",
        {"event": event, "people": people, "blank_rows": range(len(people) + 1, len(people) + blank + 1)},
    )


# --- check-in by the QR code of a ticket ------------------------------------------------------------


@login_required
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    participant = services.participant_for_check_in(request.user, token)
    participant, already = services.participant_check_in(user=request.user, participant=participant)
    return render(
        request,
        "events/participants_checkin.html",
        {"nav_active": "events", "participant": participant, "event": participant.event, "already": already},
    )


# --- public pages (no login) ------------------------------------------------------------------------


def _qr_svg(url: str) -> str:
    # segno writes the SVG from our own URL; nothing of the visitor's input goes into it.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, border=2))


def _public_event(token: str) -> Event:
    # The public token in the link is the key: no user, no scope.
    return get_object_or_404(Event.objects.select_related("venue_unit", "form"), public_token=token)


def _public_participant(token: str) -> Participant:
    return get_object_or_404(Participant.objects.select_related("event", "event__venue_unit"), token=token)


def register(request: HttpRequest, token: str) -> HttpResponse:
    event = _public_event(token)
    refusal = services.registration_refusal(event)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            participant = services.registration_create(
                event=event, base_url=_base_url(request), **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_error(form, exc)
        else:
            return redirect("events:registration", token=participant.token)
    return render(
        request,
        "events/public_register.html",
        {
            "event": event,
            "form": form,
            "refusal": refusal,
            "places_left": services.places_left(event),
        },
    )


def registration(request: HttpRequest, token: str) -> HttpResponse:
    participant = _public_participant(token)
    checkin_url = request.build_absolute_uri(reverse("events:checkin", args=[participant.token]))
    return render(
        request,
        "events/public_registration.html",
        {
            "participant": participant,
            "event": participant.event,
            "waiting_position": services.waiting_position(participant),
            "qr": _qr_svg(checkin_url),
            "holds_place": participant.status in HOLDS_PLACE,
        },
    )


def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    participant = _public_participant(token)
    error = ""
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            services.registration_cancel(participant=participant, base_url=_base_url(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your registration is cancelled."))
            return redirect("events:registration", token=participant.token)
    return render(
        request,
        "events/public_cancel.html",
        {"participant": participant, "event": participant.event, "error": error},
    )


def _invitation(request: HttpRequest, token: str, *, accept: bool) -> HttpResponse:
    participant = _public_participant(token)
    error = ""
    if request.method == "POST":
        try:
            participant = services.invitation_answer(
                participant=participant, accept=accept, base_url=_base_url(request)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if accept:
                messages.success(request, _("Thank you: we are expecting you."))
            else:
                messages.info(request, _("Thank you for letting us know."))
            return redirect("events:registration", token=participant.token)
    return render(
        request,
        "events/public_invitation.html",
        {"participant": participant, "event": participant.event, "accept": accept, "error": error},
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _invitation(request, token, accept=True)


def invitation_decline(request: HttpRequest, token: str) -> HttpResponse:
    return _invitation(request, token, accept=False)


urlpatterns = [
    path("<int:pk>/participants/", participants, name="participants"),
    path("<int:pk>/participants/invite/group/", invite_group, name="participant_invite_group"),
    path("<int:pk>/participants/invite/pick/", invite_pick, name="participant_invite_pick"),
    path("<int:pk>/participants/invite/outside/", invite_outside, name="participant_invite_outside"),
    path(
        "<int:pk>/participants/<int:participant_pk>/attended/",
        participant_attended,
        name="participant_attended",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/withdraw/",
        participant_withdraw,
        name="participant_withdraw",
    ),
    path("<int:pk>/signin-sheet/", signin_sheet, name="signin_sheet"),
    path("checkin/<str:token>/", checkin, name="checkin"),
    path("register/<str:token>/", register, name="register"),
    path("registration/<str:token>/", registration, name="registration"),
    path("registration/<str:token>/cancel/", registration_cancel, name="registration_cancel"),
    path("invitation/<str:token>/accept/", invitation_accept, name="invitation_accept"),
    path("invitation/<str:token>/decline/", invitation_decline, name="invitation_decline"),
]
