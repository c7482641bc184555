"""URLs of methodological assistance, mounted at `/assistance/`."""

from django.urls import path

from metodist.assistance import views

app_name = "assistance"

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/export.xlsx", views.consultation_export, name="consultation_export"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/quick/", views.quick_consultation, name="quick_consultation"),
    path("consultations/figures/", views.consultation_figures_page, name="consultation_figures"),
    path(
        "consultations/figures/export.xlsx",
        views.consultation_figures_export,
        name="consultation_figures_export",
    ),
    path("units/options/", views.unit_options, name="unit_options"),
]

# Field visits and recommendations (metodist.assistance.visits_views).
from metodist.assistance import visits_views  # noqa: E402

urlpatterns += [
    path("visits/", visits_views.visit_list, name="visit_list"),
    path("visits/new/", visits_views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", visits_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits_views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/report.docx", visits_views.visit_report, name="visit_report"),
    path("visits/<int:pk>/photos/", visits_views.visit_photos_add, name="visit_photos_add"),
    path("visits/<int:pk>/photos/<int:photo_pk>/", visits_views.visit_photo, name="visit_photo"),
    path(
        "visits/<int:pk>/photos/<int:photo_pk>/delete/",
        visits_views.visit_photo_delete,
        name="visit_photo_delete",
    ),
    path("recommendations/", visits_views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", visits_views.recommendation_create, name="recommendation_create"),
    path("recommendations/overdue/", visits_views.overdue_recommendations, name="overdue_recommendations"),
    path("recommendations/<int:pk>/", visits_views.recommendation_answer, name="recommendation_answer"),
    path("recommendations/<int:pk>/edit/", visits_views.recommendation_edit, name="recommendation_edit"),
    path(
        "recommendations/<int:pk>/delete/", visits_views.recommendation_delete, name="recommendation_delete"
    ),
    path(
        "recommendations/<int:pk>/reopen/", visits_views.recommendation_reopen, name="recommendation_reopen"
    ),
    path(
        "recommendations/<int:pk>/follow-up/",
        visits_views.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
    path(
        "recommendations/<int:pk>/files/<int:file_pk>/",
        visits_views.recommendation_file,
        name="recommendation_file",
    ),
]

# Correspondence, materials, best practices, coordination and the annual plan: each module keeps its own
# `urlpatterns` beside its views.
from metodist.assistance import (  # noqa: E402
    coordination_views,
    letters_views,
    materials_views,
    plans_views,
    practices_views,
)

urlpatterns += (
    letters_views.urlpatterns
    + materials_views.urlpatterns
    + practices_views.urlpatterns
    + coordination_views.urlpatterns
    + plans_views.urlpatterns
)
