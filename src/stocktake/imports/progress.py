"""Progress of a running dry run or commit, visible while its transaction is still open.

The commit writes every entry in ONE transaction, so a progress counter written to the
database from inside it would stay invisible until the end (and on SQLite a second
connection cannot write while that transaction holds the write lock). Progress therefore
goes to a small file beside the uploaded file, replaced atomically: it works the same on
SQLite and PostgreSQL, and it needs nothing the import does not already need (the worker
must read the uploaded file from the same directory as the web processes).
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings

MIN_INTERVAL = 0.25  # seconds between two writes


def _path(job_id: int) -> Path:
    return Path(settings.IMPORT_DIR) / f"job-{job_id}.progress"


class ProgressWriter:
    def __init__(self, job_id: int, total: int, callback=None):
        self.job_id, self.total, self.done = job_id, total, 0
        self._last = 0.0
        self.callback = callback

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.callback:
            self.callback(count, self.total)
        now = time.monotonic()
        if now - self._last >= MIN_INTERVAL or self.done >= self.total:
            self._last = now
            progress_write(self.job_id, processed=self.done, total=self.total)


def progress_write(job_id: int, *, processed: int, total: int) -> None:
    path = _path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"processed": processed, "total": total}))
    os.replace(temporary, path)


def progress_read(job_id: int) -> dict | None:
    try:
        data = json.loads(_path(job_id).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return {"processed": int(data.get("processed", 0)), "total": int(data.get("total", 0))}


def progress_clear(job_id: int) -> None:
    _path(job_id).unlink(missing_ok=True)
