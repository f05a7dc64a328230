"""Peer mentoring, mounted at /peer-support/."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "peers"

urlpatterns: list[URLPattern] = []
