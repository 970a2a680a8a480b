from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from .views import ApiDocsView

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", ApiDocsView.as_view(url_name="openapi"), name="api-docs"),
    path("", include("stocktake.vocabularies.api_urls")),
    path("", include("stocktake.initiatives.api_urls")),
]
