from django.urls import path

from metodist.network import views, views_io

app_name = "network"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/archive/", views.unit_archive, name="unit_archive"),
    path("units/<int:pk>/restore/", views.unit_restore, name="unit_restore"),
    path("units/<int:pk>/history/", views.unit_history, name="unit_history"),
    path("units/<int:pk>/staff/new/", views.staff_create, name="staff_create"),
    path("units/<int:pk>/passport/<int:year>/", views.passport_edit, name="passport_edit"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/qualifications/new/", views.qualification_create, name="qualification_create"),
    path("registry/export.xlsx", views_io.registry_export, name="registry_export"),
    path("registry/import/", views_io.registry_import, name="registry_import"),
]
