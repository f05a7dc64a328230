"""Outcome measures, mounted at /outcomes/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "outcomes"

urlpatterns: list[URLPattern] = []
