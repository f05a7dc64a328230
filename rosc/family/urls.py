"""Family support, mounted at /family/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "family"

urlpatterns: list[URLPattern] = []
