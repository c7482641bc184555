"""URLs of the events part; each module keeps its own `urlpatterns`, so several people can work at once."""

from metodist.events import views, views_development, views_documents, views_forms, views_participants

app_name = "events"
urlpatterns = [
    *views.urlpatterns,
    *views_participants.urlpatterns,
    *views_documents.urlpatterns,
    *views_forms.urlpatterns,
    *views_development.urlpatterns,
]
