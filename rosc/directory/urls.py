"""Public directory pages: search and service pages."""

from django.urls import path  # noqa: F401 - patterns are added as pages are built

app_name = "directory"

urlpatterns: list = []
