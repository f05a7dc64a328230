"""Continuing care, mounted at /continuing-care/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "continuing"

urlpatterns: list[URLPattern] = []
