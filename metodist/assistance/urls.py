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
