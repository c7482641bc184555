"""The public page of a survey, `/marketing/s/<token>/`: no login, the token of the library's link is the key.

Mobile first and without JavaScript; in the respondent's language (Kazakh or Russian: `?lang=` switches
and is remembered, the default comes from the browser's Accept-Language). Anonymous: nothing about the
respondent is kept but the answers, the library of the link and the language.

The guards (`surveys_answers`): one response per device (a signed cookie), a limit per address (answered
429 with the filled answers kept), a double submit saves once, and a kiosk computer set up by the staff
takes one respondent after another. When a required answer is missing, the page comes back with every
filled answer in place and the questions to fix listed at the top.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from metodist.core.submit_once import SubmitOnce, form_key
from metodist.marketing import surveys_answers
from metodist.marketing.models import ResponseSource, SurveyLink, SurveyStatus
from metodist.marketing.models.surveys import SURVEY_LANGUAGES, survey_language

LANGUAGE_MAX_AGE = 365 * 24 * 3600


def _link(token: str) -> SurveyLink:
    return get_object_or_404(
        SurveyLink.objects.select_related("survey", "survey__unit", "unit"),
        token=token,
        survey__is_template=False,
    )


def _language(request: HttpRequest) -> str:
    chosen = request.GET.get("lang") or request.POST.get("language")
    if chosen in SURVEY_LANGUAGES:
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        return chosen
    return survey_language(get_language())


def _remember_language(request: HttpRequest, response: HttpResponse, language: str) -> HttpResponse:
    if request.GET.get("lang") in SURVEY_LANGUAGES:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=LANGUAGE_MAX_AGE, samesite="Lax")
    return response


def _refusal(link: SurveyLink) -> str:
    survey = link.survey
    today = timezone.localdate()
    if survey.status == SurveyStatus.DRAFT:
        return _("This survey is not open yet.")
    if survey.status == SurveyStatus.OPEN and survey.opens_on and today < survey.opens_on:
        return _("This survey opens on %(date)s.") % {"date": date_format(survey.opens_on, "DATE_FORMAT")}
    return _("This survey is closed. Thank you for your interest!")


def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    survey = link.survey
    language = _language(request)
    kiosk = surveys_answers.is_kiosk(request, link)
    context = {"survey": survey, "link": link, "language": language, "kiosk": kiosk}
    if not survey.accepts_answers():
        context["refusal"] = _refusal(link)
        return _remember_language(
            request, render(request, "marketing/surveys/public_form.html", context), language
        )
    if not kiosk and surveys_answers.answered_on_device(request, survey):
        context["refusal"] = surveys_answers.ALREADY_ANSWERED
        context["answered"] = True
        return _remember_language(
            request, render(request, "marketing/surveys/public_form.html", context), language
        )

    form = surveys_answers.AnswerForm(request.POST or None, survey=survey, language=language)
    status = 200
    if request.method == "POST":
        guard = SubmitOnce(request, f"marketing:public:{link.pk}")
        if not guard.claim():
            return redirect(f"{reverse('marketing:survey_thanks', args=[token])}?lang={language}")
        wait = 0 if kiosk else surveys_answers.rate_wait(request, survey)
        if wait:
            context["rate_limited"] = surveys_answers.rate_message(wait)
            status = 429
        elif form.is_valid():
            try:
                response = surveys_answers.response_submit(
                    survey=survey,
                    link=link,
                    source=ResponseSource.KIOSK if kiosk else ResponseSource.WEB,
                    language=language,
                    answers=form.answers,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                guard.saved(response.pk)
                done = redirect(f"{reverse('marketing:survey_thanks', args=[token])}?lang={language}")
                if not kiosk:
                    surveys_answers.rate_count(request, survey)
                    surveys_answers.remember_device(request, done, survey)
                return done
        guard.release()
    context.update({"form": form, "submit_key": form_key(request)})
    page = render(request, "marketing/surveys/public_form.html", context, status=status)
    return _remember_language(request, page, language)


def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    language = _language(request)
    context = {
        "survey": link.survey,
        "link": link,
        "language": language,
        "kiosk": surveys_answers.is_kiosk(request, link),
        "thanks": True,
    }
    return _remember_language(
        request, render(request, "marketing/surveys/public_thanks.html", context), language
    )


urlpatterns = [
    path("s/<str:token>/", survey_public, name="survey_public"),
    path("s/<str:token>/thanks/", survey_thanks, name="survey_thanks"),
]
