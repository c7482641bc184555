"""Pages that export the network registry to XLSX or CSV and import it back (the logic is in registry_io)."""

import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.core import scope
from metodist.network import registry_io
from metodist.network.forms import BootstrapMixin

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STASH_SESSION_KEY = "registry_import"
STASH_MAX_AGE = 24 * 3600
PAGE_LIMIT = 300  # rows of the plan or errors listed on the page; the counts are always complete


class RegistryImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": f".xlsx,.csv,{XLSX_CONTENT_TYPE},text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, write nothing"), required=False, initial=True
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > registry_io.MAX_FILE_SIZE:
            raise ValidationError(
                gettext_lazy("The file is larger than %(size)s MB.")
                % {"size": registry_io.MAX_FILE_SIZE // (1024 * 1024)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("token") and "file" not in self.errors:
            self.add_error("file", _("Choose a file."))
        return data


@login_required
def registry_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied
    under_id = request.GET.get("under")
    under = scope.get_unit_or_404(user, under_id) if under_id else None
    archived = request.GET.get("archived") in {"1", "on", "true"}
    rows = registry_io.registry_rows(registry_io.registry_units(user, under=under, archived=archived))
    if request.GET.get("format") == "csv":
        content, extension, content_type = registry_io.registry_csv(rows), "csv", "text/csv; charset=utf-8"
    else:
        content, extension, content_type = registry_io.registry_xlsx(rows), "xlsx", XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    filename = registry_io.export_filename(user=user, under=under, extension=extension)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@login_required
def registry_import(request: HttpRequest) -> HttpResponse:
    if scope.prefixes(request.user, "manage_units") == ():
        raise PermissionDenied
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    context = {
        "nav_active": "network",
        "form": form,
        "max_rows": registry_io.MAX_ROWS,
        "max_size_mb": registry_io.MAX_FILE_SIZE // (1024 * 1024),
        "page_limit": PAGE_LIMIT,
    }
    if request.method == "POST" and form.is_valid():
        response = _import(request, form, context)
        if response is not None:
            return response
    return render(request, "network/registry_import.html", context)


def _import(request: HttpRequest, form: RegistryImportForm, context: dict) -> HttpResponse | None:
    """Check the file, or check and write it. Answers a redirect on success, None to show the page."""
    source = _source(request, form)
    if source is None:
        return None
    content, filename = source
    try:
        table = registry_io.registry_file_read(content=content, filename=filename)
    except registry_io.RegistryFileError as exc:
        form.add_error("file", exc.message)
        return None
    context["filename"] = filename
    if form.cleaned_data["dry_run"]:
        plan = registry_io.registry_import_plan(user=request.user, table=table)
        context.update(plan=plan, errors=plan.errors)
        if not plan.errors and (plan.to_create or plan.to_update or plan.to_move):
            context["token"] = _stash(request, content=content, filename=filename)
        return None
    try:
        plan = registry_io.registry_import_run(user=request.user, table=table)
    except registry_io.RegistryImportFailed as exc:
        context.update(errors=exc.errors)
        return None
    _stash_drop(request)
    messages.success(
        request,
        _(
            "The file was imported: %(created)s created, %(updated)s updated, %(moved)s moved, "
            "%(unchanged)s unchanged."
        )
        % {
            "created": len(plan.to_create),
            "updated": len(plan.to_update),
            "moved": len(plan.to_move),
            "unchanged": len(plan.unchanged),
        },
    )
    return redirect("network:tree")


def _source(request: HttpRequest, form: RegistryImportForm) -> tuple[bytes, str] | None:
    """The uploaded file, or the file checked a moment ago and kept for this session."""
    upload = form.cleaned_data.get("file")
    if upload is not None:
        return upload.read(), upload.name or ""
    stashed = _stash_load(request, form.cleaned_data["token"])
    if stashed is None:
        form.add_error("file", _("The checked file is no longer kept. Choose it again."))
    return stashed


def _stash_dir() -> Path:
    """Where a checked file waits for the user to confirm it; only the session knows its random name."""
    return Path(settings.REGISTRY_IMPORT_STASH_DIR)


def _stash(request: HttpRequest, *, content: bytes, filename: str) -> str:
    _stash_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
    _stash_drop(request)
    _stash_clean_old()
    token = secrets.token_urlsafe(24)
    path = _stash_dir() / token
    path.write_bytes(content)
    path.chmod(0o600)
    request.session[STASH_SESSION_KEY] = {"token": token, "filename": filename}
    return token


def _stash_load(request: HttpRequest, token: str) -> tuple[bytes, str] | None:
    stash = request.session.get(STASH_SESSION_KEY)
    # The path is built from the session's token only, never from what the browser sent.
    if not stash or not token or not secrets.compare_digest(stash["token"], token):
        return None
    try:
        return (_stash_dir() / stash["token"]).read_bytes(), stash["filename"]
    except OSError:
        return None


def _stash_drop(request: HttpRequest) -> None:
    stash = request.session.pop(STASH_SESSION_KEY, None)
    if stash:
        (_stash_dir() / stash["token"]).unlink(missing_ok=True)


def _stash_clean_old() -> None:
    """Files of checks that were never confirmed go after a day."""
    limit = time.time() - STASH_MAX_AGE
    for path in _stash_dir().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue  # another process removed it first
