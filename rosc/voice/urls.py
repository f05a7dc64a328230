from django.urls import path

from rosc.voice import views

app_name = "voice"

urlpatterns = [
    # Public
    path("", views.index, name="index"),
    path("you-said-we-did/", views.log, name="log"),
    path("research-reviewed/", views.research_reviewed, name="research_reviewed"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    # Taking part
    path("join/", views.join, name="join"),
    path("membership/", views.membership, name="membership"),
    path("membership/leave/", views.leave, name="leave"),
    path("items/", views.items, name="items"),
    path("items/raise/", views.raise_item, name="raise"),
    # Running the forum
    path("run/", views.run, name="run"),
    path("run/meetings/new/", views.meeting_new, name="meeting_new"),
    path("run/meetings/<int:meeting_id>/", views.meeting_manage, name="meeting_manage"),
    path("run/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("run/meetings/<int:meeting_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("run/agenda/<int:entry_id>/remove/", views.agenda_remove, name="agenda_remove"),
    path("run/meetings/<int:meeting_id>/papers/", views.paper_add, name="paper_add"),
    path("run/papers/<int:paper_id>/remove/", views.paper_remove, name="paper_remove"),
    path("run/meetings/<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("run/meetings/<int:meeting_id>/minutes/", views.minutes, name="minutes"),
    path("run/meetings/<int:meeting_id>/decisions/", views.decision_new, name="decision_new"),
    path("run/items/", views.run_items, name="run_items"),
    path("run/items/<int:item_id>/", views.run_item, name="run_item"),
    path("run/items/<int:item_id>/hide/", views.item_hide, name="item_hide"),
    path("run/items/<int:item_id>/show/", views.item_show, name="item_show"),
]
