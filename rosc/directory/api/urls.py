"""The Open Referral UK API, mounted at /api/oruk/. A trailing slash is optional."""

from django.urls import re_path

from rosc.directory.api import views

app_name = "oruk"

urlpatterns = [
    re_path(r"^$", views.api_root, name="root"),
    re_path(r"^openapi\.json$", views.openapi, name="openapi"),
    re_path(r"^services/?$", views.service_list, name="services"),
    re_path(r"^services/(?P<service_id>[^/]+)/?$", views.service_detail, name="service"),
    re_path(r"^service_at_locations/?$", views.service_at_location_list, name="service_at_locations"),
    re_path(
        r"^service_at_locations/(?P<service_at_location_id>[^/]+)/?$",
        views.service_at_location_detail,
        name="service_at_location",
    ),
    re_path(r"^taxonomies/?$", views.taxonomy_list, name="taxonomies"),
    re_path(r"^taxonomies/(?P<taxonomy_id>[^/]+)/?$", views.taxonomy_detail, name="taxonomy"),
    re_path(r"^taxonomy_terms/?$", views.taxonomy_term_list, name="taxonomy_terms"),
    re_path(r"^taxonomy_terms/(?P<taxonomy_term_id>[^/]+)/?$", views.taxonomy_term_detail, name="taxonomy_term"),
    # Anything else under /api/oruk/ answers a JSON 404 with the CORS header.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
