from django.urls import path

from . import api

urlpatterns = [
    path("initiatives/", api.InitiativeSearchApi.as_view(), name="api-initiative-search"),
    path("initiatives/facets/", api.InitiativeFacetsApi.as_view(), name="api-initiative-facets"),
]
