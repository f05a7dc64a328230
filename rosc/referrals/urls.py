"""Referral pages, mounted at /referrals/."""

from django.urls import path

from rosc.referrals import views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("new/", views.send_person, name="send_person"),
    path("new/<uuid:person_id>/", views.send_service, name="send_service"),
    path("new/<uuid:person_id>/<uuid:service_id>/", views.send_details, name="send_details"),
    path("mine/", views.mine, name="mine"),
    path("mine/<uuid:referral_id>/", views.mine_detail, name="mine_detail"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("exceptions/<uuid:referral_id>/", views.exception_review, name="exception_review"),
    path("<uuid:referral_id>/", views.detail, name="detail"),
    path("<uuid:referral_id>/accept/", views.accept, name="accept"),
    path("<uuid:referral_id>/decline/", views.decline, name="decline"),
    path("<uuid:referral_id>/waiting-list/", views.wait_list, name="wait_list"),
    path("<uuid:referral_id>/start/", views.start, name="start"),
    path("<uuid:referral_id>/complete/", views.complete, name="complete"),
    path("<uuid:referral_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:referral_id>/pass-on/", views.reroute, name="reroute"),
    path("<uuid:referral_id>/comment/", views.comment, name="comment"),
    path("<uuid:referral_id>/fhir/", views.fhir_export, name="fhir"),
]
