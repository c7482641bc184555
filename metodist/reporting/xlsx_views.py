"""The page "Upload reports": download a template (XLSX or CSV) for a unit or a subtree, upload it filled,
see what it would change (a dry run) or every error by row and column, then write it.

The checked file waits in a private folder under MEDIA_ROOT under a random name that only the session
knows; "Write" re-reads and re-checks it, and writes only if the check still gives the same changes
(otherwise it shows the new check). A second click finds the file already claimed (it is renamed
before writing) or the submit key used, and changes nothing. The logic is in `xlsx_io`.
"""

from __future__ import annotations

import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.core import scope
from metodist.core.forms import BootstrapMixin
from metodist.core.submit_once import SubmitOnce
from metodist.network.models import OrgUnit
from metodist.reporting import services, xlsx_io
from metodist.reporting.models import ReportForm
from metodist.reporting.periods import Period, PeriodError, PeriodType
from metodist.reporting.selectors import ENTER, REVIEW, expected_units

UPLOAD = "reporting/xlsx/upload.html"
STASH_SESSION_KEY = "report_upload"
STASH_MAX_AGE = 24 * 3600
PAGE_LIMIT = 300  # unit rows or errors listed on the page; the counts are always complete
CHANGES_SHOWN = 12  # changes listed per unit; the count says how many there are
PICKER_LIMIT = 400
PICKER_DEPTH = 3
# How many periods the template form offers, the current one and those before it.
PERIOD_CHOICES = {
    PeriodType.WEEK: 12,
    PeriodType.MONTH: 12,
    PeriodType.QUARTER: 8,
    PeriodType.HALF_YEAR: 4,
    PeriodType.YEAR: 5,
}


def _require_entry(user) -> None:
    if scope.prefixes(user, ENTER) == () and scope.prefixes(user, REVIEW) == ():
        raise PermissionDenied


# --- forms -------------------------------------------------------------------------------------------------


def _open_forms():
    return (
        ReportForm.objects.filter(is_open=True, versions__isnull=False).distinct().order_by("order", "code")
    )


def period_choices(form: ReportForm | None, today) -> list[Period]:
    """The current period of the form and the ones before it, without closed ones."""
    if form is None:
        return []
    current = Period.containing(form.period_type, today)
    periods = [current.shift(-step) for step in range(PERIOD_CHOICES.get(form.period_type, 6))]
    return [p for p in periods if not services.period_closed(form, p)]


def unit_choices(user) -> list[tuple[str, str]]:
    """The top of the user's scope for entering reports, a few levels deep, indented by level."""
    roots = list(scope.roots(user, ENTER).filter(archived_at__isnull=True))
    if not roots:
        return []
    base = min(unit.depth for unit in roots)
    units = (
        scope.units(user, ENTER)
        .filter(archived_at__isnull=True, depth__lt=base + PICKER_DEPTH)
        .order_by("path")
        .only("pk", "depth", "code", "name_ru", "name_kk", "name_en")[:PICKER_LIMIT]
    )
    return [(str(unit.pk), "— " * (unit.depth - base) + unit.name) for unit in units]


class TemplateForm(BootstrapMixin, forms.Form):
    """Which template to download: a form, a period and the unit whose subtree gets one row per unit."""

    form = forms.ModelChoiceField(label=gettext_lazy("Report form"), queryset=ReportForm.objects.none())
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Units"),
        coerce=int,
        help_text=gettext_lazy("One row for each unit under it that reports on the form."),
    )
    format = forms.ChoiceField(
        required=False, choices=[("xlsx", "XLSX"), ("csv", "CSV")], widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["form"].queryset = _open_forms()
        self.fields["form"].empty_label = None
        self.chosen_form = self._chosen_form()
        self.periods = period_choices(self.chosen_form, timezone.localdate())
        self.fields["period"].choices = [(p.code, p.label()) for p in self.periods]
        if not self.is_bound and len(self.periods) > 1:
            # The period just ended is the one usually being reported.
            self.initial.setdefault("period", self.periods[1].code)
        self.fields["unit"].choices = unit_choices(user)
        self._keep_chosen_unit()

    def _chosen_form(self) -> ReportForm | None:
        raw = self.data.get("form") if self.is_bound else self.initial.get("form")
        queryset = self.fields["form"].queryset
        if raw:
            try:
                return queryset.filter(pk=int(getattr(raw, "pk", raw))).first()
            except (TypeError, ValueError):
                return None
        first = queryset.first()
        if first is not None:
            self.initial.setdefault("form", first.pk)
        return first

    def _keep_chosen_unit(self) -> None:
        """A unit deeper than the list goes (a link from its card: `?unit=<pk>`) is added to the list."""
        raw = self.data.get("unit") if self.is_bound else self.initial.get("unit")
        choices = self.fields["unit"].choices
        if not raw or any(value == str(raw) for value, _label in choices):
            return
        try:
            unit = scope.units(self.user, ENTER).filter(pk=int(raw), archived_at__isnull=True).first()
        except (TypeError, ValueError):
            return
        if unit is not None:
            self.fields["unit"].choices = [*choices, (str(unit.pk), unit.name)]

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(_("Choose a period from the list.")) from exc

    def clean_unit(self) -> OrgUnit:
        unit = scope.units(self.user, ENTER).filter(pk=self.cleaned_data["unit"]).first()
        if unit is None:
            raise forms.ValidationError(_("Choose a unit from the list."))
        return unit


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled template (.xlsx or .csv)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,.csv,{xlsx_io.XLSX_CONTENT_TYPE},text/csv"}),
        error_messages={"required": gettext_lazy("Choose a file.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > xlsx_io.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": xlsx_io.MAX_FILE_BYTES // 2**20}
            )
        return upload


# --- pages -------------------------------------------------------------------------------------------------


def _context(request: HttpRequest, **extra) -> dict:
    context = {
        "nav_active": "reporting",
        "template_form": TemplateForm(user=request.user),
        "upload_form": UploadForm(),
        "page_limit": PAGE_LIMIT,
        "changes_shown": CHANGES_SHOWN,
        "max_rows": xlsx_io.MAX_ROWS,
        "max_size_mb": xlsx_io.MAX_FILE_BYTES // 2**20,
        "can_review": scope.prefixes(request.user, REVIEW) != (),
    }
    context.update(extra)
    return context


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """The page: GET shows the two forms; POST checks an uploaded file, or writes the checked one."""
    _require_entry(request.user)
    if request.method == "POST" and request.POST.get("token"):
        return _write(request)
    if request.method == "POST":
        return _check(request)
    if request.htmx and request.GET.get("form"):
        form = TemplateForm(initial={"form": request.GET["form"]}, user=request.user)
        return render(request, f"{UPLOAD}#period_field", {"template_form": form})
    context = _context(request)
    if request.GET.get("unit"):
        context["template_form"] = TemplateForm(initial={"unit": request.GET["unit"]}, user=request.user)
    return render(request, UPLOAD, context)


@login_required
def upload_template(request: HttpRequest) -> HttpResponse:
    """The template as XLSX or CSV: one row per unit of the chosen subtree that reports on the form."""
    user = request.user
    _require_entry(user)
    form = TemplateForm(request.GET, user=user)
    if not form.is_valid():
        return render(request, UPLOAD, _context(request, template_form=form))
    report_form, period, unit = (form.cleaned_data[name] for name in ("form", "period", "unit"))
    units = list(
        scope.units(user, ENTER, expected_units(report_form, period, under=unit)).order_by("path")[
            : xlsx_io.MAX_ROWS
        ]
    )
    if not units:
        form.add_error(
            "unit",
            _("For %(period)s, no unit under “%(unit)s” reports on this form.")
            % {"unit": unit.name, "period": period.label()},
        )
        return render(request, UPLOAD, _context(request, template_form=form))
    if form.cleaned_data.get("format") == "csv":
        content, extension = xlsx_io.template_csv(report_form, period, units), "csv"
        content_type = xlsx_io.CSV_CONTENT_TYPE
    else:
        content, extension = xlsx_io.template_xlsx(report_form, period, units), "xlsx"
        content_type = xlsx_io.XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    filename = xlsx_io.template_filename(report_form, period, unit, extension)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _check(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, UPLOAD, _context(request, upload_form=form))
    upload_file = form.cleaned_data["file"]
    content = upload_file.read()
    filename = (upload_file.name or "")[:200]
    plan = xlsx_io.parse_upload(content, user=request.user)
    return _show_plan(request, plan, content=content, filename=filename)


def _show_plan(request: HttpRequest, plan: xlsx_io.UploadPlan, *, content: bytes, filename: str, **extra):
    """The dry run: the errors, or what would change with a button to write it (the file is kept)."""
    context = _context(request, plan=plan, filename=filename, **extra)
    if plan.form is not None and plan.period is not None:
        # The template form shows the form and period of the file just checked.
        initial = {"form": plan.form.pk, "period": plan.period.code}
        context["template_form"] = TemplateForm(initial=initial, user=request.user)
    if not plan.errors and plan.to_write:
        context["token"] = _stash(request, content=content, filename=filename, fingerprint=plan.fingerprint())
    else:
        _stash_drop(request)
    return render(request, UPLOAD, context)


def _write(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    guard = SubmitOnce(request, "reporting:upload")
    if guard.done is not None or not guard.claim():
        messages.info(request, _("This file is already written (or being written)."))
        return redirect("reporting:upload")
    stashed = _stash_claim(request, token)
    if stashed is None:
        guard.release()
        messages.warning(request, _("The checked file is no longer kept. Upload it again to check it."))
        return redirect("reporting:upload")
    content, filename, fingerprint, claimed = stashed
    try:
        plan = xlsx_io.parse_upload(content, user=request.user)
        if plan.errors or plan.fingerprint() != fingerprint:
            guard.release()
            note = _("The reports have changed since the check. Here is what the file would change now.")
            return _show_plan(request, plan, content=content, filename=filename, changed_note=note)
        try:
            summary = xlsx_io.upload_apply(plan, user=request.user)
        except xlsx_io.UploadRefused as exc:
            guard.release()
            return render(request, UPLOAD, _context(request, plan=plan, filename=filename, errors=exc.errors))
    finally:
        claimed.unlink(missing_ok=True)
    guard.saved(summary.values_written)
    messages.success(
        request,
        _(
            "The file “%(file)s” is written. Values written: %(values)s; new reports: %(created)s; "
            "reports changed: %(changed)s."
        )
        % {
            "file": filename,
            "values": summary.values_written,
            "created": summary.reports_created,
            "changed": summary.reports_changed,
        },
    )
    return redirect("reporting:upload")


# --- the checked file, kept for the session -------------------------------------------------------------


def _stash_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "report-uploads"


def _stash(request: HttpRequest, *, content: bytes, filename: str, fingerprint: str) -> str:
    folder = _stash_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _stash_drop(request)
    _stash_clean_old(folder)
    token = get_random_string(32)  # letters and digits: also the submit key of SubmitOnce
    target = folder / token
    target.write_bytes(content)
    target.chmod(0o600)
    request.session[STASH_SESSION_KEY] = {"token": token, "filename": filename, "fingerprint": fingerprint}
    return token


def _stash_claim(request: HttpRequest, token: str) -> tuple[bytes, str, str, Path] | None:
    """Take the kept file for writing: renamed first, so a second click cannot take it too."""
    stash = request.session.get(STASH_SESSION_KEY)
    # The path is built from the session's token only, never from what the browser sent.
    if not stash or not token or not constant_time_compare(stash["token"], token):
        return None
    source = _stash_dir() / stash["token"]
    claimed = source.with_name(stash["token"] + ".writing")
    try:
        source.rename(claimed)
        content = claimed.read_bytes()
    except OSError:
        return None
    request.session.pop(STASH_SESSION_KEY, None)
    return content, stash["filename"], stash["fingerprint"], claimed


def _stash_drop(request: HttpRequest) -> None:
    stash = request.session.pop(STASH_SESSION_KEY, None)
    if stash:
        (_stash_dir() / stash["token"]).unlink(missing_ok=True)


def _stash_clean_old(folder: Path) -> None:
    """Files of checks that were never written go after a day."""
    limit = time.time() - STASH_MAX_AGE
    for item in folder.iterdir():
        try:
            if item.is_file() and item.stat().st_mtime < limit:
                item.unlink()
        except OSError:
            continue  # another process removed it first


urlpatterns = [
    path("upload/", upload, name="upload"),
    path("upload/template/", upload_template, name="upload_template"),
]
