"""Profile one public page on the bench database with cProfile, as an anonymous reader.

    .venv/bin/python bench/profile_page.py /                    # the home page
    .venv/bin/python bench/profile_page.py /section/opinion/ -n 50 --save home.prof
    .venv/bin/python bench/profile_page.py random-article -n 300   # a new story each load
    .venv/bin/python bench/profile_page.py /search/?q=council --time  # timed, no profiler

The page is loaded once to warm up, then `-n` times under cProfile, in this process with
Django's test client (no HTTP server). Printed: time per request, the share spent waiting for
SQL, the queries of one load, and the functions with the most cumulative and own time. With
--time, the loads are timed without the profiler instead (median and mean).
"""

import argparse
import cProfile
import io
import pstats
import statistics
import time

from benchdb import setup

RANDOM_ARTICLE = "random-article"


def random_articles(count):
    """Addresses of `count` published stories picked at random, as bench/run.py's random
    article scenario requests them (each once)."""
    from articles.models import Article

    slugs = Article.objects.published().order_by("?").values_list("slug", flat=True)
    return [f"/news/{slug}/" for slug in slugs[:count]]


def addresses(path, count):
    """The address to warm up with, the one whose queries are shown, and the `count` to
    profile: `path` every time, or for RANDOM_ARTICLE a different story each time."""
    if path == RANDOM_ARTICLE:
        first, second, *paths = random_articles(count + 2)
        return first, second, paths
    return path, path, [path] * count


def get(client, path):
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return response


def show_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        get(client, path)
    total = sum(float(query["time"]) for query in context) * 1000
    print(f"{len(context)} queries, {total:.1f} ms of SQL in one load:")
    for query in context:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")


def profile(client, paths, label):
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for path in paths:
        get(client, path)
    profiler.disable()
    elapsed = (time.perf_counter() - started) * 1000 / len(paths)
    print(f"\n{len(paths)} loads of {label}: {elapsed:.1f} ms each under cProfile")
    return profiler


def time_loads(client, paths, label):
    """Each load timed without the profiler, which slows Python code about 1.5 times."""
    times = []
    for path in paths:
        started = time.perf_counter()
        get(client, path)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"\n{len(paths)} loads of {label} without cProfile: median "
        f"{statistics.median(times):.1f} ms, mean {statistics.mean(times):.1f} ms"
    )


def show_stats(profiler, lines):
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(lines)
        print(f"\nTop {lines} by {order} time:")
        print(out.getvalue().split("\n", 6)[-1].rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help=f"a site path such as / or /news/, or {RANDOM_ARTICLE}")
    parser.add_argument("-n", type=int, default=30, help="loads to profile")
    parser.add_argument("--lines", type=int, default=25, help="functions to list")
    parser.add_argument("--save", help="also write the raw profile to this file")
    parser.add_argument(
        "--time", action="store_true", help="time the loads without cProfile instead"
    )
    args = parser.parse_args()
    setup()
    from django.test import Client
    from django.test.utils import override_settings

    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    files = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with override_settings(STORAGES={"default": files, "staticfiles": plain_static}):
        client = Client()
        warm_up, shown, paths = addresses(args.path, args.n)
        get(client, warm_up)
        show_queries(client, shown)
        if args.time:
            time_loads(client, paths, args.path)
            return
        profiler = profile(client, paths, args.path)
    show_stats(profiler, args.lines)
    if args.save:
        profiler.dump_stats(args.save)


if __name__ == "__main__":
    main()
