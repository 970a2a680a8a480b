"""Stocktake benchmarks: server time per page, against a trivial page measured in the same run.

Runs in-process through Django's test client on a scratch database (SQLite by default;
`--postgres URL` recreates that PostgreSQL database and uses it), so the figures are server time
without the network. Machines are shared and noisy: read the medians and the ratios, not
single runs.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client, path: str, repeat: int) -> list[float]:
    client.get(path)  # warm caches and connections
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return timings


def recreate_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username,
        password=parts.password, dbname="postgres", autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--postgres", metavar="URL", help="a scratch PostgreSQL database URL")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="stocktake-bench-"))
    if args.postgres:
        recreate_postgres_database(args.postgres)
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings.test")
    os.environ.setdefault("STOCKTAKE_VAR_DIR", str(scratch))
    os.environ["ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_vocabularies", verbosity=0)
    load_seconds = time.perf_counter() - started

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    pages = [
        ("trivial page (floor)", "/health/"),
        ("home (en)", "/en/"),
        ("vocabulary list (ar)", "/ar/vocabularies/"),
        ("SDG targets tree (ar)", "/ar/vocabularies/sdg-targets/"),
        ("term page C5 (fr)", "/fr/vocabularies/wsis-action-lines/C5/"),
        ("API: countries scheme", "/api/v1/vocabularies/countries/"),
        ("API: scheme list", "/api/v1/vocabularies/"),
    ]
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Stocktake benchmarks — database: {engine}, {args.repeat} requests per page")
    print(f"Vocabulary load (all schemes and crosswalks, empty database): {load_seconds:.2f} s")
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}{'p50/floor':>11}")
    floor = None
    for name, path in pages:
        timings = measure(client, path, args.repeat)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        p50, p95 = statistics.median(timings), percentile(timings, 0.95)
        floor = floor or p50
        throughput = 1000 / statistics.mean(timings)
        print(
            f"{name:<28}{p50:>9.2f}{p95:>9.2f}{throughput:>9.0f}"
            f"{len(queries):>9}{p50 / floor:>10.1f}x"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory (max RSS): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
