"""Pages of the coordination part of methodological assistance (being built)."""

urlpatterns: list = []
