"""Pages of reporting: analysis (being built)."""

urlpatterns: list = []
