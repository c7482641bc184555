"""URLs of marketing, mounted at `/marketing/`; each module keeps its own `urlpatterns`."""

from metodist.marketing import (
    environment_views,
    partners_views,
    promotion_views,
    surveys_public,
    surveys_views,
)

app_name = "marketing"

urlpatterns: list = [
    *surveys_views.urlpatterns,
    *surveys_public.urlpatterns,
    *partners_views.urlpatterns,
    *promotion_views.urlpatterns,
    *environment_views.urlpatterns,
]
