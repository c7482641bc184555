"""URLs of periodic reporting, mounted at `/reporting/`; each module keeps its own `urlpatterns`."""

from metodist.reporting import (
    analysis_views,
    completeness_views,
    consolidated_views,
    definitions_views,
    entry_views,
    passport_views,
    xlsx_views,
)

app_name = "reporting"

urlpatterns = (
    entry_views.urlpatterns
    + xlsx_views.urlpatterns
    + completeness_views.urlpatterns
    + analysis_views.urlpatterns
    + definitions_views.urlpatterns
    + consolidated_views.urlpatterns
    + passport_views.urlpatterns
)
