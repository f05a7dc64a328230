from django.urls import path

from rosc.research import views, views_manage

app_name = "research"

urlpatterns = [
    path("", views.index, name="index"),
    path("surveys/<uuid:survey_id>/", views.survey, name="survey"),
    path("surveys/<uuid:survey_id>/answer/", views.answer, name="answer"),
    path("surveys/<uuid:survey_id>/thank-you/", views.thanks, name="thanks"),
    path("findings/<uuid:finding_id>/", views.finding, name="finding"),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/<uuid:finding_id>/", views.evidence_finding, name="evidence_finding"),
    path("evidence/<uuid:finding_id>/results.csv", views.evidence_csv, name="evidence_csv"),
    path("manage/", views_manage.manage, name="manage"),
    path("manage/new/", views_manage.survey_new, name="survey_new"),
    path("manage/surveys/<uuid:survey_id>/", views_manage.survey_manage, name="manage_survey"),
    path("manage/surveys/<uuid:survey_id>/edit/", views_manage.survey_edit, name="survey_edit"),
    path("manage/surveys/<uuid:survey_id>/preview/", views_manage.survey_preview, name="survey_preview"),
    path("manage/surveys/<uuid:survey_id>/open/", views_manage.survey_open, name="survey_open"),
    path("manage/surveys/<uuid:survey_id>/close/", views_manage.survey_close, name="survey_close"),
    path("manage/surveys/<uuid:survey_id>/questions/new/", views_manage.question_kind, name="question_kind"),
    path(
        "manage/surveys/<uuid:survey_id>/questions/new/<slug:kind>/",
        views_manage.question_new,
        name="question_new",
    ),
    path(
        "manage/surveys/<uuid:survey_id>/questions/<int:question_id>/edit/",
        views_manage.question_edit,
        name="question_edit",
    ),
    path(
        "manage/surveys/<uuid:survey_id>/questions/<int:question_id>/remove/",
        views_manage.question_delete,
        name="question_delete",
    ),
    path(
        "manage/surveys/<uuid:survey_id>/questions/<int:question_id>/move/",
        views_manage.question_move,
        name="question_move",
    ),
    path(
        "manage/surveys/<uuid:survey_id>/questions/<int:question_id>/themes/",
        views_manage.themes,
        name="themes",
    ),
    path(
        "manage/surveys/<uuid:survey_id>/questions/<int:question_id>/themes/<int:theme_id>/remove/",
        views_manage.theme_delete,
        name="theme_delete",
    ),
    path("manage/surveys/<uuid:survey_id>/face-to-face/", views_manage.face_to_face, name="face_to_face"),
    path("manage/surveys/<uuid:survey_id>/results/", views_manage.results, name="results"),
    path("manage/surveys/<uuid:survey_id>/results.csv", views_manage.results_download, name="results_csv"),
    path("manage/surveys/<uuid:survey_id>/findings/new/", views_manage.finding_new, name="finding_new"),
    path("manage/findings/<uuid:finding_id>/", views_manage.finding_manage, name="manage_finding"),
    path("manage/findings/<uuid:finding_id>/edit/", views_manage.finding_edit, name="finding_edit"),
    path("manage/findings/<uuid:finding_id>/publish/", views_manage.finding_publish, name="finding_publish"),
    path("manage/findings/<uuid:finding_id>/evidence/", views_manage.finding_evidence, name="finding_evidence"),
]
