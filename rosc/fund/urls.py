from django.urls import path

from rosc.fund import views

app_name = "fund"

urlpatterns = [
    path("", views.index, name="index"),
    path("your-proposals/", views.my_proposals, name="my_proposals"),
    # The fund team's pages.
    path("staff/", views.staff_rounds, name="staff_rounds"),
    path("staff/new/", views.round_new, name="round_new"),
    path("staff/import/", views.round_import, name="round_import"),
    path("staff/<slug:slug>/", views.round_manage, name="round_manage"),
    path("staff/<slug:slug>/edit/", views.round_edit, name="round_edit"),
    path("staff/<slug:slug>/phase/", views.round_phase, name="round_phase"),
    path("staff/<slug:slug>/count/", views.round_count, name="round_count"),
    path("staff/<slug:slug>/review/", views.review_list, name="review_list"),
    path("staff/<slug:slug>/review/<int:number>/", views.review_proposal, name="review_proposal"),
    path("staff/<slug:slug>/ideas/<int:idea_id>/hide/", views.idea_hide, name="idea_hide"),
    # A round's public pages.
    path("<slug:slug>/", views.round_page, name="round"),
    path("<slug:slug>/ideas/", views.ideas, name="ideas"),
    path("<slug:slug>/ideas/new/", views.idea_new, name="idea_new"),
    path("<slug:slug>/proposals/", views.proposals, name="proposals"),
    path("<slug:slug>/proposals/new/", views.propose, name="propose"),
    path("<slug:slug>/proposals/new/check/", views.propose_check, name="propose_check"),
    path("<slug:slug>/proposals/<int:number>/", views.proposal, name="proposal"),
    path("<slug:slug>/proposals/<int:number>/update/", views.delivery_update, name="delivery_update"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/vote/where/", views.vote_where, name="vote_where"),
    path("<slug:slug>/vote/code/", views.vote_code, name="vote_code"),
    path("<slug:slug>/vote/confirm/", views.vote_confirm, name="vote_confirm"),
    path("<slug:slug>/vote/saved/", views.vote_saved, name="vote_saved"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results/check/", views.results_check, name="results_check"),
    path("<slug:slug>/results/pabulib.pb", views.results_pb, name="results_pb"),
]
