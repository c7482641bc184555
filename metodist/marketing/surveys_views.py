"""Pages of surveys for staff: the list, the templates, the builder (card, sections, questions and
options, order, preview), publishing (status, public links with QR codes and posters, kiosk), paper
questionnaires, the results (figures, charts, cross-tabulation, free texts, the comparison of two waves)
and the XLSX export.

Every lookup goes through `metodist.marketing.surveys` selectors; every write through its services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.marketing import surveys, surveys_answers, surveys_export, surveys_results
from metodist.marketing.models import Question, Survey, SurveyLink, SurveyStatus
from metodist.marketing.models.surveys import SURVEY_LANGUAGES, survey_language
from metodist.marketing.surveys_forms import (
    CopyForm,
    LinksForm,
    QuestionForm,
    ResultsFilterForm,
    SectionForm,
    SurveyForm,
    closed_questions,
    filter_responses,
)

NAV = "surveys"
PAGE_SIZE = 50
TEXT_PAGE_SIZE = 100


def _require_view(user) -> None:
    if scope.prefixes(user, scope.VIEW) == ():
        raise PermissionDenied


def _require_manage(user, survey: Survey) -> None:
    if not surveys.can_manage(user, survey):
        raise PermissionDenied


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _survey_or_template(user, pk: int) -> Survey:
    """A survey the user sees, or a template they may copy."""
    try:
        return surveys.get_survey_or_404(user, pk)
    except Http404:
        return surveys.get_template_or_404(user, pk)


def public_url(request: HttpRequest, link: SurveyLink) -> str:
    return request.build_absolute_uri(reverse("marketing:survey_public", args=[link.token]))


# --- the list and the templates -------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    found = surveys.with_counts(surveys.surveys_visible(request.user))
    status = request.GET.get("status", "")
    if status in SurveyStatus.values:
        found = found.filter(status=status)
    page = Paginator(found.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "page": page,
        "status": status,
        "statuses": SurveyStatus.choices,
        "may_create": surveys.may_create(request.user),
    }
    return render(request, "marketing/surveys/survey_list.html", context)


@login_required
def survey_templates(request: HttpRequest) -> HttpResponse:
    if not surveys.may_create(request.user):
        raise PermissionDenied
    context = {
        "nav_active": NAV,
        "templates": surveys.with_counts(surveys.templates_visible(request.user)).order_by("title_ru"),
        "missing": surveys.missing_templates(),
    }
    return render(request, "marketing/surveys/template_list.html", context)


@login_required
@require_POST
def survey_templates_install(request: HttpRequest) -> HttpResponse:
    if not surveys.may_create(request.user):
        raise PermissionDenied
    created = surveys.templates_install()
    if created:
        messages.success(request, _("The ready templates were added."))
    return redirect("marketing:survey_templates")


# --- the survey card ------------------------------------------------------------------------------------


def _card_page(request: HttpRequest, survey: Survey | None) -> HttpResponse:
    user = request.user
    post = request.POST if request.method == "POST" else None
    form = SurveyForm(post, instance=survey or Survey(), user=user)
    if post is not None:
        guard = SubmitOnce(request, "marketing:survey", enabled=survey is None)
        if not guard.claim():
            messages.info(request, _("The survey was already saved."))
            if isinstance(guard.done, int):
                return redirect("marketing:survey_detail", pk=guard.done)
            return redirect("marketing:survey_list")
        if form.is_valid():
            try:
                if survey is None:
                    saved = surveys.survey_create(user=user, data=form.survey_data())
                else:
                    saved = surveys.survey_update(user=user, survey=survey, data=form.survey_data())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, _("The survey was saved."))
                return redirect("marketing:survey_detail", pk=saved.pk)
        guard.release()
    context = {"nav_active": NAV, "survey": survey, "form": form, "submit_key": form_key(request)}
    return render(request, "marketing/surveys/survey_form.html", context)


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    if not surveys.may_create(request.user):
        raise PermissionDenied
    return _card_page(request, None)


@login_required
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_or_template(request.user, pk)
    _require_manage(request.user, survey)
    return _card_page(request, survey)


@login_required
@require_POST
def survey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    survey = surveys.get_survey_or_404(request.user, pk)
    try:
        surveys.survey_delete(user=request.user, survey=survey)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("marketing:survey_detail", pk=survey.pk)
    messages.success(request, _("The survey was deleted."))
    return redirect("marketing:survey_list")


@login_required
@require_POST
def survey_status(request: HttpRequest, pk: int) -> HttpResponse:
    survey = surveys.get_survey_or_404(request.user, pk)
    try:
        surveys.survey_set_status(user=request.user, survey=survey, status=request.POST.get("status", ""))
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request, _("The survey is now “%(status)s”.") % {"status": SurveyStatus(survey.status).label}
        )
    return redirect("marketing:survey_detail", pk=survey.pk)


@login_required
def survey_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft copy of a template or a survey; `?wave=1` makes it the next wave of the survey."""
    user = request.user
    source = _survey_or_template(user, pk)
    next_wave = request.GET.get("wave") == "1" and not source.is_template
    if not surveys.may_create(user) or (next_wave and not surveys.can_manage(user, source)):
        raise PermissionDenied
    form = CopyForm(request.POST or None, user=user, source=source)
    if request.method == "POST":
        guard = SubmitOnce(request, "marketing:survey_copy")
        if not guard.claim():
            if isinstance(guard.done, int):
                return redirect("marketing:survey_detail", pk=guard.done)
            return redirect("marketing:survey_list")
        if form.is_valid():
            try:
                copy = surveys.survey_copy(user=user, source=source, next_wave=next_wave, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(copy.pk)
                messages.success(request, _("The copy was made: check it and open it for answers."))
                return redirect("marketing:survey_detail", pk=copy.pk)
        guard.release()
    context = {
        "nav_active": NAV,
        "source": source,
        "form": form,
        "next_wave": next_wave,
        "submit_key": form_key(request),
    }
    return render(request, "marketing/surveys/survey_copy.html", context)


# --- the builder ----------------------------------------------------------------------------------------


def _builder_context(request: HttpRequest, survey: Survey) -> dict:
    user = request.user
    questions = surveys.questions_of(survey)
    answered = set(survey.questions.filter(answers__isnull=False).values_list("pk", flat=True).distinct())
    groups: list[dict] = []
    by_section = {}
    for question in questions:
        key = question.section_id
        if key not in by_section:
            by_section[key] = {"section": question.section, "questions": []}
            groups.append(by_section[key])
        question.has_answers = question.pk in answered
        by_section[key]["questions"].append(question)
    for section in survey.sections.all():
        if section.pk not in by_section:
            groups.append({"section": section, "questions": []})
    for group in groups:
        items = group["questions"]
        for index, question in enumerate(items):
            question.first, question.last = index == 0, index == len(items) - 1
    return {
        "nav_active": NAV,
        "survey": survey,
        "groups": groups,
        "question_count": len(questions),
        "can_manage": surveys.can_manage(user, survey),
        "may_create": surveys.may_create(user),
        "response_count": surveys.responses_visible(user, survey).count(),
        "links": surveys.links_visible(user, survey),
        "paper_links": surveys.paper_links(user, survey) if not survey.is_template else [],
        "statuses": SurveyStatus,
    }


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_or_template(request.user, pk)
    context = _builder_context(request, survey)
    if request.htmx and request.htmx.target == "survey-questions":
        return render(request, "marketing/surveys/survey_detail.html#questions", context)
    return render(request, "marketing/surveys/survey_detail.html", context)


@login_required
def section_edit(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    survey = _survey_or_template(request.user, pk)
    _require_manage(request.user, survey)
    section = get_object_or_404(survey.sections, pk=section_pk) if section_pk else None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.section_save(user=request.user, survey=survey, section=section, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The section was saved."))
            return redirect("marketing:survey_detail", pk=survey.pk)
    context = {"nav_active": NAV, "survey": survey, "section": section, "form": form}
    return render(request, "marketing/surveys/section_form.html", context)


@login_required
@require_POST
def section_delete(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    survey = _survey_or_template(request.user, pk)
    section = get_object_or_404(survey.sections, pk=section_pk)
    surveys.section_delete(user=request.user, section=section)
    messages.success(request, _("The section was removed; its questions stay."))
    return redirect("marketing:survey_detail", pk=survey.pk)


@login_required
def question_edit(request: HttpRequest, pk: int, question_pk: int | None = None) -> HttpResponse:
    user = request.user
    survey = _survey_or_template(user, pk)
    _require_manage(user, survey)
    question = get_object_or_404(survey.questions, pk=question_pk) if question_pk else None
    initial = {}
    if question is None and request.GET.get("section", "").isdigit():
        initial["section"] = request.GET["section"]
    form = QuestionForm(
        request.POST or None, instance=question or Question(survey=survey), survey=survey, initial=initial
    )
    if request.method == "POST":
        guard = SubmitOnce(request, f"marketing:question:{survey.pk}", enabled=question is None)
        if not guard.claim():
            return redirect("marketing:survey_detail", pk=survey.pk)
        if form.is_valid():
            try:
                surveys.question_save(
                    user=user,
                    survey=survey,
                    question=question,
                    data=form.question_data(),
                    options=form.option_list(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(survey.pk)
                messages.success(request, _("The question was saved."))
                if request.POST.get("next") == "another":
                    target = reverse("marketing:question_create", args=[survey.pk])
                    section = form.cleaned_data.get("section")
                    return redirect(f"{target}?section={section.pk}" if section else target)
                return redirect("marketing:survey_detail", pk=survey.pk)
        guard.release()
    context = {
        "nav_active": NAV,
        "survey": survey,
        "question": question,
        "form": form,
        "has_answers": question is not None and surveys.has_answers(question),
        "submit_key": form_key(request),
    }
    return render(request, "marketing/surveys/question_form.html", context)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey_or_template(request.user, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    try:
        surveys.question_delete(user=request.user, question=question)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("The question was removed."))
    return redirect("marketing:survey_detail", pk=survey.pk)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey_or_template(request.user, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    surveys.question_move(user=request.user, question=question, up=request.POST.get("direction") == "up")
    if request.htmx:
        return render(
            request, "marketing/surveys/survey_detail.html#questions", _builder_context(request, survey)
        )
    return redirect(f"{reverse('marketing:survey_detail', args=[survey.pk])}#question-{question.pk}")


@login_required
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire as respondents see it, in Russian or Kazakh (`?lang=`); nothing is saved."""
    survey = _survey_or_template(request.user, pk)
    chosen = request.GET.get("lang", "")
    if chosen in SURVEY_LANGUAGES:
        translation.activate(chosen)
    language = survey_language(chosen or get_language())
    data = request.GET if request.GET.get("check") else None
    form = surveys_answers.AnswerForm(data, survey=survey, language=language)
    context = {"survey": survey, "form": form, "language": language, "preview": True}
    return render(request, "marketing/surveys/public_form.html", context)


# --- publishing -----------------------------------------------------------------------------------------


@login_required
def survey_links(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = surveys.get_survey_or_404(user, pk)
    can_manage = surveys.can_manage(user, survey)
    form = LinksForm(request.POST or None, user=user, survey=survey) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                made = surveys.links_create(user=user, survey=survey, units=form.cleaned_data["units"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Links opened: %(count)s.") % {"count": len(made)})
                return redirect("marketing:survey_links", pk=survey.pk)
    links = list(surveys.links_visible(user, survey))
    counts = dict(
        surveys.responses_visible(user, survey).values_list("link_id").annotate(n=Count("id")).order_by()
    )
    paper = set(surveys.paper_links(user, survey).values_list("pk", flat=True))
    for link in links:
        link.url = public_url(request, link)
        link.response_count = counts.get(link.pk, 0)
        link.may_enter = link.pk in paper and survey.status != SurveyStatus.DRAFT
        link.may_kiosk = surveys_answers.may_start_kiosk(user, link)
    context = {"nav_active": NAV, "survey": survey, "links": links, "form": form, "can_manage": can_manage}
    return render(request, "marketing/surveys/survey_links.html", context)


def _link(user, pk: int, link_pk: int) -> SurveyLink:
    survey = surveys.get_survey_or_404(user, pk)
    return get_object_or_404(surveys.links_visible(user, survey).select_related("survey"), pk=link_pk)


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = _link(request.user, pk, link_pk)
    surveys.link_delete(user=request.user, link=link)
    messages.success(request, _("The link was closed; the answers it brought stay."))
    return redirect("marketing:survey_links", pk=pk)


@login_required
def link_qr(request: HttpRequest, pk: int, link_pk: int, kind: str) -> HttpResponse:
    link = _link(request.user, pk, link_pk)
    url = public_url(request, link)
    name = f"survey-{link.survey_id}-{slugify(link.unit.code) or link.unit_id}"
    if kind == "svg":
        response = HttpResponse(surveys_export.qr_svg(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(surveys_export.qr_png(url), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{name}.{kind}"'
    return response


def _poster_context(request: HttpRequest, link: SurveyLink) -> dict:
    url = public_url(request, link)
    survey = link.survey
    return {
        "survey": survey,
        "link": link,
        "url": url,
        "qr": surveys_export.qr_data_uri(url),
        "titles": [t for t in (survey.title_kk, survey.title_ru) if t],
        "unit_names": [n for n in (link.unit.name_kk, link.unit.name_ru) if n],
    }


@login_required
def link_poster(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """A printable A4 page: the QR code, the address and the title in Kazakh and Russian."""
    link = _link(request.user, pk, link_pk)
    return HttpResponse(surveys_export.poster_html(_poster_context(request, link)))


@login_required
def link_poster_pdf(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = _link(request.user, pk, link_pk)
    pdf = surveys_export.poster_pdf(_poster_context(request, link))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="survey-{link.survey_id}-qr.pdf"'
    return response


@login_required
def link_kiosk(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Set this computer up as the library's kiosk of the survey (`?stop=1` ends it)."""
    link = _link(request.user, pk, link_pk)
    if not surveys_answers.may_start_kiosk(request.user, link):
        raise PermissionDenied
    if request.GET.get("stop") == "1":
        response = redirect("marketing:survey_links", pk=pk)
        surveys_answers.kiosk_stop(response, link)
        messages.info(request, _("This computer is no longer a kiosk of the survey."))
        return response
    response = redirect("marketing:survey_public", token=link.token)
    surveys_answers.kiosk_start(request, response, link)
    return response


@login_required
def paper_entry(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Type in a paper questionnaire for the link's library; the form stays open for the next one."""
    user = request.user
    survey = surveys.get_survey_or_404(user, pk)
    link = get_object_or_404(surveys.paper_links(user, survey), pk=link_pk)
    if survey.status == SurveyStatus.DRAFT:
        messages.error(request, _("The survey has not been opened yet."))
        return redirect("marketing:survey_detail", pk=survey.pk)
    language = survey_language(request.POST.get("language") or request.GET.get("lang") or get_language())
    form = surveys_answers.AnswerForm(request.POST or None, survey=survey, language=language)
    if request.method == "POST":
        guard = SubmitOnce(request, f"marketing:paper:{link.pk}")
        if not guard.claim():
            messages.info(request, _("This questionnaire was already entered."))
            return redirect("marketing:paper_entry", pk=survey.pk, link_pk=link.pk)
        if form.is_valid():
            try:
                response = surveys_answers.paper_response_submit(
                    user=user, link=link, language=language, answers=form.answers
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                guard.saved(response.pk)
                count = survey.responses.filter(link=link, entered_by=user).count()
                messages.success(
                    request,
                    _("The questionnaire was entered (%(count)s entered by you for this library).")
                    % {"count": count},
                )
                return redirect(
                    f"{reverse('marketing:paper_entry', args=[survey.pk, link.pk])}?lang={language}"
                )
        guard.release()
    context = {
        "nav_active": NAV,
        "survey": survey,
        "link": link,
        "form": form,
        "language": language,
        "submit_key": form_key(request),
        "paper": True,
    }
    return render(request, "marketing/surveys/paper_entry.html", context)


# --- results --------------------------------------------------------------------------------------------


def _filtered(request: HttpRequest, survey: Survey):
    form = ResultsFilterForm(request.GET or None, user=request.user, survey=survey)
    responses = filter_responses(surveys.responses_visible(request.user, survey), **form.filters())
    return form, responses


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = surveys.get_survey_or_404(user, pk)
    form, responses = _filtered(request, survey)
    questions = surveys.questions_of(survey)
    closed = closed_questions(questions)
    by = None
    by_value = request.GET.get("by", "")
    if by_value.isdigit():
        by = next((q for q in closed if q.pk == int(by_value)), None)
    context = {
        "nav_active": NAV,
        "survey": survey,
        "form": form,
        "closed": closed,
        "by": by,
        "query": _query(request),
        "filter_query": _query(request, "by"),
        "can_manage": surveys.can_manage(user, survey),
        "sees_everything": surveys.sees_everything(user, survey),
    }
    if by is not None:
        context["crosstab"] = surveys_results.crosstab(survey, responses, by, questions=questions)
    if request.htmx and request.htmx.target == "crosstab":
        return render(request, "marketing/surveys/survey_results.html#crosstab", context)
    context["results"] = surveys_results.survey_results(survey, responses, questions=questions)
    return render(request, "marketing/surveys/survey_results.html", context)


@login_required
def survey_texts(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    user = request.user
    survey = surveys.get_survey_or_404(user, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    _form, responses = _filtered(request, survey)
    texts = surveys_results.text_answers(question, responses)
    page = Paginator(texts, TEXT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "survey": survey,
        "question": question,
        "page": page,
        "query": _query(request, "page"),
    }
    return render(request, "marketing/surveys/survey_texts.html", context)


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = surveys.get_survey_or_404(user, pk)
    _form, responses = _filtered(request, survey)
    questions = surveys.questions_of(survey)
    results = surveys_results.survey_results(survey, responses, questions=questions)
    content = surveys_export.results_xlsx(survey, questions, responses, results)
    response = HttpResponse(content, content_type=surveys_export.XLSX_CONTENT_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-{stamp}.xlsx"'
    return response


@login_required
def survey_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey against its previous wave (`?with=<id>` picks another wave of the chain)."""
    user = request.user
    survey = surveys.get_survey_or_404(user, pk)
    previous = survey.previous_wave
    other = request.GET.get("with", "")
    if other.isdigit():
        previous = surveys.get_survey_or_404(user, other)
    if previous is None:
        raise Http404
    previous = surveys.get_survey_or_404(user, previous.pk)
    current_results = surveys_results.survey_results(survey, surveys.responses_visible(user, survey))
    previous_results = surveys_results.survey_results(previous, surveys.responses_visible(user, previous))
    context = {
        "nav_active": NAV,
        "survey": survey,
        "previous": previous,
        "current_results": current_results,
        "previous_results": previous_results,
        "rows": surveys_results.compare_waves(previous_results, current_results),
    }
    return render(request, "marketing/surveys/survey_compare.html", context)


urlpatterns = [
    path("surveys/", survey_list, name="survey_list"),
    path("surveys/new/", survey_create, name="survey_create"),
    path("surveys/templates/", survey_templates, name="survey_templates"),
    path("surveys/templates/install/", survey_templates_install, name="survey_templates_install"),
    path("surveys/<int:pk>/", survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/delete/", survey_delete, name="survey_delete"),
    path("surveys/<int:pk>/status/", survey_status, name="survey_status"),
    path("surveys/<int:pk>/copy/", survey_copy, name="survey_copy"),
    path("surveys/<int:pk>/preview/", survey_preview, name="survey_preview"),
    path("surveys/<int:pk>/sections/new/", section_edit, name="section_create"),
    path("surveys/<int:pk>/sections/<int:section_pk>/edit/", section_edit, name="section_edit"),
    path("surveys/<int:pk>/sections/<int:section_pk>/delete/", section_delete, name="section_delete"),
    path("surveys/<int:pk>/questions/new/", question_edit, name="question_create"),
    path("surveys/<int:pk>/questions/<int:question_pk>/edit/", question_edit, name="question_edit"),
    path("surveys/<int:pk>/questions/<int:question_pk>/delete/", question_delete, name="question_delete"),
    path("surveys/<int:pk>/questions/<int:question_pk>/move/", question_move, name="question_move"),
    path("surveys/<int:pk>/links/", survey_links, name="survey_links"),
    path("surveys/<int:pk>/links/<int:link_pk>/delete/", link_delete, name="link_delete"),
    path("surveys/<int:pk>/links/<int:link_pk>/qr.svg", link_qr, {"kind": "svg"}, name="link_qr_svg"),
    path("surveys/<int:pk>/links/<int:link_pk>/qr.png", link_qr, {"kind": "png"}, name="link_qr_png"),
    path("surveys/<int:pk>/links/<int:link_pk>/poster/", link_poster, name="link_poster"),
    path("surveys/<int:pk>/links/<int:link_pk>/poster.pdf", link_poster_pdf, name="link_poster_pdf"),
    path("surveys/<int:pk>/links/<int:link_pk>/kiosk/", link_kiosk, name="link_kiosk"),
    path("surveys/<int:pk>/links/<int:link_pk>/paper/", paper_entry, name="paper_entry"),
    path("surveys/<int:pk>/results/", survey_results, name="survey_results"),
    path("surveys/<int:pk>/results/export.xlsx", survey_export, name="survey_export"),
    path("surveys/<int:pk>/results/questions/<int:question_pk>/texts/", survey_texts, name="survey_texts"),
    path("surveys/<int:pk>/compare/", survey_compare, name="survey_compare"),
]
