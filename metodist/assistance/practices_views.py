"""Pages of the practices part of methodological assistance (being built)."""

urlpatterns: list = []
