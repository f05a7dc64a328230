"""Public directory pages: search and service pages."""

from django.urls import path

from rosc.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.service_search, name="search"),
    path("<uuid:service_id>/", views.service_detail, name="service"),
]
