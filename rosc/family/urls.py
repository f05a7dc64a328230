"""Family support, mounted at /family/."""

from django.urls import URLPattern, path

from rosc.family import views

app_name = "family"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("wellbeing/", views.wellbeing, name="wellbeing"),
    path("wellbeing/check-in/", views.checkin, name="checkin"),
    path("wellbeing/reminders/", views.reminders, name="reminders"),
    path("relative/<uuid:person_id>/", views.relative, name="relative"),
    path("relative/link/<uuid:link_id>/stop/", views.link_stop, name="link_stop"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("groups/", views.groups, name="groups"),
    path("groups/run/", views.run_groups, name="run_groups"),
    path("groups/run/new/", views.group_new, name="group_new"),
    path("groups/run/<uuid:group_id>/", views.run_group, name="run_group"),
    path("groups/run/<uuid:group_id>/sessions/<int:session_id>/", views.session, name="session"),
    path("groups/attendance/", views.attendance, name="attendance"),
    path("groups/<uuid:group_id>/", views.group, name="group"),
    path("share/", views.share, name="share"),
    path("share/<uuid:link_id>/stop/", views.share_stop, name="share_stop"),
]
