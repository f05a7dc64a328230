"""Peer mentoring, mounted at /peer-support/."""

from django.urls import URLPattern, path

from rosc.peers import views

app_name = "peers"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("profile/<uuid:organisation_id>/", views.profile_edit, name="profile"),
    path("people/<uuid:person_id>/sessions/", views.sessions, name="sessions"),
    path("people/<uuid:person_id>/sessions/new/", views.session_new, name="session_new"),
    path("people/<uuid:person_id>/ask-for-a-mentor/", views.request_new, name="request_new"),
    path("my-sessions/", views.my_sessions, name="my_sessions"),
    path("coordinate/mentors/", views.mentors, name="mentors"),
    path("coordinate/mentors/<uuid:profile_id>/", views.mentor_detail, name="mentor"),
    path("coordinate/waiting-list/", views.waiting_list, name="waiting_list"),
    path("coordinate/requests/<uuid:request_id>/", views.request_detail, name="request"),
    path("coordinate/proposal/", views.proposal, name="proposal"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/<uuid:profile_id>/", views.supervision_new, name="supervision_new"),
]
