"""System checks: the vocabularies must be complete in every configured language and every
crosswalk must point at terms that exist."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from .datafiles import read_data_dir


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@register()
def check_vocabulary_files(app_configs, **kwargs):
    dataset = read_data_dir(settings.VOCABULARY_DATA_DIR, _languages())
    return [
        Error(problem, hint="Correct the vocabulary data file.", id="stocktake.E001")
        for problem in dataset.problems
    ]


@register(Tags.database)
def check_vocabulary_database(app_configs, databases=None, **kwargs):
    """Terms edited in the database (the admin) must stay complete too."""
    from .models import Scheme, Term

    if not databases:
        return []
    errors = []
    languages = _languages()
    try:
        for model in (Scheme, Term):
            for obj in model.objects.using("default").only("pk", "labels").iterator():
                missing = [code for code in languages if not (obj.labels or {}).get(code)]
                if missing:
                    errors.append(
                        Error(
                            f"{model._meta.verbose_name} {obj} has no label in "
                            f"{', '.join(missing)}.",
                            hint="Add the label in the admin or the data file and reload.",
                            obj=obj,
                            id="stocktake.E002",
                        )
                    )
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    return errors
