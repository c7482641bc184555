"""Pages of the plans part of methodological assistance (being built)."""

urlpatterns: list = []
