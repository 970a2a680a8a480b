from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Self-hosted Swagger UI whose scripts and styles are all files (no inline code)."""

    template_name = "api/swagger_ui.html"
