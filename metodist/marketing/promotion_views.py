"""Pages of services and promotion, PR and image: the catalogue of library services and a service card with
its usage, promotion campaigns (list, month calendar, card with materials), media mentions (list with
filters, figures with charts, XLSX) and press releases made from an event's news report (draft, DOCX).

Every lookup goes through `metodist.marketing.promotion` selectors; every write through its services.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodist.core import scope
from metodist.core.submit_once import SubmitOnce, form_key
from metodist.marketing import promotion, promotion_export
from metodist.marketing.models.promotion import (
    CampaignMaterial,
    CampaignStatus,
)
from metodist.marketing.promotion_forms import (
    CampaignForm,
    MaterialForm,
    MentionFilterForm,
    MentionForm,
    ReleaseCreateForm,
    ReleaseForm,
    ServiceFilterForm,
    ServiceForm,
)
from metodist.reporting.charts import bar_chart

NAV = "promotion"
PAGE_SIZE = 50


def _require_view(user) -> None:
    if not promotion.may_view(user):
        raise PermissionDenied


def _require_manage(user) -> None:
    if not promotion.may_manage(user):
        raise PermissionDenied


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _manages(user, obj) -> bool:
    return scope.covers(user, obj.unit, promotion.MANAGE)


def _card(
    request,
    *,
    obj,
    form_class,
    save,
    data_method,
    guard_name,
    template,
    redirect_to,
    saved_message,
    extra=None,
):
    """The create/edit page of a card: the form, the double-submit guard, the service call."""
    user = request.user
    post = request.POST if request.method == "POST" else None
    form = form_class(post, instance=obj or form_class._meta.model(), user=user)
    if post is not None:
        guard = SubmitOnce(request, guard_name, enabled=obj is None)
        if not guard.claim():
            messages.info(request, _("This was already saved."))
            if isinstance(guard.done, int):
                return redirect(redirect_to, pk=guard.done)
            return redirect(request.path)
        if form.is_valid():
            try:
                saved = save(user=user, data=getattr(form, data_method)())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(saved.pk)
                messages.success(request, saved_message)
                return redirect(redirect_to, pk=saved.pk)
        guard.release()
    context = {
        "nav_active": NAV,
        "object": obj,
        "form": form,
        "submit_key": form_key(request),
        **(extra or {}),
    }
    return render(request, template, context)


# --- services -----------------------------------------------------------------------------------------------


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form = ServiceFilterForm(request.GET or None, user=request.user)
    services = promotion.services_visible(request.user)
    if form.is_valid():
        services = promotion.filter_services(
            services,
            paid=form.cleaned_data["paid"],
            target_group=form.cleaned_data["target_group"],
            channel=form.cleaned_data["channel"],
            unit=form.cleaned_data["unit"],
        )
    services = services.prefetch_related("offered_by").order_by("-is_active", "name_ru", "id")
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav_active": NAV,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "may_manage": promotion.may_manage(request.user),
    }
    return render(request, "marketing/promotion/service_list.html", context)


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = promotion.get_service_or_404(request.user, pk)
    offered = scope.units(request.user, queryset=service.offered_by.all()).order_by("path")
    context = {
        "nav_active": NAV,
        "service": service,
        "offered": offered,
        "hidden_offers": service.offered_by.count() - offered.count(),
        "usage": promotion.service_usage(request.user, service),
        "campaigns": promotion.campaigns_visible(request.user).filter(services=service),
        "mentions": promotion.mentions_visible(request.user).filter(service=service)[:20],
        "may_manage": _manages(request.user, service),
    }
    return render(request, "marketing/promotion/service_detail.html", context)


def _service_save(service):
    def save(*, user, data):
        return promotion.service_save(user=user, service=service, data=data)

    return save


@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    return _card(
        request,
        obj=None,
        form_class=ServiceForm,
        save=_service_save(None),
        data_method="service_data",
        guard_name="marketing:service",
        template="marketing/promotion/service_form.html",
        redirect_to="marketing:service_detail",
        saved_message=_("The service was saved."),
    )


@login_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = promotion.get_service_or_404(request.user, pk, promotion.MANAGE)
    return _card(
        request,
        obj=service,
        form_class=ServiceForm,
        save=_service_save(service),
        data_method="service_data",
        guard_name="marketing:service",
        template="marketing/promotion/service_form.html",
        redirect_to="marketing:service_detail",
        saved_message=_("The service was saved."),
    )


@login_required
@require_POST
def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    service = promotion.get_service_or_404(request.user, pk, promotion.MANAGE)
    promotion.service_delete(user=request.user, service=service)
    messages.success(request, _("The service was deleted."))
    return redirect("marketing:service_list")


# --- campaigns ----------------------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    campaigns = promotion.campaigns_visible(request.user).prefetch_related("services")
    status = request.GET.get("status", "")
    if status in CampaignStatus.values:
        campaigns = campaigns.filter(status=status)
    page = Paginator(campaigns.order_by("-starts_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav_active": NAV,
        "page": page,
        "status": status,
        "statuses": CampaignStatus.choices,
        "status_query": f"status={status}" if status else "",
        "today": timezone.localdate(),
        "may_manage": promotion.may_manage(request.user),
    }
    return render(request, "marketing/promotion/campaign_list.html", context)


def _parse_month(value: str | None, today: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@login_required
def campaign_calendar(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    today = timezone.localdate()
    month = _parse_month(request.GET.get("month"), today)
    grid = promotion.campaign_calendar(promotion.campaigns_visible(request.user), month)
    context = {"nav_active": NAV, "calendar": grid, "today": today, "weekdays": grid.weeks[0]}
    return render(request, "marketing/promotion/campaign_calendar.html", context)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = promotion.get_campaign_or_404(request.user, pk)
    may_manage = _manages(request.user, campaign)
    context = {
        "nav_active": NAV,
        "campaign": campaign,
        "services": promotion.services_visible(request.user).filter(campaigns=campaign),
        "materials": campaign.materials.all(),
        "mentions": promotion.mentions_visible(request.user).filter(campaign=campaign),
        "releases": promotion.releases_visible(request.user).filter(campaign=campaign),
        "may_manage": may_manage,
        "material_form": MaterialForm() if may_manage else None,
    }
    return render(request, "marketing/promotion/campaign_detail.html", context)


def _campaign_save(campaign):
    def save(*, user, data):
        return promotion.campaign_save(user=user, campaign=campaign, data=data)

    return save


def _campaign_card(request, campaign):
    return _card(
        request,
        obj=campaign,
        form_class=CampaignForm,
        save=_campaign_save(campaign),
        data_method="campaign_data",
        guard_name="marketing:campaign",
        template="marketing/promotion/campaign_form.html",
        redirect_to="marketing:campaign_detail",
        saved_message=_("The campaign was saved."),
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    return _campaign_card(request, None)


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_card(request, promotion.get_campaign_or_404(request.user, pk, promotion.MANAGE))


@login_required
@require_POST
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = promotion.get_campaign_or_404(request.user, pk, promotion.MANAGE)
    promotion.campaign_delete(user=request.user, campaign=campaign)
    messages.success(request, _("The campaign was deleted."))
    return redirect("marketing:campaign_list")


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = promotion.get_campaign_or_404(request.user, pk, promotion.MANAGE)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            promotion.material_add(
                user=request.user,
                campaign=campaign,
                file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The material was added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("marketing:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    campaign = promotion.get_campaign_or_404(request.user, pk, promotion.MANAGE)
    material = CampaignMaterial.objects.filter(campaign=campaign, pk=material_pk).first()
    if material is not None:
        promotion.material_delete(user=request.user, material=material)
        messages.success(request, _("The material was deleted."))
    return redirect("marketing:campaign_detail", pk=campaign.pk)


# --- media mentions -----------------------------------------------------------------------------------------


def _filtered_mentions(request: HttpRequest):
    form = MentionFilterForm(request.GET or None, user=request.user)
    mentions = promotion.filter_mentions(promotion.mentions_visible(request.user), **form.filters())
    return form, mentions


@login_required
def mention_list(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, mentions = _filtered_mentions(request)
    page = Paginator(mentions.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav_active": NAV,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "outlets": promotion.outlets(promotion.mentions_visible(request.user)),
        "releases": promotion.releases_visible(request.user)[:10],
        "may_manage": promotion.may_manage(request.user),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "mention-rows":
        return render(request, "marketing/promotion/mention_list.html#rows", context)
    return render(request, "marketing/promotion/mention_list.html", context)


def _shown(value) -> str:
    return number_format(value or 0, force_grouping=True)


@login_required
def mention_figures(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    form, mentions = _filtered_mentions(request)
    figures = promotion.mention_figures(mentions)
    charts = {
        "month": bar_chart(
            [
                (date_format(row["month"], "YEAR_MONTH_FORMAT"), row["count"], _shown(row["count"]))
                for row in figures.by_month
            ],
            title=_("Mentions by month"),
            chart_id="chart-month",
        ),
        "outlet": bar_chart(
            [(row["outlet"], row["count"], _shown(row["count"])) for row in figures.by_outlet[:15]],
            title=_("Mentions by outlet"),
            chart_id="chart-outlet",
        ),
        "tone": bar_chart(
            [(str(row["label"]), row["count"], _shown(row["count"])) for row in figures.by_tone],
            title=_("Mentions by tone"),
            chart_id="chart-tone",
        ),
    }
    query = request.GET.copy()
    context = {
        "nav_active": NAV,
        "form": form,
        "figures": figures,
        "charts": charts,
        "query": query.urlencode(),
        "outlets": promotion.outlets(promotion.mentions_visible(request.user)),
    }
    return render(request, "marketing/promotion/mention_figures.html", context)


@login_required
def mention_export(request: HttpRequest) -> HttpResponse:
    _require_view(request.user)
    _form, mentions = _filtered_mentions(request)
    content = promotion_export.mentions_xlsx(mentions.order_by("date", "id"))
    response = HttpResponse(content, content_type=promotion_export.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="media-mentions.xlsx"'
    return response


def _mention_save(mention):
    def save(*, user, data):
        return promotion.mention_save(user=user, mention=mention, data=data)

    return save


def _mention_card(request, mention):
    return _card(
        request,
        obj=mention,
        form_class=MentionForm,
        save=_mention_save(mention),
        data_method="mention_data",
        guard_name="marketing:mention",
        template="marketing/promotion/mention_form.html",
        redirect_to="marketing:mention_detail",
        saved_message=_("The mention was saved."),
        extra={"outlets": promotion.outlets(promotion.mentions_visible(request.user))},
    )


@login_required
def mention_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request.user)
    return _mention_card(request, None)


@login_required
def mention_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _mention_card(request, promotion.get_mention_or_404(request.user, pk, promotion.MANAGE))


@login_required
def mention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mention = promotion.get_mention_or_404(request.user, pk)
    context = {"nav_active": NAV, "mention": mention, "may_manage": _manages(request.user, mention)}
    return render(request, "marketing/promotion/mention_detail.html", context)


@login_required
@require_POST
def mention_delete(request: HttpRequest, pk: int) -> HttpResponse:
    mention = promotion.get_mention_or_404(request.user, pk, promotion.MANAGE)
    promotion.mention_delete(user=request.user, mention=mention)
    messages.success(request, _("The mention was deleted."))
    return redirect("marketing:mention_list")


# --- press releases -----------------------------------------------------------------------------------------


@login_required
def release_create(request: HttpRequest) -> HttpResponse:
    """Pick an event (and optionally the campaign it serves): a draft is made from its news report."""
    _require_manage(request.user)
    campaign = None
    campaign_pk = request.POST.get("campaign") or request.GET.get("campaign")
    if campaign_pk:
        campaign = promotion.get_campaign_or_404(request.user, campaign_pk)
    form = ReleaseCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":
        guard = SubmitOnce(request, "marketing:release")
        if not guard.claim():
            messages.info(request, _("This was already saved."))
            if isinstance(guard.done, int):
                return redirect("marketing:release_detail", pk=guard.done)
            return redirect("marketing:mention_list")
        if form.is_valid():
            try:
                release = promotion.release_create(
                    user=request.user,
                    event=form.cleaned_data["event"],
                    language=form.cleaned_data["language"],
                    campaign=campaign,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                guard.saved(release.pk)
                messages.success(request, _("The draft press release was made from the event's report."))
                return redirect("marketing:release_detail", pk=release.pk)
        guard.release()
    context = {"nav_active": NAV, "form": form, "campaign": campaign, "submit_key": form_key(request)}
    return render(request, "marketing/promotion/release_create.html", context)


@login_required
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = promotion.get_release_or_404(request.user, pk)
    may_manage = _manages(request.user, release)
    form = ReleaseForm(request.POST if request.method == "POST" else None, instance=release)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                promotion.release_update(
                    user=request.user,
                    release=release,
                    data={name: form.cleaned_data[name] for name in ReleaseForm._meta.fields},
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The press release was saved."))
                return redirect("marketing:release_detail", pk=release.pk)
    context = {"nav_active": NAV, "release": release, "form": form, "may_manage": may_manage}
    return render(request, "marketing/promotion/release_detail.html", context)


@login_required
def release_docx(request: HttpRequest, pk: int) -> HttpResponse:
    release = promotion.get_release_or_404(request.user, pk)
    response = HttpResponse(
        promotion_export.release_docx(release), content_type=promotion_export.DOCX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="press-release-{release.pk}.docx"'
    return response


@login_required
@require_POST
def release_delete(request: HttpRequest, pk: int) -> HttpResponse:
    release = promotion.get_release_or_404(request.user, pk, promotion.MANAGE)
    promotion.release_delete(user=request.user, release=release)
    messages.success(request, _("The press release was deleted."))
    return redirect("marketing:mention_list")


urlpatterns: list = [
    path("services/", service_list, name="service_list"),
    path("services/new/", service_create, name="service_create"),
    path("services/<int:pk>/", service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", service_edit, name="service_edit"),
    path("services/<int:pk>/delete/", service_delete, name="service_delete"),
    path("campaigns/", campaign_list, name="campaign_list"),
    path("campaigns/calendar/", campaign_calendar, name="campaign_calendar"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", campaign_delete, name="campaign_delete"),
    path("campaigns/<int:pk>/materials/", material_add, name="campaign_material_add"),
    path(
        "campaigns/<int:pk>/materials/<int:material_pk>/delete/",
        material_delete,
        name="campaign_material_delete",
    ),
    path("media/", mention_list, name="mention_list"),
    path("media/figures/", mention_figures, name="mention_figures"),
    path("media/export.xlsx", mention_export, name="mention_export"),
    path("media/new/", mention_create, name="mention_create"),
    path("media/<int:pk>/", mention_detail, name="mention_detail"),
    path("media/<int:pk>/edit/", mention_edit, name="mention_edit"),
    path("media/<int:pk>/delete/", mention_delete, name="mention_delete"),
    path("press-releases/new/", release_create, name="release_create"),
    path("press-releases/<int:pk>/", release_detail, name="release_detail"),
    path("press-releases/<int:pk>/docx/", release_docx, name="release_docx"),
    path("press-releases/<int:pk>/delete/", release_delete, name="release_delete"),
]
