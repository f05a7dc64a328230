"""Continuing care, mounted at /continuing-care/."""

from django.urls import path

from rosc.continuing import views

app_name = "continuing"

urlpatterns = [
    # The person, from a link (no sign-in; exempt from the staff two-step gate).
    path("check-in/help-now/", views.help_now, name="help_now"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
    path("check-in/<str:token>/done/", views.check_in_done, name="check_in_done"),
    path("check-in/<str:token>/help-now/", views.check_in_help, name="check_in_help"),
    path("check-in/<str:token>/new-link/", views.check_in_new_link, name="check_in_new_link"),
    path("check-in/<str:token>/stop/", views.check_in_stop, name="check_in_stop"),
    # The person, signed in.
    path("mine/", views.mine, name="mine"),
    # Staff.
    path("people/<uuid:person_id>/", views.person, name="person"),
    path("people/<uuid:person_id>/start/", views.start, name="start"),
    path("people/<uuid:person_id>/<str:change>/", views.plan_change, name="plan_change"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<uuid:alert_id>/", views.alert, name="alert"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<uuid:alert_id>/contact/", views.alert_contact, name="alert_contact"),
    path("alerts/<uuid:alert_id>/outcome/", views.alert_outcome, name="alert_outcome"),
    path("alerts/<uuid:alert_id>/refer/", views.alert_refer, name="alert_refer"),
    path("settings/", views.settings_list, name="settings_list"),
    path("settings/<slug:slug>/", views.settings, name="settings"),
]
