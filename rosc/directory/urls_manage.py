"""Staff pages where service managers keep their listings true."""

from django.urls import path

from rosc.directory import views_manage

app_name = "directory_manage"

urlpatterns = [
    path("", views_manage.listing_list, name="list"),
    path("<uuid:service_id>/edit/", views_manage.service_edit, name="edit"),
    path("<uuid:service_id>/capacity/", views_manage.service_capacity, name="capacity"),
    path("<uuid:service_id>/status/", views_manage.service_status, name="status"),
    path("<uuid:service_id>/verify/", views_manage.service_verify, name="verify"),
]
