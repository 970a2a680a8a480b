"""Benchmark of bulk imports: a CSV file of realistic rows, dry-run then committed.

Called from benchmarks/run.py as `bench_import(rows, user)` with a moderator `user`, on a
database with the vocabularies loaded. The rows are made with the synthetic-entry generator's
words and weights (stocktake.initiatives.generator): several languages, countries, Action
Lines, SDG targets, technologies, a few hundred organisations (some new, created by the
import). Both phases run in this process, as `stocktake import` runs them: the dry run plans
every row, the commit plans and writes them all in one transaction, then indexes them.
Reported: seconds, rows/s and CPU seconds per phase (on a busy machine the CPU time shows
the work done, the wall time includes waiting), and the process's maximum resident set size (its
growth shows the memory the phase needed beyond what the process already had).
"""

import csv
import gc
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _max_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes / KiB


def write_csv(path: Path, rows: int, *, seed: int = 7) -> None:
    """A CSV file in the template's layout with `rows` entries, written as it is made."""
    from stocktake.initiatives import generator as g
    from stocktake.opendata.columns import IMPORT_HEADER

    rng = random.Random(seed)
    organisations = [
        (
            " ".join(rng.choices(g.WORDS["en"], k=3)).title() + f" {n}",
            g._pick(rng, g.STAKEHOLDER_WEIGHTS),
            g._pick(rng, g.COUNTRY_WEIGHTS),
        )
        for n in range(max(5, rows // 40))
    ]
    out = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
    writer = csv.DictWriter(out, fieldnames=list(IMPORT_HEADER))
    writer.writeheader()
    for n in range(rows):
        name, kind, country = rng.choice(organisations)
        language = g._pick(rng, g.LANGUAGE_WEIGHTS)
        topic = g._topic(rng)
        goal = g._pick(rng, g.GOAL_WEIGHTS)
        record = {
            "external_id": f"BENCH-{seed}-{n}",
            "original_language": language,
            "organisation_en": name,
            "organisation_stakeholder_type": kind,
            "organisation_country": country,
            f"title_{language}": g._text(rng, language, 4, 12, topic).rstrip(".") + f" {n}",
            f"summary_{language}": g._text(rng, language, 40, 90, topic),
            f"description_{language}": g._text(rng, language, 120, 400, topic),
            f"objectives_{language}": g._text(rng, language, 20, 60, topic),
            "initiative_type": rng.choice(g.TYPES),
            "implementation_status": rng.choice(g.STATUSES),
            "coverage": rng.choice(g.COVERAGE),
            "start_date": f"{rng.randint(2012, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "action_line_primary": g._pick(rng, g.ACTION_LINE_WEIGHTS),
            "action_lines_secondary": "; ".join(
                {g._pick(rng, g.ACTION_LINE_WEIGHTS) for _ in range(rng.randint(0, 2))}
            ),
            "sdg_goals": goal,
            "technologies": "; ".join(
                rng.sample(
                    [
                        "artificial-intelligence",
                        "cloud-computing",
                        "internet-of-things",
                        "big-data-analytics",
                    ],
                    k=rng.randint(1, 2),
                )
            ),
            "beneficiary_groups": rng.choice(["youth", "women-girls", "general-public"]),
            "countries": country,
            "keywords": "; ".join(g.WORDS["en"][i] for i in topic[: rng.randint(0, 4)]),
        }
        writer.writerow(record)
    out.close()


def bench_import(rows: int, user) -> None:
    """Print seconds, rows/s and memory for the dry run and the commit of `rows` rows."""
    from django.conf import settings
    from django.test.utils import override_settings

    directory = Path(tempfile.mkdtemp(prefix="stocktake-bench-import-"))
    path = directory / "bench.csv"
    write_csv(path, rows)
    size = path.stat().st_size
    print(f"import of a {rows}-row CSV file ({size / 2**20:.1f} MiB)")
    print(
        f"{'phase':<10}{'rows':>9}{'seconds':>9}{'rows/s':>9}{'CPU s':>8}{'max RSS MiB':>13}"
        f"{'RSS +MiB':>10}"
    )
    # Realistic texts make a large file: lift the size and row limits for the measurement.
    limits = override_settings(
        IMPORT_MAX_BYTES=max(settings.IMPORT_MAX_BYTES, size + 1),
        IMPORT_MAX_ROWS=max(settings.IMPORT_MAX_ROWS, rows),
    )
    limits.enable()
    try:
        _phases(path, rows, user)
    finally:
        limits.disable()
        shutil.rmtree(directory, ignore_errors=True)


def _phases(path: Path, rows: int, user) -> None:
    from stocktake.imports import services
    from stocktake.imports.models import JobStatus

    gc.collect()
    with open(path, "rb") as upload:
        job = services.import_job_create(
            user=user, upload=upload, file_name="bench.csv", queue=False
        )
    phases = (
        ("dry run", lambda: services.import_job_run_check(job_id=job.pk)),
        (
            "commit",
            lambda: services.import_job_commit(
                user=user, job=job, target_state="published", run_now=True
            ),
        ),
    )
    for name, run in phases:
        gc.collect()
        rss_before = _max_rss_mib()
        started, cpu = time.perf_counter(), time.process_time()
        job = run()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        rss = _max_rss_mib()
        expected = JobStatus.PREVIEWED if name == "dry run" else JobStatus.SUCCEEDED
        if job.status != expected or job.error_count:
            raise SystemExit(f"import {name} ended {job.status}: {job.error or job.report}")
        print(
            f"{name:<10}{rows:>9}{seconds:>9.1f}{rows / seconds:>9.0f}{cpu:>8.1f}{rss:>13.0f}"
            f"{rss - rss_before:>10.0f}"
        )
