from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabulariesConfig(AppConfig):
    name = "stocktake.vocabularies"
    label = "vocabularies"
    verbose_name = _("Vocabularies")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
