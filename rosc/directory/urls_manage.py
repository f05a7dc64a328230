"""Staff pages where service managers keep their listings true."""

from django.urls import path  # noqa: F401 - patterns are added as pages are built

app_name = "directory_manage"

urlpatterns: list = []
