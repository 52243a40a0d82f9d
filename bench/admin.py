"""Time the admin article changelist on the bench database, as a signed-in superuser.

    .venv/bin/python bench/admin.py           # after bench/run.py has seeded newsroom_bench
    .venv/bin/python bench/admin.py --json    # one JSON document on stdout (bench/run.py)

Each page is loaded 20 times with Django's test client, in this process (no HTTP server):
the median and p95 are printed with the queries of one more load, and whether one of them
counts the whole article table.
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.parse

from benchdb import setup

CHANGELIST = "/admin/articles/article/"
REPEATS = 20
USERNAME = "bench-admin"
# A COUNT whose plan reads every row of the article table, filtered or not (a filter that
# keeps nearly every row, such as "not in the Trash", costs as much as none).
WHOLE_TABLE = "Seq Scan on articles_article "


def log(message):
    print(message, file=sys.stderr, flush=True)


def signed_in_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        password = os.urandom(16).hex()
        user = get_user_model().objects.create_superuser(USERNAME, "bench@example.org", password)
    client = Client()
    client.force_login(user)
    return client


def pages(search_word):
    from articles.models import Section

    section = Section.objects.order_by("position").first()
    year = time.localtime().tm_year - 1
    return {
        "changelist (default)": CHANGELIST,
        f"search q={search_word}": f"{CHANGELIST}?q={urllib.parse.quote_plus(search_word)}",
        "filter published + section": (
            f"{CHANGELIST}?status__exact=published&section__id__exact={section.pk}"
        ),
        f"date drill-down {year}": f"{CHANGELIST}?published_at__year={year}",
    }


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def captured_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return [{"sql": query["sql"], "ms": float(query["time"]) * 1000} for query in context]


def reads_whole_table(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return WHOLE_TABLE in plan


def measure(client, name, url):
    timed_get(client, url)
    timings = sorted(timed_get(client, url) for _ in range(REPEATS))
    queries = captured_queries(client, url)
    counts = [query for query in queries if "COUNT(" in query["sql"]]
    slowest = sorted(queries, key=lambda query: query["ms"], reverse=True)[:3]
    page = {
        "name": name,
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "queries": len(queries),
        "sql_ms": round(sum(query["ms"] for query in queries), 1),
        "counts": [shorten(query) for query in counts],
        "full_count": any(reads_whole_table(query["sql"]) for query in counts),
        "slowest": [shorten(query) for query in slowest],
    }
    log(
        f"  {name}: median {page['median_ms']:.0f} ms, {page['queries']} queries "
        f"({page['sql_ms']:.0f} ms SQL), full COUNT(*): {'yes' if page['full_count'] else 'no'}"
    )
    return page


def shorten(query):
    return {"ms": round(query["ms"], 1), "sql": query["sql"][:300]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON on stdout")
    parser.add_argument("--search", default="council", help="the word searched for")
    args = parser.parse_args()
    setup()
    from django.test.utils import override_settings

    # The admin's {% static %} needs no collected manifest when files are not served.
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    files = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with override_settings(STORAGES={"default": files, "staticfiles": plain_static}):
        client = signed_in_client()
        results = [measure(client, name, url) for name, url in pages(args.search).items()]
    report = {"repeats": REPEATS, "pages": results}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for page in results:
        print(f"\n{page['name']}  {page['url']}")
        print(
            f"  median {page['median_ms']} ms, p95 {page['p95_ms']} ms, {page['queries']} queries"
        )
        for query in page["counts"]:
            print(f"  COUNT {query['ms']} ms: {query['sql']}")


if __name__ == "__main__":
    main()
