"""Benchmark of the open data downloads: the whole published dataset in each format.

Called from benchmarks/run.py as `bench_exports(client, count_published)` on a database
holding that many published entries. Each format is downloaded twice through the Django test
client, the stream consumed and thrown away as a web server would send it: once timed, once
under tracemalloc (which slows Python down, so its time is not reported) for the peak of
memory the download allocates. The maximum resident set size is read around the timed run:
its growth shows whether the process needed more memory than it already had. The size
column is the file's; for XLSX it is also the temporary disk space the download used.
"""

import gc
import resource
import sys
import time
import tracemalloc

FORMATS = ("csv", "jsonl", "json", "xlsx")


def _max_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes / KiB


def _download(client, path: str) -> tuple[int, int]:
    """(bytes, entries) of one download, its stream consumed."""
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    size = 0
    if response.streaming:
        for piece in response.streaming_content:
            size += len(piece)
    else:
        size = len(response.content)
    response.close()  # FileResponse: closes (and so deletes) the temporary file
    return size, int(response["X-Entry-Count"])


def bench_exports(client, count_published: int, *, memory: bool = True) -> None:
    """Print rows/s, seconds, size, tracemalloc peak and max-RSS growth per format
    (`memory=False`: no second, traced download; the peak column is then empty)."""
    print(f"open data downloads of all {count_published} published entries")
    print(
        f"{'format':<8}{'rows':>9}{'seconds':>9}{'rows/s':>10}{'MiB':>9}"
        f"{'peak MiB':>10}{'RSS +MiB':>10}"
    )
    _download(client, "/en/data/export.jsonl?countries=-")  # the index and vocabulary, warm
    for format in FORMATS:
        path = f"/en/data/export.{format}"
        gc.collect()
        rss_before = _max_rss_mib()
        started = time.perf_counter()
        size, rows = _download(client, path)
        seconds = time.perf_counter() - started
        rss_growth = _max_rss_mib() - rss_before
        peak = float("nan")
        if memory:
            gc.collect()
            tracemalloc.start()
            _download(client, path)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        if rows != count_published:
            print(f"  note: {rows} rows downloaded, {count_published} expected")
        print(
            f"{format:<8}{rows:>9}{seconds:>9.2f}{rows / seconds:>10.0f}{size / 2**20:>9.1f}"
            f"{peak / 2**20:>10.1f}{rss_growth:>10.1f}"
        )
