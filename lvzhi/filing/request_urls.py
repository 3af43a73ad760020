"""Filled in by its part."""

urlpatterns: list = []
