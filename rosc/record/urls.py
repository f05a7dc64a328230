"""The shared recovery record, mounted at /care/."""

from django.urls import path

from rosc.record import views, views_ig, views_own

app_name = "record"

urlpatterns = [
    # Staff: caseload, people and their records
    path("", views.caseload, name="caseload"),
    path("people/new/", views.person_create, name="person_create"),
    path("find/", views.find, name="find"),
    path("emergency-access/", views.emergency, name="emergency"),
    path("people/<uuid:person_id>/", views.person, name="person"),
    path("people/<uuid:person_id>/details/", views.person_edit, name="person_edit"),
    path("people/<uuid:person_id>/send-link/", views.send_link, name="send_link"),
    path("people/<uuid:person_id>/plan/", views.plan, name="plan"),
    path("people/<uuid:person_id>/plan/goals/new/", views.goal_form, name="goal_new"),
    path("people/<uuid:person_id>/plan/goals/<int:goal_id>/", views.goal_form, name="goal_edit"),
    path("people/<uuid:person_id>/plan/goals/<int:goal_id>/steps/new/", views.goal_action_new, name="goal_action_new"),
    path(
        "people/<uuid:person_id>/plan/goals/<int:goal_id>/steps/<int:action_id>/done/",
        views.goal_action_done,
        name="goal_action_done",
    ),
    path("people/<uuid:person_id>/plan/goals/<int:goal_id>/progress/", views.goal_progress, name="goal_progress"),
    path("people/<uuid:person_id>/team/", views.team, name="team"),
    path("people/<uuid:person_id>/team/<int:member_id>/end/", views.team_end, name="team_end"),
    path("people/<uuid:person_id>/consents/new/<str:kind>/", views.consent_new, name="consent_new"),
    path("people/<uuid:person_id>/consents/<int:consent_id>/shared/", views.consent_shared, name="consent_shared"),
    path(
        "people/<uuid:person_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"
    ),
    path("people/<uuid:person_id>/notes/", views.notes, name="notes"),
    path("people/<uuid:person_id>/timeline/", views.timeline, name="timeline"),
    # Information governance
    path("break-glass/", views_ig.break_glass_queue, name="break_glass_queue"),
    path("break-glass/<int:emergency_id>/", views_ig.break_glass_review, name="break_glass_review"),
    path("rights/", views_ig.rights_list, name="rights_list"),
    path("rights/new/", views_ig.rights_new, name="rights_new"),
    path("rights/<int:request_id>/", views_ig.rights_detail, name="rights_detail"),
    path("rights/<int:request_id>/rectify/", views_ig.rights_rectify, name="rights_rectify"),
    path("rights/<int:request_id>/restrict/", views_ig.rights_restrict, name="rights_restrict"),
    path("rights/<int:request_id>/erase/", views_ig.rights_erase, name="rights_erase"),
    path("rights/<int:request_id>/export.<str:fmt>", views_ig.rights_export, name="rights_export"),
    # The person's own view
    path("my-record/", views_own.mine, name="mine"),
    path("my-record/link/<str:token>/", views_own.mine_link, name="mine_link"),
    path("my-record/consents/<int:consent_id>/withdraw/", views_own.mine_withdraw, name="mine_withdraw"),
    path("my-record/link-account/", views_own.mine_link_account, name="mine_link_account"),
    path("my-record/copy.json", views_own.mine_export, name="mine_export"),
]
