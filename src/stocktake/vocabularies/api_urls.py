from django.urls import path

from . import api

urlpatterns = [
    path("vocabularies/", api.VocabularyListApi.as_view(), name="api-vocabulary-list"),
    path(
        "vocabularies/<slug:scheme>/",
        api.VocabularyDetailApi.as_view(),
        name="api-vocabulary-detail",
    ),
    path("crosswalks/", api.CrosswalkListApi.as_view(), name="api-crosswalk-list"),
    path(
        "crosswalks/<slug:crosswalk>/",
        api.CrosswalkDetailApi.as_view(),
        name="api-crosswalk-detail",
    ),
]
