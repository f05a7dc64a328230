"""The front door, mounted at /get-help/."""

from django.urls import path

from rosc.frontdoor import views

app_name = "frontdoor"

urlpatterns = [
    path("", views.start, name="start"),
    path("questions/<slug:slug>/", views.question, name="question"),
    path("help-now/", views.help_now, name="help_now"),
    path("check-your-answers/", views.check, name="check"),
    path("start-again/", views.start_again, name="start_again"),
    path("pathway/<str:token>/", views.pathway, name="pathway"),
    path("pathway/<str:token>/send/", views.send_link, name="send_link"),
    path("pathway/<str:token>/delete/", views.delete, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
urlpatterns += [
    path("pathway/<str:token>/ask/", views.ask_services, name="ask_services"),
    path("pathway/<str:token>/ask/your-name/", views.ask_about, name="ask_about"),
    path("pathway/<str:token>/ask/contact/", views.ask_contact, name="ask_contact"),
    path("pathway/<str:token>/ask/check/", views.ask_check, name="ask_check"),
    path("requests/<str:token>/", views.request_status, name="request_status"),
]
