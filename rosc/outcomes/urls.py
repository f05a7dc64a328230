"""Outcome measures, mounted at /outcomes/."""

from django.urls import URLPattern, path

from rosc.outcomes import views

app_name = "outcomes"

urlpatterns: list[URLPattern] = [
    path("people/<uuid:person_id>/", views.person_progress, name="person"),
    path("people/<uuid:person_id>/<slug:code>/new/", views.person_record, name="person_record"),
    path("mine/", views.mine, name="mine"),
    path("mine/<slug:code>/new/", views.mine_record, name="mine_record"),
    path("services/", views.services, name="services"),
    path("services/<uuid:organisation_id>/", views.service, name="service"),
]
