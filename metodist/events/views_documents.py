"""Placeholder so the URLconf imports; its owner replaces this module."""

urlpatterns: list = []
