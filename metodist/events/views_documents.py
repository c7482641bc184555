"""Pages of an event's generated documents: the news report (ru/kk) with its published text, invitation
tickets and certificates (PDF), and the event report (DOCX).

Reading needs the event to be visible; saving a report, printing invitations and certificates (which
number certificates and write qualification records) need `manage_events` on the organiser's unit.
"""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metodist.events import selectors
from metodist.events.documents import report
from metodist.events.documents.certificates import certificates_issue, certificates_pdf
from metodist.events.documents.docx_report import event_docx
from metodist.events.documents.forms import ReportForm
from metodist.events.documents.pdf import pdf_response
from metodist.events.documents.tickets import checkin_url, event_page_url, invitations_pdf, tickets_for
from metodist.events.models import Event

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE_NAMES = {"ru": gettext_lazy("Russian"), "kk": gettext_lazy("Kazakh")}


def _document_language() -> str:
    language = (translation.get_language() or "ru")[:2]
    return language if language in {"ru", "kk", "en"} else "ru"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The difference of two texts word by word: [("same"|"del"|"ins", text), …] for the template."""
    old_words, new_words = old.split(" "), new.split(" ")
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("del", " ".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("ins", " ".join(new_words[b1:b2])))
    return parts


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _language_blocks(
    event: Event, forms: dict | None = None, confirm_language: str = "", replaced: str | None = None
) -> list[dict]:
    """What the page shows per language; `confirm_language` asks to confirm replacing `replaced` (or the
    published text) with the generated one."""
    blocks = []
    for language in report.LANGUAGES:
        generated = report.generate(event, language)
        published = getattr(event, f"report_{language}")
        made_from = getattr(event, f"report_{language}_generated")
        form = (forms or {}).get(language) or ReportForm(
            initial={"language": language, "text": published or generated}, auto_id=f"id_{language}_%s"
        )
        block = {
            "language": language,
            "name": LANGUAGE_NAMES[language],
            "generated": generated,
            "published": published,
            "hand_edited": report.report_is_hand_edited(event, language),
            "card_changed": bool(published and made_from) and made_from != generated,
            "form": form,
            "confirm": language == confirm_language,
        }
        if block["confirm"]:
            block["diff"] = word_diff(_normal(replaced if replaced is not None else published), generated)
        blocks.append(block)
    return blocks


def _render_report(request: HttpRequest, event: Event, **kwargs) -> HttpResponse:
    context = {
        "nav_active": "events",
        "event": event,
        "event_url": event_page_url(event),
        "can_manage": selectors.can_manage(request.user, event),
        "blocks": _language_blocks(event, **kwargs),
    }
    return render(request, "events/report.html", context, status=200)


@login_required
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        event = selectors.get_event_or_404(request.user, pk)
        return _render_report(request, event)

    event = selectors.get_event_or_404(request.user, pk, selectors.MANAGE)
    language = request.POST.get("language", "")
    form = ReportForm(request.POST, auto_id=f"id_{language}_%s")
    if not form.is_valid():
        if language not in report.LANGUAGES:
            messages.error(request, _("Choose Russian or Kazakh."))
            return redirect("events:report", pk=event.pk)
        return _render_report(request, event, forms={language: form})
    data = form.cleaned_data
    language = data["language"]
    if data["action"] == ReportForm.SAVE:
        report.report_publish(user=request.user, event=event, language=language, text=data["text"])
        messages.success(request, _("The report is saved as published."))
        return redirect("events:report", pk=event.pk)
    typed = _normal(data["text"])
    known = {_normal(getattr(event, f"report_{language}")), _normal(report.generate(event, language))}
    if typed and typed not in known and not data["confirm"]:
        # Edits typed in the box but not saved would be lost as well: ask first.
        return _render_report(request, event, confirm_language=language, replaced=typed)
    try:
        report.report_regenerate(user=request.user, event=event, language=language, confirm=data["confirm"])
    except ValidationError:
        # A hand edit would be lost: show what changes and ask again.
        return _render_report(request, event, confirm_language=language)
    messages.success(request, _("The report is generated again from the card."))
    return redirect("events:report", pk=event.pk)


@login_required
def invitations_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_or_404(request.user, pk, selectors.MANAGE)
    blank_text = request.GET.get("blank", "").strip()
    try:
        blank = int(blank_text) if blank_text else None
    except ValueError:
        messages.error(request, _("The number of blank tickets must be a whole number."))
        return redirect(event_page_url(event))
    try:
        tickets = tickets_for(
            event,
            names=request.GET.getlist("names"),
            blank=blank,
            url_for_token=lambda token: checkin_url(request, event, token),
            event_url=request.build_absolute_uri(event_page_url(event)),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(event_page_url(event))
    pdf = invitations_pdf(event=event, tickets=tickets, language=_document_language())
    return pdf_response(pdf, f"invitations-{event.pk}.pdf")


@login_required
def certificates_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_or_404(request.user, pk, selectors.MANAGE)
    try:
        attendees = certificates_issue(user=request.user, event=event)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(event_page_url(event))
    return pdf_response(certificates_pdf(event=event, attendees=attendees), f"certificates-{event.pk}.pdf")


@login_required
def report_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_or_404(request.user, pk)
    response = HttpResponse(event_docx(event=event, language=_document_language()), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.docx"'
    return response


urlpatterns = [
    path("<int:pk>/report/", report_page, name="report"),
    path("<int:pk>/report.docx", report_docx_view, name="report_docx"),
    path("<int:pk>/invitations.pdf", invitations_pdf_view, name="invitations_pdf"),
    path("<int:pk>/certificates.pdf", certificates_pdf_view, name="certificates_pdf"),
]
