from django.urls import path

from . import api

urlpatterns = [
    path("initiatives/", api.InitiativeCollectionApi.as_view(), name="api-initiative-search"),
    path("initiatives/facets/", api.InitiativeFacetsApi.as_view(), name="api-initiative-facets"),
    path("initiatives/<int:pk>/", api.InitiativeDetailApi.as_view(), name="api-initiative-detail"),
    path("initiatives/<int:pk>/draft/", api.DraftApi.as_view(), name="api-initiative-draft"),
    *(
        path(
            f"initiatives/<int:pk>/{action}/",
            view.as_view(),
            name=f"api-initiative-{action}",
        )
        for action, view in api.ACTION_VIEWS.items()
    ),
    path("moderation/", api.ModerationQueueApi.as_view(), name="api-moderation-queue"),
    path("countries/", api.CountryListApi.as_view(), name="api-country-list"),
]
