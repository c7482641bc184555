"""URLs of outreach projects, mounted at `/outreach/`."""

app_name = "outreach"

urlpatterns: list = []
