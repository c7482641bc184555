"""URLs of outreach projects and Knigonosha, mounted at `/outreach/`."""

from django.urls import path

from metodist.outreach import knigonosha_views as kv
from metodist.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/files/", views.project_file_add, name="project_file_add"),
    path("projects/<int:pk>/files/<int:file_pk>/", views.project_file, name="project_file"),
    path(
        "projects/<int:pk>/files/<int:file_pk>/delete/", views.project_file_delete, name="project_file_delete"
    ),
    path("home/", views.home_piece, name="home_piece"),
    path("knigonosha/", kv.reader_list, name="reader_list"),
    path("knigonosha/readers/new/", kv.reader_create, name="reader_create"),
    path("knigonosha/readers/<int:pk>/", kv.reader_detail, name="reader_detail"),
    path("knigonosha/readers/<int:pk>/edit/", kv.reader_edit, name="reader_edit"),
    path("knigonosha/volunteers/", kv.volunteer_list, name="volunteer_list"),
    path("knigonosha/volunteers/new/", kv.volunteer_create, name="volunteer_create"),
    path("knigonosha/volunteers/<int:pk>/edit/", kv.volunteer_edit, name="volunteer_edit"),
    path("knigonosha/rounds/", kv.schedule_list, name="schedule_list"),
    path("knigonosha/rounds/new/", kv.schedule_create, name="schedule_create"),
    path("knigonosha/rounds/<int:pk>/edit/", kv.schedule_edit, name="schedule_edit"),
    path("knigonosha/rounds/<int:pk>/plan/", kv.schedule_plan, name="schedule_plan"),
    path("knigonosha/deliveries/", kv.delivery_list, name="delivery_list"),
    path("knigonosha/deliveries/export.xlsx", kv.delivery_export, name="delivery_export"),
    path("knigonosha/deliveries/new/", kv.delivery_create, name="delivery_create"),
    path("knigonosha/deliveries/<int:pk>/", kv.delivery_detail, name="delivery_detail"),
    path("knigonosha/deliveries/<int:pk>/edit/", kv.delivery_edit, name="delivery_edit"),
    path("knigonosha/deliveries/<int:pk>/record/", kv.delivery_record, name="delivery_record"),
    path("knigonosha/my/", kv.my_deliveries, name="my_deliveries"),
    path("knigonosha/figures/", kv.figures, name="figures"),
]
