"""Pages of the letters part of methodological assistance (being built)."""

urlpatterns: list = []
