from django.urls import path

from rosc.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("contact/", views.contact, name="contact"),
    path("healthz", views.healthz, name="healthz"),
    path("home/", views.dashboard, name="dashboard"),
    path("accounts/profile/", views.account, name="account"),
    path("accounts/second-factor-required/", views.mfa_required, name="mfa_required"),
    path("staff/audit/", views.audit_log, name="audit_log"),
    path("staff/organisations/", views.organisation_list, name="organisation_list"),
    path("staff/organisations/<slug:slug>/team/", views.team, name="team"),
    path("staff/memberships/<int:membership_id>/end/", views.membership_end, name="membership_end"),
    path("staff/notifications/", views.notification_log, name="notification_log"),
]
