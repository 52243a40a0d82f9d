"""Benchmark the newsroom at 100,000 articles against a Django hello-world, with wrk.

    .venv/bin/python bench/run.py              # recreate newsroom_bench, seed it, measure
    .venv/bin/python bench/run.py --skip-seed  # reuse the database a previous run seeded
    .venv/bin/python bench/run.py --skip-seed --cache  # the same with the page cache on

Every figure is also printed as a percentage of the hello-world's requests/s, measured in
the same run with the same gunicorn settings, so results compare across noisy machines.
bench/README.md says what is measured and how to read it.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import report
from psycopg import sql

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
# Uploaded photos of the bench database; kept between runs for --skip-seed.
MEDIA = BENCH / "media"
REPORT_LUA = BENCH / "lua" / "report.lua"
ARTICLES_LUA = BENCH / "lua" / "articles.lua"

DB_NAME = "newsroom_bench"
PG = {"host": "127.0.0.1", "port": 5432, "user": "newsroom", "password": "newsroom"}
DATABASE_URL = f"postgres://newsroom:newsroom@127.0.0.1:5432/{DB_NAME}"
# render_stories shares the stories among this many processes (one per core).
STORE_PROCESSES = os.cpu_count() or 2
SEED = ["--articles", "100000", "--authors", "300", "--sections", "40", "--tags", "2000"]

GUNICORN = ["-w", "2", "--threads", "4", "--no-control-socket"]
WRK_THREADS = 2
WRK_CONNECTIONS = 8
PORTS = range(8200, 9000)

# The News Feed's batch size (settings.NEWSROOM_FEED_BATCH) and the batch to jump to.
FEED_BATCH = 20
DEEP_BATCH = 1000
SLUG_COUNT = 20_000
WARMUP_SLUG_COUNT = 2_000
# --cache: the random-article scenario again, over slugs each requested once beforehand, so
# every request is a page cache hit ("a popular article").
HOT_SLUG_COUNT = 200
# The shared cache's Redis database (fragments; pages too with --cache); emptied first.
REDIS_URL = "redis://127.0.0.1:6379/13"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# What readers may see, as ArticleQuerySet.published() has it: published, its time and any
# embargo passed, not in the Trash. (This script reads the database without Django.)
LIVE = """a.status = 'published' AND a.published_at <= now()
    AND (a.embargo_until IS NULL OR a.embargo_until <= now()) AND a.trashed_at IS NULL"""
PUBLISHED_SLUGS = f"""
    SELECT slug FROM articles_article a WHERE {LIVE}
    ORDER BY random() LIMIT %s
"""  # noqa: S608 - constant text
# Batch N shows items 20(N-1)+1 .. 20N, after the cursor of item 20(N-1).
FEED_ITEM = f"""
    SELECT published_at, id FROM articles_article a WHERE {LIVE}
    ORDER BY published_at DESC, id DESC OFFSET %s LIMIT 1
"""  # noqa: S608 - constant text
BUSIEST_SECTION = f"""
    SELECT s.slug, count(*) FROM articles_section s
    JOIN articles_article a ON a.section_id = s.id
    WHERE {LIVE}
    GROUP BY s.slug ORDER BY count(*) DESC LIMIT 1
"""  # noqa: S608 - constant text
BUSIEST_AUTHOR = f"""
    SELECT au.slug, count(*) FROM authors_author au
    JOIN articles_byline b ON b.author_id = au.id
    JOIN articles_article a ON a.id = b.article_id
    WHERE {LIVE}
    GROUP BY au.slug ORDER BY count(*) DESC LIMIT 1
"""  # noqa: S608 - constant text
# Left out of the snapshot of the code: tools, data and output, not the application.
SNAPSHOT_SKIP = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "__pycache__", "*_cache", "media", "results",
    "staticfiles", "artifacts", "db.sqlite3",
)  # fmt: skip
ARTICLE_COUNT = "SELECT count(*) FROM articles_article"
# Stories and authors point at library photos, which record their size on upload; a photo
# without one (width 0) would only come from a failed data migration.
IMAGE_COLUMNS = [("photos_image", "file", "width", "height")]
UNSIZED = "SELECT DISTINCT {name} FROM {table} WHERE {name} <> '' AND {width} = 0"
SET_SIZE = "UPDATE {table} SET {width} = %s, {height} = %s WHERE {name} = %s"

STARTED = time.monotonic()


def log(message):
    print(f"[{time.monotonic() - STARTED:7.1f}s] {message}", flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per scenario")
    parser.add_argument("--search-word", default="council", help="the common word searched")
    parser.add_argument("--skip-admin", action="store_true", help="do not time the admin")
    parser.add_argument(
        "--leave-image-sizes",
        action="store_true",
        help="do not fill the photo sizes seed_demo leaves empty (see fill_image_sizes)",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="page cache on, in Redis (--redis-url): measures what anonymous readers get",
    )
    parser.add_argument(
        "--redis-url",
        default=REDIS_URL,
        help=f"the Redis database of the shared cache; it is emptied first (default {REDIS_URL})",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the newsroom server, e.g. NEWSROOM_PAGE_CACHE_TTL=60",
    )
    return parser.parse_args()


# Checks and the database --------------------------------------------------------------------


def check_tools(args):
    empty_redis(args.redis_url)
    if shutil.which("wrk") is None:
        sys.exit(
            "wrk is not installed. Debian/Ubuntu: apt-get install -y wrk  (macOS: brew install wrk)"
        )
    try:
        psycopg.connect(**PG, dbname="postgres", connect_timeout=5).close()
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL must answer on 127.0.0.1:5432 as newsroom/newsroom: {error}")


def empty_redis(url):
    """Every run starts from an empty cache: pages and fragments of an earlier run must not
    count."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).flushdb()
    except redis.RedisError as error:
        sys.exit(f"Redis must answer at {url}: {error}")


def recreate_database():
    name = sql.Identifier(DB_NAME)
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def query(text, params=()):
    with psycopg.connect(**PG, dbname=DB_NAME) as conn:
        return conn.execute(text, params).fetchall()


def article_count():
    try:
        return query(ARTICLE_COUNT)[0][0]
    except psycopg.Error:
        return 0


@dataclass
class App:
    """The copy of the newsroom code being measured, and its environment."""

    folder: Path
    env: dict


def snapshot(work):
    """Copy the code as it is now: edits made by others during the run change nothing here."""
    folder = work / "app"
    shutil.copytree(ROOT, folder, ignore=SNAPSHOT_SKIP)
    return folder


def code_version():
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    changed = len(git("status", "--porcelain").splitlines())
    return f"commit {git('rev-parse', '--short', 'HEAD').strip()} + {changed} changed files"


def app_env(work, extra, *, redis_url, page_cache):
    """The newsroom's production settings, pointed at the bench database and at Redis as the
    shared cache (with the fragment cache on, as in production); the page cache on or off."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(work / "static"),
        DJANGO_MEDIA_ROOT=str(MEDIA),
        REDIS_URL=redis_url,
        NEWSROOM_PAGE_CACHE="1" if page_cache else "0",
    )
    env.update(item.split("=", 1) for item in extra)
    return env


def manage(app, *args):
    """Run manage.py, echoing each line of its output with the elapsed time."""
    manage_together(app, [args])


def prepare_database(app, skip_seed):
    if skip_seed:
        count = article_count()
        if count == 0:
            sys.exit(f"{DB_NAME} has no articles: run once without --skip-seed")
        log(f"Reusing {DB_NAME} with {count:,} articles; migrating")
        manage(app, "migrate", "--no-input", "--verbosity", "0")
        # Columns a migration added have no statistics until analysed, and the planner
        # then misjudges the publish rule and reads the whole table.
        analyse()
        return
    log(f"Recreating database {DB_NAME} and {MEDIA}")
    recreate_database()
    shutil.rmtree(MEDIA, ignore_errors=True)
    log("Migrating")
    manage(app, "migrate", "--no-input", "--verbosity", "0")
    log(f"Seeding: seed_demo {' '.join(SEED)}")
    manage(app, "seed_demo", *SEED)
    analyse()


def analyse():
    with psycopg.connect(**PG, dbname=DB_NAME, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        log("Vacuumed and analysed")
        # Written out now rather than by the checkpointer during the scenarios.
        try:
            conn.execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:
            log("CHECKPOINT skipped: grant pg_checkpoint to the newsroom role for steadier runs")
        else:
            log("Checkpointed")


def fill_image_sizes():
    """Store the width and height of photos whose sizes seed_demo left empty.

    seed_demo saves its drawn photos from a nameless ContentFile, and Django 5.2 then leaves
    the width/height fields empty; Django's ImageField then opens and parses the image file
    on every load of such a row. An upload through the admin does fill them, so the bench
    fills them too (as production rows would be) and reports how many it filled.
    """
    from PIL import Image

    filled = 0
    with psycopg.connect(**PG, dbname=DB_NAME, autocommit=True) as conn:
        for table, name, width, height in IMAGE_COLUMNS:
            names = {
                "table": sql.Identifier(table),
                "name": sql.Identifier(name),
                "width": sql.Identifier(width),
                "height": sql.Identifier(height),
            }
            for (path,) in conn.execute(sql.SQL(UNSIZED).format(**names)).fetchall():
                with Image.open(MEDIA / path) as image:
                    size = image.size
                cursor = conn.execute(sql.SQL(SET_SIZE).format(**names), [*size, path])
                filled += cursor.rowcount
    return filled


# What to request -----------------------------------------------------------------------------


def cursor_text(published_at, pk):
    """The News Feed cursor, as articles.newsfeed.Cursor writes it."""
    return f"{(published_at - EPOCH) // timedelta(microseconds=1)}-{pk}"


def write_slugs(work):
    slugs = [row[0] for row in query(PUBLISHED_SLUGS, [SLUG_COUNT + WARMUP_SLUG_COUNT])]
    run_file, warm_file = work / "slugs.txt", work / "slugs-warmup.txt"
    warm_file.write_text("\n".join(slugs[:WARMUP_SLUG_COUNT]) + "\n")
    run_file.write_text("\n".join(slugs[WARMUP_SLUG_COUNT:]) + "\n")
    return run_file, warm_file, len(slugs) - WARMUP_SLUG_COUNT


def hot_article(work):
    """--cache: random articles among a few hundred, each loaded once before the run."""
    slugs = [row[0] for row in query(PUBLISHED_SLUGS, [HOT_SLUG_COUNT])]
    hot_file = work / "slugs-hot.txt"
    hot_file.write_text("\n".join(slugs) + "\n")
    args = [str(hot_file), str(WRK_THREADS)]
    return {
        "key": "article_cached",
        "name": f"Article (cached, {len(slugs)} slugs)",
        "path": "/news/<one of the cached slugs>/",
        "script": ARTICLES_LUA,
        "args": args,
        "warmup_args": args,
        "prime": [f"/news/{slug}/" for slug in slugs],
    }


def scenarios(work, search_word, cache=False):
    run_file, warm_file, count = write_slugs(work)
    deep = query(FEED_ITEM, [FEED_BATCH * (DEEP_BATCH - 1) - 1])[0]
    deep_path = f"/news/?before={cursor_text(*deep)}"
    section, section_count = query(BUSIEST_SECTION)[0]
    section_path = f"/section/{section}/"
    author, author_count = query(BUSIEST_AUTHOR)[0]
    author_path = f"/authors/{author}/"
    search_path = f"/search/?q={urllib.parse.quote_plus(search_word)}"
    log(
        f"Exported {count:,} random published slugs; busiest section {section} "
        f"({section_count:,}), busiest author {author} ({author_count:,})"
    )
    threads = str(WRK_THREADS)
    article = {
        "key": "article",
        "name": "Article (random)",
        "path": "/news/<random slug>/",
        "script": ARTICLES_LUA,
        "args": [str(run_file), threads],
        "warmup_args": [str(warm_file), threads],
        "distinct": count,
    }
    if cache:
        article["name"] = "Article (random: cache misses)"
    return [
        {"key": "home", "name": "Home", "path": "/"},
        article,
        *([hot_article(work)] if cache else []),
        {"key": "feed", "name": "News Feed batch 1", "path": "/news/"},
        {"key": "feed_deep", "name": f"News Feed batch {DEEP_BATCH:,}", "path": deep_path},
        {"key": "section", "name": f"Section ({section_count:,} articles)", "path": section_path},
        {"key": "author", "name": f"Author ({author_count:,} articles)", "path": author_path},
        {"key": "search", "name": f"Search '{search_word}'", "path": search_path},
        # The same search with no other request in the server: the time one reader waits,
        # where the row above also counts the queue of eight connections on two cores.
        {
            "key": "search_one",
            "name": f"Search '{search_word}', one reader",
            "path": search_path,
            "connections": 1,
        },
    ]


# Servers -------------------------------------------------------------------------------------


def listening_ports():
    try:
        output = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return set()
    ports = set()
    for line in output.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[3].rpartition(":")[2].isdigit():
            ports.add(int(fields[3].rpartition(":")[2]))
    return ports


def free_port():
    """A loopback port nothing listens on (per `ss -ltn`), confirmed by binding it."""
    taken = listening_ports()
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    sys.exit(f"No free port in {PORTS.start}-{PORTS.stop - 1}")


def children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def peak_rss_kb(pid):
    """VmHWM: the most resident memory the process has ever had."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def get(url):
    return probe(url)[0]


def probe(url):
    """The status and the X-Cache header (page cache "hit"/"miss", or None) of one GET."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.headers.get("X-Cache")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache")


class Server:
    """A gunicorn we started, and the peak memory of its workers while it ran."""

    def __init__(self, name, app, cwd, env, log_path):
        self.name, self.app, self.cwd, self.env, self.log_path = name, app, cwd, env, log_path
        self.process = None
        self.peak_kb = {}
        self.stopping = threading.Event()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", self.app, *GUNICORN]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, cwd=self.cwd, env=self.env, stdout=self.log_file, stderr=subprocess.STDOUT
        )
        self.wait_ready()
        threading.Thread(target=self.poll_memory, daemon=True).start()
        log(
            f"{self.name}: gunicorn pid {self.process.pid} on {self.url}, "
            f"workers {children(self.process.pid)}"
        )

    def wait_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name}: gunicorn exited; see {self.log_path}")
            try:
                get(self.url + "/")
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit(f"{self.name}: gunicorn did not answer within 60 s; see {self.log_path}")

    def poll_memory(self):
        while not self.stopping.is_set():
            self.record_memory()
            self.stopping.wait(0.5)

    def record_memory(self):
        for pid in children(self.process.pid):
            self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), peak_rss_kb(pid))

    def peak_mb(self):
        return round(max(self.peak_kb.values(), default=0) / 1024, 1)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.record_memory()
        self.stopping.set()
        workers = children(self.process.pid)
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for pid in workers:
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, 9)
        self.log_file.close()
        log(f"{self.name}: stopped (peak worker RSS {self.peak_mb()} MB)")


# Load ---------------------------------------------------------------------------------------


def wrk(url, seconds, script=REPORT_LUA, args=(), connections=WRK_CONNECTIONS):
    threads = min(WRK_THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "--latency", "-s", str(script), url, *args]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    return parse_wrk(output)


def parse_wrk(output):
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    requests = max(raw["requests"], 1)
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": raw["status"],
        "socket_errors": raw["connect"] + raw["read"] + raw["write"] + raw["timeout"],
        "kb_per_response": round(raw["bytes"] / requests / 1024, 1),
    }


def measure(server, scenario, seconds, warmup):
    name, path = scenario["name"], scenario["path"]
    script = scenario.get("script", REPORT_LUA)
    if "script" not in scenario:
        status = get(server.url + path)
        if status == 404 and scenario.get("key") == "search":
            log(f"  {name}: {path} answers 404, search not available yet")
            return {
                "key": "search",
                "name": name,
                "path": path,
                "unavailable": "search not available yet",
            }
        if status != 200:
            log(f"  {name}: {path} answers {status}; measuring anyway")
    for address in scenario.get("prime", ()):
        get(server.url + address)
    # A scripted scenario builds its own paths; wrk still needs the server's address.
    url = server.url + ("/" if "script" in scenario else path)
    connections = scenario.get("connections", WRK_CONNECTIONS)
    wrk(url, warmup, script, scenario.get("warmup_args", ()), connections)
    if "script" not in scenario:
        cache = probe(url)[1]
        if cache:
            log(f"  {name}: page cache {cache} after the warm-up")
    result = wrk(url, seconds, script, scenario.get("args", ()), connections)
    primed = scenario.get("prime", ())
    if primed:
        hits = sum(probe(server.url + address)[1] == "hit" for address in primed)
        log(f"  {name}: {hits} of {len(primed)} pages still a page cache hit after the run")
    if result["requests"] == 0:
        log(f"  {name}: not one response within {seconds} s")
        row = {"key": scenario.get("key"), "name": name, "path": path}
        return {**row, "unavailable": f"no response within {seconds} s", "too_slow": True}
    if result["requests"] > scenario.get("distinct", result["requests"]):
        log(f"  {name}: more requests than slugs, some articles were requested twice")
    log(
        f"  {name}: {result['rps']} req/s, p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms, errors {result['errors'] + result['socket_errors']}"
    )
    return {"key": scenario.get("key"), "name": name, "path": path, **result}


def run_hello(stamp, label, seconds, warmup):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings"}
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    log_path = RESULTS / f"{stamp}-hello-{label}.log"
    server = Server(f"hello ({label})", "wsgi", BENCH / "hello", env, log_path)
    try:
        server.start()
        scenario = {"key": f"hello_{label}", "name": f"Hello world ({label})", "path": "/"}
        result = measure(server, scenario, seconds, warmup)
    finally:
        server.stop()
    return result, server.peak_mb()


def run_newsroom(app, rows, log_path, seconds, warmup):
    server = Server("newsroom", "newsroom.wsgi", app.folder, app.env, log_path)
    try:
        server.start()
        results = [measure(server, row, seconds, warmup) for row in rows]
    finally:
        server.stop()
    return results, server.peak_mb()


def run_admin(app, search_word):
    """bench/admin.py in its own process; a failure is reported, not fatal."""
    log("Admin changelist: bench/admin.py")
    script = app.folder / "bench" / "admin.py"
    command = [sys.executable, str(script), "--json", "--search", search_word]
    result = subprocess.run(command, cwd=app.folder, env=app.env, stdout=subprocess.PIPE, text=True)
    if result.returncode:
        log(f"  bench/admin.py failed (exit {result.returncode}); see its output above")
        return {"error": f"bench/admin.py exited with {result.returncode}"}
    return json.loads(result.stdout)


# Main ----------------------------------------------------------------------------------------


def measure_all(args, work, app, stamp):
    """Hello world, the newsroom scenarios, hello world again, then the admin."""
    rows = scenarios(work, args.search_word, cache=args.cache)
    log("Hello world, before")
    hello_before, hello_mb = run_hello(stamp, "before", args.duration, args.warmup)
    log("Newsroom")
    log_path = RESULTS / f"{stamp}-newsroom.log"
    newsroom, newsroom_mb = run_newsroom(app, rows, log_path, args.duration, args.warmup)
    log("Hello world, after")
    hello_after, _ = run_hello(stamp, "after", args.duration, args.warmup)
    admin = {} if args.skip_admin else run_admin(app, args.search_word)
    hello_rps = round((hello_before["rps"] + hello_after["rps"]) / 2, 1)
    report.add_ratios([hello_before, *newsroom, hello_after], hello_rps)
    return {
        "hello_rps": hello_rps,
        "rows": [hello_before, *newsroom, hello_after],
        "memory_mb": {"newsroom": newsroom_mb, "hello": hello_mb},
        "admin": admin,
        "targets": report.targets(newsroom, newsroom_mb, admin, cache=args.cache),
    }


def prepare(args, work):
    """Snapshot the code, then migrate (and seed), collect static files, fill photo sizes."""
    log(f"Copying the code ({code_version()}) to a temporary folder")
    env = app_env(work, args.env, redis_url=args.redis_url, page_cache=args.cache)
    app = App(snapshot(work), env)
    prepare_database(app, args.skip_seed)
    log("Collecting static files into a temporary folder")
    manage(app, "collectstatic", "--no-input", "--verbosity", "0")
    if args.leave_image_sizes:
        log("Leaving empty photo sizes as seed_demo made them (--leave-image-sizes)")
        return app, 0
    filled = fill_image_sizes()
    log(f"Filled missing photo sizes on {filled:,} rows")
    store_stories(app)
    # The stored stories are new rows: vacuumed and analysed before anything is measured,
    # so that autovacuum does not run during the scenarios.
    analyse()
    return app, filled


def store_stories(app):
    """Render and store every published story's own part (articles/stories.py), as a deploy
    or an import would, in one process per core. Stories stored by this code are skipped."""
    if app.env.get("NEWSROOM_STORED_STORIES", "1") == "0":
        log("Stored stories are off (NEWSROOM_STORED_STORIES=0)")
        return
    log(f"Storing the stories' own parts: render_stories in {STORE_PROCESSES} processes")
    shards = [f"--shard={number}/{STORE_PROCESSES}" for number in range(1, STORE_PROCESSES + 1)]
    manage_together(app, [["render_stories", shard] for shard in shards])


def manage_together(app, commands):
    """Run manage.py commands at once, echoing each line of their output with the elapsed
    time (and, for several, the command's number)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=app.folder,
            env=app.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for args in commands
    ]

    def echo(number, process):
        label = f"[{number}] " if len(processes) > 1 else ""
        for line in process.stdout:
            log(f"    {label}{line.rstrip()}")

    threads = [
        threading.Thread(target=echo, args=(number, process))
        for number, process in enumerate(processes, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread, process in zip(threads, processes, strict=True):
        thread.join()
        if process.wait():
            sys.exit(f"manage.py {' '.join(process.args[2:])} failed (exit {process.returncode})")


def main():
    args = parse_args()
    check_tools(args)
    now = datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    results = {
        "started": now.isoformat(timespec="seconds"),
        "stamp": stamp,
        "command": " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]]),
        "machine": machine(),
        "code": code_version(),
        "cache": args.cache,
        "load_before": load(),
    }
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        work = Path(tmp)
        app, results["photo_sizes_filled"] = prepare(args, work)
        results.update(measure_all(args, work, app, stamp))
    results["load_after"] = load()
    print("\n" + report.as_text(results) + "\n")
    stem = report.write(results, RESULTS)
    log(f"Wrote {stem}.json and {stem}.md")


def machine():
    return (
        f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}, "
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}, gunicorn {' '.join(GUNICORN)}"
    )


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
