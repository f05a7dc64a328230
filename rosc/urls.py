from django.urls import include, path

urlpatterns = [
    path("", include("rosc.core.urls")),
    path("services/", include("rosc.directory.urls")),
    path("staff/services/", include("rosc.directory.urls_manage")),
    path("api/oruk/", include("rosc.directory.api.urls")),
    path("care/", include("rosc.record.urls")),
    path("referrals/", include("rosc.referrals.urls")),
    path("get-help/", include("rosc.frontdoor.urls")),
    path("community-voice/", include("rosc.voice.urls")),
    path("recovery-fund/", include("rosc.fund.urls")),
    path("research/", include("rosc.research.urls")),
    path("outcomes/", include("rosc.outcomes.urls")),
    path("peer-support/", include("rosc.peers.urls")),
    path("continuing-care/", include("rosc.continuing.urls")),
    path("family/", include("rosc.family.urls")),
    path("accounts/", include("allauth.urls")),
]

handler403 = "rosc.core.views.error_403"
handler404 = "rosc.core.views.error_404"
handler500 = "rosc.core.views.error_500"
