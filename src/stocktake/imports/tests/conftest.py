import io

import pytest

from stocktake.imports import services
from stocktake.imports.models import ImportJob
from stocktake.initiatives.tests.factories import make_user


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    """Each test keeps its uploads and progress files to itself."""
    settings.IMPORT_DIR = tmp_path / "imports"
    return settings.IMPORT_DIR


@pytest.fixture
def moderator(vocabularies):
    return make_user(moderator=True)


@pytest.fixture
def upload():
    def upload(user, data: bytes, name: str = "entries.csv", **kwargs) -> ImportJob:
        return services.import_job_create(
            user=user, upload=io.BytesIO(data), file_name=name, **kwargs
        )

    return upload
