"""Pages of the materials part of methodological assistance (being built)."""

urlpatterns: list = []
