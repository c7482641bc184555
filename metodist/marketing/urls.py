"""URLs of marketing, mounted at `/marketing/`; each module keeps its own `urlpatterns`."""

app_name = "marketing"

urlpatterns: list = []
