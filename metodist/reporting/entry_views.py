"""Pages of reporting: entry (being built)."""

urlpatterns: list = []
