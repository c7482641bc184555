"""Pages of reporting: definitions (being built)."""

urlpatterns: list = []
