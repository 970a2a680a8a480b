"""Stocktake benchmarks: server time per page, against a trivial page measured in the same run.

Runs in-process through Django's test client on a scratch database (SQLite by default;
`--postgres URL` recreates that PostgreSQL database and uses it), so the figures are server time
without the network. Machines are shared and noisy: read the medians and the ratios, not
single runs.
"""

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client, paths: list[str], repeat: int, before=None) -> list[float]:
    client.get(paths[0])  # warm caches and connections
    timings = []
    for n in range(repeat):
        path = paths[n % len(paths)]
        if before:
            before()
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    return timings


def measure_interleaved(client, pages, repeat: int, before=None) -> dict[str, list[float]]:
    """Like `measure`, for several pages taken in turn (one request of each, then again), so
    that a slow spell of the shared machine falls on all of them alike rather than on
    whichever page was being measured at the time."""
    for _name, paths in pages:
        client.get(paths[0])  # warm caches and connections
    timings: dict[str, list[float]] = {name: [] for name, _paths in pages}
    for n in range(repeat):
        for name, paths in pages:
            path = paths[n % len(paths)]
            if before:
                before()
            started = time.perf_counter()
            response = client.get(path)
            timings[name].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
    return timings


def row(name: str, timings: list[float], floor: float, queries: str) -> None:
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    throughput = 1000 / statistics.mean(timings)
    print(f"{name:<28}{p50:>9.2f}{p95:>9.2f}{throughput:>9.0f}{queries:>9}{p50 / floor:>10.1f}x")


def report(
    client, connection, capture, pages, repeat: int, *, pooled: str = "", before=None
) -> None:
    """Print p50/p95, throughput and queries per page, beside the trivial page (the floor)
    measured again in the same breath, so each ratio compares like with like; with `pooled`,
    the pages are a query mix: requested in turn, with the floor among them, and a last row
    of every request taken together."""
    print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'queries':>9}{'p50/floor':>11}")
    pages = [(name, [paths] if isinstance(paths, str) else paths) for name, paths in pages]
    if pooled:
        mixed = measure_interleaved(client, [("floor", ["/health/"]), *pages], repeat, before)
        floor = statistics.median(mixed.pop("floor"))
    else:
        floor = statistics.median(measure(client, ["/health/"], repeat))
    print(f"{'trivial page (floor)':<28}{floor:>9.2f}{'':>9}{'':>9}{0:>9}{1:>10.1f}x")
    everything = []
    for name, paths in pages:
        timings = mixed[name] if pooled else measure(client, paths, repeat, before)
        everything += timings
        if before:
            before()  # the queries of a request as measured
        with capture(connection) as queries:
            client.get(paths[0])
        row(name, timings, floor, str(len(queries)))
    if pooled:
        row(pooled, everything, floor, "")


def index_size(connection) -> str:
    """The search index's size on disk: documents, full-text index and spelling words."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
                "WHERE c.relkind = 'r' AND c.relname LIKE 'search\\_%'"
            )
            total = cursor.fetchone()[0]
            cursor.execute("SELECT pg_relation_size('search_vectors_vector_idx')")
            gin = cursor.fetchone()[0]
            cursor.execute("SELECT pg_total_relation_size('search_searchposting')")
            ready = cursor.fetchone()[0]
            return (
                f"{total / 2**20:.0f} MiB in all (with indexes), GIN index {gin / 2**20:.0f} MiB, "
                f"ready matches of common terms {ready / 2**20:.0f} MiB"
            )
        cursor.execute(
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'search%' GROUP BY name"
        )
        sizes = dict(cursor.fetchall())
    fts = sum(size for name, size in sizes.items() if name.startswith("search_fts"))
    head = sum(size for name, size in sizes.items() if name.startswith("search_head_fts"))
    ready = sum(size for name, size in sizes.items() if "searchposting" in name)
    return (
        f"{sum(sizes.values()) / 2**20:.0f} MiB in all, FTS5 tables {fts / 2**20:.0f} MiB "
        f"(and {head / 2**20:.0f} MiB for the title and organisation names), ready matches "
        f"of common terms {ready / 2**20:.0f} MiB"
    )


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
    parser.add_argument(
        "--scale-repeat",
        type=int,
        default=60,
        help="requests per page at 10k/100k entries (slow pages at 100k would take minutes)",
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="entry counts to measure the entry pages at (comma-separated, ascending)",
    )
    parser.add_argument("--postgres", metavar="URL", help="a scratch PostgreSQL database URL")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=100_000,
        help="rows of the CSV file the import benchmark loads (after the other measures)",
    )
    parser.add_argument(
        "--no-exports",
        action="store_true",
        help="skip the download of the whole dataset in every format (minutes at 100k)",
    )
    parser.add_argument(
        "--no-export-memory",
        action="store_true",
        help="skip the second, traced download of each export format (peak memory)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch SQLite database")
    parser.add_argument(
        "--sqlite",
        metavar="PATH",
        help="use (and keep) this SQLite file instead of a scratch one; entries already there "
        "are not generated again",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --postgres: use that database as it is instead of recreating it",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="stocktake-bench-"))
    if args.postgres:
        if not args.reuse:
            recreate_postgres_database(args.postgres)
        os.environ["DATABASE_URL"] = args.postgres
    else:
        database = Path(args.sqlite) if args.sqlite else scratch / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings.test")
    # Persistent database connections, as the production settings keep them on PostgreSQL
    # (CONN_MAX_AGE 60): otherwise every request would open a new connection and pay for a
    # fresh server process (its catalogue caches cold), which a deployment does not.
    os.environ.setdefault("CONN_MAX_AGE", "60")
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
    from stocktake.vocabularies.models import Term

    reloaded = Term.objects.exists()  # a reused database: the load only checks
    started = time.perf_counter()
    call_command("load_vocabularies", verbosity=0)
    load_seconds = time.perf_counter() - started

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Stocktake benchmarks — database: {engine}, {args.repeat} requests per page")
    state = "loaded already: nothing to change" if reloaded else "empty database"
    print(f"Vocabulary load (all schemes and crosswalks, {state}): {load_seconds:.2f} s")
    report(
        client,
        connection,
        CaptureQueriesContext,
        [
            ("home (en)", "/en/"),
            ("vocabulary list (ar)", "/ar/vocabularies/"),
            ("SDG targets tree (ar)", "/ar/vocabularies/sdg-targets/"),
            ("term page C5 (fr)", "/fr/vocabularies/wsis-action-lines/C5/"),
            ("API: countries scheme", "/api/v1/vocabularies/countries/"),
            ("API: scheme list", "/api/v1/vocabularies/"),
        ],
        args.repeat,
    )

    from imports import bench_import  # benchmarks/imports.py
    from opendata import bench_exports  # benchmarks/opendata.py

    from stocktake.initiatives.generator import generate
    from stocktake.initiatives.models import Initiative
    from stocktake.initiatives.selectors import published_initiatives
    from stocktake.search.browse import BrowseIndex
    from stocktake.search.selectors import search_cache_clear

    for size in [int(value) for value in args.sizes.split(",") if value]:
        missing = size - Initiative.objects.count()
        started = time.perf_counter()
        if missing > 0:
            generate(count=missing, seed=size)
        seconds = time.perf_counter() - started
        print(
            f"\n{size} entries ({published_initiatives().count()} published); "
            f"generated {max(missing, 0)} in {seconds:.0f} s "
            f"({max(missing, 0) / max(seconds, 0.001):.0f} entries/s)"
        )
        sample = list(published_initiatives().order_by("?").values_list("pk", flat=True)[:50])
        report(
            client,
            connection,
            CaptureQueriesContext,
            [
                ("browse list, page 1", "/en/initiatives/"),
                ("browse list, page 40", "/en/initiatives/?page=40"),
                ("browse, 2 filters", "/en/initiatives/?wsis-action-lines=C7.1&countries=EG"),
                ("browse, sorted by title", "/ar/initiatives/?sort=title"),
                ("country page EG", "/en/initiatives/countries/EG/"),
                ("entry page", [f"/en/initiatives/{pk}/" for pk in sample]),
                ("entry page (ar)", [f"/ar/initiatives/{pk}/" for pk in sample]),
                ("countries with counts", "/en/initiatives/countries/"),
            ],
            args.scale_repeat,
        )
        started = time.perf_counter()
        BrowseIndex().refreshed()
        load_seconds = time.perf_counter() - started
        tracemalloc.start()
        kept = BrowseIndex().refreshed()
        kept._order("updated", "en"), kept._order("title", "en")
        index_mib = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        del kept
        print(
            f"Search at {size} entries — index: {index_size(connection)}; browse index "
            f"loaded whole in {load_seconds:.2f} s, {index_mib:.0f} MiB with two sort orders"
        )
        # The query mix of the search issue, on the pages people use, then taken together:
        # first with the per-process cache of matches emptied before every request (each
        # search from scratch), then as it runs, with searches repeated.
        mix = [
            ("search: one word", "/en/initiatives/?q=health"),
            ("search: two words", "/en/initiatives/?q=cloud+skills"),
            ("search: a phrase", '/en/initiatives/?q="artificial+intelligence"'),
            ("search: Arabic", "/ar/initiatives/?q=والتعليم+الرقمية"),
            ("search: French", "/fr/initiatives/?q=données+santé"),
            ("two facets combined", "/en/initiatives/?wsis-action-lines=C7.1&countries=EG"),
            ("facet counts alone (API)", "/api/v1/initiatives/facets/?q=health"),
        ]
        for title, before in (
            (
                "each search from scratch (match cache emptied before each request)",
                search_cache_clear,
            ),
            ("repeated searches (matches cached for the index state)", None),
        ):
            print(f"Query mix, {title}:")
            report(
                client,
                connection,
                CaptureQueriesContext,
                mix,
                args.scale_repeat,
                pooled="query mix, all of the above",
                before=before,
            )
        print("More searches, each from scratch:")
        report(
            client,
            connection,
            CaptureQueriesContext,
            [
                ("search: misspelt", "/en/initiatives/?q=cybersecurty"),
                ("search and two facets", "/en/initiatives/?q=health&sdg-goals=3&countries=EG"),
                ("search, page 10", "/en/initiatives/?q=health&page=10"),
                ("search API, one word", "/api/v1/initiatives/?q=health"),
                ("search API, Arabic", "/api/v1/initiatives/?q=الصحة"),
            ],
            args.scale_repeat,
            before=search_cache_clear,
        )
        # Open data: the whole published dataset in every format, streamed.
        if not args.no_exports:
            bench_exports(client, published_initiatives().count(), memory=not args.no_export_memory)
    if args.import_rows:
        # Last, as it adds entries: a CSV file in the template's layout, checked, then
        # committed in one transaction as published entries.
        from stocktake.accounts.models import User

        moderator, _created = User.objects.get_or_create(
            username="bench-moderator",
            defaults={"email": "bench-moderator@example.org", "is_moderator": True},
        )
        print()
        bench_import(args.import_rows, moderator)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory (max RSS): {peak_mib:.0f} MiB")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
