"""Pages of reporting: xlsx (being built)."""

urlpatterns: list = []
