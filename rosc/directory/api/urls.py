"""The Open Referral UK API."""

from django.urls import path  # noqa: F401 - patterns are added as pages are built

app_name = "oruk"

urlpatterns: list = []
