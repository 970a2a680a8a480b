from django.urls import path

from . import api

urlpatterns = [
    path("organisations/", api.OrganisationListApi.as_view(), name="api-organisation-list"),
    path(
        "organisations/<int:pk>/",
        api.OrganisationDetailApi.as_view(),
        name="api-organisation-detail",
    ),
]
