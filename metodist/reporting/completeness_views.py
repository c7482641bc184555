"""Pages of reporting: completeness (being built)."""

urlpatterns: list = []
